//! HTML pages the build wrote, parsed as a browser would (scraper, on html5ever).

use std::collections::BTreeSet;

use scraper::{ElementRef, Html, Selector};

use super::*;

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// A parsed HTML file.
pub struct Doc {
    pub name: String,
    pub html: Html,
}

impl Doc {
    pub fn parse(name: &str, text: &str) -> Doc {
        Doc {
            name: name.to_string(),
            html: Html::parse_document(text),
        }
    }

    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&sel(css)).collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.select(css).len()
    }

    pub fn exists(&self, css: &str) -> bool {
        self.count(css) > 0
    }

    /// The only element matching `css`.
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "{}: expected exactly one `{css}`, found {}",
            self.name,
            found.len()
        );
        found[0]
    }

    /// The values of `attr` on every element matching `css` (elements without it are skipped).
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.attr(attr))
            .map(str::to_string)
            .collect()
    }

    /// `attr` of the only element matching `css`.
    pub fn attr(&self, css: &str, attr: &str) -> String {
        self.one(css)
            .attr(attr)
            .unwrap_or_else(|| panic!("{}: `{css}` has no {attr}", self.name))
            .to_string()
    }

    /// Whitespace-collapsed text of the only element matching `css`.
    pub fn text(&self, css: &str) -> String {
        text_of(self.one(css))
    }

    /// Whitespace-collapsed texts of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).into_iter().map(text_of).collect()
    }

    /// `lang` and `dir` of `<html>`.
    pub fn lang_dir(&self) -> (String, String) {
        let html = self.one("html");
        (
            html.attr("lang").unwrap_or_default().to_string(),
            html.attr("dir").unwrap_or_default().to_string(),
        )
    }

    /// Every `id` in the page, percent-decoded.
    pub fn ids(&self) -> Vec<String> {
        self.attrs("[id]", "id")
            .iter()
            .map(|i| percent_decode(i))
            .collect()
    }

    pub fn has_id(&self, id: &str) -> bool {
        let id = percent_decode(id);
        self.ids().contains(&id)
    }

    /// `(hreflang lower-cased, href)` of every `<link rel="alternate" hreflang>`.
    pub fn hreflangs(&self) -> BTreeSet<(String, String)> {
        self.select(r#"head link[rel="alternate"][hreflang]"#)
            .iter()
            .map(|e| {
                (
                    e.attr("hreflang").unwrap().to_ascii_lowercase(),
                    e.attr("href").unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// `(href, text)` of the links matching `css`.
    pub fn links(&self, css: &str) -> Vec<(String, String)> {
        self.select(css)
            .into_iter()
            .map(|e| (e.attr("href").unwrap_or_default().to_string(), text_of(e)))
            .collect()
    }

    /// The `href` of the only link in `.content` whose text is `text`.
    pub fn content_link(&self, text: &str) -> String {
        let found: Vec<_> = self
            .links(".content a")
            .into_iter()
            .filter(|(_, t)| t == text)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{}: expected one `.content a` with text {text:?}, found {found:?}",
            self.name
        );
        found[0].0.clone()
    }

    /// `(element name, url)` of every `href` and `src` in the page.
    pub fn urls(&self) -> Vec<(String, String)> {
        let mut urls = Vec::new();
        for e in self.select("[href], [src]") {
            for attr in ["href", "src"] {
                if let Some(v) = e.attr(attr) {
                    urls.push((e.value().name().to_string(), v.trim().to_string()));
                }
            }
        }
        urls
    }
}

/// Text of an element with runs of whitespace collapsed and the ends trimmed.
pub fn text_of(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
