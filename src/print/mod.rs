//! Printable items (posters, leaflets, wallet cards) as PDFs, laid out by Typst with the
//! theme's print templates, plus a PNG preview of each and a ZIP of every language's PDFs.
//!
//! Content reaches templates only as data (`/data.json`), never as markup. Every character is
//! checked against the fonts first, so no PDF ever shows an empty box. Output depends on the
//! input alone (no clock), which lets unchanged items come from a cache instead of Typst.

mod blocks;
mod cache;
mod fonts;
mod forms;
mod inspect;
mod item;
mod layout;
mod problems;
mod qr;
mod world;
mod zips;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Stage};
use crate::site::{PageId, Site};

pub use item::Paper;

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub bleed_mm: f64,
    pub standards: Vec<crate::config::PdfStandard>,
    pub system_fonts: bool,
    /// Where finished PDFs are kept between builds; `None` renders everything every time.
    pub cache: Option<PathBuf>,
}

/// A file for the output: made in this build, or reused from the cache.
pub enum Blob {
    Bytes(Vec<u8>),
    Cached(PathBuf),
}

pub struct File {
    pub path: String,
    pub blob: Blob,
}

#[derive(Debug, Clone)]
pub struct Download {
    pub paper: &'static str,
    /// Relative to the output folder.
    pub path: String,
    pub size: u64,
}

/// One practice's print pack: each item version's PDFs, and a ZIP of all of them.
#[derive(Debug, Clone, Default)]
pub struct PracticePack {
    pub downloads: Vec<(PageId, Download)>,
    pub zip: Option<Download>,
}

#[derive(Debug, Clone)]
pub struct Preview {
    pub path: String,
    pub paper: &'static str,
    pub width: u32,
    pub height: u32,
}

/// What the print stage made, for the writer and for the pages that offer the downloads.
#[derive(Default)]
pub struct Printed {
    pub files: Vec<File>,
    /// Per language version of an item: its PDFs, in the order of its papers.
    pub downloads: HashMap<PageId, Vec<Download>>,
    pub previews: HashMap<PageId, Preview>,
    /// Per language: the ZIP of all its PDFs, where it has any.
    pub zips: Vec<Option<Download>>,
    /// Per practice of `practices.yaml`: its own copies, and the ZIP of them all.
    pub practices: Vec<PracticePack>,
    /// How many PDFs Typst laid out, and how many came from the cache.
    pub rendered: usize,
    pub reused: usize,
}

/// Lays out every printable item. `rendered` holds each page's Markdown as rendered, whose
/// heading ids the items' QR codes may open.
pub fn render(
    site: &Site,
    rendered: &[crate::markdown::Rendered],
    settings: &Settings,
) -> (Printed, Vec<Diagnostic>) {
    let mut printed = Printed {
        zips: vec![None; site.config.languages.len()],
        practices: vec![PracticePack::default(); site.practices.len()],
        ..Printed::default()
    };
    if !site.pages.iter().any(|p| p.front.print.is_some()) {
        return (printed, Vec::new());
    }
    let print_dir = site.root.join(crate::paths::theme_folder(
        &site.config.theme,
        crate::paths::ThemeFolder::Print,
    ));
    if !print_dir.is_dir() {
        return (printed, no_print_folder(site, &print_dir));
    }
    let ((mut templates, mut diagnostics), (mut fonts, font_errors)) = rayon::join(
        || world::PrintTemplates::load(&site.root, &print_dir),
        || fonts::Fonts::load(&site.root, &print_dir, settings.system_fonts),
    );
    diagnostics.extend(font_errors);
    diagnostics.extend(add_logo(site, &mut templates));
    let (jobs, plan_errors) = item::plan(site, &templates, rendered);
    diagnostics.extend(plan_errors);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (printed, diagnostics);
    }
    let (stacks, borrowed, font_problems) = check_fonts(site, &jobs, &fonts, settings);
    diagnostics.extend(font_problems);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (printed, diagnostics);
    }
    fonts.add_system_families(&borrowed);

    let tasks = layout::tasks(site, &jobs, &stacks, &templates, &fonts, settings);
    let standards = layout::standards(settings);
    let tools = layout::Tools {
        templates: &templates,
        fonts: &fonts,
        book: fonts.store.book(),
        standards: &standards,
        settings,
    };
    let results = lay_out(site, &tasks, &tools);
    diagnostics.extend(record(site, settings, &tasks, results, &mut printed));
    (printed, diagnostics)
}

