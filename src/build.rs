//! The pipeline, top to bottom: load -> resolve -> render -> write.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::assets;
use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Stage};
use crate::i18n::Strings;
use crate::output::lock::{Holder, Lock};
use crate::output::{self, InPlace, Staging, State, Target};
use crate::print;
use crate::render;
use crate::search;
use crate::site::Site;
use crate::templates::{self, context::Shared};
use crate::text::count;
use crate::translation_report::TranslationReport;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site folder, holding `site.yaml`.
    pub root: PathBuf,
    /// Where the site is written; `output/` in the site folder when not given.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Bleed for print shops in millimetres, overriding `print.bleed` in site.yaml.
    pub print_bleed_mm: Option<f64>,
    /// Keep what the build made in memory (`Outcome::built`), for watch mode to update.
    pub keep: bool,
    /// What the output folder holds now, from the last build: given, the build changes only
    /// the files that differ, in place, instead of swapping in a whole new tree.
    pub in_place: Option<crate::output::Written>,
    /// Go on past pages that fail to load, link or print, leaving them out, so that `check`
    /// can look at everything else (a build for publishing stops instead). The outcome then
    /// holds those errors beside the build.
    pub keep_going: bool,
    /// Replace `output` even when it is a file or a folder this tool did not make.
    pub force: bool,
    /// The output's lock, when the caller holds it for longer than one build (`serve`);
    /// otherwise the build takes it for itself.
    pub lock: Option<Arc<Lock>>,
}

/// What a successful build keeps for watch mode: enough to render any page again.
pub struct Built {
    pub site: Arc<Site>,
    pub templates: templates::Templates,
    /// Stylesheet URLs by name, which templates are loaded with.
    pub css_urls: Arc<std::collections::HashMap<String, String>>,
    pub shared: Shared,
    pub rendered: Vec<crate::markdown::Rendered>,
    /// Every output file and a fingerprint of what it holds.
    pub written: crate::output::Written,
    /// The output files this build wrote or removed.
    pub changed: Vec<String>,
    /// Per page's output path, a digest of its context; with `global_fingerprint` unchanged, a page
    /// whose digest is unchanged renders as before (see [`Shared::fingerprint`]).
    pub fingerprints: std::collections::HashMap<String, blake3::Hash>,
    /// A digest of all a page's rendering reads beyond its context: the configuration, the
    /// interface strings, the templates and what they look up (see [`global_fingerprint`]).
    pub global_fingerprint: blake3::Hash,
    /// How many pages this build rendered (the rest it kept as they were).
    pub pages_rendered: usize,
}

#[derive(Debug)]
pub struct Summary {
    /// Pages written per language: code and count.
    pub pages: Vec<(String, usize)>,
    pub output: PathBuf,
    /// PDFs laid out by Typst in this build, and PDFs reused unchanged from the last.
    pub printed: (usize, usize),
    pub elapsed: Duration,
    /// How long each stage took, in order, for `--report` and for finding what got slow.
    pub stages: Vec<(&'static str, Duration)>,
    pub report: TranslationReport,
}

/// Stage durations, recorded from inside closures that run on other threads.
struct Stages {
    last: std::sync::Mutex<(Instant, Vec<(&'static str, Duration)>)>,
}

impl Stages {
    fn new(started: Instant) -> Stages {
        Stages {
            last: std::sync::Mutex::new((started, Vec::new())),
        }
    }

    fn end(&self, stage: &'static str) {
        if let Ok(mut guard) = self.last.lock() {
            let now = Instant::now();
            let took = now - guard.0;
            guard.0 = now;
            guard.1.push((stage, took));
        }
    }

    fn into_inner(self) -> Vec<(&'static str, Duration)> {
        self.last
            .into_inner()
            .map(|(_, stages)| stages)
            .unwrap_or_default()
    }
}

impl Summary {
    pub fn total_pages(&self) -> usize {
        self.pages.iter().map(|(_, n)| n).sum()
    }

    /// The stages and their durations, on one line.
    pub fn stage_line(&self) -> String {
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|(name, took)| format!("{name} {:.2} s", took.as_secs_f64()))
            .collect();
        format!("Stages: {}", stages.join(", "))
    }

    /// One line: how many pages in which languages, how long, where.
    pub fn line(&self) -> String {
        let per_language: Vec<String> = self
            .pages
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        let (rendered, reused) = self.printed;
        let pdfs = match rendered + reused {
            0 => String::new(),
            total => format!(
                " and {} ({rendered} laid out, {reused} unchanged)",
                count(total, "PDF", "PDFs")
            ),
        };
        format!(
            "Built {} in {} ({}){pdfs} into {} in {:.2} s",
            count(self.total_pages(), "page", "pages"),
            count(self.pages.len(), "language", "languages"),
            per_language.join(", "),
            self.output.display(),
            self.elapsed.as_secs_f64()
        )
    }
}

/// What a build ends with: every warning and error, and a summary when it succeeded.
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Option<Summary>,
    pub built: Option<Built>,
    /// What became of the output folder.
    pub output: State,
}

impl Outcome {
    fn failed(diagnostics: Diagnostics) -> Outcome {
        Outcome::failed_with(diagnostics, State::AsItWas)
    }

