//! Printable items (posters, leaflets, wallet cards) as PDFs, laid out by Typst with the
//! theme's print templates, plus a PNG preview of each and a ZIP of every language's PDFs.
//!
//! Content reaches templates only as data (`/data.json`), never as markup. Every character is
//! checked against the fonts first, so no PDF ever shows an empty box. Output depends on the
//! input alone (no clock), which lets unchanged items come from a cache instead of Typst.

mod blocks;
mod fonts;
mod item;
mod qr;
mod world;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::LangId;
use crate::diagnostics::{Diagnostic, Stage, line_col};
use crate::site::{PageId, Site};

pub use item::Paper;

/// The PDF standards `print.standards` may ask for.
pub const STANDARDS: &[&str] = &["ua-1", "a-2a"];

/// Width of preview images, in pixels: sharp in a listing, small on a phone's data plan.
const PREVIEW_WIDTH: f32 = 360.0;

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

/// One PDF to make.
struct Task<'a> {
    job: &'a item::Job,
    paper: Paper,
    data: Vec<u8>,
    qr: Vec<u8>,
    preview: bool,
    key: String,
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
        let shown = crate::text::shown_path(&site.root, &print_dir);
        let diagnostics = site
            .pages
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
            .collect();
        return (printed, diagnostics);
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

    // Check every character against the fonts before laying anything out.
    let original_code = &site.config.language(site.config.default_language).code;
    let checked: Vec<_> = jobs
        .par_iter()
        .map(|job| {
            let code = &site.config.language(site.pages[job.page].lang).code;
            let mut own = fonts.stack(code);
            let mut original = fonts.stack(original_code);
            let data = item::data(
                site,
                job,
                job.papers[0],
                (&own, &original),
                settings.bleed_mm,
            );
            let mut text = String::new();
            let mut original_text = String::new();
            let mut json = data.json.clone();
            if let Some(o) = json.get_mut("original").map(std::mem::take) {
                item::printed_text(&o, &mut original_text);
            }
            item::printed_text(&json, &mut text);
            let mut found = Vec::new();
            let mut borrowed = Vec::new();
            for (stack, text) in [(&mut own, &text), (&mut original, &original_text)] {
                match fonts.cover(stack, text) {
                    Ok(b) => borrowed.extend(b),
                    Err(c) => found.push(uncovered(site, job.page, c, stack)),
                }
            }
            (job, own, original, borrowed, found)
        })
        .collect();
    let mut borrowed_families = Vec::new();
    let mut stacks = HashMap::new();
    for (job, own, original, borrowed, found) in checked {
        diagnostics.extend(found);
        for (c, family) in borrowed {
            let page = &site.pages[job.page];
            diagnostics.push(
                Diagnostic::warning(
                    Stage::Print,
                    format!(
                        "{} uses the font \"{family}\" from this computer for the character {} ({}); \
                         PDFs built elsewhere may lack it",
                        page.file,
                        c,
                        codepoint(c)
                    ),
                )
                .with_help(format!("add a font that has this character to themes/{}/print/fonts/ and fonts.yaml", site.config.theme)),
            );
            if !borrowed_families.contains(&family) {
                borrowed_families.push(family);
            }
        }
        stacks.insert(job.page, (own, original));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (printed, diagnostics);
    }
    fonts.add_system_families(&borrowed_families);
    let fonts = fonts;

    let standards: Vec<PdfStandard> = settings
        .standards
        .iter()
        .filter_map(|s| match s.as_str() {
            "ua-1" => Some(PdfStandard::Ua_1),
            "a-2a" => Some(PdfStandard::A_2a),
            _ => None,
        })
        .collect();
    let settings_key = format!(
        "{:?} {:?} {}",
        settings.standards,
        settings.bleed_mm,
        env!("CARGO_PKG_VERSION")
    );
    let tasks: Vec<Task> = jobs
        .iter()
        .flat_map(|job| {
            let (own, original) = &stacks[&job.page];
            job.papers
                .iter()
                .enumerate()
                .map(move |(i, &paper)| (job, own, original, i, paper))
        })
        .map(|(job, own, original, i, paper)| {
            let data = item::data(site, job, paper, (own, original), settings.bleed_mm);
            let qr = qr::svg(&data.url).unwrap_or_default().into_bytes();
            let data = serde_json::to_vec(&data.json).unwrap_or_default();
            let mut hasher = blake3::Hasher::new();
            for part in [
                settings_key.as_bytes(),
                templates.fingerprint.as_bytes(),
                fonts.fingerprint.as_bytes(),
                job.template.as_bytes(),
                &data,
                &qr,
            ] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part);
            }
            Task {
                job,
                paper,
                data,
                qr,
                preview: i == 0,
                key: hasher.finalize().to_hex()[..32].to_owned(),
            }
        })
        .collect();

    let book = fonts.store.book();
    let results: Vec<_> = tasks
        .par_iter()
        .map(|task| make(site, task, &templates, &fonts, book, &standards, settings))
        .collect();
    // Typst memoises layouts across calls; a build does not revisit them.
    typst::comemo::evict(0);

    let mut used = HashSet::new();
    let mut per_language: BTreeMap<LangId, Vec<(String, Blob)>> = BTreeMap::new();
    for (task, result) in tasks.iter().zip(results) {
        let made = match result {
            Ok(made) => made,
            Err(errors) => {
                diagnostics.extend(errors);
                continue;
            }
        };
        diagnostics.extend(made.warnings);
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
        used.insert(task.key.clone());
        let pdf_path = format!("{stem}.pdf");
        printed
            .downloads
            .entry(task.job.page)
            .or_default()
            .push(Download {
                paper: task.paper.name(),
                path: pdf_path.clone(),
                size: made.pdf_size,
            });
        let zip_name = pdf_path.rsplit('/').next().unwrap_or(&pdf_path).to_owned();
        per_language
            .entry(page.lang)
            .or_default()
            .push((zip_name, clone_blob(&made.pdf)));
        printed.files.push(File {
            path: pdf_path,
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
    }
    for (lang, pdfs) in per_language {
        let language = site.config.language(lang);
        let path = format!(
            "{}downloads/safe-surgeries-{}.zip",
            language.prefix,
            language.code.to_ascii_lowercase()
        );
        match zip(&pdfs) {
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
    if let Some(cache) = &settings.cache {
        prune(cache, &used);
    }
    (printed, diagnostics)
}

fn clone_blob(blob: &Blob) -> Blob {
    match blob {
        Blob::Bytes(b) => Blob::Bytes(b.clone()),
        Blob::Cached(p) => Blob::Cached(p.clone()),
    }
}

struct Made {
    warnings: Vec<Diagnostic>,
    pdf: Blob,
    pdf_size: u64,
    png: Option<(Blob, u32, u32)>,
    cached: bool,
}

/// One PDF (and its preview), from the cache when the same input was printed before.
fn make(
    site: &Site,
    task: &Task,
    templates: &world::Templates,
    fonts: &fonts::Fonts,
    book: &typst::utils::LazyHash<typst::text::FontBook>,
    standards: &[PdfStandard],
    settings: &Settings,
) -> Result<Made, Vec<Diagnostic>> {
    let cached = settings.cache.as_ref().map(|dir| {
        (
            dir.join(format!("{}.pdf", task.key)),
            dir.join(format!("{}.png", task.key)),
        )
    });
    if let Some((pdf, png)) = &cached {
        if let Some(made) = from_cache(pdf, png, task.preview) {
            return Ok(made);
        }
    }
    let page = &site.pages[task.job.page];
    let main = world::file_id(&format!("/{}.typ", task.job.template)).ok_or_else(|| {
        vec![Diagnostic::error(
            Stage::Print,
            format!("`{}` is not a template name", task.job.template),
        )]
    })?;
    let world = world::ItemWorld {
        templates,
        book,
        fonts: &fonts.store,
        main,
        data: Bytes::new(task.data.clone()),
        qr: Bytes::new(task.qr.clone()),
    };
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| typst_diagnostics(site, task, &world, &errors, true))?;
    let warnings = typst_diagnostics(site, task, &world, &warnings, false);
    let date = page.front.updated.as_ref().or(page.front.date.as_ref());
    let timestamp = date.and_then(|d| {
        let s = d.as_str();
        let year = s.get(0..4)?.parse().ok()?;
        let month = s.get(5..7)?.parse().ok()?;
        let day = s.get(8..10)?.parse().ok()?;
        Datetime::from_ymd(year, month, day).map(Timestamp::new_utc)
    });
    let pdf_standards = PdfStandards::new(standards).map_err(|err| {
        vec![Diagnostic::error(
            Stage::Print,
            format!(
                "cannot combine the PDF standards {:?}: {}",
                settings.standards,
                err.message()
            ),
        )]
    })?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("{}-{}", page.file, task.paper.name())),
        creator: Smart::Auto,
        timestamp,
        page_ranges: None,
        standards: pdf_standards,
        tagged: true,
        pretty: false,
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| typst_diagnostics(site, task, &world, &errors, true))?;
    let png = if task.preview {
        document.pages().first().and_then(|first| {
            let width = first.frame.width().to_pt() as f32;
            let scale = if width > 0.0 {
                PREVIEW_WIDTH / width
            } else {
                1.0
            };
            let pixmap = typst_render::render(
                first,
                &typst_render::RenderOptions {
                    pixel_per_pt: typst::utils::Scalar::new(f64::from(scale)),
                    render_bleed: false,
                },
            );
            let (w, h) = (pixmap.width(), pixmap.height());
            pixmap.encode_png().ok().map(|png| (png, w, h))
        })
    } else {
        None
    };
    if let Some((pdf_path, png_path)) = &cached {
        store(pdf_path, &pdf);
        if let Some((png, w, h)) = &png {
            store(png_path, png);
            store(
                &png_path.with_extension("size"),
                format!("{w} {h}").as_bytes(),
            );
        }
    }
    Ok(Made {
        warnings,
        pdf_size: pdf.len() as u64,
        pdf: Blob::Bytes(pdf),
        png: png.map(|(png, w, h)| (Blob::Bytes(png), w, h)),
        cached: false,
    })
}

