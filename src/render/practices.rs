//! The practices' pages: `/practices/`, listing them, and `/practices/<slug>/`, each with its
//! own print pack in every language it asked for, rendered with the theme's `practices.html`
//! and `practice.html` in the default language (they are for practice staff).

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Stage};
use crate::output::Sink;
use crate::print::{Printed, human_size};
use crate::site::Site;
use crate::templates::Templates;
use crate::templates::context::Shared;

const PAGE: &str = "practice.html";
const INDEX: &str = "practices.html";

#[derive(Serialize)]
struct Download<'a> {
    paper: &'a str,
    url: String,
    size: String,
}

#[derive(Serialize)]
struct Item<'a> {
    title: &'a str,
    url: String,
    downloads: Vec<Download<'a>>,
}

#[derive(Serialize)]
struct Language<'a> {
    code: &'a str,
    name: &'a str,
    default_name: Option<&'a str>,
    dir: &'a str,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct PracticeFields<'a> {
    name: &'a str,
    url: String,
    address: &'a [String],
    phone: Option<&'a str>,
    hours: Option<&'a str>,
    zip: Option<Download<'a>>,
    languages: Vec<Language<'a>>,
}

fn fields<'a>(site: &'a Site, printed: &'a Printed, p: usize) -> PracticeFields<'a> {
    let practice = &site.practices[p];
    let pack = &printed.practices[p];
    let download = |d: &'a crate::print::Download| Download {
        paper: d.paper,
        url: site.config.url(&d.path),
        size: format!("\u{2066}{}\u{2069}", human_size(d.size)),
    };
    let languages = practice
        .languages
        .iter()
        .map(|&lang| {
            let language = site.config.language(lang);
            let mut items: Vec<Item> = Vec::new();
            for (page, d) in pack
                .downloads
                .iter()
                .filter(|(id, _)| site.pages[*id].lang == lang)
            {
                match items.iter_mut().find(|i| i.url == site.url(*page)) {
                    Some(item) => item.downloads.push(download(d)),
                    None => items.push(Item {
                        title: &site.pages[*page].front.title,
                        url: site.url(*page),
                        downloads: vec![download(d)],
                    }),
                }
            }
            Language {
                code: &language.code,
                name: &language.name,
                default_name: language.default_name.as_deref(),
                dir: language.dir.as_str(),
                items,
            }
        })
        .filter(|l| !l.items.is_empty())
        .collect();
    PracticeFields {
        name: &practice.name,
        url: site
            .config
            .url(&crate::paths::practice_folder(&practice.slug)),
        address: &practice.address,
        phone: practice.phone.as_deref(),
        hours: practice.hours.as_deref(),
        zip: pack.zip.as_ref().map(download),
        languages,
    }
}

/// Writes the practices' pages, when the site has practices.
pub fn write(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    printed: &Printed,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    if site.practices.is_empty() {
        return Vec::new();
    }
    let missing: Vec<&str> = [INDEX, PAGE]
        .into_iter()
        .filter(|t| !templates.has(t))
        .collect();
    if !missing.is_empty() {
        return vec![
            Diagnostic::error(
                Stage::Templates,
                format!(
                    "{} lists practices, but the theme has no {}",
                    crate::practices::FILE,
                    missing.join(" or ")
                ),
            )
            .with_help(format!(
                "add the templates to themes/{}/templates/, or remove {}",
                site.config.theme,
                crate::practices::FILE
            )),
        ];
    }
    let lang = site.config.default_language;
    let all: Vec<PracticeFields> = (0..site.practices.len())
        .map(|p| fields(site, printed, p))
        .collect();
    let mut diagnostics = Vec::new();
    let mut render = |template: &str, path: String, practice: Option<&PracticeFields>| {
        let mut context = shared.base(site, lang);
        context.insert_value("practices", crate::templates::context::value(&all));
        if let Some(practice) = practice {
            context.insert_value("practice", crate::templates::context::value(practice));
        }
        let mut html = Vec::with_capacity(16 * 1024);
        match templates.render(template, &context, &mut html) {
            Ok(()) => {
                if let Err(err) = sink.write(&path, &html) {
                    diagnostics.push(crate::output::write_error(&path, &err));
                }
            }
            Err(d) => diagnostics.push(d),
        }
    };
    render(
        INDEX,
        crate::paths::page_file(crate::paths::PRACTICES),
        None,
    );
    for (p, practice) in all.iter().enumerate() {
        let path = crate::paths::page_file(&crate::paths::practice_folder(&site.practices[p].slug));
        render(PAGE, path, Some(practice));
    }
    diagnostics.dedup_by_key(|d| d.to_string());
    diagnostics
}

/// Pages of the site at `/practices/`, which the practices' pages would overwrite.
pub fn clashes(site: &Site) -> Vec<Diagnostic> {
    if site.practices.is_empty() {
        return Vec::new();
    }
    site.places
        .iter()
        .enumerate()
        .filter(|(_, place)| place.path.starts_with(crate::paths::PRACTICES))
        .map(|(id, _)| {
            Diagnostic::error(
                Stage::Output,
                format!(
                    "{} is under /practices/, where the pages of {} go",
                    site.pages[id].file,
                    crate::practices::FILE
                ),
            )
            .with_help("move the page to another folder")
        })
        .collect()
}
