//! Each language's offline copy: its home page, the pages of site.yaml's `patient_sections` in
//! it, its search page, and what they need (stylesheets, scripts, the fonts its pages load, the
//! search index), in one ZIP file that works opened from disk (`file://`), for a community
//! worker's laptop or a phone with no data left.
//!
//! Pages sit side by side in one folder (`index.html`, `patients-right-to-register.html`) with
//! their files in folders below them: browsers that open files from disk refuse a page files
//! from folders above it (Firefox does), and no file:// address ends in a folder's
//! `index.html`. Links to anything else in the site become its full web address. The search
//! index is a script (`search-index.js`), since file:// pages cannot `fetch`.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Write};

use lol_html::{RewriteStrSettings, element, rewrite_str};
use serde::Serialize;

use crate::assets::{self, Stylesheet};
use crate::config::LangId;
use crate::diagnostics::{Diagnostic, Stage};
use crate::markdown::Rendered;
use crate::site::{PageId, Site};
use crate::templates::Templates;
use crate::templates::context::Shared;

/// One language's copy: where it is published and its bytes.
pub struct Copy {
    pub lang: LangId,
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What the copy's pages see as `offline_copy`.
#[derive(Serialize)]
struct CopyFields<'a> {
    /// The day the copy was made (`SOURCE_DATE_EPOCH`, where set, stands for the clock), kept
    /// left to right in one piece inside right-to-left text.
    date: &'a str,
}

/// The script the search page loads in a copy: the index, as a global.
const INDEX_SCRIPT: &str = "search-index.js";

/// Where language `lang`'s copy is published.
pub fn zip_path(site: &Site, lang: LangId) -> String {
    crate::paths::offline_zip(site.config.language(lang), &folder_name(site, lang))
}

/// The folder inside the ZIP, which unzipping makes: `safe-surgeries-ar`.
fn folder_name(site: &Site, lang: LangId) -> String {
    let title = crate::slug::slugify(&site.config.title);
    let title = if title.is_empty() {
        "site".to_owned()
    } else {
        title
    };
    format!(
        "{title}-{}",
        site.config.language(lang).code.to_ascii_lowercase()
    )
}

/// The pages of language `lang`'s copy, home first: none when the site names no patient
/// sections, or the language has no home page or no patient page of its own.
fn pages_of(site: &Site, lang: LangId) -> Vec<PageId> {
    let Some(home) = site.home(lang).filter(|&h| site.pages[h].lang == lang) else {
        return Vec::new();
    };
    let mut pages = vec![home];
    pages.extend(
        site.page_ids()
            .filter(|&id| site.pages[id].lang == lang && site.is_for_patients(id) && id != home),
    );
    if pages.len() == 1 {
        return Vec::new();
    }
    pages
}

/// Every language's copy. `statics` are the static files as (output path, source).
pub fn copies(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    rendered: &[Rendered],
    sheets: &[Stylesheet],
    statics: &[(String, std::path::PathBuf)],
) -> (Vec<Copy>, Vec<Diagnostic>) {
    let fonts: Vec<HashMap<String, Vec<String>>> =
        sheets.iter().map(assets::fonts_by_language).collect();
    let mut copies = Vec::new();
    let mut diagnostics = Vec::new();
    let today = format!("\u{2066}{}\u{2069}", crate::new::today());
    for lang in site.config.language_ids() {
        let pages = pages_of(site, lang);
        if pages.is_empty() {
            continue;
        }
        let code = &site.config.language(lang).code;
        let language_fonts = fonts
            .iter()
            .flat_map(|by_language| assets::fonts_for(by_language, code))
            .collect();
        match copy(
            site,
            templates,
            shared,
            rendered,
            Parts {
                lang,
                pages: &pages,
                sheets,
                statics,
                fonts: language_fonts,
                date: &today,
            },
        ) {
            Ok(bytes) => copies.push(Copy {
                lang,
                path: zip_path(site, lang),
                bytes,
            }),
            Err(d) => diagnostics.push(d),
        }
    }
    (copies, diagnostics)
}

struct Parts<'a> {
    lang: LangId,
    pages: &'a [PageId],
    sheets: &'a [Stylesheet],
    statics: &'a [(String, std::path::PathBuf)],
    fonts: Vec<String>,
    date: &'a str,
}

/// One language's copy as ZIP bytes: its pages and search page rendered and made to work from
/// disk, then the files they use and the fonts of its language.
fn copy(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    rendered: &[Rendered],
    parts: Parts,
) -> Result<Vec<u8>, Diagnostic> {
    let lang = parts.lang;
    let has_search = templates.has(crate::search::TEMPLATE);
    let names = names_of(site, &parts, has_search);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let assets = assets_of(&parts);
    let used = RefCell::new(Vec::new());
    let fields = tera::Value::from_serializable(&CopyFields { date: parts.date });
    let rewrite = |html: Vec<u8>| localize(&html, site, &names, &assets, &used);

    for &id in parts.pages {
        let mut context = shared.page(site, id, &rendered[id]);
        context.insert_value("offline_copy", fields.clone());
        let mut html = Vec::with_capacity(32 * 1024);
        templates.render(site.pages[id].template(), &context, &mut html)?;
        files.insert(names[&site.places[id].path].clone(), rewrite(html)?);
    }
    if has_search {
        let html =
            crate::search::page(site, templates, shared, lang, &[("offline_copy", &fields)])?;
        files.insert("search.html".to_owned(), rewrite(html)?);
        let index = crate::search::index_of(site, rendered, lang, |id| {
            names.get(&site.places[id].path).cloned()
        });
        files.insert(INDEX_SCRIPT.to_owned(), index_script(&index).into_bytes());
    }
    add_assets(&mut files, used.into_inner(), &parts.fonts, &assets)?;
    zip(&folder_name(site, lang), &files).map_err(|err| {
        Diagnostic::error(
            Stage::Output,
            format!(
                "cannot make the offline copy {}: {err}",
                zip_path(site, lang)
            ),
        )
    })
}