fn from_cache(pdf: &Path, png: &Path, preview: bool) -> Option<Made> {
    let pdf_size = std::fs::metadata(pdf).ok()?.len();
    let png = if preview {
        let size = std::fs::read_to_string(png.with_extension("size")).ok()?;
        let (w, h) = size.split_once(' ')?;
        std::fs::metadata(png).ok()?;
        Some((
            Blob::Cached(png.to_owned()),
            w.parse().ok()?,
            h.parse().ok()?,
        ))
    } else {
        None
    };
    Some(Made {
        warnings: Vec::new(),
        pdf: Blob::Cached(pdf.to_owned()),
        pdf_size,
        png,
        cached: true,
    })
}

/// Writes a cache entry whole or not at all: a build killed half-way must not leave a
/// truncated PDF to be reused.
fn store(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Removes cache entries this build did not use, so the cache holds one build's worth.
fn prune(cache: &Path, used: &HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let key = name.split('.').next().unwrap_or_default();
        if !used.contains(key) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn read_blob(blob: &Blob) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
    match blob {
        Blob::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
        Blob::Cached(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
    }
}

/// A ZIP of PDFs, stored rather than compressed (PDFs are compressed already), with a fixed
/// date so the same PDFs give the same bytes.
fn zip(pdfs: &[(String, Blob)]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, blob) in pdfs {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(&read_blob(blob)?)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// Reads a file the print stage made, wherever it is.
pub fn bytes_of(blob: &Blob) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
    read_blob(blob)
}

/// "212 KB", "1.4 MB": what download links show.
pub fn human_size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000).max(1))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}