/// Each task's PDF, or the errors that stopped it, in the tasks' order. A panic in Typst is one
/// item's error, not the build's end.
fn lay_out(
    site: &Site,
    tasks: &[layout::Task],
    tools: &layout::Tools,
) -> Vec<Result<layout::Made, Vec<Diagnostic>>> {
    let results = each_with_layout_stacks(tasks, |task| {
        let what = format!(
            "laying out the {} {} of {}",
            task.paper.name(),
            task.job.template,
            site.pages[task.job.page].file
        );
        crate::contain::panic_free(|| {
            crate::slow::watched(what, || {
                if crate::fault::is_set("panic-in-print") {
                    panic!("injected by SAFE_SURGERIES_TEST_FAULT");
                }
                if crate::fault::is_set("slow-print") {
                    std::thread::sleep(crate::slow::SLOW + std::time::Duration::from_secs(2));
                }
                layout::make(site, task, tools)
            })
        })
        .unwrap_or_else(|panic| Err(vec![problems::crashed(site, task, &panic)]))
    });
    // Typst memoises layouts across calls; a build does not revisit them.
    typst::comemo::evict(0);
    results
}

/// Records the PDFs made for the writer and the download pages, zips them per language and
/// per practice, and clears from the cache what this build no longer made. Gives the
/// tasks' errors and warnings, and the ZIPs' problems.
fn record(
    site: &Site,
    settings: &Settings,
    tasks: &[layout::Task],
    results: Vec<Result<layout::Made, Vec<Diagnostic>>>,
    printed: &mut Printed,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut used = HashSet::new();
    for (task, result) in tasks.iter().zip(results) {
        match result {
            Ok(made) => {
                used.insert(task.key.clone());
                diagnostics.extend(add_files(site, task, made, printed));
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let mut zips = zips::Zips::new(settings.cache.as_deref());
    diagnostics.extend(zips.per_language(site, printed));
    diagnostics.extend(zips.per_practice(site, printed));
    if let Some(cache) = &settings.cache {
        cache::prune(cache, &used);
        zips.prune();
    }
    diagnostics
}

/// Runs `work` on every task, in parallel, and gives the results in the tasks' order.
///
/// Typst's layout recurses as deep as a template nests, and a template that measures its own
/// content (to fit a poster, or to choose a leaflet's text size) nests deeply: layout runs on
/// a pool whose threads have stacks sized for that, not on rayon's default 2 MiB. Each task is
/// handed to the pool from a thread of its own, one per pool thread, rather than as one
/// parallel iterator: a pool thread waiting inside Typst's own parallel work steals queued
/// jobs, and with every item queued at once it would stack one item's layout on another's
/// until even a large stack ran out (17,700 practice PDFs did). So at most one job per thread
/// is ever queued.
fn each_with_layout_stacks<T, R>(tasks: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    const STACK: usize = 64 << 20;
    const EVICT_EVERY: usize = 32;
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK)
        .thread_name(|i| format!("print-{i}"))
        .build();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = pool.as_ref().map_or_else(
        |_| rayon::current_num_threads(),
        |p| p.current_num_threads(),
    );
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.clamp(1, tasks.len().max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(task) = tasks.get(i) else { break };
                        let result = match &pool {
                            Ok(pool) => pool.install(|| work(task)),
                            // Without a pool of its own the build still runs, on the shared one.
                            Err(_) => work(task),
                        };
                        mine.push((i, result));
                        // Typst memoises every layout; thousands of practice PDFs would keep
                        // them all. What the next items share (fonts, templates) is used again
                        // at once and stays.
                        if i % EVICT_EVERY == EVICT_EVERY - 1 {
                            typst::comemo::evict(1);
                        }
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

fn no_print_folder(site: &Site, print_dir: &Path) -> Vec<Diagnostic> {
    let shown = crate::text::shown_path(&site.root, print_dir);
    site.pages
        .iter()
        .filter(|p| p.front.print.is_some())
        .map(|p| {
            p.error_at_key(
                Stage::Print,
                "print",
                format!("the theme has no print templates ({shown} is missing)"),
            )
            .with_help("use a theme with a print/ folder, or remove `print:` from this page")
        })
        .collect()
}

type Stacks = HashMap<PageId, (Vec<String>, Vec<String>)>;

/// Checks every character of every item against its language's fonts, before anything is laid
/// out. Gives each item's font stacks (its own language's, and the original's for the English
/// side of a card), the machine font families needed to fill gaps, and the problems.
fn check_fonts(
    site: &Site,
    jobs: &[item::Job],
    fonts: &fonts::Fonts,
    settings: &Settings,
) -> (Stacks, Vec<String>, Vec<Diagnostic>) {
    let original_code = &site.config.language(site.config.default_language).code;
    let checked: Vec<_> = jobs
        .par_iter()
        .map(|job| {
            let code = &site.config.language(site.pages[job.page].lang).code;
            let mut own = fonts.stack(code);
            let mut original = fonts.stack(original_code);
            let mut json = item::data(
                site,
                job,
                job.papers[0],
                (&own, &original),
                settings.bleed_mm,
                fonts,
            )
            .json;
            let mut original_text = String::new();
            if let Some(o) = json.get_mut("original").map(std::mem::take) {
                item::printed_text(&o, &mut original_text);
            }
            let mut text = String::new();
            item::printed_text(&json, &mut text);
            let mut problems = Vec::new();
            let mut borrowed = Vec::new();
            for (stack, text) in [(&mut own, &text), (&mut original, &original_text)] {
                match fonts.cover(stack, text) {
                    Ok(b) => borrowed.extend(b),
                    Err(c) => problems.push(problems::uncovered(site, job.page, c, stack)),
                }
            }
            // A chart's rows are each in their own language, with that language's fonts only:
            // the theme's, since the rows' fonts are chosen before machine fonts are added.
            if job.all_languages {
                for (lang, text) in item::chart_rows(site) {
                    let language = site.config.language(lang);
                    if let Some(c) = text
                        .chars()
                        .find(|&c| !fonts.theme_covers(&fonts.stack(&language.code), c))
                    {
                        problems.push(problems::uncovered_row(site, job.page, lang, c));
                    }
                }
            }
            (job.page, own, original, borrowed, problems)
        })
        .collect();
    let mut stacks = HashMap::new();
    let mut families = Vec::new();
    let mut diagnostics = practice_fonts(site, fonts);
    for (page, own, original, borrowed, problems) in checked {
        diagnostics.extend(problems);
        for (c, family) in borrowed {
            diagnostics.push(problems::borrowed_font(site, page, c, &family));
            if !families.contains(&family) {
                families.push(family);
            }
        }
        stacks.insert(page, (own, original));
    }
    (stacks, families, diagnostics)
}

/// Gives templates site.yaml's `print.logo`, read from the site folder.
fn add_logo(site: &Site, templates: &mut world::PrintTemplates) -> Option<Diagnostic> {
    let logo = site.config.print.logo.as_deref()?;
    let extension = crate::config::logo_extension(logo)?;
    match std::fs::read(site.root.join(logo)) {
        Ok(bytes) => {
            templates.add_file(&world::logo_path(extension), bytes);
            None
        }
        Err(err) => Some(
            problems::in_site_yaml(
                site,
                "logo",
                format!("cannot read the print logo {logo}: {err}"),
            )
            .with_help("check the file's name and folder, or remove `logo:` from site.yaml"),
        ),
    }
}

/// A practice's details print in each of its languages' fonts (the theme's: they are chosen
/// before machine fonts are added), so each must have every character of them.
fn practice_fonts(site: &Site, fonts: &fonts::Fonts) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for practice in &site.practices {
        let text = format!("{} {}", practice.name, practice.lines().join(" "));
        for &lang in &practice.languages {
            let language = site.config.language(lang);
            let stack = fonts.stack(&language.code);
            if let Some(c) = text.chars().find(|&c| !fonts.theme_covers(&stack, c)) {
                problems.push(problems::uncovered_practice(site, practice, lang, c));
                break;
            }
        }
    }
    problems
}

/// Records a made PDF (and preview) for the writer and the download pages.
fn add_files(
    site: &Site,
    task: &layout::Task,
    made: layout::Made,
    printed: &mut Printed,
) -> Vec<Diagnostic> {
    let page = &site.pages[task.job.page];
    let place = &site.places[task.job.page];
    let folder = match task.practice {
        Some(p) => crate::paths::practice_folder(&site.practices[p].slug),
        None => place.path.clone(),
    };
    let language = site.config.language(page.lang);
    let stem = crate::paths::print_stem(&folder, &place.slug, language, task.paper.name());
    if made.cached {
        printed.reused += 1;
    } else {
        printed.rendered += 1;
    }
    let path = format!("{stem}.pdf");
    let download = Download {
        paper: task.paper.name(),
        path: path.clone(),
        size: made.pdf_size,
    };
    match task.practice {
        Some(p) => printed.practices[p]
            .downloads
            .push((task.job.page, download)),
        None => printed
            .downloads
            .entry(task.job.page)
            .or_default()
            .push(download),
    }
    printed.files.push(File {
        path,
        blob: made.pdf,
    });
    if let Some((png, width, height)) = made.png {
        let path = format!("{stem}.png");
        printed.previews.insert(
            task.job.page,
            Preview {
                path: path.clone(),
                paper: task.paper.name(),
                width,
                height,
            },
        );
        printed.files.push(File { path, blob: png });
    }
    made.warnings
}

/// A file of the theme's print folder, read: its path, the path an editor knows it by, and
/// its bytes.
struct ThemeFile {
    path: PathBuf,
    shown: String,
    bytes: Vec<u8>,
}

/// The files under `dir` that `keep` accepts (folders `keep` rejects are not entered), in
/// name order, each read whole; files that cannot be read are errors naming them.
fn read_theme_files(
    root: &Path,
    dir: &Path,
    keep: impl Fn(&walkdir::DirEntry) -> bool,
) -> (Vec<ThemeFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let entries = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || keep(e))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file());
    for entry in entries {
        let path = entry.into_path();
        let shown = crate::text::shown_path(root, &path);
        match std::fs::read(&path) {
            Ok(bytes) => files.push(ThemeFile { path, shown, bytes }),
            Err(err) => diagnostics.push(Diagnostic::error(
                Stage::Print,
                format!("cannot read {shown}: {err}"),
            )),
        }
    }
    (files, diagnostics)
}

/// "212 KB", "1.4 MB": what download links show.
pub fn human_size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000).max(1))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}