    fn failed_with(diagnostics: Diagnostics, output: State) -> Outcome {
        Outcome {
            diagnostics: diagnostics.into_sorted(),
            summary: None,
            built: None,
            output,
        }
    }
}

pub fn build(options: &Options) -> Outcome {
    run(options, None)
}

/// A build that starts from `previous`, the last good build of the same site, whose files the
/// output folder holds: it renders
/// the Markdown of changed files only (while every page keeps its URL) and the pages whose
/// context or templates changed, and changes only the output files that differ. The result is
/// the output a full build makes.
pub fn rebuild(options: &Options, previous: &Built) -> Outcome {
    let options = Options {
        in_place: Some(previous.written.clone()),
        keep: true,
        ..options.clone()
    };
    run(&options, Some(previous))
}

fn run(options: &Options, previous: Option<&Built>) -> Outcome {
    let started = Instant::now();
    let root = options.root.clone();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("output"));
    let mut diagnostics = Diagnostics::new();

    // Load.
    let mut config = match Config::load(&root) {
        Ok(config) => config,
        Err(errors) => return Outcome::failed(errors.into_iter().collect()),
    };
    if let Some(bleed_mm) = options.print_bleed_mm {
        config.print.bleed_mm = bleed_mm;
    }
    diagnostics.extend(placeholder_address(&root, &config));
    let _lock = match take_output(options, &root, &output) {
        Ok((lock, notes)) => {
            diagnostics.extend(notes);
            lock
        }
        Err(d) => {
            diagnostics.push(d);
            return Outcome::failed(diagnostics);
        }
    };
    let ((strings, string_errors), ((content, content_errors), (sheets, css_errors))) = rayon::join(
        || Strings::load(&root, &config),
        || {
            rayon::join(
                || content::load(&root, &config, options.drafts),
                || assets::stylesheets(&root, &config),
            )
        },
    );
    diagnostics.extend(string_errors);
    diagnostics.extend(content_errors);
    diagnostics.extend(css_errors);
    let statics = assets::static_files(&root, &config);
    let css_urls = Arc::new(assets::stylesheet_urls(&config, &sheets));

    let stages = Stages::new(started);
    stages.end("load");
    // Resolve.
    let (practices, practice_errors) = crate::practices::load(&root, &config);
    diagnostics.extend(practice_errors);
    let (mut site, resolve_errors) = Site::resolve(root, config, strings, content);
    diagnostics.extend(resolve_errors);
    site.practices = practices;
    site.changed_parts = crate::translate::changed::of(&site);
    let site = Arc::new(site);
    let templates = templates::load(&site, &css_urls)
        .map_err(|errors| diagnostics.extend(errors))
        .ok();
    if let Some(templates) = &templates {
        diagnostics.extend(render::check_templates(&site, templates));
        diagnostics.extend(search::clashes(&site, templates));
        diagnostics.extend(render::practices::clashes(&site));
        diagnostics.extend(render::translations::clashes(&site, templates));
    }

