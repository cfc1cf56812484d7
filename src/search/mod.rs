//! Search: one index per language, built with the site and queried in the browser.
//!
//! Per language the build writes `{prefix}search/index.json` (see [`index`]) and, from the
//! theme's `search.html`, the page `{prefix}search/index.html` whose script (the theme's
//! `static/js/search.js`) loads that index from the same site and ranks pages in the browser:
//! no server, no request to another host, no WebAssembly (which a `default-src 'self'`
//! Content-Security-Policy would have to allow with `'wasm-unsafe-eval'`). A theme without
//! `search.html` gets neither: an index nothing reads would be dead weight.

pub mod index;
pub mod text;
pub mod tokens;

use rayon::prelude::*;
use tera::Value;

use crate::config::LangId;
use crate::diagnostics::{Diagnostic, Stage};
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::paths;
use crate::site::{PageId, Site};
use crate::templates::Templates;
use crate::templates::context::Shared;

/// The theme template of the search pages.
pub const TEMPLATE: &str = "search.html";

/// Whether the theme has search pages, and so the site gets indexes.
pub fn enabled(templates: &Templates) -> bool {
    templates.has(TEMPLATE)
}

/// Language `lang`'s index, from every page in it.
pub fn index_json(site: &Site, rendered: &[Rendered], lang: LangId) -> String {
    index_of(site, rendered, lang, |id| Some(site.url(id)))
}

/// Language `lang`'s index of the pages `url` gives an address for (the offline copy's pages,
/// by their file names there).
pub fn index_of(
    site: &Site,
    rendered: &[Rendered],
    lang: LangId,
    url: impl Fn(PageId) -> Option<String>,
) -> String {
    let pages: Vec<index::Page> = site
        .pages
        .iter()
        .enumerate()
        .map(|(id, page)| (PageId(id), page))
        .filter(|(_, page)| page.lang == lang)
        .filter_map(|(id, page)| Some((id, page, url(id)?)))
        .map(|(id, page, url)| index::Page {
            title: &page.front.title,
            url,
            description: page.front.description.as_deref(),
            html: rendered.get(id.index()).map_or("", |r| r.html.as_str()),
            more: page.front.print.as_ref().map_or_else(String::new, |print| {
                let mut texts: Vec<&str> = print.headline.iter().map(String::as_str).collect();
                texts.extend(print.points.iter().map(String::as_str));
                texts.extend(print.action.as_deref());
                texts.join("\n")
            }),
        })
        .collect();
    index::build(&site.config.language(lang).code, &pages)
}

/// The indexes of languages `langs`, as output paths and bytes: what watch mode writes again
/// after editing page bodies in those languages.
pub fn indexes(
    site: &Site,
    rendered: &[Rendered],
    langs: impl IntoIterator<Item = LangId>,
) -> Vec<(String, Vec<u8>)> {
    let mut langs: Vec<LangId> = langs.into_iter().collect();
    langs.sort_unstable();
    langs.dedup();
    langs
        .into_par_iter()
        .map(|lang| {
            (
                paths::search_index(site.config.language(lang)),
                index_json(site, rendered, lang).into_bytes(),
            )
        })
        .collect()
}

/// Language `lang`'s search page: the theme's `search.html` with the context of the 404 page
/// and `search_index`, the URL of the language's index, and the values `extra` (the offline
/// copy's `offline_copy`).
pub fn page(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    lang: LangId,
    extra: &[(&'static str, &Value)],
) -> Result<Vec<u8>, Diagnostic> {
    let mut context = shared.base(site, lang);
    for (name, value) in extra {
        context.insert_value(*name, (*value).clone());
    }
    context.insert_value(
        "search_index",
        Value::from(
            site.config
                .url(&paths::search_index(site.config.language(lang))),
        ),
    );
    let mut html = Vec::with_capacity(8 * 1024);
    templates.render(TEMPLATE, &context, &mut html)?;
    Ok(html)
}

/// Writes every language's index and search page, when the theme has a search page.
pub fn write(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    rendered: &[Rendered],
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    if !enabled(templates) {
        return Vec::new();
    }
    let languages: Vec<LangId> = site.config.language_ids().collect();
    let mut diagnostics: Vec<Diagnostic> = languages
        .par_iter()
        .flat_map_iter(|&lang| {
            let mut found = Vec::new();
            let index = paths::search_index(site.config.language(lang));
            if let Err(err) = sink.write(&index, index_json(site, rendered, lang).as_bytes()) {
                found.push(crate::output::write_error(&index, &err));
            }
            let path = paths::page_file(&paths::search_folder(site.config.language(lang)));
            match page(site, templates, shared, lang, &[]) {
                Ok(html) => {
                    if let Err(err) = sink.write(&path, &html) {
                        found.push(crate::output::write_error(&path, &err));
                    }
                }
                Err(d) => found.push(d),
            }
            found
        })
        .collect();
    // One template mistake fails every language's page alike: report it once.
    diagnostics.dedup_by_key(|d| d.to_string());
    diagnostics
}

/// Pages, redirects or files of the site at a search page's place, which would be overwritten:
/// checked with the templates, before anything is rendered.
pub fn clashes(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    if !enabled(templates) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for lang in site.config.language_ids() {
        let language = site.config.language(lang);
        let folder = paths::search_folder(language);
        let (page_file, index) = (paths::page_file(&folder), paths::search_index(language));
        let taken = |path: &str| path == page_file || path == index;
        let page = site.places.iter().position(|p| p.path == folder);
        let alias = site.aliases.iter().find(|(path, _)| taken(path));
        let asset = site.assets.iter().find(|(_, path)| taken(path));
        let what = match (page, alias, asset) {
            (Some(id), _, _) => site.pages[id].file.clone(),
            (_, Some((_, target)), _) => format!("an alias of {}", site.pages[*target].file),
            (_, _, Some((asset, _))) => format!("content/{}", asset.rel),
            _ => continue,
        };
        found.push(
            Diagnostic::error(
                Stage::Output,
                format!("{what} is at /{folder}, where the theme's search page goes"),
            )
            .with_help(format!(
                "give it another slug or move it: the theme `{}` writes its search page and \
                 index at {folder} in every language",
                site.config.theme
            )),
        );
    }
    found
}
