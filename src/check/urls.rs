//! What a URL in a page or stylesheet means for `check`: a file of the site, another site, or
//! nothing to follow; and which URLs in HTML and CSS make a browser fetch something.

use scraper::{ElementRef, Html, Selector};

/// A URL as the built site uses it.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site: its path in the output folder (`ar/guidance/index.html`) and the
    /// `#fragment`, if any.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// Another host.
    External(String),
    /// `mailto:`, `tel:`, `data:` and the like: nothing to check.
    Other,
}

/// Where the site is published, to tell its own absolute URLs from other sites'.
pub struct Base<'a> {
    /// `https://example.org/toolkit/`
    pub url: &'a str,
    /// `/toolkit/`
    pub path: &'a str,
}

impl Base<'_> {
    /// Resolves `url`, found in the output file `from` (`ar/guidance/index.html`).
    pub fn resolve(&self, from: &str, url: &str) -> Target {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix(self.url) {
            return internal(&format!("{}{rest}", self.path), self.path);
        }
        if url.starts_with("//") {
            return Target::External(url.to_owned());
        }
        if let Some((scheme, _)) = url.split_once(':') {
            let is_scheme = !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
            if is_scheme {
                return match scheme.to_ascii_lowercase().as_str() {
                    "http" | "https" | "ftp" | "ws" | "wss" => Target::External(url.to_owned()),
                    _ => Target::Other,
                };
            }
        }
        if url.starts_with('/') {
            return internal(url, self.path);
        }
        // Relative: against the folder of the page's URL.
        let folder = match from.rfind('/') {
            Some(i) => &from[..=i],
            None => "",
        };
        let joined = if url.starts_with('#') || url.starts_with('?') || url.is_empty() {
            let file = crate::paths::folder_of_page(from);
            format!("{}{file}{url}", self.path)
        } else {
            format!("{}{folder}{url}", self.path)
        };
        internal(&joined, self.path)
    }
}

/// A root-relative URL under `base_path` as an output path (folders mean their `index.html`).
fn internal(url: &str, base_path: &str) -> Target {
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(decode(fragment))),
        None => (url, None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    match crate::paths::file_of_decoded(base_path, &decode(rest)) {
        Some(path) => Target::Internal { path, fragment },
        // Outside the site's folder on its own host: as good as another site.
        None => Target::External(url.to_owned()),
    }
}

/// Percent-decoding for paths and fragments; a malformed one is compared as written.
fn decode(text: &str) -> String {
    crate::text::percent_decode(text).unwrap_or_else(|| text.to_owned())
}

/// True when a browser would fetch `url` from another host (`https:`, `http:`, `//host`).
pub fn is_off_site(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("//")
        || lower.starts_with("ws:")
        || lower.starts_with("wss:")
        || lower.starts_with("ftp:")
}

/// `link rel`s that only describe a relation; every other `link` makes the browser fetch.
const DESCRIPTIVE_RELS: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "external",
    "help",
    "license",
    "me",
    "next",
    "nofollow",
    "noopener",
    "noreferrer",
    "prev",
    "search",
    "tag",
];

/// A URL the browser fetches by itself when it shows a page: the element's name and the URL.
pub struct Fetch {
    pub element: String,
    pub url: String,
}

/// Every URL in `html` that the browser fetches without the reader clicking anything: scripts,
/// stylesheets, icons, images, frames, media, objects, pings, refreshes, a `<base>`, and
/// `url()`/`@import` in `style` attributes and elements.
pub fn fetches(html: &Html) -> Vec<Fetch> {
    let mut found = Vec::new();
    let Ok(all) = Selector::parse("*") else {
        return found;
    };
    for element in html.select(&all) {
        let name = element.value().name();
        let mut push = |url: &str| {
            found.push(Fetch {
                element: name.to_owned(),
                url: url.to_owned(),
            })
        };
        for attribute in ["src", "poster", "data", "ping", "background"] {
            if let Some(url) = element.value().attr(attribute)
                && (attribute != "data" || name == "object")
            {
                for url in
                    url.split_whitespace()
                        .take(if attribute == "ping" { usize::MAX } else { 1 })
                {
                    push(url);
                }
            }
        }
        for attribute in ["srcset", "imagesrcset"] {
            if let Some(set) = element.value().attr(attribute) {
                for candidate in set.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        push(url);
                    }
                }
            }
        }
        if name == "link"
            && fetches_link(element)
            && let Some(url) = element.value().attr("href")
        {
            push(url);
        }
        if name == "base"
            && let Some(url) = element.value().attr("href")
        {
            push(url);
        }
        if name == "meta"
            && element
                .value()
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
            && let Some(url) = element.value().attr("content").and_then(refresh_url)
        {
            push(url);
        }
        if let Some(style) = element.value().attr("style") {
            for url in css_urls(style) {
                push(&url.0);
            }
        }
        if name == "style" {
            let text: String = element.text().collect();
            for url in css_urls(&text) {
                push(&url.0);
            }
        }
    }
    found
}