    stages.end("resolve");
    // Render: Markdown first, for every page, so that all broken links are reported together.
    let kept = previous
        .map(|p| kept_markdown(&site, p))
        .unwrap_or_default();
    let (rendered, markdown_errors) = render::markdown(&site, kept);
    diagnostics.extend(markdown_errors);
    stages.end("markdown");
    let Some(templates) = templates.filter(|_| options.keep_going || !diagnostics.has_errors())
    else {
        return Outcome::failed(diagnostics);
    };
    let (printed, print_errors) = print::render(&site, &rendered, &print_settings(&site));
    diagnostics.extend(print_errors);
    stages.end("print");
    if diagnostics.has_errors() && !options.keep_going {
        return Outcome::failed(diagnostics);
    }

    // Write, into staging (or held back, in place); `output/` changes only if all of it worked.
    let target: Box<dyn Target> = match &options.in_place {
        Some(previous) => Box::new(InPlace::new(&output, previous.clone())),
        None => match Staging::create(&output) {
            Ok(staging) if options.keep => Box::new(staging.recording()),
            Ok(staging) => Box::new(staging),
            Err(err) => {
                diagnostics.push(
                    Diagnostic::error(
                        Stage::Output,
                        format!("cannot create a folder beside {}: {err}", output.display()),
                    )
                    .with_help(
                        "check that the folder above the output folder exists and is writable",
                    ),
                );
                return Outcome::failed(diagnostics);
            }
        },
    };
    let mut shared = Shared::new(&site, &printed);
    let (offline_copies, offline_errors) =
        render::offline::copies(&site, &templates, &shared, &rendered, &sheets, &statics);
    diagnostics.extend(offline_errors);
    let zips: Vec<(usize, String, u64)> = offline_copies
        .iter()
        .map(|c| (c.lang, site.config.url(&c.path), c.bytes.len() as u64))
        .collect();
    shared.set_offline_zips(&site, &zips);
    let global_fingerprint = global_fingerprint(&site, &templates, &css_urls);
    let fingerprints: Vec<blake3::Hash> = if options.keep {
        use rayon::prelude::*;
        (0..site.pages.len())
            .into_par_iter()
            .map(|id| shared.fingerprint(&site, id, &rendered[id]))
            .collect()
    } else {
        Vec::new()
    };
    stages.end("contexts");
    let unchanged = |id: usize, path: &str| {
        previous.is_some_and(|p| {
            p.global_fingerprint == global_fingerprint
                && p.fingerprints.get(path) == fingerprints.get(id)
        })
    };
    // The sitemap, feeds and copies need nothing from the pages: they run alongside them and
    // fill the moments when page threads wait on the disk.
    let ((per_language, pages_rendered, page_errors), (file_errors, print_write_errors)) =
        rayon::join(
            || render::pages(&site, &templates, &shared, &rendered, &*target, &unchanged),
            || {
                rayon::join(
                    || {
                        let mut errors = render::site_files(
                            &site, &templates, &shared, &sheets, &statics, &*target,
                        );
                        errors.extend(search::write(
                            &site, &templates, &shared, &rendered, &*target,
                        ));
                        errors.extend(render::practices::write(
                            &site, &templates, &shared, &printed, &*target,
                        ));
                        errors.extend(render::translations::write(
                            &site, &templates, &shared, &*target,
                        ));
                        for copy in &offline_copies {
                            if let Err(err) = target.write(&copy.path, &copy.bytes) {
                                errors.push(crate::output::write_error(&copy.path, &err));
                            }
                        }
                        errors
                    },
                    || render::print_files(&printed, &*target),
                )
            },
        );
    // Even going on, a page or file that could not be written is not checked by reading it.
    let wrote_all = !page_errors
        .iter()
        .chain(&file_errors)
        .chain(&print_write_errors)
        .any(Diagnostic::is_error);
    diagnostics.extend(page_errors);
    diagnostics.extend(file_errors);
    diagnostics.extend(print_write_errors);
    stages.end("render and write");
    if !wrote_all || (diagnostics.has_errors() && !options.keep_going) {
        return Outcome::failed(diagnostics);
    }
    if let Err(err) = target.write(output::claim::MARKER, output::claim::MARKER_TEXT.as_bytes()) {
        diagnostics.push(crate::output::write_error(output::claim::MARKER, &err));
        return Outcome::failed(diagnostics);
    }
    let finished = match target.finish() {
        Ok(done) => done,
        Err(err) => {
            diagnostics.push(
                Diagnostic::error(
                    Stage::Output,
                    format!("cannot replace {}: {}", output.display(), err.error()),
                )
                .with_help("close any program using files in the output folder and build again"),
            );
            return Outcome::failed_with(diagnostics, err.state());
        }
    };
    if let Some((old, err)) = &finished.left_behind {
        diagnostics.push(
            Diagnostic::warning(
                Stage::Output,
                format!(
                    "{} holds the new site, but the old one in {} could not be removed: {err}",
                    output.display(),
                    old.display()
                ),
            )
            .with_help("the next build removes it; or delete that folder yourself"),
        );
    }
    let output::Finished {
        written, changed, ..
    } = finished;
    stages.end("swap");
    let pages = site
        .config
        .languages
        .iter()
        .zip(per_language)
        .map(|(l, n)| (l.code.clone(), n))
        .collect();
    let summary = Summary {
        pages,
        printed: (printed.rendered, printed.reused),
        output,
        elapsed: started.elapsed(),
        stages: stages.into_inner(),
        report: TranslationReport::new(&site),
    };
    let built = options.keep.then(|| Built {
        fingerprints: (0..site.pages.len())
            .map(|id| render::page_path(&site, id))
            .zip(fingerprints)
            .collect(),
        global_fingerprint,
        pages_rendered,
        site,
        templates,
        css_urls,
        shared,
        rendered,
        written,
        changed,
    });
    Outcome {
        diagnostics: diagnostics.into_sorted(),
        summary: Some(summary),
        built,
        output: State::Replaced,
    }
}

