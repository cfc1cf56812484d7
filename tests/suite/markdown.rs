//! Markdown rendering: extensions, alerts, heading ids, the table of contents and the removal
//! of dangerous raw HTML. Fixture: `tests/fixtures/markdown` (`content/features.md`, whose line
//! numbers the warning test relies on, and `features.ar.md`).

use std::collections::BTreeSet;

use crate::common::*;

fn build() -> (Output, Run) {
    let site = Site::fixture("markdown");
    let run = site.build();
    run.assert_ok();
    (site.output(), run)
}

fn features() -> Doc {
    build().0.html("features/index.html")
}

#[test]
fn tables_render() {
    let doc = features();
    assert_eq!(doc.texts(".content table thead th"), ["Document", "Needed"]);
    assert_eq!(doc.texts(".content table tbody td"), ["Passport", "No"]);
}

#[test]
fn a_table_sits_in_a_scroll_box_named_by_its_headings_even_beside_raw_html() {
    // The raw HTML sends the whole body through the sanitiser, which must keep the box's
    // focusability and name.
    let site = Site::en();
    site.write(
        "content/rules.md",
        md(
            "title: Rules",
            "<p>Raw.</p>\n\n| `--output` | What it does |\n|---|---|\n| x | y |\n",
        ),
    );
    let doc = site.build_ok().html("rules/index.html");
    assert_eq!(doc.count(".content .table-scroll > table"), 1);
    assert_eq!(doc.attr(".content .table-scroll", "role"), "region");
    assert_eq!(doc.attr(".content .table-scroll", "tabindex"), "0");
    assert_eq!(
        doc.attr(".content .table-scroll", "aria-label"),
        "--output, What it does"
    );
}

#[test]
fn aligned_columns_use_classes_not_inline_styles() {
    // A strict Content-Security-Policy blocks style attributes, so alignment must be a class.
    let doc = features();
    assert_eq!(
        doc.attrs(".content table thead th", "class"),
        ["align-left", "align-right"]
    );
    assert_eq!(
        doc.count(".content [style]"),
        0,
        "no inline style left in the content"
    );
}

#[test]
fn footnote_ids_cannot_clash_with_heading_ids() {
    let site = Site::en();
    site.write(
        "content/notes.md",
        md(
            "title: Notes",
            "## 1\n\nA claim.[^1]\n\n[^1]: The source.\n",
        ),
    );
    let doc = site.build_ok().html("notes/index.html");
    let ids = doc.attrs("[id]", "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    let href = doc.attr(".content sup a", "href");
    assert!(
        doc.exists(&format!("[id='{}']", &href[1..])),
        "footnote target {href} missing"
    );
}

#[test]
fn strikethrough_renders() {
    let doc = features();
    let struck: Vec<String> = [doc.texts(".content del"), doc.texts(".content s")].concat();
    assert_eq!(struck, ["old advice"]);
}

#[test]
fn task_lists_render() {
    let doc = features();
    let boxes = doc.select(r#".content input[type="checkbox"]"#);
    assert_eq!(boxes.len(), 2, "task list checkboxes");
    assert!(boxes[0].attr("checked").is_some(), "[x] is checked");
    assert!(boxes[1].attr("checked").is_none(), "[ ] is not checked");
    assert!(
        boxes.iter().all(|b| b.attr("disabled").is_some()),
        "checkboxes are disabled"
    );
}

#[test]
fn footnotes_render_and_link_to_their_text() {
    let doc = features();
    let refs = doc.attrs(".content sup a[href^='#']", "href");
    assert_eq!(refs.len(), 1, "one footnote reference");
    let target = percent_decode(&refs[0][1..]);
    let definition = doc
        .select("[id]")
        .into_iter()
        .find(|e| percent_decode(e.attr("id").unwrap()) == target)
        .unwrap_or_else(|| panic!("no element with the footnote's id {target:?}"));
    assert!(
        text_of(definition).contains("The footnote text."),
        "{}",
        text_of(definition)
    );
}

#[test]
fn smart_punctuation_is_applied() {
    let doc = features();
    let intro = doc
        .texts(".content p")
        .into_iter()
        .find(|p| p.starts_with("Intro"))
        .expect("intro paragraph");
    assert!(intro.contains("“smart quotes”"), "{intro}");
}

#[test]
fn alerts_become_callouts_with_a_title() {
    let doc = features();
    let callout = doc.one(".content div.callout.callout-warning");
    assert_eq!(callout.attr("role"), Some("note"));
    let text = text_of(callout);
    assert!(text.contains("Never ask to see a passport."), "{text}");
    assert!(
        text.to_lowercase().contains("warning"),
        "no visible title in {text:?}"
    );
    assert!(!text.contains("[!WARNING]"), "marker left in {text:?}");
    // Not a blockquote any more.
    assert!(!doc.exists(".content blockquote"));
}

#[test]
fn alerts_are_titled_in_the_page_language() {
    let (out, _) = build();
    let ar = out.html("ar/features/index.html");
    let callout = ar.one(".content div.callout.callout-warning");
    assert_eq!(callout.attr("role"), Some("note"));
    let text = text_of(callout);
    let body = "لا تطلب أبداً رؤية جواز السفر.";
    assert!(text.contains(body), "{text}");
    let title = text.replace(body, "");
    assert!(
        !title.trim().is_empty(),
        "callout without a title: {text:?}"
    );
}

#[test]
fn heading_ids_keep_their_script() {
    let (out, _) = build();
    let ar = out.html("ar/features/index.html");
    let ids: Vec<String> = ar
        .select(".content h2")
        .iter()
        .map(|h| percent_decode(h.attr("id").unwrap_or("")))
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], "التسجيل");
    assert_ne!(ids[1], ids[0], "duplicate headings got the same id");
    assert!(ids[1].starts_with("التسجيل"), "{:?}", ids[1]);
}

