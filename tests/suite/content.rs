//! How `content/` maps to the output: page bundles, copied files, dotted names, folders without
//! `_index.md`, ordering, templates per kind, and files with a BOM and CRLF line ends.

use crate::common::*;

/// The first bytes of a PNG file: enough for a copied asset.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn bundle_site() -> Site {
    let site = Site::en_ar();
    site.write("content/guide/_index.md", md("title: Guide", ""));
    site.write("content/guide/_index.ar.md", md("title: دليل", ""));
    site.write(
        "content/guide/poster/index.md",
        md("title: Poster", "![The poster](pic.png)"),
    );
    site.write(
        "content/guide/poster/index.ar.md",
        md("title: ملصق", "![الملصق](pic.png)"),
    );
    site.write("content/guide/poster/pic.png", PNG);
    site
}

#[test]
fn page_bundle_is_a_page_with_its_assets_beside_it() {
    let out = bundle_site().build_ok();
    assert_eq!(
        out.html("guide/poster/index.html").text("h1.page-title"),
        "Poster"
    );
    assert_eq!(out.bytes("guide/poster/pic.png"), PNG);
    // Not a page called "index".
    out.assert_missing("guide/poster/index/index.html");
    // The bundle is a page of its section, not a section.
    let section = out.html("guide/index.html");
    assert_eq!(
        section.links(".section-pages a"),
        [("/guide/poster/".to_string(), "Poster".to_string())]
    );
}

#[test]
fn bundle_translations_use_the_default_language_assets() {
    let out = bundle_site().build_ok();
    out.assert_exists("ar/guide/poster/index.html");
    for file in ["guide/poster/index.html", "ar/guide/poster/index.html"] {
        let doc = out.html(file);
        let src = doc.attr(".content img", "src");
        let dir = format!("/{}", file.trim_end_matches("index.html"));
        let target = if src.starts_with('/') {
            src.clone()
        } else {
            normalize_path(&format!("{dir}{src}"))
        };
        assert_eq!(
            out.file_for_url(&target).as_deref(),
            Some("guide/poster/pic.png"),
            "{file}: img src {src:?} should reach the bundle's pic.png"
        );
    }
}

#[test]
fn non_markdown_files_are_copied_to_the_same_place() {
    let site = Site::en();
    site.write("content/guidance/_index.md", md("title: Guidance", ""));
    site.write("content/guidance/forms/gms1.pdf", b"%PDF-1.4 fake\n");
    site.write("content/leaflet.txt", "plain text\n");
    let out = site.build_ok();
    assert_eq!(out.bytes("guidance/forms/gms1.pdf"), b"%PDF-1.4 fake\n");
    assert_eq!(out.read("leaflet.txt"), "plain text\n");
}

#[test]
fn dotted_names_that_are_not_languages_belong_to_the_name() {
    let site = Site::en_ar();
    site.write("content/nhs.england.md", md("title: NHS England", "Text."));
    site.write(
        "content/nhs.england.ar.md",
        md("title: إن إتش إس إنجلترا", "نص."),
    );
    site.write("content/v-old.md", md("title: Old version", "Text."));
    let out = site.build_ok();
    assert_eq!(
        out.html("nhs.england/index.html").text("h1.page-title"),
        "NHS England"
    );
    assert_eq!(
        out.html("ar/nhs.england/index.html").text("h1.page-title"),
        "إن إتش إس إنجلترا"
    );
    assert_eq!(
        out.html("v-old/index.html").text("h1.page-title"),
        "Old version"
    );
}

#[test]
fn slug_replaces_the_last_part_of_the_url() {
    let site = Site::en();
    site.write("content/guidance/_index.md", md("title: Guidance", ""));
    site.write(
        "content/guidance/reg.md",
        md("title: Registering\nslug: registering-without-id", "Text."),
    );
    let out = site.build_ok();
    out.assert_exists("guidance/registering-without-id/index.html");
    out.assert_missing("guidance/reg/index.html");
}

