//! The default theme's contracts, checked on the repository's own site: `site.yaml`, `content/`
//! and `themes/` of this repository are copied into a temporary folder and built, and the real
//! output is read: `<html lang dir>`, the language switcher, draft-translation notices, the
//! Content-Security-Policy and what it implies (no off-site fetches, no inline styles or
//! scripts), headings and the skip link, and page and stylesheet sizes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::*;
use scraper::ElementRef;

/// Scripts whose languages are written right to left (README: `dir` defaults to `rtl` for these
/// and for any `*-Arab` tag).
const RTL_LANGUAGES: [&str; 10] = ["ar", "fa", "ur", "ps", "ckb", "he", "yi", "dv", "sd", "ug"];

/// The page every language has a version of.
const PATIENT_PAGE: &str = "patients/right-to-register/index.html";

// ---------------------------------------------------------------------------------------------
// The repository's own site
// ---------------------------------------------------------------------------------------------

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One configured language of `site.yaml`.
#[derive(Debug, Clone)]
struct Language {
    code: String,
    name: String,
    dir: String,
}

/// `site.yaml` of the repository: `(base_url, default language, languages)`.
fn config() -> (String, String, Vec<Language>) {
    let text = std::fs::read_to_string(repo().join("site.yaml")).expect("read site.yaml");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("parse site.yaml");
    let base_url = yaml["base_url"]
        .as_str()
        .expect("site.yaml: base_url")
        .to_string();
    let base_url = if base_url.ends_with('/') {
        base_url
    } else {
        format!("{base_url}/")
    };
    let default = yaml["default_language"]
        .as_str()
        .expect("site.yaml: default_language")
        .to_string();
    let languages: Vec<Language> = yaml["languages"]
        .as_sequence()
        .expect("site.yaml: languages")
        .iter()
        .map(|l| {
            let code = l["code"].as_str().expect("language code").to_string();
            let name = l["name"].as_str().expect("language name").to_string();
            let primary = code.split('-').next().unwrap().to_ascii_lowercase();
            let rtl = RTL_LANGUAGES.contains(&primary.as_str())
                || code.to_ascii_lowercase().ends_with("-arab");
            let dir = l["dir"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| if rtl { "rtl" } else { "ltr" }.to_string());
            Language { code, name, dir }
        })
        .collect();
    assert!(
        languages.len() > 1,
        "site.yaml configures fewer than two languages"
    );
    (base_url, default, languages)
}

/// Copies the repository's site into a temporary folder and builds it.
fn toolkit() -> Output {
    let site = Site::repo_copy();
    site.build().assert_ok();
    let (base_url, _, _) = config();
    let out = site.output_for(&base_url);
    assert!(
        out.page_files().len() >= 20,
        "the toolkit built only {} pages:\n{}",
        out.page_files().len(),
        out.listing()
    );
    out
}

/// The language an output file belongs to: the configured language whose lower-cased code is the
/// first folder of its path, otherwise the default language.
fn language_of<'a>(file: &str, default: &str, languages: &'a [Language]) -> &'a Language {
    let first = file.split('/').next().unwrap();
    let found = if file.contains('/') {
        languages
            .iter()
            .find(|l| l.code.to_ascii_lowercase() == first)
    } else {
        None
    };
    found.unwrap_or_else(|| {
        languages
            .iter()
            .find(|l| l.code == default)
            .expect("the default language is configured")
    })
}

/// The output prefix of a language's pages: `` for the default language, `ar/` for the others.
fn prefix_of(lang: &Language, default: &str) -> String {
    if lang.code == default {
        String::new()
    } else {
        format!("{}/", lang.code.to_ascii_lowercase())
    }
}

