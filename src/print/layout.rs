//! One PDF: the data and key of each item version on each paper, and Typst laying it out,
//! unless the cache already has it.

use std::collections::HashMap;

use typst::diag::Warned;
use typst::foundations::{Bytes, Datetime, Smart};
use typst::text::FontBook;
use typst::utils::LazyHash;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::content::Page;
use crate::diagnostics::{Diagnostic, Stage};
use crate::site::{PageId, Site};

use super::cache::{Entry, Hit};
use super::fonts::Fonts;
use super::inspect::Problem;
use super::item::{self, Job, Paper};
use super::problems::typst_diagnostics;
use super::world::{self, ItemWorld, PrintTemplates};
use super::{Blob, Settings};

/// Width of preview images, in pixels: sharp in a listing, small on a phone's data plan.
const PREVIEW_WIDTH: f32 = 360.0;

/// One PDF to make.
pub struct Task<'a> {
    pub job: &'a Job,
    pub paper: Paper,
    /// The practice this copy is made for (an index into `site.practices`), with its details
    /// typeset; none for the shared copy, which has boxes to fill in.
    pub practice: Option<usize>,
    data: Vec<u8>,
    qr: Vec<u8>,
    /// Whether this paper's first page is the item's preview (its first paper's).
    pub preview: bool,
    /// A hash of everything the PDF is made from, naming it in the cache.
    pub key: String,
}

pub struct Made {
    pub warnings: Vec<Diagnostic>,
    pub pdf: Blob,
    pub pdf_size: u64,
    pub png: Option<(Blob, u32, u32)>,
    pub cached: bool,
}

/// Every PDF to make, with the font stacks the coverage check settled on.
pub fn tasks<'a>(
    site: &Site,
    jobs: &'a [Job],
    stacks: &HashMap<PageId, (Vec<String>, Vec<String>)>,
    templates: &PrintTemplates,
    fonts: &Fonts,
    settings: &Settings,
) -> Vec<Task<'a>> {
    let settings_key = format!(
        "{:?} {:?} {}",
        settings.standards,
        settings.bleed_mm,
        env!("CARGO_PKG_VERSION")
    );
    let mut tasks = Vec::new();
    // The shared copies, then each practice's own in its languages.
    let copies =
        jobs.iter()
            .map(|job| (job, None))
            .chain(site.practices.iter().enumerate().flat_map(|(p, practice)| {
                jobs.iter()
                    .filter(move |job| practice.languages.contains(&site.pages[job.page].lang))
                    .map(move |job| (job, Some(p)))
            }));
    for (job, practice) in copies {
        let Some((own, original)) = stacks.get(&job.page) else {
            continue;
        };
        for (i, &paper) in job.papers.iter().enumerate() {
            let mut data = item::data(site, job, paper, (own, original), settings.bleed_mm, fonts);
            if let Some(p) = practice {
                let practice = &site.practices[p];
                data.json["practice"] = serde_json::json!({
                    "name": practice.name,
                    "address": practice.address,
                    "phone": practice.phone,
                    "hours": practice.hours,
                    "lines": practice.lines(),
                });
            }
            let qr = super::qr::svg(&data.url).unwrap_or_default().into_bytes();
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
            tasks.push(Task {
                job,
                paper,
                practice,
                data,
                qr,
                // A practice's copy looks like the shared one: the shared preview serves both.
                preview: i == 0 && practice.is_none(),
                key: hasher.finalize().to_hex()[..32].to_owned(),
            });
        }
    }
    tasks
}

pub fn standards(settings: &Settings) -> Vec<PdfStandard> {
    settings
        .standards
        .iter()
        .map(|standard| match standard {
            crate::config::PdfStandard::Ua1 => PdfStandard::Ua_1,
            crate::config::PdfStandard::A2a => PdfStandard::A_2a,
        })
        .collect()
}

/// What one PDF is made with, shared by every task.
pub struct Tools<'a> {
    pub templates: &'a PrintTemplates,
    pub fonts: &'a Fonts,
    pub book: &'a LazyHash<FontBook>,
    pub standards: &'a [PdfStandard],
    pub settings: &'a Settings,
}

/// One PDF (and its preview), from the cache when the same input was printed before.
pub fn make(site: &Site, task: &Task, tools: &Tools) -> Result<Made, Vec<Diagnostic>> {
    let entry = tools
        .settings
        .cache
        .as_ref()
        .map(|dir| Entry::new(dir, &task.key));
    if let Some(hit) = entry.as_ref().and_then(|e| e.get(task.preview)) {
        return Ok(from_cache(site, task, hit));
    }
    let world = item_world(task, tools)?;
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| typst_diagnostics(site, task, &world, &errors, true))?;
    let mut warnings = typst_diagnostics(site, task, &world, &warnings, false);
    let problems = super::inspect::problems(&document);
    warnings.extend(
        problems
            .iter()
            .map(|problem| super::problems::layout(site, task, problem.clone())),
    );
    let options = pdf_options(site, task, tools)?;
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| typst_diagnostics(site, task, &world, &errors, true))?;
    let pdf = with_fields(site, task, &document, tools, pdf)?;
    let png = if task.preview {
        document.pages().first().and_then(preview)
    } else {
        None
    };
    let pdf_size = pdf.len() as u64;
    let (pdf, png) = store(entry.as_ref(), pdf, png, &problems);
    Ok(Made {
        warnings,
        pdf_size,
        pdf,
        png,
        cached: false,
    })
}

