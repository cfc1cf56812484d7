//! What templates get about printable items: previews, downloads and each language's ZIP.

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use super::value;
use crate::content::TranslationStatus;
use crate::print::{Printed, human_size};
use crate::site::{PageId, Site};

#[derive(Serialize)]
struct DownloadFields<'a> {
    paper: &'a str,
    url: String,
    size: String,
}

#[derive(Serialize)]
struct PreviewFields<'a> {
    url: String,
    paper: &'a str,
    width: u32,
    height: u32,
}

#[derive(Serialize)]
struct PrintVersion<'a> {
    /// The item's translation group: the same in every language.
    group: &'a str,
    lang: &'a str,
    name: &'a str,
    /// The language's name in the default language, where site.yaml gives one.
    default_name: Option<&'a str>,
    dir: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    current: bool,
    translation: Option<TranslationStatus>,
    preview: Option<PreviewFields<'a>>,
    downloads: Vec<DownloadFields<'a>>,
}

/// A size such as "212 KB" kept in one left-to-right piece inside right-to-left text (without
/// the isolate marks an Arabic sentence shows "KB 212").
pub(super) fn isolated(text: String) -> String {
    format!("\u{2066}{text}\u{2069}")
}

fn print_version<'a>(
    site: &'a Site,
    printed: &'a Printed,
    id: PageId,
    current: PageId,
) -> PrintVersion<'a> {
    let page = &site.pages[id];
    let language = site.config.language(page.lang);
    let downloads = printed
        .downloads
        .get(&id)
        .map(|list| {
            list.iter()
                .map(|d| DownloadFields {
                    paper: d.paper,
                    url: site.config.url(&d.path),
                    size: isolated(human_size(d.size)),
                })
                .collect()
        })
        .unwrap_or_default();
    PrintVersion {
        group: &page.key,
        lang: &language.code,
        name: &language.name,
        default_name: language.default_name.as_deref(),
        dir: language.dir.as_str(),
        title: &page.front.title,
        description: page.front.description.as_deref(),
        url: site.url(id),
        current: id == current,
        translation: page.front.translation,
        preview: printed.previews.get(&id).map(|p| PreviewFields {
            url: site.config.url(&p.path),
            paper: p.paper,
            width: p.width,
            height: p.height,
        }),
        downloads,
    }
}

/// What templates get about printable items: per version, the item's downloads in every
/// language; per language, every item printable in it.
pub(super) fn print_values(site: &Site, printed: &Printed) -> (HashMap<PageId, Value>, Vec<Value>) {
    let mut items: Vec<PageId> = printed.downloads.keys().copied().collect();
    items.sort_by_key(|&id| {
        (
            site.pages[id].front.weight.unwrap_or(i64::MAX),
            site.pages[id].key.clone(),
            id,
        )
    });
    let per_page = items
        .iter()
        .map(|&id| {
            let versions: Vec<PrintVersion> = site
                .versions(id)
                .iter()
                .flatten()
                .filter(|v| printed.downloads.contains_key(v))
                .map(|&v| print_version(site, printed, v, id))
                .collect();
            let mut map = value(&print_version(site, printed, id, id))
                .into_map()
                .unwrap_or_default();
            map.insert("versions".into(), value(&versions));
            (id, Value::from(map))
        })
        .collect();
    let per_language = site
        .config
        .language_ids()
        .map(|lang| {
            let list: Vec<PrintVersion> = items
                .iter()
                .filter(|&&id| site.pages[id].lang == lang)
                .map(|&id| print_version(site, printed, id, id))
                .collect();
            value(&list)
        })
        .collect();
    (per_page, per_language)
}

/// Per language, its ZIP of PDFs (`print_zip`), naming the language it holds; none where the
/// language has no printable item.
pub(super) fn zip_values(site: &Site, printed: &Printed) -> Vec<Value> {
    let config = &site.config;
    printed
        .zips
        .iter()
        .map(|zip| {
            zip.as_ref().map_or_else(Value::none, |z| {
                value(&DownloadFields {
                    paper: z.paper,
                    url: config.url(&z.path),
                    size: isolated(human_size(z.size)),
                })
            })
        })
        .zip(&config.languages)
        .map(|(zip, language)| {
            // The print pack names the language its ZIP holds.
            let mut map = zip.into_map().unwrap_or_default();
            if map.is_empty() {
                return Value::none();
            }
            map.insert("language".into(), Value::from(language.name.as_str()));
            Value::from(map)
        })
        .collect()
}

/// Every language's printable items and ZIP, for the default language's print pack: the one
/// page where a practice finds everything in every language (`print_hub`). Languages without
/// any item are left out.
pub(super) fn hub_value(site: &Site, printables: &[Value], zips: &[Value]) -> Value {
    let hub: Vec<Value> = site
        .config
        .each_language()
        .filter(|(lang, _)| printables[*lang].len().is_some_and(|n| n > 0))
        .map(|(lang, language)| {
            let mut map = tera::Map::new();
            map.insert("code".into(), Value::from(language.code.as_str()));
            map.insert("name".into(), Value::from(language.name.as_str()));
            map.insert(
                "default_name".into(),
                language
                    .default_name
                    .as_deref()
                    .map_or_else(Value::none, Value::from),
            );
            map.insert("dir".into(), Value::from(language.dir.as_str()));
            map.insert("zip".into(), zips[lang].clone());
            map.insert("items".into(), printables[lang].clone());
            Value::from(map)
        })
        .collect();
    value(&hub)
}