/// Site paths (from the base, as links name them) to the copy's file names: its pages, and
/// with `has_search` its search page and index.
fn names_of(site: &Site, parts: &Parts, has_search: bool) -> HashMap<String, String> {
    let language = site.config.language(parts.lang);
    let mut names: HashMap<String, String> = HashMap::new();
    for &id in parts.pages {
        names.insert(
            site.places[id].path.clone(),
            flat_name(&site.places[id].path, &language.prefix),
        );
    }
    if has_search {
        names.insert(
            crate::paths::search_folder(language),
            "search.html".to_owned(),
        );
        names.insert(
            crate::paths::search_index(language),
            INDEX_SCRIPT.to_owned(),
        );
    }
    names
}

/// The site's files a copy's page may use, by their paths: the stylesheets as built, and the
/// static files, read only if a page uses them.
fn assets_of<'a>(parts: &Parts<'a>) -> HashMap<&'a str, Asset<'a>> {
    parts
        .sheets
        .iter()
        .map(|s| (s.path.as_str(), Asset::Bytes(&s.bytes)))
        .chain(
            parts
                .statics
                .iter()
                .map(|(path, from)| (path.as_str(), Asset::File(from))),
        )
        .collect()
}

/// Puts into `files` the assets the pages `used`, then the language's `fonts` and, with them,
/// their licence.
fn add_assets(
    files: &mut BTreeMap<String, Vec<u8>>,
    used: Vec<String>,
    fonts: &[String],
    assets: &HashMap<&str, Asset>,
) -> Result<(), Diagnostic> {
    let mut wanted = used;
    wanted.extend(fonts.iter().cloned());
    if !fonts.is_empty() {
        // The fonts' licence travels with them.
        wanted.push("fonts/OFL.txt".to_owned());
    }
    for path in wanted {
        let bytes = match assets.get(path.as_str()) {
            Some(Asset::Bytes(bytes)) => bytes.to_vec(),
            Some(Asset::File(from)) => std::fs::read(from).map_err(|err| {
                Diagnostic::error(
                    Stage::Output,
                    format!("cannot read {} for the offline copy: {err}", from.display()),
                )
            })?,
            None => continue,
        };
        files.insert(path, bytes);
    }
    Ok(())
}

enum Asset<'a> {
    Bytes(&'a [u8]),
    File(&'a std::path::Path),
}

/// A page's file name in the copy: `index.html` for the language's home, else its path with
/// dashes (`patients-right-to-register.html`).
fn flat_name(path: &str, prefix: &str) -> String {
    let inside = path.strip_prefix(prefix).unwrap_or(path).trim_matches('/');
    if inside.is_empty() {
        "index.html".to_owned()
    } else {
        format!("{}.html", inside.replace('/', "-"))
    }
}

/// The index as a script that sets a global, which search.js reads when its index ends in
/// `.js`. (JSON is a JavaScript expression; U+2028 and U+2029 are escaped for older engines.)
fn index_script(json: &str) -> String {
    let json = json
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("window.safeSurgeriesSearchIndex = {json};\n")
}

/// The page with every link and file address made to work from the copy: the copy's own pages
/// and files by their names there, the rest of the site by its full web address. Names the
/// site's files it used in `used`.
fn localize(
    html: &[u8],
    site: &Site,
    names: &HashMap<String, String>,
    assets: &HashMap<&str, Asset>,
    used: &RefCell<Vec<String>>,
) -> Result<Vec<u8>, Diagnostic> {
    let base_path = site.config.base_path.as_str();
    let origin = site.config.origin();
    let address = |value: &str| -> Option<String> {
        let inside = value.strip_prefix(base_path)?;
        let split = inside.find(['#', '?']).unwrap_or(inside.len());
        let (path, suffix) = inside.split_at(split);
        if let Some(name) = names.get(path) {
            return Some(format!("{name}{suffix}"));
        }
        if assets.contains_key(path) {
            let mut used = used.borrow_mut();
            if !used.iter().any(|p| p == path) {
                used.push(path.to_owned());
            }
            return Some(format!("{path}{suffix}"));
        }
        Some(format!("{origin}{value}"))
    };
    let failed = |message: String| {
        Diagnostic::error(
            Stage::Output,
            format!("cannot make a page of the offline copy: {message}"),
        )
    };
    let html = std::str::from_utf8(html).map_err(|err| failed(err.to_string()))?;
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        "[href], [src], [action], [data-index]",
        |el| {
            for name in ["href", "src", "action", "data-index"] {
                if let Some(value) = el.get_attribute(name)
                    && let Some(local) = address(&value)
                {
                    el.set_attribute(name, &local)?;
                }
            }
            Ok(())
        }
    ));
    rewrite_str(html, settings)
        .map(String::into_bytes)
        .map_err(|err| failed(err.to_string()))
}

fn zip(folder: &str, files: &BTreeMap<String, Vec<u8>>) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Fixed times, so the same pages make the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (path, bytes) in files {
        writer.start_file(format!("{folder}/{path}"), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_named_flat_under_the_copy() {
        assert_eq!(flat_name("ar/", "ar/"), "index.html");
        assert_eq!(flat_name("", ""), "index.html");
        assert_eq!(
            flat_name("ar/patients/right-to-register/", "ar/"),
            "patients-right-to-register.html"
        );
        assert_eq!(flat_name("patients/", ""), "patients.html");
    }
}