/// Makes `output` this build's to write: a folder it may replace, locked against other builds
/// and `serve`, with what a killed build left put right. Gives the lock, unless the caller holds
/// it, and warnings for the editor.
fn take_output(
    options: &Options,
    root: &Path,
    output: &Path,
) -> Result<(Option<Lock>, Vec<Diagnostic>), Diagnostic> {
    check_output_location(root, output)?;
    let error = |(message, help): (String, String)| {
        Diagnostic::error(Stage::Output, message).with_help(help)
    };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    // The site's own output/ is always the tool's; older versions wrote no marker in it.
    let own_folder = absolute(output) == absolute(&root.join("output"));
    if !own_folder && !options.force {
        output::claim::check(output).map_err(|r| error(r.explain(output)))?;
    }
    let mut notes = Vec::new();
    let lock = match &options.lock {
        Some(held) if held.covers(output) => None,
        _ => {
            let lock = Lock::acquire(output, Holder::Build).map_err(|e| {
                let (message, help) = e.explain(output);
                error((message, help.to_owned()))
            })?;
            if let Some((waited, pid)) = lock.waited {
                let process = pid.map_or_else(String::new, |p| format!(" (process {p})"));
                notes.push(Diagnostic::warning(
                    Stage::Output,
                    format!(
                        "waited {:.1} s for another build of this site{process} to finish \
                         writing {}",
                        waited.as_secs_f64(),
                        output.display()
                    ),
                ));
            }
            Some(lock)
        }
    };
    match output::swap::recover(output) {
        Ok(Some(kept)) => notes.push(
            Diagnostic::warning(
                Stage::Output,
                format!(
                    "{} was missing after a build was stopped part way; the last whole site was \
                     put back from {}",
                    output.display(),
                    kept.display()
                ),
            )
            .with_help("nothing to do: this build replaces it as usual"),
        ),
        Ok(None) => {}
        Err(err) => {
            return Err(error((
                format!(
                    "{} is missing, and the last whole site beside it cannot be put back: {err}",
                    output.display()
                ),
                {
                    let name = output
                        .file_name()
                        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
                    format!(
                        "rename the newest .{name}.old-* folder beside it to {name}, then build again"
                    )
                },
            )));
        }
    }
    Ok((lock, notes))
}