/// Whitespace-collapsed text.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The source pages of `content/` with `translation: draft` in their front matter, as
/// `(language code, output file)`. Only files without a `slug:` are mapped (none has one today).
fn draft_translations(default: &str, languages: &[Language]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walk(&repo().join("content")) {
        let rel = entry
            .strip_prefix(repo().join("content"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(stem) = rel.strip_suffix(".md") else {
            continue;
        };
        let text = std::fs::read_to_string(&entry).unwrap();
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let Some(front) = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---").map(|(f, _)| f))
        else {
            continue;
        };
        let lines: Vec<&str> = front.lines().map(str::trim).collect();
        if !lines.contains(&"translation: draft") || lines.iter().any(|l| l.starts_with("slug:")) {
            continue;
        }
        let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
        let (name, lang) = match name.rsplit_once('.') {
            Some((n, suffix)) => match languages
                .iter()
                .find(|l| l.code.eq_ignore_ascii_case(suffix))
            {
                Some(l) => (n, l),
                None => (name, language_of("", default, languages)),
            },
            None => (name, language_of("", default, languages)),
        };
        let mut path = prefix_of(lang, default);
        if !dir.is_empty() {
            path.push_str(dir);
            path.push('/');
        }
        if name != "_index" && name != "index" {
            path.push_str(name);
            path.push('/');
        }
        path.push_str("index.html");
        out.push((lang.code.clone(), path));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Whether a URL makes the browser go to another server: `http:`, `https:` or `//`.
fn is_off_site(url: &str) -> bool {
    let url = url
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_ascii_lowercase();
    url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//")
}

/// Every `url(…)` and `@import` target in a stylesheet (or an SVG's style), comments removed.
fn css_urls(css: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    let lower = text.to_ascii_lowercase();
    let mut urls = Vec::new();
    for (at, _) in lower.match_indices("url(") {
        let inner = &text[at + 4..];
        let end = inner.find(')').unwrap_or(inner.len());
        urls.push(inner[..end].trim().to_string());
    }
    for (at, _) in lower.match_indices("@import") {
        let after = text[at + 7..].trim_start();
        if after.to_ascii_lowercase().starts_with("url(") {
            continue; // counted with url( above
        }
        let end = after.find([';', ' ', '\n']).unwrap_or(after.len());
        urls.push(after[..end].trim().to_string());
    }
    urls
}

/// Whether an element can get keyboard focus in the tab order.
fn is_focusable(e: ElementRef<'_>) -> bool {
    let v = e.value();
    if let Some(t) = v.attr("tabindex") {
        return t.trim().parse::<i32>().is_ok_and(|t| t >= 0);
    }
    if v.attr("disabled").is_some() || v.attr("hidden").is_some() {
        return false;
    }
    match v.name() {
        "a" | "area" => v.attr("href").is_some(),
        "button" | "select" | "textarea" | "iframe" | "summary" => true,
        "input" => v
            .attr("type")
            .is_none_or(|t| !t.eq_ignore_ascii_case("hidden")),
        "audio" | "video" => v.attr("controls").is_some(),
        _ => v
            .attr("contenteditable")
            .is_some_and(|c| !c.eq_ignore_ascii_case("false")),
    }
}

// ---------------------------------------------------------------------------------------------
// 1. <html lang dir>
// ---------------------------------------------------------------------------------------------

#[test]
fn every_page_has_html_lang_and_dir_of_its_language() {
    let out = toolkit();
    let (_, default, languages) = config();
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for file in out.html_files() {
        let want = language_of(&file, &default, &languages);
        seen.insert(want.code.clone());
        let (lang, dir) = out.html(&file).lang_dir();
        if !lang.eq_ignore_ascii_case(&want.code) || dir != want.dir {
            problems.push(format!(
                "{file}: <html lang={lang:?} dir={dir:?}>, want lang={:?} dir={:?}",
                want.code, want.dir
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every configured language has pages, so each expectation above was exercised…
    let all: BTreeSet<_> = languages.iter().map(|l| l.code.clone()).collect();
    assert_eq!(seen, all, "languages with pages in the output");
    // …including both directions, with the README's defaults.
    let dir_of = |code: &str| {
        languages
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.dir.clone())
    };
    for code in ["ar", "fa", "ps", "ur"] {
        assert_eq!(dir_of(code).as_deref(), Some("rtl"), "{code} in site.yaml");
    }
    for code in ["en", "bn", "pl", "zh-Hans"] {
        assert_eq!(dir_of(code).as_deref(), Some("ltr"), "{code} in site.yaml");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. The language switcher
// ---------------------------------------------------------------------------------------------

/// The language switchers of a page: the `nav` elements with at least two links, every one of
/// which carries `hreflang`.
fn switchers<'a>(doc: &'a Doc) -> Vec<ElementRef<'a>> {
    doc.select("nav")
        .into_iter()
        .filter(|nav| {
            let links: Vec<_> = nav.select(&sel("a")).collect();
            links.len() >= 2 && links.iter().all(|a| a.attr("hreflang").is_some())
        })
        .collect()
}

#[test]
fn every_page_has_a_language_switcher_with_native_names_lang_and_hreflang() {
    let out = toolkit();
    let (_, default, languages) = config();
    let names: BTreeMap<String, String> = languages
        .iter()
        .map(|l| (l.code.to_ascii_lowercase(), l.name.clone()))
        .collect();
    let mut problems = Vec::new();
    for file in out.html_files() {
        let doc = out.html(&file);
        let page_lang = language_of(&file, &default, &languages);
        let navs = switchers(&doc);
        if navs.len() != 1 {
            problems.push(format!(
                "{file}: {} language switchers (nav whose links all carry hreflang), want 1",
                navs.len()
            ));
            continue;
        }
        let nav = navs[0];
        let mut current = Vec::new();
        for a in nav.select(&sel("a")) {
            let lang = a.attr("lang").unwrap_or_default();
            let hreflang = a.attr("hreflang").unwrap_or_default();
            let href = a.attr("href").unwrap_or_default();
            let text = text_of(a);
            if lang != hreflang {
                problems.push(format!(
                    "{file}: switcher link {text:?}: lang={lang:?} but hreflang={hreflang:?}"
                ));
            }
            // A language this page is not translated into says so, in that language, and
            // links that language's home page.
            let untranslated = a.select(&sel(".not-translated")).next().is_some();
            match names.get(&hreflang.to_ascii_lowercase()) {
                None => problems.push(format!(
                    "{file}: switcher link {text:?}: hreflang={hreflang:?} is not a configured language"
                )),
                Some(name) => {
                    let want = if untranslated {
                        let code = languages.iter().find(|l| l.code.eq_ignore_ascii_case(hreflang)).map_or("", |l| l.code.as_str());
                        format!("{name} ({})", theme_string(code, "not_translated"))
                    } else {
                        name.clone()
                    };
                    if collapse(&text) != want {
                        problems.push(format!("{file}: switcher link for {hreflang}: text {text:?}, want {want:?}"));
                    }
                }
            }
            if untranslated {
                let home = languages
                    .iter()
                    .find(|l| l.code.eq_ignore_ascii_case(hreflang))
                    .map(|l| format!("{}index.html", prefix_of(l, &default)));
                if out.file_for_url(href) != home {
                    problems.push(format!("{file}: untranslated {hreflang} links {href:?}, want its home page {home:?}"));
                }
            }
            // The link leads to a page in that language.
            match out.file_for_url(href) {
                Some(target) if out.exists(&target) => {
                    let (target_lang, _) = out.html(&target).lang_dir();
                    if !target_lang.eq_ignore_ascii_case(hreflang) {
                        problems.push(format!(
                            "{file}: switcher link {hreflang} → {target} whose lang is {target_lang:?}"
                        ));
                    }
                }
                other => problems.push(format!(
                    "{file}: switcher link {hreflang} → {href:?} ({other:?}) is not a page of the output"
                )),
            }
            if a.attr("aria-current").is_some_and(|c| c != "false") {
                current.push(hreflang.to_string());
            }
        }
        if current.len() != 1 || !current[0].eq_ignore_ascii_case(&page_lang.code) {
            problems.push(format!(
                "{file}: switcher marks {current:?} with aria-current, want only {:?}",
                page_lang.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn untranslated_page_lists_every_language_and_says_which_lack_it() {
    let out = toolkit();
    let (_, default, languages) = config();
    // Guidance for practices is in English only.
    let doc = out.html("guidance/reception/index.html");
    let nav = switchers(&doc);
    assert_eq!(nav.len(), 1, "one switcher");
    let links: Vec<(String, bool)> = nav[0]
        .select(&sel("a"))
        .map(|a| {
            (
                a.attr("hreflang").unwrap_or_default().to_owned(),
                a.select(&sel(".not-translated")).next().is_some(),
            )
        })
        .collect();
    let codes: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();
    assert_eq!(
        links.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(),
        codes,
        "every language, in site.yaml order"
    );
    for (code, untranslated) in &links {
        assert_eq!(
            *untranslated,
            *code != default,
            "{code}: only languages without the page carry the note"
        );
    }
}

#[test]
fn patient_page_switcher_lists_all_languages_and_marks_the_current_one() {
    let out = toolkit();
    let (_, default, languages) = config();
    assert_eq!(
        languages.len(),
        25,
        "site.yaml languages: the 25 of the toolkit"
    );
    let want: Vec<(String, String)> = languages
        .iter()
        .map(|l| (l.code.to_ascii_lowercase(), l.name.clone()))
        .collect();
    for lang in &languages {
        let file = format!("{}{PATIENT_PAGE}", prefix_of(lang, &default));
        let doc = out.html(&file);
        let navs = switchers(&doc);
        assert_eq!(navs.len(), 1, "{file}: language switchers");
        let links: Vec<ElementRef<'_>> = navs[0].select(&sel("a")).collect();
        let got: Vec<(String, String)> = links
            .iter()
            .map(|a| {
                (
                    a.attr("hreflang").unwrap_or_default().to_ascii_lowercase(),
                    text_of(*a),
                )
            })
            .collect();
        assert_eq!(
            got, want,
            "{file}: switcher (hreflang, text), in site.yaml order"
        );
        for a in &links {
            assert_eq!(
                a.attr("lang"),
                a.attr("hreflang"),
                "{file}: lang and hreflang of {:?}",
                text_of(*a)
            );
        }
        let current: Vec<String> = links
            .iter()
            .filter(|a| a.attr("aria-current").is_some_and(|c| c != "false"))
            .map(|a| a.attr("hreflang").unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            current,
            vec![lang.code.clone()],
            "{file}: links marked aria-current"
        );
        // Every other language's link leads to that language's version of this page.
        for a in &links {
            let hreflang = a.attr("hreflang").unwrap();
            let target_lang = languages
                .iter()
                .find(|l| l.code == hreflang)
                .expect("configured");
            let target = out.file_for_url(a.attr("href").unwrap_or_default());
            assert_eq!(
                target,
                Some(format!(
                    "{}{PATIENT_PAGE}",
                    prefix_of(target_lang, &default)
                )),
                "{file}: switcher link for {hreflang}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Draft translations
// ---------------------------------------------------------------------------------------------

/// The draft notices of a page: notes in `main` whose text contains `notice`.
fn draft_notices<'a>(doc: &'a Doc, notice: &str) -> Vec<ElementRef<'a>> {
    doc.select("main .draft-notice, main [role=\"note\"], main [role=\"status\"]")
        .into_iter()
        .filter(|e| text_of(*e).contains(notice))
        .collect()
}

#[test]
fn arabic_draft_translation_shows_the_arabic_draft_notice() {
    let out = toolkit();
    let notice = theme_string("ar", "draft_notice");
    assert!(!notice.is_empty());
    let file = format!("ar/{PATIENT_PAGE}");
    let doc = out.html(&file);
    let found = draft_notices(&doc, &notice);
    assert_eq!(
        found.len(),
        1,
        "{file}: expected one draft notice containing {notice:?}; main reads:\n{}",
        doc.text("main")
    );
    // The notice is written in the page's language and links to the original.
    let original: Vec<String> = found[0]
        .select(&sel("a[href]"))
        .filter_map(|a| out.file_for_url(a.attr("href").unwrap()))
        .collect();
    assert!(
        original.contains(&PATIENT_PAGE.to_string()),
        "{file}: the draft notice does not link to the original {PATIENT_PAGE}: {original:?}"
    );
    // It comes before the page's heading.
    let html = out.read(&file);
    let notice_at = html.find(&notice).expect("notice in the raw HTML");
    let h1_at = html.find("<h1").expect("an h1");
    assert!(
        notice_at < h1_at,
        "{file}: the draft notice comes after the h1"
    );
}

#[test]
fn reviewed_english_page_has_no_draft_notice() {
    let out = toolkit();
    let notice = theme_string("en", "draft_notice");
    let doc = out.html(PATIENT_PAGE);
    assert!(
        !collapse(&out.read(PATIENT_PAGE)).contains(&notice),
        "{PATIENT_PAGE}: shows the English draft notice {notice:?}"
    );
    assert_eq!(
        doc.count("main .draft-notice"),
        0,
        "{PATIENT_PAGE}: has a .draft-notice"
    );
    // The English patient page is real (it has the page's title), so the absence means something.
    assert_eq!(doc.count("h1"), 1, "{PATIENT_PAGE}: h1");
}

#[test]
fn every_draft_translation_shows_its_language_notice_and_no_other_page_does() {
    let out = toolkit();
    let (_, default, languages) = config();
    let drafts = draft_translations(&default, &languages);
    assert!(
        drafts.len() >= 12,
        "only {} draft translations found in content/: {drafts:?}",
        drafts.len()
    );
    let draft_files: BTreeSet<String> = drafts.iter().map(|(_, f)| f.clone()).collect();
    let mut problems = Vec::new();
    for (code, file) in &drafts {
        if !out.exists(file) {
            problems.push(format!(
                "{file}: draft translation ({code}) not in the output"
            ));
            continue;
        }
        let notice = theme_string(code, "draft_notice");
        if draft_notices(&out.html(file), &notice).len() != 1 {
            problems.push(format!(
                "{file}: no (or more than one) draft notice with the {code} text {notice:?}"
            ));
        }
    }
    for file in out.page_files() {
        if draft_files.contains(&file) {
            continue;
        }
        let doc = out.html(&file);
        if doc.exists("main .draft-notice") {
            problems.push(format!(
                "{file}: not a draft translation, yet has a .draft-notice"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 4. Content-Security-Policy and referrer
// ---------------------------------------------------------------------------------------------

#[test]
fn every_page_has_one_strict_csp_and_no_referrer() {
    let out = toolkit();
    let files = out.html_files();
    assert!(!files.is_empty());
    let mut problems = Vec::new();
    for file in files {
        let doc = out.html(&file);
        let csp: Vec<String> = doc
            .select("meta[http-equiv]")
            .into_iter()
            .filter(|m| {
                m.attr("http-equiv")
                    .unwrap()
                    .trim()
                    .eq_ignore_ascii_case("Content-Security-Policy")
            })
            .map(|m| m.attr("content").unwrap_or_default().to_string())
            .collect();
        if csp.len() != 1 {
            problems.push(format!(
                "{file}: {} Content-Security-Policy meta elements, want 1",
                csp.len()
            ));
        }
        if doc.count("head meta[http-equiv]") != doc.count("meta[http-equiv]") {
            problems.push(format!("{file}: a meta http-equiv outside <head>"));
        }
        for policy in &csp {
            if !policy.contains("default-src 'self'") {
                problems.push(format!("{file}: CSP lacks default-src 'self': {policy:?}"));
            }
            if policy.contains("unsafe-inline") {
                problems.push(format!("{file}: CSP allows unsafe-inline: {policy:?}"));
            }
        }
        let referrer = doc.attrs("meta[name=\"referrer\"]", "content");
        if referrer != ["no-referrer"] {
            problems.push(format!(
                "{file}: meta name=referrer contents {referrer:?}, want [\"no-referrer\"]"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 5. Nothing fetched from other servers; nothing the CSP would block
// ---------------------------------------------------------------------------------------------

/// `rel` values whose `href` the browser fetches.
const FETCHING_RELS: [&str; 10] = [
    "stylesheet",
    "icon",
    "preload",
    "preconnect",
    "manifest",
    "modulepreload",
    "prefetch",
    "dns-prefetch",
    "apple-touch-icon",
    "mask-icon",
];

#[test]
fn no_output_file_fetches_from_another_server_or_uses_inline_style_or_script() {
    let out = toolkit();
    let files = out.files();
    let mut checked = BTreeMap::<&str, usize>::new();
    let mut problems = Vec::new();
    for file in &files {
        let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "html" | "htm" => {
                *checked.entry("html").or_default() += 1;
                let text = out.read(file);
                let doc = Doc::parse(file, &text);
                for e in doc.select("[src], [srcset], [poster], object[data]") {
                    for attr in ["src", "srcset", "poster", "data"] {
                        if let Some(v) = e.attr(attr) {
                            let off = if attr == "srcset" {
                                v.split(',').any(is_off_site)
                            } else {
                                is_off_site(v)
                            };
                            if off {
                                problems.push(format!(
                                    "{file}: <{} {attr}={v:?}> fetches from another server",
                                    e.value().name()
                                ));
                            }
                        }
                    }
                }
                for link in doc.select("link[rel][href]") {
                    let rel = link.attr("rel").unwrap().to_ascii_lowercase();
                    let href = link.attr("href").unwrap();
                    if rel.split_whitespace().any(|r| FETCHING_RELS.contains(&r))
                        && is_off_site(href)
                    {
                        problems.push(format!(
                            "{file}: <link rel={rel:?} href={href:?}> fetches from another server"
                        ));
                    }
                }
                // Scripts of the site's own (the search page's) are allowed; inline ones, which
                // the CSP blocks, and other servers' are not.
                for script in doc.select("script") {
                    match script.attr("src") {
                        Some(src)
                            if !is_off_site(src)
                                && !src.contains(':')
                                && !src.trim().is_empty() => {}
                        src => problems.push(format!(
                            "{file}: <script{}> element",
                            src.map_or(String::new(), |s| format!(" src={s:?}"))
                        )),
                    }
                }
                for e in doc.select("[style]") {
                    problems.push(format!(
                        "{file}: <{} style={:?}> (the CSP blocks inline styles)",
                        e.value().name(),
                        e.attr("style").unwrap()
                    ));
                }
                for _ in doc.select("style") {
                    problems.push(format!(
                        "{file}: <style> element (the CSP blocks inline styles)"
                    ));
                }
                for e in doc.select("*") {
                    for (name, _) in e.value().attrs() {
                        if name.to_ascii_lowercase().starts_with("on") {
                            problems.push(format!(
                                "{file}: <{} {name}=…> event handler (the CSP blocks it)",
                                e.value().name()
                            ));
                        }
                    }
                }
            }
            "css" => {
                *checked.entry("css").or_default() += 1;
                for url in css_urls(&out.read(file)) {
                    if is_off_site(&url) {
                        problems.push(format!("{file}: url({url}) fetches from another server"));
                    }
                }
            }
            "svg" => {
                *checked.entry("svg").or_default() += 1;
                let text = out.read(file);
                for url in css_urls(&text) {
                    if is_off_site(&url) {
                        problems.push(format!("{file}: url({url}) fetches from another server"));
                    }
                }
                for attr in ["href=", "src="] {
                    for (at, _) in text.match_indices(attr) {
                        let value = &text[at + attr.len()..];
                        if is_off_site(value.get(..10).unwrap_or(value)) {
                            problems.push(format!(
                                "{file}: {attr}{} fetches from another server",
                                value.chars().take(60).collect::<String>()
                            ));
                        }
                    }
                }
                if text.contains("<script") {
                    problems.push(format!("{file}: <script> in an SVG"));
                }
            }
            _ => {}
        }
    }
    for kind in ["html", "css", "svg"] {
        assert!(
            checked.get(kind).copied().unwrap_or(0) > 0,
            "no .{kind} file in the output:\n{}",
            out.listing()
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn off_site_url_and_css_url_checks_catch_what_they_should() {
    // The helpers of the test above, on known inputs, so that a silently passing scan is not
    // mistaken for a clean site.
    assert!(is_off_site("https://fonts.example/x.css"));
    assert!(is_off_site(" 'HTTP://x/y.png'"));
    assert!(is_off_site("//cdn.example/x.js"));
    assert!(!is_off_site("/css/main.css"));
    assert!(!is_off_site("data:image/svg+xml,abc"));
    let urls = css_urls(
        "/* url(https://comment.example/) */ a{background:url( \"https://x.example/a.png\" )} \
         @import 'https://y.example/b.css'; @import url(//z.example/c.css);",
    );
    assert_eq!(
        urls,
        [
            "\"https://x.example/a.png\"",
            "//z.example/c.css",
            "'https://y.example/b.css'"
        ]
    );
    assert!(urls.iter().all(|u| is_off_site(u)));
}

// ---------------------------------------------------------------------------------------------
// 6. Headings and the skip link
// ---------------------------------------------------------------------------------------------

#[test]
fn every_page_has_one_h1() {
    let out = toolkit();
    let mut problems = Vec::new();
    for file in out.html_files() {
        let doc = out.html(&file);
        let h1s = doc.texts("h1");
        if h1s.len() != 1 {
            problems.push(format!("{file}: {} h1 elements {h1s:?}, want 1", h1s.len()));
        } else if h1s[0].is_empty() {
            problems.push(format!("{file}: the h1 is empty"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn skip_link_is_the_first_focusable_element_and_targets_main() {
    let out = toolkit();
    let (_, default, languages) = config();
    let mut problems = Vec::new();
    for file in out.html_files() {
        let doc = out.html(&file);
        let mains = doc.select("main");
        if mains.len() != 1 {
            problems.push(format!("{file}: {} main elements, want 1", mains.len()));
            continue;
        }
        let Some(main_id) = mains[0].attr("id") else {
            problems.push(format!("{file}: main has no id"));
            continue;
        };
        if doc.count(&format!("[id=\"{main_id}\"]")) != 1 {
            problems.push(format!("{file}: id {main_id:?} is not unique"));
        }
        let first = doc.select("body *").into_iter().find(|e| is_focusable(*e));
        let Some(first) = first else {
            problems.push(format!("{file}: nothing focusable"));
            continue;
        };
        let href = first.attr("href").unwrap_or_default();
        if first.value().name() != "a" || href != format!("#{main_id}") {
            problems.push(format!(
                "{file}: first focusable element is <{} href={href:?}> {:?}, want a link to #{main_id}",
                first.value().name(),
                text_of(first)
            ));
            continue;
        }
        // Its text is the skip_link string of the page's language.
        let lang = language_of(&file, &default, &languages);
        let want = theme_string(&lang.code, "skip_link");
        if text_of(first) != want {
            problems.push(format!(
                "{file}: skip link reads {:?}, want {want:?}",
                text_of(first)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 7. Sizes
// ---------------------------------------------------------------------------------------------

const PAGE_LIMIT: u64 = 50 * 1024;
const CSS_LIMIT: u64 = 100 * 1024;
const CSS_GZIP_LIMIT: u64 = 30 * 1024;

fn size(out: &Output, file: &str) -> u64 {
    std::fs::metadata(out.path(file)).unwrap().len()
}

#[test]
fn every_page_is_under_50_kb() {
    let out = toolkit();
    let files = out.html_files();
    assert!(!files.is_empty());
    let too_big: Vec<String> = files
        .iter()
        .map(|f| (f, size(&out, f)))
        .filter(|(_, s)| *s >= PAGE_LIMIT)
        .map(|(f, s)| format!("{f}: {s} bytes"))
        .collect();
    assert!(
        too_big.is_empty(),
        "pages of {PAGE_LIMIT} bytes or more:\n{}",
        too_big.join("\n")
    );
}

#[test]
fn total_css_is_small() {
    let out = toolkit();
    let css: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".css"))
        .collect();
    assert!(!css.is_empty(), "no stylesheet in the output");
    let total: u64 = css.iter().map(|f| size(&out, f)).sum();
    assert!(total > 0, "the stylesheets are empty: {css:?}");
    assert!(
        total < CSS_LIMIT,
        "CSS is {total} bytes uncompressed (limit {CSS_LIMIT}): {css:?}"
    );
    // Gzipped, when a `gzip` command is at hand (no compression crate is a dependency).
    let mut gzipped = 0;
    for file in &css {
        let run = std::process::Command::new("gzip")
            .args(["-9", "-c"])
            .arg(out.path(file))
            .output();
        match run {
            Ok(o) if o.status.success() => gzipped += o.stdout.len() as u64,
            _ => {
                missing_tool("gzip", "apt install gzip");
                return;
            }
        }
    }
    assert!(
        gzipped < CSS_GZIP_LIMIT,
        "CSS is {gzipped} bytes gzipped (limit {CSS_GZIP_LIMIT}): {css:?}"
    );
}
