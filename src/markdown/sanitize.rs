//! Raw HTML in Markdown is allowed, within an allowlist: the elements and attributes the
//! toolkit's pages use, and links that are relative or `http(s):`, `mailto:` or `tel:`.
//!
//! ammonia (on html5ever, the parser browsers' behaviour is specified by) does the cleaning.
//! Markdown hands raw HTML over in fragments (`<details>` in one event, the Markdown inside it
//! in others, `</details>` later), which no sanitiser can judge one by one, so the whole rendered
//! body of a page that had raw HTML is cleaned at once ([`clean`]). Each fragment is also
//! cleaned alone, only to tell the editor what was taken out and where ([`removed_from`]).

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use scraper::{Html, Node};

/// Schemes a link or image may have; anything else (`javascript:`, `data:`, `vbscript:`) is
/// removed, as browsers read it: after entity decoding and without spaces or controls.
const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    // Besides ammonia's defaults: what Markdown makes (task lists' checkboxes, headings' ids,
    // code's language classes, table alignment classes, tables' focusable scroll boxes) and the
    // toolkit's components (callouts and changed parts with `role`, translations with `lang`
    // and `dir`, `<details open>`).
    builder
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("div", ["tabindex"])
        .add_tag_attributes("a", ["rel"])
        .add_tag_attributes("img", ["title", "loading"])
        .add_tag_attributes("time", ["datetime"])
        .add_generic_attributes(["id", "class", "dir", "role", "hidden"])
        .add_generic_attribute_prefixes(["aria-"])
        .url_schemes(SCHEMES.into_iter().collect())
        .url_relative(UrlRelative::PassThrough)
        // The toolkit's own links say what they need; none are opened in new windows.
        .link_rel(None)
        .clean_content_tags(["script", "style", "template"].into_iter().collect())
        .attribute_filter(|element, attribute, value| {
            // The site promises readers that it asks nothing of other servers: an image or
            // other resource from elsewhere would tell that server who is reading.
            let fetched = element != "a" && element != "area" && is_url_attribute(attribute);
            (!(fetched && is_off_site(value))).then_some(value.into())
        });
    builder
});

/// A URL on another host: with a scheme (`https:`), or scheme-relative (`//host/`).
fn is_off_site(url: &str) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    url.starts_with("//")
        || url.contains("://")
        || url.starts_with("http:")
        || url.starts_with("https:")
}

/// `html` with everything outside the allowlist taken out.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// What cleaning `fragment` takes out, in words for a warning: "<script>", "the onclick
/// attribute", "the link to `javascript:…`". Empty when it keeps everything that matters
/// (re-quoting and closing tags do not count).
pub fn removed_from(fragment: &str) -> Vec<String> {
    let before = census(fragment);
    let after: HashSet<Item> = census(&clean(fragment)).into_iter().collect();
    let mut removed = Vec::new();
    for item in before {
        if after.contains(&item) {
            continue;
        }
        let said = match &item {
            Item::Element(name) => format!("<{name}>"),
            Item::Attribute(element, name, value) if is_url_attribute(name) => {
                if element != "a" && is_off_site(value) {
                    format!("<{element}> from another server `{}`", shortened(value))
                } else {
                    format!("the link to `{}`", shortened(value))
                }
            }
            Item::Attribute(element, name, _) => format!("the {name} attribute of <{element}>"),
        };
        if !removed.contains(&said) {
            removed.push(said);
        }
    }
    removed
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Item {
    Element(String),
    Attribute(String, String, String),
}

/// The elements and attributes of `html` as a fragment parser reads it, each once, in the
/// order they come: the editor is told what was removed in the order of the page, the same
/// on every build.
fn census(html: &str) -> Vec<Item> {
    let parsed = Html::parse_fragment(html);
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    let mut add = |item: Item| {
        if !seen.contains(&item) {
            seen.insert(item.clone());
            items.push(item);
        }
    };
    for node in parsed.tree.nodes() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        let name = element.name().to_owned();
        // The fragment parser's own wrapper.
        if name == "html" {
            continue;
        }
        for (attribute, value) in element.attrs() {
            add(Item::Attribute(
                name.clone(),
                attribute.to_owned(),
                value.to_owned(),
            ));
        }
        add(Item::Element(name));
    }
    items
}

fn is_url_attribute(name: &str) -> bool {
    matches!(
        name,
        "href" | "src" | "srcset" | "action" | "formaction" | "xlink:href" | "data" | "poster"
    )
}

fn shortened(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

/// Whether a Markdown link or image may keep `url` (already entity-decoded by the Markdown
/// parser): relative, `@/`, or one of [`SCHEMES`].
pub fn is_allowed_url(url: &str) -> bool {
    // Browsers ignore these inside a scheme: `java\tscript:` is `javascript:`.
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let Some((scheme, _)) = compact.split_once(':') else {
        return true;
    };
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after the first `/`, `?` or `#` is part of a path, not a scheme.
    !is_scheme || SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_removed_is_told_in_the_order_of_the_page() {
        let html = "<script></script><iframe></iframe><object></object><embed>\
                    <form></form><button></button><select></select><textarea></textarea>";
        let tags = [
            "script", "iframe", "object", "embed", "form", "button", "select", "textarea",
        ];
        let expected: Vec<String> = tags.iter().map(|t| format!("<{t}>")).collect();
        assert_eq!(removed_from(html), expected);
    }

    #[test]
    fn removes_scripts_with_their_content_and_says_so() {
        let html = "<p>a</p><script>alert('x')</script><p>b</p>";
        assert_eq!(clean(html), "<p>a</p><p>b</p>");
        assert_eq!(removed_from(html), vec!["<script>"]);
    }

    #[test]
    fn removes_handlers_and_script_urls_keeps_the_rest() {
        let html =
            "<a href=\"javascript:alert(1)\" class=\"x\">y</a><span onclick=\"z()\">w</span>";
        assert_eq!(clean(html), "<a class=\"x\">y</a><span>w</span>");
        let removed = removed_from(html);
        assert!(
            removed.contains(&"the link to `javascript:alert(1)`".to_owned()),
            "{removed:?}"
        );
        assert!(
            removed.contains(&"the onclick attribute of <span>".to_owned()),
            "{removed:?}"
        );
    }

    #[test]
    fn keeps_the_toolkits_components() {
        let html = "<details open><summary>Q</summary><p lang=\"ar\" dir=\"rtl\">ج</p></details>\
                    <div class=\"callout\" role=\"note\"><h2 id=\"x\">T</h2></div>\
                    <table><tr><td class=\"align-right\">1</td></tr></table>";
        assert!(removed_from(html).is_empty(), "{:?}", removed_from(html));
    }

    #[test]
    fn entities_without_semicolons_are_decoded_as_browsers_do() {
        for html in [
            "<a href=\"&#106avascript:alert(1)\">x</a>",
            "<a href=\"javascript&#58alert(1)\">x</a>",
            "<a href=\"&#0000106avascript:alert(1)\">x</a>",
        ] {
            assert!(!clean(html).contains("href"), "{html} -> {}", clean(html));
        }
    }

    #[test]
    fn markdown_urls_are_allowed_by_scheme() {
        for ok in [
            "../a/",
            "@/guidance/a.md#b",
            "https://nhs.uk",
            "mailto:a@b.org",
            "tel:111",
            "/a:b",
        ] {
            assert!(is_allowed_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVa\tScRiPt:x",
            "data:text/html,x",
            "vbscript:x",
            "data:image/svg+xml,x",
        ] {
            assert!(!is_allowed_url(bad), "{bad}");
        }
    }
}
