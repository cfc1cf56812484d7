//! Which pages are printable items, in which languages and on which paper, and the data each
//! print template is given.

use serde_json::{Value, json};

use crate::config::LangId;
use crate::content::{Page, PrintFront};
use crate::diagnostics::{Diagnostic, Stage};
use crate::i18n::Lookup;
use crate::limits;
use crate::markdown::Rendered;
use crate::site::{PageId, Site};

use super::fonts::Fonts;
use super::world::PrintTemplates;

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
    /// The page the QR code opens, in this version's language where it has one, and the
    /// heading there; the item's own page when nothing names another.
    pub qr: (PageId, Option<String>),
    /// Whether the item has a row for every language (`print.all_languages`).
    pub all_languages: bool,
}

/// Where a QR code's target was written, for errors about it.
enum QrSource<'a> {
    Page(&'a Page),
    SiteYaml,
}

/// The page (and heading) the QR code of `page`'s item opens: its own `print.qr`, its
/// original's, or site.yaml's, resolved in the page's language along its fallback chain.
fn qr_target(
    site: &Site,
    id: PageId,
    original: PageId,
    rendered: &[Rendered],
) -> Result<(PageId, Option<String>), Diagnostic> {
    let page = &site.pages[id];
    let own = |p: &'_ Page| p.front.print.as_ref().and_then(|f| f.qr.clone());
    let (link, source) = match (own(page), own(&site.pages[original])) {
        (Some(link), _) => (link, QrSource::Page(page)),
        (None, Some(link)) => (link, QrSource::Page(&site.pages[original])),
        (None, None) => match &site.config.print.qr {
            Some(link) => (link.clone(), QrSource::SiteYaml),
            None => return Ok((id, None)),
        },
    };
    let error = |message: String, help: &str| match &source {
        QrSource::Page(p) => p
            .error_at_key(Stage::Print, "  qr", message)
            .with_help(help),
        QrSource::SiteYaml => super::problems::in_site_yaml(site, "qr:", message).with_help(help),
    };
    let parsed = match crate::links::parse_internal(&link, &site.config) {
        Some(Ok(parsed)) => parsed,
        Some(Err(why)) => {
            return Err(error(
                why,
                "write an @/ link such as @/patients/right-to-register.md",
            ));
        }
        None => {
            return Err(error(
                format!("`{link}` is not a link to a page of the site"),
                "QR codes open this site's pages: write an @/ link such as @/patients/right-to-register.md",
            ));
        }
    };
    let target = match parsed.lang {
        Some(lang) => site.groups.get(&parsed.key).and_then(|v| v[lang]),
        None => site.find(&parsed.key, page.lang),
    };
    let Some(target) = target else {
        return Err(error(
            format!("the QR code's page `{link}` does not exist"),
            "name a page under content/, such as @/patients/right-to-register.md",
        ));
    };
    let anchor = parsed.anchor.map(str::to_owned);
    if let Some(anchor) = &anchor
        && rendered
            .get(target.index())
            .is_some_and(|r| !r.ids.contains(anchor))
    {
        return Err(error(
            format!(
                "{} has no heading with the id `{anchor}`, which the QR code opens",
                site.pages[target].file
            ),
            "give the heading a fixed id in every language, such as ## Interpreters {#interpreters}",
        ));
    }
    Ok((target, anchor))
}

/// Every printable item's jobs, one per language version, and the problems with the pages'
/// print settings, in page order.
pub fn plan(
    site: &Site,
    templates: &PrintTemplates,
    rendered: &[Rendered],
) -> (Vec<Job>, Vec<Diagnostic>) {
    let mut jobs = Vec::new();
    let mut diagnostics = Vec::new();
    for id in site.page_ids() {
        if let Some(job) = job(site, templates, rendered, id, &mut diagnostics) {
            jobs.push(job);
        }
    }
    (jobs, diagnostics)
}