fn codepoint(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

fn uncovered(site: &Site, id: PageId, c: char, stack: &[String]) -> Diagnostic {
    let page = &site.pages[id];
    let language = site.config.language(page.lang);
    let message = format!(
        "no font for the character {c} ({}) in this {} text: the printed item would show an empty box",
        codepoint(c),
        language.name
    );
    let help = format!(
        "remove or replace the character, or add a font that has it to themes/{}/print/fonts/ and name its family for `{}` in fonts.yaml (fonts used now: {})",
        site.config.theme,
        language.code,
        stack.join(", ")
    );
    match page.source.find(c) {
        Some(offset) => {
            Diagnostic::error(Stage::Print, message).at_offset(&page.file, &page.source, offset)
        }
        None => {
            let strings = format!("themes/{}/i18n/{}.yaml", site.config.theme, language.code);
            Diagnostic::error(
                Stage::Print,
                format!("{message} (it comes from {strings} or the template)"),
            )
            .at(&page.file, Some(&page.source), 1, 1)
        }
    }
    .with_help(help)
}

fn typst_diagnostic(
    site: &Site,
    task: &Task,
    world: &world::ItemWorld,
    d: &SourceDiagnostic,
    error: bool,
) -> Diagnostic {
    use typst::WorldExt;
    let page = &site.pages[task.job.page];
    // Templates check what only layout can tell (text that overflows a card) with `assert`:
    // that is the editor's to fix, in the page.
    if let Some(problem) = d.message.strip_prefix("assertion failed: ") {
        let message = format!(
            "{problem} (print template `{}`, {})",
            task.job.template,
            task.paper.name()
        );
        return page.error_at_key(Stage::Print, "print", message).with_help(
            "shorten this version's text under `print:`; the layout is fixed by the template",
        );
    }
    let message = format!(
        "print template `{}` {} {} ({}): {}",
        task.job.template,
        if error { "failed for" } else { "warns, for" },
        page.file,
        task.paper.name(),
        d.message
    );
    let mut diagnostic = if error {
        Diagnostic::error(Stage::Print, message)
    } else {
        Diagnostic::warning(Stage::Print, message)
    };
    let located = d
        .span
        .id()
        .zip(world.range(d.span))
        .and_then(|(id, range)| {
            let (source, shown) = world.templates.source(id)?;
            Some((shown.clone(), source.text().to_owned(), range.start))
        });
    if let Some((shown, text, offset)) = located {
        let (line, col) = line_col(&text, offset);
        diagnostic = diagnostic.at(&shown, Some(&text), line, col);
    }
    let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
    diagnostic.with_help(if hints.is_empty() {
        "fix the print template; the page's text is passed to it as data".to_owned()
    } else {
        hints.join("; ")
    })
}

fn typst_diagnostics(
    site: &Site,
    task: &Task,
    world: &world::ItemWorld,
    found: &[SourceDiagnostic],
    error: bool,
) -> Vec<Diagnostic> {
    found
        .iter()
        .map(|d| typst_diagnostic(site, task, world, d, error))
        .collect()
}