fn fetches_link(element: ElementRef<'_>) -> bool {
    let rel = element.value().attr("rel").unwrap_or("");
    rel.split_whitespace()
        .any(|r| !DESCRIPTIVE_RELS.contains(&r.to_ascii_lowercase().as_str()))
}

/// The URL of a `<meta http-equiv="refresh" content="5; url=…">`.
fn refresh_url(content: &str) -> Option<&str> {
    let (_, rest) = content.split_once(';')?;
    let rest = rest.trim();
    let value = rest
        .get(..4)
        .filter(|k| k.eq_ignore_ascii_case("url="))
        .map_or(rest, |_| &rest[4..]);
    Some(value.trim().trim_matches(['\'', '"']))
}

/// The URLs of `url(…)` and `@import "…"` in CSS text, each with its byte offset.
pub fn css_urls(css: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let lower = css.to_ascii_lowercase();
    let mut at = 0;
    while let Some(i) = lower[at..].find("url(") {
        let start = at + i + 4;
        let rest = &css[start..];
        let end = rest.find(')').unwrap_or(rest.len());
        let url = rest[..end].trim().trim_matches(['\'', '"']).trim();
        found.push((url.to_owned(), start));
        at = start;
    }
    let mut at = 0;
    while let Some(i) = lower[at..].find("@import") {
        let start = at + i + 7;
        let rest = css[start..].trim_start();
        if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\''))
            && let Some(url) = rest[1..].split(quote).next()
        {
            found.push((url.to_owned(), start));
        }
        at = start;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Base<'static> = Base {
        url: "https://example.org/kit/",
        path: "/kit/",
    };

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.to_owned(),
            fragment: fragment.map(str::to_owned),
        }
    }

    #[test]
    fn urls_resolve_to_output_files() {
        let from = "ar/guide/index.html";
        assert_eq!(
            BASE.resolve(from, "/kit/ar/"),
            internal("ar/index.html", None)
        );
        assert_eq!(
            BASE.resolve(from, "../other/#top"),
            internal("ar/other/index.html", Some("top"))
        );
        assert_eq!(
            BASE.resolve(from, "#s%C3%A9"),
            internal("ar/guide/index.html", Some("sé"))
        );
        assert_eq!(
            BASE.resolve(from, "https://example.org/kit/css/a.css?v=1"),
            internal("css/a.css", None)
        );
        assert_eq!(
            BASE.resolve(from, "https://cdn.example.com/x.js"),
            Target::External("https://cdn.example.com/x.js".to_owned())
        );
        assert_eq!(BASE.resolve(from, "mailto:a@b.org"), Target::Other);
        assert!(matches!(
            BASE.resolve(from, "/elsewhere/"),
            Target::External(_)
        ));
    }

    #[test]
    fn fetches_are_found_in_html_and_css() {
        let html = Html::parse_document(
            r#"<html><head><link rel="stylesheet" href="https://fonts.example/css">
            <link rel="alternate" hreflang="ar" href="https://example.org/kit/ar/">
            <style>@import "//cdn.example/x.css"; body{background:url('https://img.example/b.png')}</style>
            </head><body><img src="a.png" srcset="b.png 1x, https://img.example/c.png 2x">
            <a href="https://nhs.uk/">a plain link</a><iframe src="https://video.example/e"></iframe>
            </body></html>"#,
        );
        let urls: Vec<String> = fetches(&html)
            .into_iter()
            .map(|f| f.url)
            .filter(|u| is_off_site(u))
            .collect();
        assert_eq!(
            urls,
            vec![
                "https://fonts.example/css",
                "https://img.example/b.png",
                "//cdn.example/x.css",
                "https://img.example/c.png",
                "https://video.example/e",
            ]
        );
    }
}