/// The print settings of page `id`, taking what a translation leaves out from its original;
/// none for a page that is not printable, or whose settings are wrong (said in `diagnostics`).
fn job(
    site: &Site,
    templates: &PrintTemplates,
    rendered: &[Rendered],
    id: PageId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Job> {
    let page = &site.pages[id];
    let empty = PrintFront::default();
    // A translation of a printable page is printable too, even if it adds no texts of
    // its own (a leaflet's text is the page).
    let original = site.versions(id)[site.config.default_language].unwrap_or(id);
    let original_front = site.pages[original].front.print.as_ref();
    let front = match (&page.front.print, original_front) {
        (Some(front), _) => front,
        (None, Some(_)) => &empty,
        (None, None) => return None,
    };
    if original != id && original_front.is_none() {
        diagnostics.push(original_not_printable(page, &site.pages[original].file));
        return None;
    }
    let too_long = too_long_texts(page, front, page.body());
    if !too_long.is_empty() {
        diagnostics.extend(too_long);
        return None;
    }
    let template = front
        .template
        .as_ref()
        .or(original_front.and_then(|o| o.template.as_ref()));
    let template = match known_template(site, templates, page, template) {
        Ok(template) => template,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let formats = front
        .formats
        .as_ref()
        .or(original_front.and_then(|o| o.formats.as_ref()));
    let papers = papers(page, formats, diagnostics);
    if papers.is_empty() {
        return None;
    }
    let qr = match qr_target(site, id, original, rendered) {
        Ok(qr) => qr,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    Some(Job {
        page: id,
        original,
        template: template.clone(),
        papers,
        qr,
        all_languages: front.all_languages || original_front.is_some_and(|o| o.all_languages),
    })
}

/// The error for a translation with `print:` whose original (the file `source`) has none: an
/// item is printable from its original on, never from a translation alone.
fn original_not_printable(page: &Page, source: &str) -> Diagnostic {
    page.error_at_key(
        Stage::Print,
        "print",
        format!("this translation has `print:`, but its original {source} has none"),
    )
    .with_help(format!(
        "a translation is printed only if its original is: add `print:` back to \
         {source}, or remove it from this file"
    ))
}

/// The print template `page` names (or its original does), if the theme has it.
fn known_template<'a>(
    site: &Site,
    templates: &PrintTemplates,
    page: &Page,
    template: Option<&'a String>,
) -> Result<&'a String, Diagnostic> {
    let Some(template) = template else {
        return Err(page
            .error_at_key(
                Stage::Print,
                "print",
                "this printable item names no print template",
            )
            .with_help(format!(
                "add `template:` under `print:`, one of: {}",
                templates.names().join(", ")
            )));
    };
    if !templates.has(template) {
        return Err(page
            .error_at_key(
                Stage::Print,
                "  template",
                format!("the theme has no print template `{template}`"),
            )
            .with_help(format!(
                "{}use one of: {} (files in themes/{}/print/)",
                crate::suggest::did_you_mean(
                    template,
                    templates.names().iter().map(String::as_str)
                ),
                templates.names().join(", "),
                site.config.theme
            )));
    }
    Ok(template)
}

/// The papers `formats` names, each once and in its order (A4 when it names none). A name
/// that is no paper is an error in `diagnostics`, but the item still prints on the others.
fn papers(
    page: &Page,
    formats: Option<&Vec<String>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Paper> {
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
    papers
}

/// The language chart's rows: every language but the default one whose own strings (or a
/// language of its chain before the default) have `print_chart_row`, which each language words
/// for itself. A language without it has no row yet: an English sentence would be wrong there.
pub fn chart_rows(site: &Site) -> Vec<(LangId, String)> {
    site.config
        .language_ids()
        .filter(|&lang| lang != site.config.default_language)
        .filter_map(|lang| match site.strings.get(lang, "print_chart_row") {
            Lookup::Found(text) => Some((lang, text.to_owned())),
            Lookup::FellBack(_) | Lookup::Unknown => None,
        })
        .collect()
}

/// What a fillable field asks for, in `lang`: the label printed beside it, which viewers and
/// screen readers also give for the field.
pub fn field_label(site: &Site, lang: LangId, field: &str) -> String {
    string(site, lang, &format!("print_{field}"))
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
    fonts: &Fonts,
) -> Data {
    let page = &site.pages[job.page];
    let empty = PrintFront::default();
    let front = page.front.print.as_ref().unwrap_or(&empty);
    let (url, short_url) = addresses(site, job);
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
    let mut json = json!({
        "item": item,
        "original": english,
        "paper": paper.name().to_ascii_lowercase(),
        "bleed_mm": bleed_mm,
        "site": site.config.title,
        "url": url,
        "short_url": short_url,
        "draft": page.front.translation == Some(crate::content::TranslationStatus::Draft),
        "body": super::blocks::from_markdown(page.body()),
        // A code that would open an example or test address must not be put up as if real.
        "sample": site.config.placeholder_host().is_some(),
        "logo": site
            .config
            .print
            .logo
            .as_deref()
            .and_then(crate::config::logo_extension)
            .map(super::world::logo_path),
        "strings": strings(site, page.lang),
    });
    if job.all_languages {
        json["languages"] = chart_languages(site, fonts);
    }
    Data { json, url }
}

/// The address the QR code holds, and the one printed beside it. The code opens the heading;
/// the printed address, for typing, stays short.
fn addresses(site: &Site, job: &Job) -> (String, String) {
    let (target, anchor) = &job.qr;
    let address = site.permalink(*target);
    let url = match anchor {
        Some(anchor) => format!("{address}#{}", crate::text::percent_encode_fragment(anchor)),
        None => address.clone(),
    };
    let short_url = address
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    (url, short_url)
}

/// The interface strings templates print, in `lang`.
fn strings(site: &Site, lang: LangId) -> Value {
    json!({
        "practice_name": string(site, lang, "print_practice_name"),
        "practice_address": string(site, lang, "print_practice_address"),
        "practice_phone": string(site, lang, "print_practice_phone"),
        "scan": string(site, lang, "print_scan"),
        "card_english": string(site, lang, "print_card_english"),
        "draft": string(site, lang, "draft_badge"),
        "scope": string(site, lang, "print_scope"),
        "sources": string(site, lang, "print_sources"),
        "chart_title": string(site, lang, "print_chart_title"),
        "sample": string(site, lang, "print_sample"),
        "owner": string(site, lang, "print_owner").replace(
            "{owner}",
            site.config.print.owner.as_deref().unwrap_or(&site.config.title),
        ),
    })
}

/// The language chart's rows, each with what Typst needs to set it in its own language and
/// fonts.
fn chart_languages(site: &Site, fonts: &Fonts) -> Value {
    chart_rows(site)
        .into_iter()
        .map(|(lang, text)| {
            let language = site.config.language(lang);
            json!({
                "lang": language.code,
                "typst_lang": typst_lang(&language.code),
                "typst_region": crate::locale::region(&language.code),
                "dir": language.dir.as_str(),
                "fonts": fonts.stack(&language.code),
                "name": language.name,
                "default_name": language.default_name,
                "text": text,
            })
        })
        .collect()
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
                        | "languages"
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

/// The printed texts of a page longer than any poster, leaflet or card holds. Here, not in
/// `limits`, so that the limits depend on no stage.
fn too_long_texts(page: &Page, front: &PrintFront, body: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let fields = front
        .headline
        .iter()
        .map(|t| ("  headline", t))
        .chain(front.points.iter().map(|t| ("  points", t)))
        .chain(front.action.iter().map(|t| ("  action", t)));
    for (key, text) in fields {
        let length = text.chars().count();
        if length > limits::PRINT_FIELD_CHARS {
            found.push(
                page.error_at_key(
                    Stage::Print,
                    key,
                    format!(
                        "this printed text is {} characters long; each headline, point or \
                         action may be at most {}",
                        crate::text::thousands(length),
                        crate::text::thousands(limits::PRINT_FIELD_CHARS)
                    ),
                )
                .with_help("shorten it: a poster or card is read from across a room"),
            );
        }
    }
    let length = body.chars().count();
    if length > limits::PRINT_BODY_CHARS {
        found.push(
            Diagnostic::error(
                Stage::Print,
                format!(
                    "this printable page's text is {} characters long; a printed page may hold \
                     at most {}",
                    crate::text::thousands(length),
                    crate::text::thousands(limits::PRINT_BODY_CHARS)
                ),
            )
            .at(&page.file, Some(&page.source), page.body_line, 1)
            .with_help("shorten the text, or split it into several leaflets"),
        );
    }
    found
}