/// What the cache kept of an earlier build of the same input, its layout problems again
/// reported as warnings, as when it was made.
fn from_cache(site: &Site, task: &Task, hit: Hit) -> Made {
    Made {
        warnings: hit
            .problems
            .into_iter()
            .map(|problem| super::problems::layout(site, task, problem))
            .collect(),
        pdf: Blob::Cached(hit.pdf),
        pdf_size: hit.pdf_size,
        png: hit.png.map(|(path, w, h)| (Blob::Cached(path), w, h)),
        cached: true,
    }
}

/// The world Typst compiles the task's template in, with its data and QR code.
fn item_world<'a>(task: &Task, tools: &Tools<'a>) -> Result<ItemWorld<'a>, Vec<Diagnostic>> {
    let main = world::file_id(&format!("/{}.typ", task.job.template)).ok_or_else(|| {
        vec![Diagnostic::error(
            Stage::Print,
            format!("`{}` is not a template name", task.job.template),
        )]
    })?;
    Ok(ItemWorld {
        templates: tools.templates,
        book: tools.book,
        fonts: &tools.fonts.store,
        main,
        data: Bytes::new(task.data.clone()),
        qr: Bytes::new(task.qr.clone()),
    })
}

/// How Typst writes the task's PDF: the standards it meets, and a document id and date that
/// come from the input alone.
fn pdf_options(site: &Site, task: &Task, tools: &Tools) -> Result<PdfOptions, Vec<Diagnostic>> {
    let page = &site.pages[task.job.page];
    let standards = PdfStandards::new(tools.standards).map_err(|err| {
        vec![Diagnostic::error(
            Stage::Print,
            format!(
                "cannot combine the PDF standards {:?}: {}",
                tools.settings.standards,
                err.message()
            ),
        )]
    })?;
    Ok(PdfOptions {
        ident: Smart::Custom(match task.practice {
            Some(p) => format!(
                "{}-{}-{}",
                page.file,
                task.paper.name(),
                site.practices[p].slug
            ),
            None => format!("{}-{}", page.file, task.paper.name()),
        }),
        creator: Smart::Auto,
        timestamp: timestamp(page),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    })
}

/// The date the PDF says it was made: the content's own (`updated`, else `date`), never the
/// clock, so that the same input gives the same bytes.
fn timestamp(page: &Page) -> Option<Timestamp> {
    let date = page.front.updated.as_ref().or(page.front.date.as_ref());
    date.and_then(|d| {
        let s = d.as_str();
        let year = s.get(0..4)?.parse().ok()?;
        let month = s.get(5..7)?.parse().ok()?;
        let day = s.get(8..10)?.parse().ok()?;
        Datetime::from_ymd(year, month, day).map(Timestamp::new_utc)
    })
}

/// The PDF and preview as the output gets them: files in the cache where they could be stored
/// there, else the bytes themselves.
fn store(
    entry: Option<&Entry>,
    pdf: Vec<u8>,
    png: Option<(Vec<u8>, u32, u32)>,
    problems: &[Problem],
) -> (Blob, Option<(Blob, u32, u32)>) {
    // Once stored, an item is read back from the cache when the output is written: a
    // practices.yaml of a hundred practices makes thousands of PDFs, too many to hold.
    let stored = entry.and_then(|e| e.put(&pdf, png.as_ref(), problems));
    match stored {
        Some((pdf_path, png_path)) => (
            Blob::Cached(pdf_path),
            png.zip(png_path)
                .map(|((_, w, h), path)| (Blob::Cached(path), w, h)),
        ),
        None => (
            Blob::Bytes(pdf),
            png.map(|(png, w, h)| (Blob::Bytes(png), w, h)),
        ),
    }
}

/// The PDF with fillable fields where the template marked the practice's boxes, when the theme
/// names a font for them.
fn with_fields(
    site: &Site,
    task: &Task,
    document: &PagedDocument,
    tools: &Tools,
    pdf: Vec<u8>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let Some(font) = &tools.fonts.form_font else {
        return Ok(pdf);
    };
    let fields = super::forms::fields(document);
    if fields.is_empty() {
        return Ok(pdf);
    }
    let lang = site.pages[task.job.page].lang;
    let label = |name: &str| item::field_label(site, lang, name);
    super::forms::add(&pdf, &fields, &label, font).map_err(|err| {
        vec![Diagnostic::error(
            Stage::Print,
            format!(
                "cannot add the fillable fields to the {} PDF of {}: {err}",
                task.paper.name(),
                site.pages[task.job.page].file
            ),
        )]
    })
}

/// Page 1 as a PNG, `PREVIEW_WIDTH` wide, and its size in pixels.
fn preview(page: &typst_layout::Page) -> Option<(Vec<u8>, u32, u32)> {
    let width = page.frame.width().to_pt() as f32;
    let scale = if width > 0.0 {
        PREVIEW_WIDTH / width
    } else {
        1.0
    };
    let pixmap = typst_render::render(
        page,
        &typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(f64::from(scale)),
            render_bleed: false,
        },
    );
    let (w, h) = (pixmap.width(), pixmap.height());
    pixmap.encode_png().ok().map(|png| (png, w, h))
}
