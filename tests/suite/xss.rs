//! Raw HTML written by a volunteer must not run code in a reader's browser, send them to another
//! site, or load anything from another server, whatever tricks it uses. Each payload of
//! `tests/fixtures/xss/payloads.txt` is the body of its own page (as raw HTML, and inside a
//! Markdown paragraph); the built pages are read with a real HTML parser (html5ever, as browsers
//! parse), and none of them may keep a live vector.

use crate::common::*;
use scraper::{ElementRef, Html};

fn payloads() -> Vec<String> {
    let text = std::fs::read_to_string(fixtures_dir().join("xss/payloads.txt"))
        .expect("read the payloads");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# "))
        .map(|l| l.replace("\\n", "\n"))
        .collect()
}

/// Elements that run code, embed or fetch other documents, or change where the page goes.
const FORBIDDEN: [&str; 21] = [
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "style", "form", "svg", "math", "portal", "template", "noscript", "isindex", "keygen", "video",
    "audio",
];

/// Attributes whose value a browser loads or follows.
const URL_ATTRIBUTES: [&str; 12] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "ping",
    "cite",
    "srcdoc",
];

/// What in `element` would run code or contact another server.
fn live_vectors(element: ElementRef<'_>) -> Vec<String> {
    let name = element.value().name();
    let mut found = Vec::new();
    if FORBIDDEN.contains(&name) {
        found.push(format!("a <{name}> element"));
    }
    for (attribute, value) in element.value().attrs() {
        if attribute.starts_with("on") {
            found.push(format!("the handler {attribute}= on <{name}>"));
        }
        let lower = value.to_ascii_lowercase();
        if attribute == "style" && (lower.contains("url(") || lower.contains("expression")) {
            found.push(format!("style with a URL or expression on <{name}>"));
        }
        if !URL_ATTRIBUTES.contains(&attribute) {
            continue;
        }
        // As a browser reads it: entities are already decoded by the parser; spaces and
        // control characters inside a scheme are ignored.
        let compact: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        if ["javascript:", "vbscript:", "data:", "livescript:"]
            .iter()
            .any(|s| compact.starts_with(s))
        {
            found.push(format!("{attribute}=\"{value}\" on <{name}>"));
        }
        let off_site = compact.starts_with("http:")
            || compact.starts_with("https:")
            || compact.starts_with("//");
        if off_site && name != "a" {
            found.push(format!("<{name}> fetches {value}"));
        }
        if attribute == "ping" {
            found.push(format!("ping= on <{name}>"));
        }
    }
    found
}

#[test]
fn no_payload_survives_with_a_live_vector() {
    let payloads = payloads();
    assert!(payloads.len() >= 100, "a corpus of at least 100 payloads");
    let site = Site::en();
    for (i, payload) in payloads.iter().enumerate() {
        site.write(
            &format!("content/block-{i}.md"),
            md(&format!("title: Block {i}"), payload),
        );
        site.write(
            &format!("content/inline-{i}.md"),
            md(
                &format!("title: Inline {i}"),
                &format!("Text {payload} more text."),
            ),
        );
    }
    let run = site.build();
    run.assert_ok();
    let out = site.output();
    let mut survivors = Vec::new();
    for (i, payload) in payloads.iter().enumerate() {
        for kind in ["block", "inline"] {
            let page = out.read(&format!("{kind}-{i}/index.html"));
            let html = Html::parse_document(&page);
            let Some(content) = html.select(&sel(".content")).next() else {
                survivors.push(format!("{kind} {i}: the page has no content"));
                continue;
            };
            let found: Vec<String> = content
                .descendants()
                .filter_map(ElementRef::wrap)
                .flat_map(live_vectors)
                .collect();
            if !found.is_empty() {
                survivors.push(format!(
                    "{kind} {i}: {payload:?}\n  kept {}",
                    found.join("; ")
                ));
            }
        }
    }
    assert!(
        survivors.is_empty(),
        "{} of {} pages keep a live vector:\n{}",
        survivors.len(),
        payloads.len() * 2,
        survivors.join("\n")
    );
    assert!(
        run.stderr.contains("removed <script> from raw HTML"),
        "what is removed is reported: {run}"
    );
}

#[test]
fn the_toolkits_own_raw_html_is_kept_as_written() {
    let site = Site::en();
    site.write(
        "content/faq.md",
        md(
            "title: FAQ",
            "<details open>\n<summary>Can we ask for ID?</summary>\n\nNo. See [the rules](https://www.nhs.uk/).\n\n</details>\n\n\
             <div lang=\"ar\" dir=\"rtl\" class=\"note\" id=\"arabic\">نص</div>\n\n\
             | a | b |\n|--:|:-:|\n| 1 | 2 |\n\n<abbr title=\"General practitioner\">GP</abbr> \
             <a href=\"mailto:team@example.org\">mail</a> <a href=\"tel:111\">111</a>\n",
        ),
    );
    let run = site.build();
    run.assert_ok();
    assert!(!run.stderr.contains("removed"), "nothing is removed: {run}");
    let doc = site.output().html("faq/index.html");
    assert_eq!(doc.count(".content details[open] > summary"), 1);
    assert_eq!(doc.attr(".content div#arabic", "dir"), "rtl");
    assert_eq!(doc.attr(".content div#arabic", "lang"), "ar");
    assert_eq!(doc.count(".content td.align-right"), 1);
    assert_eq!(doc.attr(".content abbr", "title"), "General practitioner");
    assert_eq!(
        doc.attrs(".content a", "href"),
        vec!["https://www.nhs.uk/", "mailto:team@example.org", "tel:111"]
    );
}