#[test]
fn heading_ids_are_unique_within_the_page() {
    let doc = features();
    let ids = doc.ids();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    let steps: Vec<String> = doc
        .select(".content h2")
        .iter()
        .filter(|h| text_of(**h) == "Step")
        .map(|h| h.attr("id").expect("heading id").to_string())
        .collect();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0], "step");
    assert_ne!(steps[0], steps[1]);
}

#[test]
fn heading_attributes_set_id_and_class() {
    let doc = features();
    let h = doc.one(".content h2#custom-id");
    assert!(
        h.value().classes().any(|c| c == "special"),
        "class .special"
    );
    assert_eq!(text_of(h), "Custom");
}

#[test]
fn toc_lists_headings_nested_by_level() {
    let doc = features();
    let top: Vec<String> = doc
        .select(".toc > ol > li > a")
        .iter()
        .map(|a| text_of(*a))
        .collect();
    assert_eq!(top, ["Step", "Step", "Custom"]);
    let nested: Vec<String> = doc.texts(".toc > ol > li > ol > li > a");
    assert_eq!(nested, ["Sub step"]);
    // The nested entry sits under the second "Step".
    let second = doc.select(".toc > ol > li").into_iter().nth(1).unwrap();
    assert!(text_of(second).contains("Sub step"));
    // Every toc entry points at a heading of the page.
    for href in doc.attrs(".toc a", "href") {
        let id = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("toc href {href:?}"));
        let heading = doc
            .select(".content h2, .content h3")
            .into_iter()
            .any(|h| h.attr("id").map(percent_decode) == Some(percent_decode(id)));
        assert!(heading, "toc entry {href} has no heading");
    }
}

#[test]
fn raw_html_is_kept() {
    let doc = features();
    assert_eq!(doc.text(".content div.kept"), "Kept HTML");
    assert_eq!(doc.text(".content .clicky"), "click me");
    assert_eq!(doc.text(".content .jslink"), "js link");
}

#[test]
fn dangerous_html_is_removed() {
    let doc = features();
    assert_eq!(doc.count("script"), 0, "<script> kept");
    assert_eq!(doc.count("iframe"), 0, "<iframe> kept");
    assert_eq!(doc.count("[onclick]"), 0, "onclick= kept");
    for (element, url) in doc.urls() {
        assert!(
            !url.to_ascii_lowercase().starts_with("javascript:"),
            "<{element}> {url}"
        );
    }
    let html = doc.html.html();
    assert!(
        !html.contains("script-payload"),
        "the script's text is left in the page"
    );
    assert!(
        !html.contains("evil.example"),
        "the iframe's URL is left in the page"
    );
}

#[test]
fn removed_html_is_reported_with_file_and_line() {
    let (_, run) = build();
    let warnings = run.warning_lines();
    assert!(!warnings.is_empty(), "no warning:\n{run}");
    // <script> is on line 37, <iframe> on 39, javascript: and onclick= on 41.
    run.assert_line_mentioned("content/features.md", 37);
    run.assert_line_mentioned("content/features.md", 39);
    run.assert_line_mentioned("content/features.md", 41);
    assert!(
        warnings.iter().all(|w| !w.contains("error:")),
        "removing HTML is a warning, not an error:\n{run}"
    );
}

#[test]
fn template_output_is_escaped() {
    let site = Site::en();
    site.write(
        "content/fish.md",
        md("title: \"Fish & <b>Chips</b>\"", "Text."),
    );
    let out = site.build_ok();
    let doc = out.html("fish/index.html");
    assert_eq!(doc.text("h1.page-title"), "Fish & <b>Chips</b>");
    assert_eq!(doc.count("h1.page-title b"), 0);
}