#[test]
fn folder_without_index_lists_its_pages_under_the_nearest_section() {
    let site = Site::en();
    site.write("content/guide/_index.md", md("title: Guide", ""));
    site.write(
        "content/guide/extra/leaflet.md",
        md("title: Leaflet", "Text."),
    );
    let run = site.build();
    run.assert_ok();
    assert!(
        !run.warning_lines().is_empty(),
        "no warning about guide/extra/ having no _index.md\n{run}"
    );
    assert!(
        run.stderr.contains("extra"),
        "the warning names the folder\n{run}"
    );
    let out = site.output();
    out.assert_exists("guide/extra/leaflet/index.html");
    let section = out.html("guide/index.html");
    assert_eq!(
        section.links(".section-pages a"),
        [("/guide/extra/leaflet/".to_string(), "Leaflet".to_string())]
    );
    out.assert_missing("guide/extra/index.html");
}

#[test]
fn pages_are_ordered_by_weight_then_title_with_neighbours() {
    let site = Site::en();
    site.write("content/steps/_index.md", md("title: Steps", ""));
    site.write("content/steps/a.md", md("title: Gamma\nweight: 20", ""));
    site.write("content/steps/b.md", md("title: Beta\nweight: 10", ""));
    site.write("content/steps/c.md", md("title: Alpha\nweight: 10", ""));
    let out = site.build_ok();

    let section = out.html("steps/index.html");
    assert_eq!(
        section.texts(".section-pages a"),
        ["Alpha", "Beta", "Gamma"]
    );

    let beta = out.html("steps/b/index.html");
    assert_eq!(
        beta.links(r#".pager a[rel="prev"]"#),
        [("/steps/c/".to_string(), "Alpha".to_string())]
    );
    assert_eq!(
        beta.links(r#".pager a[rel="next"]"#),
        [("/steps/a/".to_string(), "Gamma".to_string())]
    );
    let alpha = out.html("steps/c/index.html");
    assert_eq!(
        alpha.count(r#".pager a[rel="prev"]"#),
        0,
        "the first page has no previous"
    );
    let gamma = out.html("steps/a/index.html");
    assert_eq!(
        gamma.count(r#".pager a[rel="next"]"#),
        0,
        "the last page has no next"
    );
}

#[test]
fn subsections_are_listed_and_in_the_nav() {
    let site = Site::en();
    site.write(
        "content/guidance/_index.md",
        md("title: Guidance\nweight: 1", ""),
    );
    site.write(
        "content/posters/_index.md",
        md("title: Posters\nweight: 2", ""),
    );
    let out = site.build_ok();
    let home = out.html("index.html");
    assert_eq!(
        home.links(".subsections a"),
        [
            ("/guidance/".to_string(), "Guidance".to_string()),
            ("/posters/".to_string(), "Posters".to_string())
        ]
    );
    assert_eq!(home.texts(".site-nav a"), ["Guidance", "Posters"]);
}

#[test]
fn each_kind_is_rendered_with_its_template() {
    let site = Site::en();
    site.write("content/guidance/_index.md", md("title: Guidance", ""));
    site.write("content/guidance/page.md", md("title: Page", ""));
    let out = site.build_ok();
    assert_eq!(
        out.html("index.html").attr("main", "data-template"),
        "index"
    );
    assert_eq!(
        out.html("guidance/index.html")
            .attr("main", "data-template"),
        "section"
    );
    assert_eq!(
        out.html("guidance/page/index.html")
            .attr("main", "data-template"),
        "page"
    );
}

#[test]
fn byte_order_mark_and_crlf_line_ends_are_accepted() {
    let site = Site::en();
    site.write(
        "content/windows.md",
        "\u{feff}---\r\ntitle: Saved on Windows\r\nweight: 3\r\n---\r\n\r\n## First part\r\n\r\nSome text.\r\n",
    );
    let out = site.build_ok();
    let doc = out.html("windows/index.html");
    assert_eq!(doc.text("h1.page-title"), "Saved on Windows");
    assert_eq!(doc.attr(".content h2", "id"), "first-part");
    let html = out.read("windows/index.html");
    assert!(!html.contains('\u{feff}'), "BOM leaked into the page");
    assert!(
        !html.contains("title: Saved"),
        "front matter leaked into the page"
    );
}
