//! Internal links: `@/` links to source files, their language fallback and anchors, the base
//! path of `base_url`, aliases and the `url()` template function. Fixture: `tests/fixtures/links`
//! (en default, ar; `english-only.md` has no Arabic version).

use crate::common::*;

const TOOLKIT: &str = "https://example.org/toolkit/";

/// The links fixture built with `base_url` replaced.
fn build_with_base_url(base_url: &str) -> Output {
    let site = Site::fixture("links");
    let yaml = site
        .read("site.yaml")
        .replace("https://example.org/", base_url);
    site.write("site.yaml", yaml);
    site.build().assert_ok();
    site.output_for(base_url)
}

#[test]
fn at_links_go_to_the_same_language_page() {
    let out = Site::fixture("links").build_ok();
    let en = out.html("guidance/links/index.html");
    assert_eq!(en.content_link("same language"), "/guidance/registration/");
    let ar = out.html("ar/guidance/links/index.html");
    assert_eq!(
        ar.content_link("same language"),
        "/ar/guidance/registration/"
    );
}

#[test]
fn at_links_fall_back_to_the_default_language() {
    let out = Site::fixture("links").build_ok();
    let ar = out.html("ar/guidance/links/index.html");
    assert_eq!(
        ar.content_link("fallback"),
        "/guidance/english-only/#details"
    );
}

#[test]
fn at_links_keep_their_anchor() {
    let out = Site::fixture("links").build_ok();
    assert_eq!(
        out.html("guidance/links/index.html")
            .content_link("with anchor"),
        "/guidance/registration/#step-1"
    );
    assert_eq!(
        out.html("ar/guidance/links/index.html")
            .content_link("with anchor"),
        "/ar/guidance/registration/#step-1"
    );
}

#[test]
fn at_links_to_sections_and_home() {
    let out = Site::fixture("links").build_ok();
    let en = out.html("guidance/links/index.html");
    assert_eq!(en.content_link("section"), "/guidance/");
    assert_eq!(en.content_link("home"), "/");
    let ar = out.html("ar/guidance/links/index.html");
    assert_eq!(ar.content_link("section"), "/ar/guidance/");
    assert_eq!(ar.content_link("home"), "/ar/");
    // Links in section content are resolved too.
    assert_eq!(
        out.html("ar/index.html").content_link("بالتسجيل"),
        "/ar/guidance/registration/"
    );
}

#[test]
fn external_links_are_left_alone() {
    let out = Site::fixture("links").build_ok();
    assert_eq!(
        out.html("ar/guidance/links/index.html")
            .content_link("external"),
        "https://www.nhs.uk/nhs-services/gps/"
    );
}

#[test]
fn every_internal_link_resolves() {
    let out = Site::fixture("links").build_ok();
    out.assert_internal_links_resolve();
}

#[test]
fn base_path_prefixes_every_internal_url() {
    let out = build_with_base_url(TOOLKIT);
    assert_eq!(out.base_path, "/toolkit/");

    let en = out.html("guidance/links/index.html");
    assert_eq!(
        en.content_link("same language"),
        "/toolkit/guidance/registration/"
    );
    assert_eq!(en.content_link("home"), "/toolkit/");
    let ar = out.html("ar/guidance/links/index.html");
    assert_eq!(
        ar.content_link("fallback"),
        "/toolkit/guidance/english-only/#details"
    );
    assert_eq!(
        ar.attr(r#"link[rel="canonical"]"#, "href"),
        "https://example.org/toolkit/ar/guidance/links/"
    );
    assert!(
        ar.attr(r#"link[rel="stylesheet"]"#, "href")
            .starts_with("/toolkit/css/main.")
    );

    // No internal URL anywhere escapes the base path (absolute ones carry it too).
    let mut bad = Vec::new();
    for file in out.html_files() {
        for (element, url) in out.html(&file).urls() {
            let internal = url.starts_with('/') && !url.starts_with("//");
            let absolute_here = url.starts_with("https://example.org");
            if (internal && !url.starts_with("/toolkit/"))
                || (absolute_here && !url.starts_with(TOOLKIT))
            {
                bad.push(format!("{file}: <{element}> {url}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "URLs without the base path:\n{}",
        bad.join("\n")
    );

    out.assert_internal_links_resolve();
}

#[test]
fn base_path_is_in_sitemap_urls() {
    let out = build_with_base_url(TOOLKIT);
    let locs = xml_texts(&out.read("sitemap.xml"), "loc");
    assert!(!locs.is_empty());
    for loc in &locs {
        assert!(loc.starts_with(TOOLKIT), "sitemap <loc>{loc}</loc>");
    }
    assert!(locs.contains(&"https://example.org/toolkit/ar/guidance/registration/".to_string()));
}

#[test]
fn aliases_redirect_to_the_page() {
    let out = Site::fixture("links").build_ok();
    let alias = out.read("old/registration/index.html");
    assert!(
        alias.contains("/guidance/registration/"),
        "alias page does not point at the page:\n{alias}"
    );
    // The alias is not a page of its own in the sitemap.
    let sitemap = out.read("sitemap.xml");
    assert!(!sitemap.contains("/old/registration/"), "{sitemap}");
}

#[test]
fn template_functions_url_and_css() {
    let site = Site::fixture("links");
    site.write(
        "themes/default/templates/special.html",
        r#"{% extends "page.html" %}
{% block kind %}special{% endblock kind %}
{% block extra %}<p class="fn">
<a class="fn-page" href="{{ url(path="@/guidance/registration.md") }}">page</a>
<a class="fn-file" href="{{ url(path="img/logo.svg") }}">file</a>
<a class="fn-css" href="{{ css(name="main") }}">css</a>
</p>{% endblock extra %}
"#,
    );
    site.write(
        "content/guidance/special.md",
        md("title: Special\ntemplate: special.html", "Hi."),
    );
    site.write(
        "content/guidance/special.ar.md",
        md("title: خاص\ntemplate: special.html", "مرحبا."),
    );
    let out = site.build_ok();

    let en = out.html("guidance/special/index.html");
    assert_eq!(en.attr("main", "data-template"), "special");
    assert_eq!(en.attr(".fn-page", "href"), "/guidance/registration/");
    assert_eq!(en.attr(".fn-file", "href"), "/img/logo.svg");
    assert_eq!(
        en.attr(".fn-css", "href"),
        en.attr(r#"link[rel="stylesheet"]"#, "href")
    );

    let ar = out.html("ar/guidance/special/index.html");
    assert_eq!(
        ar.attr(".fn-page", "href"),
        "/ar/guidance/registration/",
        "url(@/…) uses the current language"
    );
    assert_eq!(ar.attr(".fn-file", "href"), "/img/logo.svg");
}
