//! Languages: URLs per language, `<html lang dir>`, hreflang alternates, interface strings,
//! sitemap, feeds, and the other files every build writes (CSS bundle, static files, robots.txt,
//! 404.html). Fixture: `tests/fixtures/i18n` (en default, ar, fr, zh-Hant).

use std::collections::BTreeSet;

use crate::common::*;

/// The registration page in every language: (lang, output file, permalink).
const REGISTRATION: [(&str, &str, &str); 4] = [
    (
        "en",
        "guidance/registration/index.html",
        "https://example.org/guidance/registration/",
    ),
    (
        "ar",
        "ar/guidance/registration/index.html",
        "https://example.org/ar/guidance/registration/",
    ),
    (
        "fr",
        "fr/guidance/registration/index.html",
        "https://example.org/fr/guidance/registration/",
    ),
    (
        "zh-hant",
        "zh-hant/guidance/registration/index.html",
        "https://example.org/zh-hant/guidance/registration/",
    ),
];

/// The home page in every language: (lang, output file, permalink).
const HOME: [(&str, &str, &str); 4] = [
    ("en", "index.html", "https://example.org/"),
    ("ar", "ar/index.html", "https://example.org/ar/"),
    ("fr", "fr/index.html", "https://example.org/fr/"),
    (
        "zh-hant",
        "zh-hant/index.html",
        "https://example.org/zh-hant/",
    ),
];

fn build() -> Output {
    Site::fixture("i18n").build_ok()
}

#[test]
fn default_language_at_root_others_under_lowercased_code() {
    let out = build();
    for file in [
        "index.html",
        "guidance/index.html",
        "guidance/registration/index.html",
        "guidance/no-id/index.html",
        "ar/index.html",
        "ar/guidance/index.html",
        "ar/guidance/registration/index.html",
        "fr/guidance/registration/index.html",
        "zh-hant/index.html",
        "zh-hant/guidance/registration/index.html",
    ] {
        out.assert_exists(file);
    }
    // The default language has no prefix of its own, the code is lower-cased in URLs, and a page
    // without a translation is not invented for the other languages.
    out.assert_missing("en/index.html");
    out.assert_missing("zh-Hant/index.html");
    out.assert_missing("ar/guidance/no-id/index.html");
    assert!(
        out.files().iter().all(|f| !f.starts_with("zh-Hant/")),
        "upper-case language folder in:\n{}",
        out.listing()
    );
}

#[test]
fn html_lang_and_dir_follow_the_language() {
    let out = build();
    for (file, lang, dir) in [
        ("index.html", "en", "ltr"),
        ("guidance/registration/index.html", "en", "ltr"),
        ("ar/index.html", "ar", "rtl"),
        ("ar/guidance/index.html", "ar", "rtl"),
        ("ar/guidance/registration/index.html", "ar", "rtl"),
        ("fr/guidance/registration/index.html", "fr", "ltr"),
        ("zh-hant/guidance/registration/index.html", "zh-Hant", "ltr"),
    ] {
        let (got_lang, got_dir) = out.html(file).lang_dir();
        // BCP 47 tags compare without regard to case; the configured spelling is expected.
        assert!(
            got_lang.eq_ignore_ascii_case(lang),
            "{file}: lang={got_lang:?}, want {lang:?}"
        );
        assert_eq!(got_dir, dir, "{file}: dir");
    }
}

