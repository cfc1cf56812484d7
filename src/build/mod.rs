//! The pipeline, top to bottom: load -> resolve -> render -> write.

mod folder;
mod summary;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::assets::{self, Stylesheet};
use crate::config::{Config, LangId};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Strings;
use crate::incremental::{Kept, LastBuild, fingerprints};
use crate::markdown::Rendered;
use crate::output::lock::Lock;
use crate::output::{self, State, Target};
use crate::print::{self, Printed};
use crate::render;
use crate::search;
use crate::site::{PageId, Site};
use crate::templates::{self, Templates, context::Shared};
use crate::translation_report::TranslationReport;

use summary::Stages;
pub use summary::Summary;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site folder, holding `site.yaml`.
    pub root: PathBuf,
    /// Where the site is written; `output/` in the site folder when not given.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Bleed for print shops in millimetres, overriding `print.bleed` in site.yaml.
    pub print_bleed_mm: Option<f64>,
    /// Go on past pages that fail to load, link or print, leaving them out, so that `check`
    /// can look at everything else (a build for publishing stops instead). The outcome then
    /// holds those errors beside the build.
    pub keep_going: bool,
    /// Replace `output` even when it is a file or a folder this tool did not make.
    pub force: bool,
}

/// What a build ends with: every warning and error, and a summary when it succeeded.
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Option<Summary>,
    /// What the build leaves to rebuild from: from [`build_kept`] and [`rebuild`], not [`build`].
    pub last: Option<LastBuild>,
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
            last: None,
            output,
        }
    }
}

/// How one build stands to the others of a session.
#[derive(Clone, Copy, Default)]
struct Run<'a> {
    /// Keep what the build made in memory, to rebuild from (`Outcome::last`).
    keep: bool,
    /// The output's lock, when the caller holds it for longer than one build (`serve`).
    held: Option<&'a Lock>,
    /// The last good build, whose files the output folder holds.
    last: Option<&'a LastBuild>,
}

/// A build of everything into a new tree, swapped in for the output folder when all of it
/// worked.
pub fn build(options: &Options) -> Outcome {
    run(options, Run::default())
}

/// A build that keeps what it made (`Outcome::last`), to look at (`check`) or rebuild from
/// (`serve`, which holds the output's lock, `held`, for the whole session).
pub fn build_kept(options: &Options, held: Option<&Lock>) -> Outcome {
    run(
        options,
        Run {
            keep: true,
            held,
            last: None,
        },
    )
}

/// A build that starts from `last`, the last good build of the same site, whose files the
/// output folder holds: it renders the Markdown of changed files only (while every page keeps
/// its URL) and the pages whose context or templates changed, and changes only the output
/// files that differ. The result is the output a full build makes.
pub fn rebuild(options: &Options, held: &Lock, last: &LastBuild) -> Outcome {
    run(
        options,
        Run {
            keep: true,
            held: Some(held),
            last: Some(last),
        },
    )
}

/// What the load stage read.
struct Loaded {
    config: Config,
    strings: Strings,
    content: content::Content,
    assets: Assets,
}

/// The theme's stylesheets, the static files and the stylesheets' URLs by name.
struct Assets {
    sheets: Vec<Stylesheet>,
    statics: Vec<(String, PathBuf)>,
    css_urls: Arc<HashMap<String, String>>,
}

/// What pages are rendered from.
struct Rendering {
    site: Arc<Site>,
    templates: Templates,
    css_urls: Arc<HashMap<String, String>>,
    shared: Shared,
    rendered: Vec<Rendered>,
    printed: Printed,
}

fn run(options: &Options, run: Run) -> Outcome {
    let started = Instant::now();
    let stages = Stages::new(started);
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("output"));
    let mut diagnostics = Diagnostics::new();
    let Some((loaded, _lock)) = load(options, run.held, &output, &mut diagnostics) else {
        return Outcome::failed(diagnostics);
    };
    stages.end("load");
    let Loaded {
        config,
        strings,
        content,
        assets,
    } = loaded;
    let (site, templates) = resolve(
        options,
        (config, strings, content),
        &assets.css_urls,
        &mut diagnostics,
    );
    stages.end("resolve");
    let Some(mut rendering) = render(
        options,
        run.last,
        (site, templates, Arc::clone(&assets.css_urls)),
        &stages,
        &mut diagnostics,
    ) else {
        return Outcome::failed(diagnostics);
    };
    // Write, into staging (or held back, in place); `output/` changes only if all of it worked.
    let target = match folder::target(run.keep, run.last, &output) {
        Ok(target) => target,
        Err(d) => {
            diagnostics.push(d);
            return Outcome::failed(diagnostics);
        }
    };
    let wrote = write(
        &mut rendering,
        (&assets.sheets, &assets.statics),
        run,
        &*target,
        &mut diagnostics,
    );
    stages.end("render and write");
    if !wrote.all || (diagnostics.has_errors() && !options.keep_going) {
        return Outcome::failed(diagnostics);
    }
    let finished = match folder::finish(target, &output, &mut diagnostics) {
        Ok(finished) => finished,
        Err(state) => return Outcome::failed_with(diagnostics, state),
    };
    stages.end("swap");
    done(
        run,
        rendering,
        wrote,
        finished,
        (output, started, stages),
        diagnostics,
    )
}

