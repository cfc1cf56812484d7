//! `draft: true` pages are built only with `--drafts`.

use crate::common::*;

fn site() -> Site {
    let site = Site::en();
    site.write("content/guidance/_index.md", md("title: Guidance", ""));
    site.write(
        "content/guidance/public.md",
        md("title: Public\ndate: 2024-01-01", "Out."),
    );
    site.write(
        "content/guidance/secret.md",
        md("title: Secret\ndate: 2024-02-01\ndraft: true", "Not yet."),
    );
    site
}

#[test]
fn drafts_are_left_out_by_default() {
    let out = site().build_ok();
    out.assert_exists("guidance/public/index.html");
    out.assert_missing("guidance/secret/index.html");
    assert_eq!(
        out.html("guidance/index.html").texts(".section-pages a"),
        ["Public"]
    );
    let sitemap = out.read("sitemap.xml");
    assert!(
        !sitemap.contains("/guidance/secret/"),
        "draft in sitemap:\n{sitemap}"
    );
    let feed = out.read("atom.xml");
    assert_eq!(
        feed_entry_links(&feed),
        ["https://example.org/guidance/public/"],
        "{feed}"
    );
}

#[test]
fn drafts_flag_builds_them() {
    let site = site();
    site.build_with(&["--drafts"]).assert_ok();
    let out = site.output();
    assert_eq!(
        out.html("guidance/secret/index.html").text("h1.page-title"),
        "Secret"
    );
    let mut listed = out.html("guidance/index.html").texts(".section-pages a");
    listed.sort();
    assert_eq!(listed, ["Public", "Secret"]);
}

#[test]
fn links_to_a_draft_resolve_with_the_drafts_flag() {
    // What a link to a left-out draft does without --drafts is not in the README; with --drafts
    // the target exists and the link must resolve.
    let site = site();
    site.write(
        "content/guidance/linker.md",
        md("title: Linker", "[secret](@/guidance/secret.md)"),
    );
    site.build_with(&["--drafts"]).assert_ok();
    let doc = site.output().html("guidance/linker/index.html");
    assert_eq!(doc.content_link("secret"), "/guidance/secret/");
}
