//! Checks of the test helpers themselves (no build involved), so that a failing integration test
//! points at the generator, not at the way the tests read its output.

use crate::common::*;

#[test]
fn locations_need_file_line_and_column() {
    let err = "error: bad\n --> /tmp/site/content/a.md:3:7\n  |\n3 | weight: heavy\n";
    assert!(has_location(err, "content/a.md", 3));
    assert!(!has_location(err, "content/a.md", 30));
    assert!(!has_location(
        "content/a.md:3: no column",
        "content/a.md",
        3
    ));
    assert!(!has_location("content/a.md:33:1", "content/a.md", 3));
    assert!(!has_location("content/aa.md:3:1", "a.md", 3));
    assert!(has_location(
        "content/a.md:3:1: error: x",
        "content/a.md",
        3
    ));
    assert!(has_location(
        "themes/default/templates/page.html:3:21",
        "page.html",
        3
    ));
}

#[test]
fn words_are_delimited() {
    assert!(contains_word("languages: en, ar, zh-Hant", "en"));
    assert!(contains_word("(en)", "en"));
    assert!(!contains_word("content, sent", "en"));
    assert!(!contains_word("zh-Hant", "Hant-x"));
    assert!(!contains_word("pt-BR", "pt"));
}

#[test]
fn percent_decoding() {
    assert_eq!(percent_decode("%D8%A7%D9%84"), "ال");
    assert_eq!(percent_decode("التسجيل"), "التسجيل");
    assert_eq!(percent_decode("a%2"), "a%2");
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%zz%41"), "%zzA");
}

#[test]
fn ansi_codes_are_stripped() {
    assert_eq!(strip_ansi("\u{1b}[1;31merror\u{1b}[0m: x"), "error: x");
}

#[test]
fn urls_map_to_output_files() {
    let out = Output::new("/nonexistent".into(), "https://example.org/toolkit/");
    assert_eq!(out.base_path, "/toolkit/");
    assert_eq!(out.file_for_url("/toolkit/").as_deref(), Some("index.html"));
    assert_eq!(
        out.file_for_url("/toolkit/ar/x/#step-1").as_deref(),
        Some("ar/x/index.html")
    );
    assert_eq!(
        out.file_for_url("/toolkit/css/main.abc.css").as_deref(),
        Some("css/main.abc.css")
    );
    assert_eq!(
        out.file_for_url("https://example.org/toolkit/ar/")
            .as_deref(),
        Some("ar/index.html")
    );
    assert_eq!(out.file_for_url("/other/"), None);
    assert_eq!(
        out.permalink_of("ar/x/index.html"),
        "https://example.org/toolkit/ar/x/"
    );
    assert_eq!(
        Output::new("/x".into(), "https://example.org/").base_path,
        "/"
    );
}

#[test]
fn external_urls() {
    let base = "https://example.org/";
    assert!(is_external("https://www.nhs.uk/", base));
    assert!(is_external("mailto:a@b.c", base));
    assert!(is_external("//cdn.example/x.js", base));
    assert!(is_external("javascript:alert(1)", base));
    assert!(!is_external("https://example.org/ar/", base));
    assert!(!is_external("/ar/", base));
    assert!(!is_external("pic.png", base));
    assert!(!is_external("#step-1", base));
    assert_eq!(
        normalize_path("/ar/guide/poster/../poster/./pic.png"),
        "/ar/guide/poster/pic.png"
    );
}

#[test]
fn xml_reading() {
    let sitemap = r#"<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url><loc>https://example.org/a/?x=1&amp;y=2</loc>
<xhtml:link rel="alternate" hreflang="ar" href="https://example.org/ar/a/"/>
<xhtml:link rel='alternate' hreflang='en' href='https://example.org/a/' /></url>
<url><loc>https://example.org/</loc></url>
</urlset>"#;
    assert_eq!(
        xml_texts(sitemap, "loc"),
        ["https://example.org/a/?x=1&y=2", "https://example.org/"]
    );
    let parsed = Element::parse(sitemap);
    let urls = parsed.all("url");
    assert_eq!(urls.len(), 2, "<urlset> is not <url>");
    let links = urls[0].all("xhtml:link");
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].attrs["hreflang"], "ar");
    assert_eq!(links[1].attrs["href"], "https://example.org/a/");
    assert_eq!(xml_elements(sitemap, "xhtml:link").len(), 2);

    let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="https://example.org/atom.xml"/>
<entry><title>A</title><link rel="alternate" href="https://example.org/a/"/><id>https://example.org/a/</id></entry>
<entry><title>B</title><id>https://example.org/b/</id><link href="https://example.org/b/"/></entry></feed>"#;
    assert_eq!(
        feed_entry_links(feed),
        ["https://example.org/a/", "https://example.org/b/"]
    );
}

#[test]
fn html_reading() {
    let doc = Doc::parse(
        "t.html",
        r#"<html lang="ar" dir="rtl"><head><link rel="alternate" hreflang="zh-Hant" href="https://e/z/"></head>
<body><div class="content"><p>a <a href="/x/">  two
words </a></p><h2 id="%D8%A7">x</h2></div></body></html>"#,
    );
    assert_eq!(doc.lang_dir(), ("ar".to_string(), "rtl".to_string()));
    assert_eq!(doc.content_link("two words"), "/x/");
    assert!(doc.has_id("ا"));
    assert_eq!(
        doc.hreflangs().into_iter().collect::<Vec<_>>(),
        [("zh-hant".to_string(), "https://e/z/".to_string())]
    );
}

#[test]
fn broken_links_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "index.html",
        r##"<a href="/t/a/#here">ok</a><a href="/t/a/#gone">bad anchor</a><a href="/t/nope/">missing</a>
<a href="/a/">no base path</a><img src="a/pic.png"><a href="https://elsewhere/">ext</a><a href="#top">self</a><p id="top"></p>"##,
    );
    write("a/index.html", r#"<h2 id="here">h</h2>"#);
    write("a/pic.png", "png");
    let out = Output::new(dir.path().to_path_buf(), "https://example.org/t/");
    let problems = out.broken_internal_links();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].contains("gone"));
    assert!(problems[1].contains("nope"));
    assert!(problems[2].contains("base path"));
}

#[test]
#[should_panic(expected = "not well-formed")]
fn xml_that_is_not_well_formed_fails_the_test_reading_it() {
    // The old string search read this as one <url> with one <loc>.
    xml_texts("<urlset><url><loc>a</loc></urlset>", "loc");
}
