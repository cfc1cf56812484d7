//! Printable items (posters, leaflets, wallet cards) as PDFs, laid out by Typst with the
//! theme's print templates, plus a PNG preview of each and a ZIP of every language's PDFs.
//!
//! Content reaches templates only as data (`/data.json`), never as markup. Every character is
//! checked against the fonts first, so no PDF ever shows an empty box. Output depends on the
//! input alone (no clock), which lets unchanged items come from a cache instead of Typst.

mod blocks;
mod cache;
mod fonts;
mod item;
mod layout;
mod problems;
mod qr;
mod world;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::LangId;
use crate::diagnostics::{Diagnostic, Stage};
use crate::site::{PageId, Site};

pub use item::Paper;

/// The PDF standards `print.standards` may ask for.
pub const STANDARDS: &[&str] = &["ua-1", "a-2a"];

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub bleed_mm: f64,
    pub standards: Vec<String>,
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
    /// How many PDFs Typst laid out, and how many came from the cache.
    pub rendered: usize,
    pub reused: usize,
}

pub fn render(site: &Site, settings: &Settings) -> (Printed, Vec<Diagnostic>) {
    let mut printed = Printed {
        zips: vec![None; site.config.languages.len()],
        ..Printed::default()
    };
    if !site.pages.iter().any(|p| p.front.print.is_some()) {
        return (printed, Vec::new());
    }
    let print_dir = site
        .root
        .join("themes")
        .join(&site.config.theme)
        .join("print");
    if !print_dir.is_dir() {
        return (printed, no_print_folder(site, &print_dir));
    }
    let ((templates, mut diagnostics), (mut fonts, font_errors)) = rayon::join(
        || world::Templates::load(&site.root, &print_dir),
        || fonts::Fonts::load(&site.root, &print_dir, settings.system_fonts),
    );
    diagnostics.extend(font_errors);
    let (jobs, plan_errors) = item::plan(site, &templates);
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
    let results: Vec<_> = tasks
        .par_iter()
        .map(|task| layout::make(site, task, &tools))
        .collect();
    // Typst memoises layouts across calls; a build does not revisit them.
    typst::comemo::evict(0);

    let mut used = HashSet::new();
    for (task, result) in tasks.iter().zip(results) {
        match result {
            Ok(made) => {
                used.insert(task.key.clone());
                diagnostics.extend(add_files(site, task, made, &mut printed));
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    diagnostics.extend(add_zips(site, &mut printed));
    if let Some(cache) = &settings.cache {
        cache::prune(cache, &used);
    }
    (printed, diagnostics)
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
            (job.page, own, original, borrowed, problems)
        })
        .collect();
    let mut stacks = HashMap::new();
    let mut families = Vec::new();
    let mut diagnostics = Vec::new();
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

/// Records a made PDF (and preview) for the writer and the download pages.
fn add_files(
    site: &Site,
    task: &layout::Task,
    made: layout::Made,
    printed: &mut Printed,
) -> Vec<Diagnostic> {
    let page = &site.pages[task.job.page];
    let place = &site.places[task.job.page];
    let code = site.config.language(page.lang).code.to_ascii_lowercase();
    let stem = format!(
        "{}{}-{code}-{}",
        place.path,
        place.slug,
        task.paper.name().to_ascii_lowercase()
    );
    if made.cached {
        printed.reused += 1;
    } else {
        printed.rendered += 1;
    }
    let path = format!("{stem}.pdf");
    printed
        .downloads
        .entry(task.job.page)
        .or_default()
        .push(Download {
            paper: task.paper.name(),
            path: path.clone(),
            size: made.pdf_size,
        });
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

/// One ZIP per language of all its PDFs.
fn add_zips(site: &Site, printed: &mut Printed) -> Vec<Diagnostic> {
    let index: HashMap<&str, usize> = printed
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let mut per_language: BTreeMap<LangId, Vec<usize>> = BTreeMap::new();
    for (page, downloads) in &printed.downloads {
        let lang = site.pages[*page].lang;
        for download in downloads {
            if let Some(&i) = index.get(download.path.as_str()) {
                per_language.entry(lang).or_default().push(i);
            }
        }
    }
    let mut diagnostics = Vec::new();
    for (lang, mut members) in per_language {
        members.sort_by(|a, b| printed.files[*a].path.cmp(&printed.files[*b].path));
        let language = site.config.language(lang);
        let path = format!(
            "{}downloads/safe-surgeries-{}.zip",
            language.prefix,
            language.code.to_ascii_lowercase()
        );
        match zip(printed, &members) {
            Ok(bytes) => {
                printed.zips[lang] = Some(Download {
                    paper: "",
                    path: path.clone(),
                    size: bytes.len() as u64,
                });
                printed.files.push(File {
                    path,
                    blob: Blob::Bytes(bytes),
                });
            }
            Err(err) => diagnostics.push(Diagnostic::error(
                Stage::Print,
                format!("cannot make {path}: {err}"),
            )),
        }
    }
    diagnostics
}

/// A ZIP of PDFs, stored rather than compressed (PDFs are compressed already), with a fixed
/// date so the same PDFs give the same bytes.
fn zip(printed: &Printed, members: &[usize]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for &i in members {
        let file = &printed.files[i];
        let name = file.path.rsplit('/').next().unwrap_or(&file.path);
        writer.start_file(name, options)?;
        writer.write_all(&cache::read(&file.blob)?)?;
    }
    Ok(writer.finish()?.into_inner())
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