/// The outcome of a build that wrote everything: its summary, and what it keeps.
fn done(
    run: Run,
    rendering: Rendering,
    wrote: Wrote,
    finished: output::Finished,
    (output, started, stages): (PathBuf, Instant, Stages),
    diagnostics: Diagnostics,
) -> Outcome {
    let summary = Summary {
        pages: rendering
            .site
            .config
            .languages
            .iter()
            .zip(wrote.per_language)
            .map(|(l, n)| (l.code.clone(), n))
            .collect(),
        printed: (rendering.printed.rendered, rendering.printed.reused),
        pages_rendered: wrote.pages_rendered,
        changed: finished.changed,
        output,
        elapsed: started.elapsed(),
        stages: stages.into_inner(),
        report: TranslationReport::new(&rendering.site),
    };
    let last = run.keep.then(|| {
        LastBuild::from(Kept {
            site: rendering.site,
            templates: rendering.templates,
            css_urls: rendering.css_urls,
            shared: rendering.shared,
            rendered: rendering.rendered,
            written: finished.written,
            global: wrote.global,
            pages: wrote.pages,
        })
    });
    Outcome {
        diagnostics: diagnostics.into_sorted(),
        summary: Some(summary),
        last,
        output: State::Replaced,
    }
}

/// Reads the settings, takes the output folder (see [`folder::take`]), then reads the
/// interface strings, the content and the stylesheets, side by side, and the static files.
/// `None` when the settings cannot be read or the output folder is not this build's.
fn load(
    options: &Options,
    held: Option<&Lock>,
    output: &std::path::Path,
    diagnostics: &mut Diagnostics,
) -> Option<(Loaded, Option<Lock>)> {
    let root = &options.root;
    let mut config = Config::load(root)
        .map_err(|errors| diagnostics.extend(errors))
        .ok()?;
    if let Some(bleed_mm) = options.print_bleed_mm {
        config.print.bleed_mm = bleed_mm;
    }
    diagnostics.extend(folder::placeholder_address(root, &config));
    let lock = folder::take(options, held, output, diagnostics)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let ((strings, string_errors), ((content, content_errors), (sheets, css_errors))) = rayon::join(
        || Strings::load(root, &config),
        || {
            rayon::join(
                || content::load(root, &config, options.drafts),
                || assets::stylesheets(root, &config),
            )
        },
    );
    diagnostics.extend(string_errors);
    diagnostics.extend(content_errors);
    diagnostics.extend(css_errors);
    let statics = assets::static_files(root, &config);
    let css_urls = Arc::new(assets::stylesheet_urls(&config, &sheets));
    let loaded = Loaded {
        config,
        strings,
        content,
        assets: Assets {
            sheets,
            statics,
            css_urls,
        },
    };
    Some((loaded, lock))
}

/// Renders every page's Markdown, so that all broken links are reported together, then the
/// PDFs. `None` when that failed (and the build does not go on past errors), or the templates
/// did not load.
fn render(
    options: &Options,
    last: Option<&LastBuild>,
    (site, templates, css_urls): (Arc<Site>, Option<Templates>, Arc<HashMap<String, String>>),
    stages: &Stages,
    diagnostics: &mut Diagnostics,
) -> Option<Rendering> {
    let kept = last.map(|l| l.markdown_to_keep(&site)).unwrap_or_default();
    let (rendered, markdown_errors) = render::markdown(&site, kept);
    diagnostics.extend(markdown_errors);
    stages.end("markdown");
    let templates = templates.filter(|_| options.keep_going || !diagnostics.has_errors())?;
    let (printed, print_errors) = print::render(&site, &rendered, &print_settings(&site));
    diagnostics.extend(print_errors);
    stages.end("print");
    if diagnostics.has_errors() && !options.keep_going {
        return None;
    }
    Some(Rendering {
        shared: Shared::new(&site, &printed),
        site,
        templates,
        css_urls,
        rendered,
        printed,
    })
}