/// A digest of everything page rendering reads besides the page's own context.
pub fn global_fingerprint(
    site: &Site,
    templates: &templates::Templates,
    css_urls: &std::collections::HashMap<String, String>,
) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(templates.fingerprint(site, css_urls).as_bytes());
    hasher.update(settings_fingerprint(site).as_bytes());
    hasher.finalize()
}

/// A digest of the configuration and interface strings, which Markdown reads too. The
/// configuration's debug form lists every setting in file order, which is all it needs here.
fn settings_fingerprint(site: &Site) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(site.strings.digest().as_bytes());
    hasher.update(format!("{:?}", site.config).as_bytes());
    hasher.finalize()
}

/// The rendered Markdown of `previous` that this build can keep: that of pages whose file is
/// unchanged, when every page is where it was (same files, same URLs; links resolve alike)
/// and the settings are the same.
fn kept_markdown(site: &Site, previous: &Built) -> Vec<Option<crate::markdown::Rendered>> {
    let before = &previous.site;
    let same_places = settings_fingerprint(before) == settings_fingerprint(site)
        && before.pages.len() == site.pages.len()
        && site
            .pages
            .iter()
            .zip(&before.pages)
            .all(|(a, b)| a.file == b.file)
        && site
            .places
            .iter()
            .zip(&before.places)
            .all(|(a, b)| a.path == b.path);
    if !same_places {
        return Vec::new();
    }
    site.pages
        .iter()
        .zip(&before.pages)
        .zip(&previous.rendered)
        .enumerate()
        .map(|(i, ((now, then), rendered))| {
            // A translation shows its changed parts' English, which an English edit changes.
            let same_parts = site.changed_parts.get(i) == before.changed_parts.get(i);
            (now.source == then.source && same_parts).then(|| rendered.clone())
        })
        .collect()
}

/// How to print, from site.yaml (and `--print-bleed`, already folded into it). Finished PDFs
/// are cached in `.cache/print/` in the site folder, which git ignores.
fn print_settings(site: &Site) -> print::Settings {
    let print = &site.config.print;
    print::Settings {
        bleed_mm: print.bleed_mm,
        standards: print.standards.clone(),
        system_fonts: print.system_fonts,
        cache: Some(site.root.join(".cache").join("print")),
    }
}

/// A site whose `base_url` can never be public (an example or test address) prints QR codes
/// that open nothing: its PDFs say they are samples, and the build says why.
fn placeholder_address(root: &Path, config: &Config) -> Option<Diagnostic> {
    let host = config.placeholder_host()?;
    let file = crate::config::CONFIG_FILE;
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let (line, col) = crate::diagnostics::find_line(&text, "base_url").unwrap_or((1, 1));
    Some(
        Diagnostic::warning(
            Stage::Config,
            format!(
                "base_url {} is an example address (`{host}` is never a real website): the QR \
                 codes on posters, leaflets and cards would open nothing, so every PDF is marked \
                 as a sample",
                config.base_url
            ),
        )
        .at(file, Some(&text), line, col)
        .with_help(
            "before printing for patients, set base_url in site.yaml to the address the site is \
             published at",
        ),
    )
}

/// The output folder is replaced wholesale, so it must not be the site itself or hold it.
fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let (root, output) = (absolute(root), absolute(output));
    let root = root.canonicalize().unwrap_or(root);
    let output = output
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| output.file_name().map(|n| p.join(n)))
        .unwrap_or(output);
    let protected = crate::paths::SOURCE_FOLDERS
        .iter()
        .any(|d| output.starts_with(root.join(d)));
    if root.starts_with(&output) || protected {
        return Err(Diagnostic::error(
            Stage::Output,
            format!(
                "the output folder {} would replace the site's own files",
                output.display()
            ),
        )
        .with_help("choose an output folder of its own, such as output/ (the default)"));
    }
    Ok(())
}