#[test]
fn direction_defaults_for_rtl_scripts_and_honours_overrides() {
    let site = Site::with_config(
        "title: Directions
base_url: https://example.org/
default_language: en
languages:
  - { code: en, name: English }
  - { code: ar, name: العربية }
  - { code: he, name: עברית }
  - { code: pa-Arab, name: پنجابی }
  - { code: fa, name: فارسی, dir: ltr }
  - { code: fr, name: Français, dir: rtl }
",
        &["en", "ar", "he", "pa-Arab", "fa", "fr"],
    );
    let out = site.build_ok();
    for (file, dir) in [
        ("index.html", "ltr"),
        ("ar/index.html", "rtl"),
        ("he/index.html", "rtl"),
        ("pa-arab/index.html", "rtl"), // *-Arab defaults to rtl
        ("fa/index.html", "ltr"),      // `dir:` beats the rtl default
        ("fr/index.html", "rtl"),      // `dir:` beats the ltr default
    ] {
        assert_eq!(out.html(file).lang_dir().1, dir, "{file}");
    }
    // `languages[].dir` carries the same values (the theme writes it as data-dir).
    let home = out.html("index.html");
    let dirs: Vec<(String, String)> = home
        .select(".all-languages a")
        .iter()
        .map(|a| {
            (
                a.attr("hreflang").unwrap().to_ascii_lowercase(),
                a.attr("data-dir").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        dirs,
        [
            ("en", "ltr"),
            ("ar", "rtl"),
            ("he", "rtl"),
            ("pa-arab", "rtl"),
            ("fa", "ltr"),
            ("fr", "rtl")
        ]
        .map(|(l, d)| (l.to_string(), d.to_string()))
    );
}

/// Every version lists the same alternates: all versions (itself included) plus x-default
/// pointing at the default language's permalink.
fn assert_symmetric_alternates(out: &Output, versions: &[(&str, &str, &str)]) {
    let mut expected: BTreeSet<(String, String)> = versions
        .iter()
        .map(|(lang, _, permalink)| (lang.to_string(), permalink.to_string()))
        .collect();
    expected.insert(("x-default".to_string(), versions[0].2.to_string()));
    for (_, file, permalink) in versions {
        let doc = out.html(file);
        assert_eq!(doc.hreflangs(), expected, "{file}: hreflang alternates");
        assert_eq!(
            doc.attr(r#"link[rel="canonical"]"#, "href"),
            *permalink,
            "{file}: permalink"
        );
    }
}

#[test]
fn hreflang_alternates_are_symmetric_on_pages() {
    assert_symmetric_alternates(&build(), &REGISTRATION);
}

#[test]
fn hreflang_alternates_are_symmetric_on_home_pages() {
    assert_symmetric_alternates(&build(), &HOME);
}

#[test]
fn untranslated_page_lists_only_itself_and_x_default() {
    let doc = build().html("guidance/no-id/index.html");
    let url = "https://example.org/guidance/no-id/".to_string();
    assert_eq!(
        doc.hreflangs(),
        BTreeSet::from([
            ("en".to_string(), url.clone()),
            ("x-default".to_string(), url)
        ])
    );
}

#[test]
fn language_switcher_links_every_version_and_marks_the_current_one() {
    let doc = build().html("ar/guidance/registration/index.html");
    let links: BTreeSet<(String, String)> = doc
        .select(".language-switcher a")
        .iter()
        .map(|a| {
            (
                a.attr("hreflang").unwrap().to_ascii_lowercase(),
                a.attr("href").unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = REGISTRATION
        .iter()
        .map(|(lang, file, _)| {
            (
                lang.to_string(),
                format!("/{}", file.trim_end_matches("index.html")),
            )
        })
        .collect();
    assert_eq!(
        links, expected,
        "switcher links are the page's `url`s (root-relative)"
    );
    assert_eq!(
        doc.attr(r#".language-switcher a[aria-current="true"]"#, "hreflang"),
        "ar"
    );
    // Each language name is shown with its own direction.
    assert_eq!(
        doc.attr(r#".language-switcher a[hreflang="en"]"#, "dir"),
        "ltr"
    );
    assert_eq!(
        doc.text(r#".language-switcher a[hreflang="ar"]"#),
        "العربية"
    );
}

#[test]
fn breadcrumbs_and_nav_are_in_the_page_language() {
    let out = build();
    let ar = out.html("ar/guidance/registration/index.html");
    assert_eq!(
        ar.links(".breadcrumbs a"),
        vec![
            ("/ar/".to_string(), "عيادات آمنة".to_string()),
            ("/ar/guidance/".to_string(), "إرشادات".to_string())
        ]
    );
    assert_eq!(
        ar.links(".site-nav a"),
        vec![("/ar/guidance/".to_string(), "إرشادات".to_string())]
    );

    let en = out.html("guidance/registration/index.html");
    assert_eq!(
        en.links(".breadcrumbs a"),
        vec![
            ("/".to_string(), "Safe Surgeries".to_string()),
            ("/guidance/".to_string(), "Guidance".to_string())
        ]
    );
    // The home page has no ancestors.
    assert_eq!(out.html("index.html").count(".breadcrumbs a"), 0);
}

#[test]
fn languages_list_every_home_page() {
    let doc = build().html("fr/guidance/registration/index.html");
    let hrefs = doc.attrs(".all-languages a", "href");
    assert_eq!(hrefs, ["/", "/ar/", "/fr/", "/zh-hant/"]);
}

#[test]
fn interface_strings_fall_back_to_default_language_and_site_overrides_theme() {
    let out = build();
    let en = out.html("guidance/registration/index.html");
    // The site's i18n/en.yaml overrides one key; the theme still supplies the rest.
    assert_eq!(en.text(".skip-link"), "Jump to the guidance");
    assert_eq!(en.text(".footer-note"), "Made for GP practices");

    let ar = out.html("ar/guidance/registration/index.html");
    assert_eq!(ar.text(".skip-link"), "انتقل إلى المحتوى");
    // footer_note is missing from the theme's ar.yaml: the default language's string is used.
    assert_eq!(ar.text(".footer-note"), "Made for GP practices");

    // No fr.yaml at all: everything falls back to (the site-overridden) English.
    let fr = out.html("fr/guidance/registration/index.html");
    assert_eq!(fr.text(".skip-link"), "Jump to the guidance");
}

#[test]
fn draft_translations_are_flagged_to_templates() {
    let out = build();
    let fr = out.html("fr/guidance/registration/index.html");
    assert_eq!(
        fr.text(".translation-draft"),
        "This translation is a draft. A reviewed one is coming."
    );
    assert!(
        !out.html("ar/guidance/registration/index.html")
            .exists(".translation-draft")
    );
    assert!(
        !out.html("guidance/registration/index.html")
            .exists(".translation-draft")
    );
    // Section listings see it too.
    let fr_section = out.html("fr/guidance/index.html");
    assert_eq!(
        fr_section.texts(".section-pages .translation-status"),
        ["draft"]
    );
}

#[test]
fn sitemap_lists_every_page_with_alternates() {
    let out = build();
    let sitemap = out.read("sitemap.xml");
    assert!(
        sitemap.contains("http://www.sitemaps.org/schemas/sitemap/0.9"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("xmlns:xhtml=") && sitemap.contains("http://www.w3.org/1999/xhtml"),
        "the xhtml namespace is not declared:\n{sitemap}"
    );

    let locs: BTreeSet<String> = xml_texts(&sitemap, "loc").into_iter().collect();
    let pages: BTreeSet<String> = out
        .page_files()
        .iter()
        .map(|f| out.permalink_of(f))
        .collect();
    assert!(
        pages.len() >= 13,
        "expected the fixture's 13 pages, got {pages:?}"
    );
    assert_eq!(locs, pages, "sitemap <loc>s vs the pages in output/");

    // Each version of a translated page has its own <url>, listing every version as an alternate
    // (x-default may be there too; it is not required).
    let expected: BTreeSet<(String, String)> = REGISTRATION
        .iter()
        .map(|(l, _, p)| (l.to_string(), p.to_string()))
        .collect();
    let parsed = Element::parse(&sitemap);
    for (_, _, permalink) in REGISTRATION {
        let blocks: Vec<&Element> = parsed
            .all("url")
            .into_iter()
            .filter(|u| u.texts("loc").first().map(String::as_str) == Some(permalink))
            .collect();
        assert_eq!(blocks.len(), 1, "<url> entries for {permalink}");
        let alternates: BTreeSet<(String, String)> = blocks[0]
            .all("xhtml:link")
            .into_iter()
            .map(|a| &a.attrs)
            .filter(|a| a.get("hreflang").is_some_and(|h| h != "x-default"))
            .map(|a| {
                (
                    a["hreflang"].to_ascii_lowercase(),
                    a.get("href").cloned().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(alternates, expected, "xhtml:link alternates of {permalink}");
    }
}

#[test]
fn robots_txt_and_404_page_are_written() {
    let out = build();
    assert!(!out.read("robots.txt").trim().is_empty());
    // The theme has no 404.html: the built-in one is used.
    let not_found = out.html("404.html");
    assert!(not_found.exists("body"));
}

#[test]
fn theme_404_template_is_used_when_present() {
    let site = Site::fixture("i18n");
    site.write(
        "themes/default/templates/404.html",
        "<!DOCTYPE html><html><body><p class=\"theme-404\">Not here</p></body></html>\n",
    );
    let out = site.build_ok();
    assert_eq!(out.html("404.html").text(".theme-404"), "Not here");
}

#[test]
fn atom_feed_per_language_holds_dated_pages_only() {
    let out = build();
    let en = out.read("atom.xml");
    assert!(en.contains("http://www.w3.org/2005/Atom"), "{en}");
    assert_eq!(
        feed_entry_links(&en),
        ["https://example.org/guidance/registration/"],
        "{en}"
    );
    assert!(
        !en.contains("no-id"),
        "an undated page is in the feed:\n{en}"
    );

    let ar = out.read("ar/atom.xml");
    assert_eq!(
        feed_entry_links(&ar),
        ["https://example.org/ar/guidance/registration/"],
        "{ar}"
    );
    let zh = out.read("zh-hant/atom.xml");
    assert_eq!(
        feed_entry_links(&zh),
        ["https://example.org/zh-hant/guidance/registration/"],
        "{zh}"
    );

    // Templates get the feed of their own language (root-relative or absolute).
    let feed_url = out
        .html("ar/index.html")
        .attr(r#"link[type="application/atom+xml"]"#, "href");
    assert!(
        ["/ar/atom.xml", "https://example.org/ar/atom.xml"].contains(&feed_url.as_str()),
        "feed_url of ar is {feed_url:?}"
    );
}

/// The stylesheet URL the pages use, checked to be `/css/main.<hash>.css`.
fn stylesheet_href(doc: &Doc) -> String {
    let href = doc.attr(r#"link[rel="stylesheet"]"#, "href");
    let hash = href
        .strip_prefix("/css/main.")
        .and_then(|h| h.strip_suffix(".css"))
        .unwrap_or_else(|| panic!("stylesheet {href:?} is not /css/main.<hash>.css"));
    assert!(
        !hash.is_empty()
            && hash
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "stylesheet hash {hash:?}"
    );
    href
}

#[test]
fn stylesheet_is_bundled_minified_and_hashed() {
    let out = build();
    let href = stylesheet_href(&out.html("index.html"));
    assert_eq!(
        stylesheet_href(&out.html("ar/guidance/registration/index.html")),
        href
    );

    let css = out.read(href.trim_start_matches('/'));
    let imported = css
        .find(".imported-marker")
        .expect("the @import-ed rule is bundled in");
    let main = css
        .find(".main-marker")
        .expect("the entry point's own rule");
    assert!(imported < main, "imported rules come first:\n{css}");
    assert!(!css.contains("@import"), "@import left in:\n{css}");
    assert!(!css.contains("must not survive"), "comment left in:\n{css}");
    assert!(!css.contains("\n "), "not minified (indentation):\n{css}");
    assert!(
        !css.contains("{ ") && !css.contains(": "),
        "not minified (spaces):\n{css}"
    );
}

#[test]
fn stylesheet_hash_changes_with_its_content() {
    let site = Site::fixture("i18n");
    let before = stylesheet_href(&site.build_ok().html("index.html"));
    site.write(
        "themes/default/css/parts/imported.css",
        ".imported-marker{color:#00f}\n",
    );
    let after = stylesheet_href(&site.build_ok().html("index.html"));
    assert_ne!(
        before, after,
        "an @import-ed file changed but the hashed name did not"
    );
}

#[test]
fn static_files_are_copied_and_site_files_win() {
    let out = build();
    // From the theme's static/.
    assert!(out.read("img/logo.svg").contains("<svg"));
    // Both the theme's static/ and the site's content/ have shared.txt: the site's is used.
    assert_eq!(out.read("shared.txt"), "from site\n");
    // Theme files that are not static are not published.
    out.assert_missing("templates/page.html");
    out.assert_missing("i18n/en.yaml");
}

#[test]
fn every_internal_link_resolves() {
    build().assert_internal_links_resolve();
}

#[test]
fn language_suffix_is_matched_without_regard_to_case() {
    let site = Site::with_config(
        "title: Case
base_url: https://example.org/
default_language: en
languages:
  - { code: en, name: English }
  - { code: ar, name: العربية }
  - { code: zh-Hant, name: 繁體中文 }
",
        &["en", "ar", "zh-Hant"],
    );
    site.write("content/about.md", md("title: About", "About."));
    site.write("content/about.AR.md", md("title: حول", "حول."));
    site.write("content/about.ZH-hant.md", md("title: 關於", "關於。"));
    let out = site.build_ok();
    assert_eq!(out.html("ar/about/index.html").text("h1.page-title"), "حول");
    assert_eq!(
        out.html("zh-hant/about/index.html").text("h1.page-title"),
        "關於"
    );
    out.assert_missing("about.AR/index.html");
}