/// Resolves the site (translations, links, URLs, menus) and loads the templates, checking
/// them against it.
fn resolve(
    options: &Options,
    (config, strings, content): (Config, Strings, content::Content),
    css_urls: &Arc<HashMap<String, String>>,
    diagnostics: &mut Diagnostics,
) -> (Arc<Site>, Option<Templates>) {
    let root = options.root.clone();
    let (practices, practice_errors) = crate::practices::load(&root, &config);
    diagnostics.extend(practice_errors);
    let (mut site, resolve_errors) = Site::resolve(root, config, strings, content);
    diagnostics.extend(resolve_errors);
    site.practices = practices;
    site.changed_parts = crate::translate::changed::of(&site);
    let site = Arc::new(site);
    let templates = templates::load(&site, css_urls)
        .map_err(|errors| diagnostics.extend(errors))
        .ok();
    if let Some(templates) = &templates {
        diagnostics.extend(render::check_templates(&site, templates));
        diagnostics.extend(search::clashes(&site, templates));
        diagnostics.extend(render::practices::clashes(&site));
        diagnostics.extend(render::translations::clashes(&site, templates));
    }
    (site, templates)
}

/// What the write stage did.
struct Wrote {
    /// Whether every file was written: even going on, a page or file that could not be
    /// written is not checked by reading it.
    all: bool,
    pages_rendered: usize,
    per_language: Vec<usize>,
    /// The digests of what pages were rendered from (see [`crate::incremental::fingerprints`]),
    /// when the build is kept.
    global: blake3::Hash,
    pages: Vec<blake3::Hash>,
}

/// Renders and writes every page (leaving those the last build wrote that would render the
/// same), the site's other files and the PDFs into `target`.
fn write(
    rendering: &mut Rendering,
    (sheets, statics): (&[Stylesheet], &[(String, PathBuf)]),
    run: Run,
    target: &dyn Target,
    diagnostics: &mut Diagnostics,
) -> Wrote {
    let Rendering {
        site,
        templates,
        css_urls,
        shared,
        rendered,
        printed,
    } = rendering;
    let (offline_copies, offline_errors) =
        render::offline::copies(site, templates, shared, rendered, sheets, statics);
    diagnostics.extend(offline_errors);
    let zips: Vec<(LangId, String, u64)> = offline_copies
        .iter()
        .map(|c| (c.lang, site.config.url(&c.path), c.bytes.len() as u64))
        .collect();
    shared.set_offline_zips(site, &zips);
    let (site, templates, shared, rendered, printed) =
        (&**site, &*templates, &*shared, &*rendered, &*printed);
    let global = fingerprints::global(site, templates, css_urls);
    let pages = if run.keep {
        fingerprints::pages(site, shared, rendered)
    } else {
        Vec::new()
    };
    let unchanged = |id: PageId, path: &str| {
        run.last
            .is_some_and(|last| last.renders_alike(global, path, pages.get(id.index())))
    };
    // The sitemap, feeds and copies need nothing from the pages: they run alongside them and
    // fill the moments when page threads wait on the disk.
    let ((per_language, pages_rendered, page_errors), (file_errors, print_write_errors)) =
        rayon::join(
            || render::pages(site, templates, shared, rendered, target, &unchanged),
            || {
                rayon::join(
                    || {
                        let mut errors =
                            render::site_files(site, templates, shared, sheets, statics, target);
                        errors.extend(search::write(site, templates, shared, rendered, target));
                        errors.extend(render::practices::write(
                            site, templates, shared, printed, target,
                        ));
                        errors.extend(render::translations::write(site, templates, shared, target));
                        for copy in &offline_copies {
                            if let Err(err) = target.write(&copy.path, &copy.bytes) {
                                errors.push(output::write_error(&copy.path, &err));
                            }
                        }
                        errors
                    },
                    || render::print_files(printed, target),
                )
            },
        );
    let all = !page_errors
        .iter()
        .chain(&file_errors)
        .chain(&print_write_errors)
        .any(Diagnostic::is_error);
    diagnostics.extend(page_errors);
    diagnostics.extend(file_errors);
    diagnostics.extend(print_write_errors);
    Wrote {
        all,
        pages_rendered,
        per_language,
        global,
        pages,
    }
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
