//! Which pages are printable items, in which languages and on which paper, and the data each
//! print template is given.

use serde_json::{Value, json};

use crate::config::LangId;
use crate::content::{Page, PrintFront};
use crate::diagnostics::{Diagnostic, Stage};
use crate::i18n::Lookup;
use crate::site::{PageId, Site};

use super::world::Templates;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Paper {
    A3,
    A4,
    A5,
}

impl Paper {
    pub const ALL: [Paper; 3] = [Paper::A3, Paper::A4, Paper::A5];

    pub fn name(self) -> &'static str {
        match self {
            Paper::A3 => "A3",
            Paper::A4 => "A4",
            Paper::A5 => "A5",
        }
    }

    fn parse(text: &str) -> Option<Paper> {
        Paper::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(text.trim()))
    }
}

/// One language version of a printable item.
#[derive(Debug, Clone)]
pub struct Job {
    pub page: PageId,
    /// The version in the default language, whose template and papers translations share.
    pub original: PageId,
    pub template: String,
    pub papers: Vec<Paper>,
}

/// The print settings of `page`, taking what a translation leaves out from its original.
pub fn plan(site: &Site, templates: &Templates) -> (Vec<Job>, Vec<Diagnostic>) {
    let mut jobs = Vec::new();
    let mut diagnostics = Vec::new();
    let empty = PrintFront::default();
    for (id, page) in site.pages.iter().enumerate() {
        // A translation of a printable page is printable too, even if it adds no texts of
        // its own (a leaflet's text is the page).
        let original = site.versions(id)[site.config.default_language].unwrap_or(id);
        let original_front = site.pages[original].front.print.as_ref();
        let front = match (&page.front.print, original_front) {
            (Some(front), _) => front,
            (None, Some(_)) => &empty,
            (None, None) => continue,
        };
        let template = front
            .template
            .as_ref()
            .or(original_front.and_then(|o| o.template.as_ref()));
        let formats = front
            .formats
            .as_ref()
            .or(original_front.and_then(|o| o.formats.as_ref()));
        let Some(template) = template else {
            diagnostics.push(
                page.error_at_key(
                    Stage::Print,
                    "print",
                    "this printable item names no print template",
                )
                .with_help(format!(
                    "add `template:` under `print:`, one of: {}",
                    templates.names().join(", ")
                )),
            );
            continue;
        };
        if !templates.has(template) {
            diagnostics.push(
                page.error_at_key(
                    Stage::Print,
                    "  template",
                    format!("the theme has no print template `{template}`"),
                )
                .with_help(format!(
                    "use one of: {} (files in themes/{}/print/)",
                    templates.names().join(", "),
                    site.config.theme
                )),
            );
            continue;
        }
        let names = formats.cloned().unwrap_or_else(|| vec!["A4".into()]);
        let mut papers = Vec::new();
        for name in &names {
            match Paper::parse(name) {
                Some(paper) if !papers.contains(&paper) => papers.push(paper),
                Some(_) => {}
                None => diagnostics.push(
                    page.error_at_key(
                        Stage::Print,
                        "  formats",
                        format!("`{name}` is not a paper size this tool prints"),
                    )
                    .with_help("use A3, A4 or A5"),
                ),
            }
        }
        if papers.is_empty() {
            continue;
        }
        jobs.push(Job {
            page: id,
            original,
            template: template.clone(),
            papers,
        });
    }
    (jobs, diagnostics)
}

/// An interface string in `lang`, for text printed on the item.
fn string(site: &Site, lang: LangId, key: &str) -> String {
    match site.strings.get(lang, key) {
        Lookup::Found(text) | Lookup::FellBack(text) => text.to_owned(),
        Lookup::Unknown => String::new(),
    }
}

/// The texts of one language version, as templates see them.
fn texts(site: &Site, page: &Page, front: &PrintFront) -> Value {
    let language = site.config.language(page.lang);
    json!({
        "lang": language.code,
        "typst_lang": typst_lang(&language.code),
        "typst_region": crate::locale::region(&language.code),
        "dir": language.dir.as_str(),
        "title": page.front.title,
        "headline": front.headline.as_deref().unwrap_or(&page.front.title),
        "points": front.points,
        "action": front.action,
    })
}

/// Typst wants an ISO 639 code; the script or region part of the tag is not its business.
pub fn typst_lang(code: &str) -> String {
    code.split('-').next().unwrap_or(code).to_ascii_lowercase()
}

pub struct Data {
    pub json: Value,
    /// The page's address: what the QR code holds.
    pub url: String,
}

/// Everything the template gets for one version on one paper.
pub fn data(
    site: &Site,
    job: &Job,
    paper: Paper,
    stacks: (&[String], &[String]),
    bleed_mm: f64,
) -> Data {
    let page = &site.pages[job.page];
    let empty = PrintFront::default();
    let front = page.front.print.as_ref().unwrap_or(&empty);
    let url = site.permalink(job.page);
    let short_url = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut item = texts(site, page, front);
    let original = &site.pages[job.original];
    let english = (job.original != job.page).then(|| {
        let mut t = texts(
            site,
            original,
            original.front.print.as_ref().unwrap_or(&empty),
        );
        t["fonts"] = json!(stacks.1);
        t
    });
    item["fonts"] = json!(stacks.0);
    let lang = page.lang;
    let json = json!({
        "item": item,
        "original": english,
        "paper": paper.name().to_ascii_lowercase(),
        "bleed_mm": bleed_mm,
        "site": site.config.title,
        "url": url,
        "short_url": short_url,
        "draft": page.front.translation == Some(crate::content::TranslationStatus::Draft),
        "body": super::blocks::from_markdown(page.body()),
        "strings": {
            "practice_name": string(site, lang, "print_practice_name"),
            "scan": string(site, lang, "print_scan"),
            "card_english": string(site, lang, "print_card_english"),
            "draft": string(site, lang, "draft_badge"),
        },
    });
    Data { json, url }
}

/// Every piece of text in `value` that will be printed (object keys and settings aside).
pub fn printed_text(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|v| printed_text(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                if !matches!(
                    key.as_str(),
                    "lang"
                        | "typst_lang"
                        | "typst_region"
                        | "dir"
                        | "fonts"
                        | "paper"
                        | "kind"
                        | "t"
                        | "classes"
                        | "url"
                ) {
                    printed_text(v, out);
                }
            }
        }
        _ => {}
    }
}
