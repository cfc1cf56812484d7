//! Markdown to HTML: heading ids and the table of contents, alerts as callouts, `@/` links,
//! bundle-relative assets and raw-HTML sanitising, as one pass over pulldown-cmark's events.

mod html_depth;
pub mod sanitize;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostics::{Dependent, Diagnostic, Severity, Stage, line_col};
use crate::i18n::Lookup;
use crate::links;
use crate::site::{PageId, Site};
use crate::slug::{self, Ids};
use crate::text::escape_html;

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link to check once every page is rendered and every page's heading ids are known.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    pub target: PageId,
    pub anchor: String,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: HashSet<String>,
    pub anchors: Vec<AnchorRef>,
    /// A digest of `html` and `toc`, what templates see of them, taken once here so that
    /// watch mode can compare 20,000 pages without hashing their text each time.
    pub digest: [u8; 32],
}

/// The changed parts of page `page` to show, when `source` is the page's own text (watch mode
/// may render a newer text, where they would sit in the wrong places).
fn changed_parts(
    site: &Site,
    page: PageId,
    source: &str,
) -> Vec<Option<crate::freshness::ChangedPart>> {
    match site.changed_parts.get(page.index()) {
        Some(Some(parts)) if site.pages[page].source == source => {
            parts.in_body.iter().cloned().map(Some).collect()
        }
        _ => Vec::new(),
    }
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

struct Renderer<'s> {
    site: &'s Site,
    page: PageId,
    /// Where the page's bundle assets are published, for relative links.
    bundle_url: Option<String>,
    /// The whole file: the page's own, or a newer text with the same front matter (watch mode).
    source: &'s str,
    /// Whether the page had raw HTML, whose body is then cleaned as a whole.
    had_raw_html: bool,
    ids: Ids,
    headings: Vec<(u8, String, String)>,
    out: Rendered,
    diagnostics: Vec<Diagnostic>,
    /// A link whose target was removed: its end tag must go too.
    dropped_link: bool,
    /// A table with aligned columns, whose inline styles become classes.
    aligned_table: bool,
    /// Warnings and errors past [`MAX_PROBLEMS`] of each: how many, and where the first was.
    untold: [(usize, usize); 2],
    /// Made at the page's first raw HTML.
    html_depth: Option<html_depth::HtmlDepth>,
    /// Where the raw HTML first nested past [`html_depth::MAX_HTML_NESTING`].
    html_too_deep: Option<usize>,
    /// In a stale translation: the parts whose English changed, each shown once after its
    /// block, with the English as it is now.
    changed: Vec<Option<crate::freshness::ChangedPart>>,
}

/// How deep blocks and inline elements may nest in a page (a quote in a list in a quote is 3;
/// real pages stay under 10). Deeper, the later stages that walk the tree, the print text's
/// JSON and Typst, could exhaust the stack; the page is refused instead.
pub const MAX_NESTING: usize = 64;

/// Warnings, and errors, told in full for one page; past that they are counted.
pub const MAX_PROBLEMS: usize = 20;

/// Where `body` first nests deeper than [`MAX_NESTING`], as a byte offset; counted over the
/// parser's events, so without recursion whatever the depth.
pub fn too_deep(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(range.start);
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

pub fn render(site: &Site, page: PageId) -> (Rendered, Vec<Diagnostic>) {
    render_text(site, page, &site.pages[page].source)
}

/// Renders `source`, a newer text of the page's file whose front matter is unchanged, in the
/// page's place: what watch mode does when only a page's body was edited.
pub fn render_text<'s>(
    site: &'s Site,
    page: PageId,
    source: &'s str,
) -> (Rendered, Vec<Diagnostic>) {
    let mut renderer = Renderer::new(site, page, source);
    let body = renderer.body();
    if let Some(at) = too_deep(body) {
        let d = renderer.diagnostic(
            Diagnostic::error(
                Stage::Markdown,
                format!("the page's text nests more than {MAX_NESTING} levels deep here"),
            ),
            at,
            "no real page nests this deep: check for a run of `>`, `*`, `-` or list \
             indentation left by copying, and remove it",
        );
        return (Rendered::default(), vec![d]);
    }
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let transformed = renderer.transform(events);
    if let Some(at) = renderer.html_too_deep {
        let d = renderer.diagnostic(
            Diagnostic::error(
                Stage::Markdown,
                format!(
                    "the page's raw HTML nests more than {} elements deep here",
                    html_depth::MAX_HTML_NESTING
                ),
            ),
            at,
            "no real page nests this deep: check for a tag such as `<div>` or `<ul>` opened \
             again and again and never closed (often left by copying), and close or remove it",
        );
        return (Rendered::default(), vec![d]);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, transformed.into_iter());
    renderer.finish(html)
}

/// A table scrolls sideways inside its own box on a narrow phone, so that the page never does
/// and no word is broken mid-way to fit. The box can take keyboard focus to be scrolled, and so
/// needs a name: the table's column headings, in the page's own language.
fn table_scroll_open(rest: &[(Event<'_>, Range<usize>)]) -> String {
    let mut cells: Vec<String> = Vec::new();
    for (event, _) in rest {
        match event {
            Event::End(TagEnd::TableHead) => break,
            Event::Start(Tag::TableCell) => cells.push(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(cell) = cells.last_mut() {
                    cell.push_str(t);
                }
            }
            _ => {}
        }
    }
    let name = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    if name.is_empty() {
        "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\">\n".to_owned()
    } else {
        format!(
            "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n",
            escape_html(&name)
        )
    }
}

impl<'s> Renderer<'s> {
    /// A renderer at the start of page `page`, with `source` as its file's text.
    fn new(site: &'s Site, page: PageId, source: &'s str) -> Self {
        let bundle_url = site.pages[page].bundle_dir.as_ref().map(|_| {
            let default = site.versions(page)[site.config.default_language].unwrap_or(page);
            site.url(default)
        });
        Renderer {
            site,
            page,
            bundle_url,
            source,
            had_raw_html: false,
            ids: Ids::default(),
            headings: Vec::new(),
            out: Rendered::default(),
            diagnostics: Vec::new(),
            dropped_link: false,
            aligned_table: false,
            untold: [(0, 0); 2],
            html_depth: None,
            html_too_deep: None,
            changed: changed_parts(site, page, source),
        }
    }

    /// The page as rendered from `html`, pulldown-cmark's output, with the page's problems:
    /// `html` made fit for a strict Content-Security-Policy and cleaned where the page had raw
    /// HTML, the table of contents, and the digest watch mode compares.
    fn finish(mut self, mut html: String) -> (Rendered, Vec<Diagnostic>) {
        if self.aligned_table {
            // A strict Content-Security-Policy blocks inline styles; themes style these classes.
            for side in ["left", "center", "right"] {
                html = html.replace(
                    &format!(" style=\"text-align: {side}\">"),
                    &format!(" class=\"align-{side}\">"),
                );
            }
        }
        if self.had_raw_html {
            html = sanitize::clean(&html);
        }
        self.out.html = html;
        self.out.toc = nest(&self.headings);
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.out.html.as_bytes());
        let _ = serde_json::to_writer(&mut hasher, &self.out.toc);
        self.out.digest = *hasher.finalize().as_bytes();
        self.tell_untold();
        (self.out, self.diagnostics)
    }

    fn transform<'a>(&mut self, events: Vec<(Event<'a>, Range<usize>)>) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        let mut iter = events.into_iter();
        while let Some((event, range)) = iter.next() {
            // A changed part goes inside its list item, and after its paragraph, heading or
            // table.
            let after = matches!(
                event,
                Event::End(TagEnd::Paragraph | TagEnd::Table) | Event::Start(Tag::Heading { .. })
            );
            if matches!(event, Event::End(TagEnd::Item)) {
                out.extend(self.changed_within(&range));
            }
            let table_end = matches!(event, Event::End(TagEnd::Table));
            if matches!(event, Event::Start(Tag::Table(_))) {
                out.push(Event::Html(table_scroll_open(iter.as_slice()).into()));
            }
            self.transform_one(event, range.clone(), &mut iter, &mut out);
            if table_end {
                out.push(Event::Html("</div>\n".into()));
            }
            if after {
                out.extend(self.changed_within(&range));
            }
        }
        out
    }

    /// The notes for the changed parts whose text ends within `range`, each once.
    fn changed_within<'a>(&mut self, range: &Range<usize>) -> Vec<Event<'a>> {
        let lang = self.site.pages[self.page].lang;
        let default = self.site.config.language(self.site.config.default_language);
        let since = match self.site.freshness.get(self.page.index()) {
            Some(Some(crate::freshness::State::Stale {
                source_changed: Some(day),
            })) => Some(day.clone()),
            _ => None,
        };
        let mut out = Vec::new();
        for slot in &mut self.changed {
            let Some(part) = slot.take_if(|p| range.start <= p.at && p.at <= range.end) else {
                continue;
            };
            let note = match &since {
                Some(day) => self
                    .site
                    .strings
                    .get(lang, "changed_part")
                    .text()
                    .replace("{date}", day),
                None => self
                    .site
                    .strings
                    .get(lang, "changed_part_undated")
                    .text()
                    .to_owned(),
            };
            out.push(Event::Html(
                format!(
                    "<aside class=\"changed-part\" role=\"note\">\n<p class=\"changed-part-note\">{}</p>\n<p class=\"changed-part-english\" lang=\"{}\" dir=\"{}\">{}</p>\n</aside>\n",
                    escape_html(&note),
                    default.code,
                    default.dir.as_str(),
                    escape_html(&part.english)
                )
                .into(),
            ));
        }
        out
    }

    fn transform_one<'a>(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        iter: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
        out: &mut Vec<Event<'a>>,
    ) {
        {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let mut inner = Vec::new();
                    let mut text = String::new();
                    for (event, range) in iter.by_ref() {
                        if matches!(event, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        if let Event::Text(t) | Event::Code(t) = &event {
                            text.push_str(t);
                        }
                        inner.extend(self.inline(event, range));
                    }
                    let base = id.map_or_else(|| slug::slugify(&text), |id| id.to_string());
                    let id = self.ids.unique(base);
                    self.out.ids.insert(id.clone());
                    self.headings
                        .push((level as u8, id.clone(), text.trim().to_owned()));
                    out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(id.into()),
                        classes,
                        attrs,
                    }));
                    out.extend(inner);
                    out.push(Event::End(TagEnd::Heading(level)));
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let (key, class, fallback) = callout(kind);
                    let lang = self.site.pages[self.page].lang;
                    let title = match self.site.strings.get(lang, key) {
                        Lookup::Found(t) | Lookup::FellBack(t) => t,
                        Lookup::Unknown => fallback,
                    };
                    out.push(Event::Html(
                        format!(
                            "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{}</p>\n",
                            escape_html(title)
                        )
                        .into(),
                    ));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
                other => out.extend(self.inline(other, range)),
            }
        }
    }

    /// Everything but headings and alerts: links, images and raw HTML.
    fn inline<'a>(&mut self, event: Event<'a>, range: Range<usize>) -> Option<Event<'a>> {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                // Passed on as written: the whole body is cleaned once it is rendered, so that
                // an element opened in one fragment and closed in another is judged whole.
                self.had_raw_html = true;
                let depth = self
                    .html_depth
                    .get_or_insert_with(html_depth::HtmlDepth::new);
                if self.html_too_deep.is_none() && depth.too_deep_after(&html) {
                    self.html_too_deep = Some(range.start);
                }
                let removed = sanitize::removed_from(&html);
                if !removed.is_empty() {
                    self.warn(
                        range.start,
                        format!("removed {} from raw HTML", removed.join(", ")),
                        "pages may not run scripts, embed other sites or link to anything but \
                         web pages, email addresses and phone numbers; use a plain link instead",
                    );
                }
                Some(Event::Html(html))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match self.rewrite_url(dest_url, &range) {
                Some(dest_url) => Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })),
                None => {
                    self.dropped_link = true;
                    None
                }
            },
            Event::Start(Tag::Table(alignments)) => {
                self.aligned_table |= alignments
                    .iter()
                    .any(|a| *a != pulldown_cmark::Alignment::None);
                Some(Event::Start(Tag::Table(alignments)))
            }
            // Footnote ids get a prefix so they cannot clash with heading ids ("1", "note").
            Event::FootnoteReference(label) => {
                Some(Event::FootnoteReference(format!("fn-{label}").into()))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => Some(Event::Start(
                Tag::FootnoteDefinition(format!("fn-{label}").into()),
            )),
            Event::End(TagEnd::Link) if self.dropped_link => {
                self.dropped_link = false;
                None
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self
                    .rewrite_url(dest_url, &range)
                    .unwrap_or(CowStr::Borrowed(""));
                Some(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            other => Some(other),
        }
    }

    /// Resolves `@/` links and bundle-relative paths; `None` drops a script URL.
    fn rewrite_url<'a>(&mut self, url: CowStr<'a>, range: &Range<usize>) -> Option<CowStr<'a>> {
        if !sanitize::is_allowed_url(&url) {
            self.warn(
                range.start,
                format!("removed the link to `{url}`"),
                "links may not run scripts",
            );
            return None;
        }
        if let Some(parsed) = links::parse_internal(&url, &self.site.config) {
            let at = self.body()[range.clone()]
                .find("@/")
                .map_or(range.start, |i| range.start + i);
            return Some(match parsed {
                Ok(link) => self.resolve(&url, link, at).into(),
                Err(message) => {
                    self.error(
                        at,
                        message,
                        "link to a file under content/, such as @/guidance/registration.md",
                    );
                    url
                }
            });
        }
        match &self.bundle_url {
            Some(base) if links::is_relative(&url) => {
                Some(format!("{base}{}", url.trim_start_matches("./")).into())
            }
            _ => Some(url),
        }
    }

    fn resolve(&mut self, url: &str, link: links::InternalLink<'_>, at: usize) -> String {
        let site = self.site;
        let lang = site.pages[self.page].lang;
        let target = match link.lang {
            Some(explicit) => site.groups.get(&link.key).and_then(|v| v[explicit]),
            None => site.find(&link.key, lang),
        };
        let Some(target) = target else {
            let explicit = link.lang.is_some();
            if let Some(file) = site.failed_file(&link.key, link.lang.unwrap_or(lang), explicit) {
                let file = file.to_owned();
                let help =
                    format!("{file} exists but could not be read: fix the errors reported for it");
                let message = format!("broken link: `{url}` does not name a page");
                let d = self.diagnostic(Diagnostic::error(Stage::Links, message), at, &help);
                self.diagnostics.push(d.because_of(&file, Dependent::Link));
                return String::from("#");
            }
            let help = if site.groups.contains_key(&link.key) {
                "that page has no version in the language the link names".to_owned()
            } else if let Some(near) =
                crate::suggest::nearest(&link.key, site.groups.keys().map(String::as_str))
            {
                format!("there is no content/{}: did you mean `@/{near}`?", link.key)
            } else {
                format!(
                    "there is no content/{} (or it is a draft); check the path and spelling",
                    link.key
                )
            };
            self.error(
                at,
                format!("broken link: `{url}` does not name a page"),
                &help,
            );
            return String::from("#");
        };
        let mut href = site.url(target);
        if let Some(anchor) = link.anchor {
            let (line, col) = self.position(at);
            self.out.anchors.push(AnchorRef {
                target,
                anchor: anchor.to_owned(),
                line,
                col,
            });
            href.push('#');
            href.push_str(anchor);
        }
        href
    }

    fn body(&self) -> &'s str {
        self.source
            .get(self.site.pages[self.page].body_offset..)
            .unwrap_or_default()
    }

    /// File line and column of a byte offset in the body.
    fn position(&self, offset: usize) -> (usize, usize) {
        let (line, col) = line_col(self.body(), offset);
        (line + self.site.pages[self.page].body_line - 1, col)
    }

    fn diagnostic(&self, diagnostic: Diagnostic, offset: usize, help: &str) -> Diagnostic {
        let page = &self.site.pages[self.page];
        let (line, col) = self.position(offset);
        diagnostic
            .at(&page.file, Some(self.source), line, col)
            .with_help(help)
    }

    fn warn(&mut self, offset: usize, message: String, help: &str) {
        if self.told(Severity::Warning, offset) {
            let d = self.diagnostic(Diagnostic::warning(Stage::Markdown, message), offset, help);
            self.diagnostics.push(d);
        }
    }

    fn error(&mut self, offset: usize, message: String, help: &str) {
        if self.told(Severity::Error, offset) {
            let d = self.diagnostic(Diagnostic::error(Stage::Links, message), offset, help);
            self.diagnostics.push(d);
        }
    }

    /// Whether a problem of this severity is still to be told in full: a page with thousands
    /// (a pasted run of `<font>`, say) would otherwise give thousands of messages, each placed
    /// by a scan of the file, and take minutes to say so.
    fn told(&mut self, severity: Severity, offset: usize) -> bool {
        let i = usize::from(severity == Severity::Error);
        let shown = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count();
        if shown < MAX_PROBLEMS {
            return true;
        }
        let (count, first) = &mut self.untold[i];
        if *count == 0 {
            *first = offset;
        }
        *count += 1;
        false
    }

    /// One message for the problems past [`MAX_PROBLEMS`], at the first of them.
    fn tell_untold(&mut self) {
        for (i, (count, first)) in self.untold.into_iter().enumerate() {
            if count == 0 {
                continue;
            }
            let what = if i == 1 { "error" } else { "warning" };
            let message = format!(
                "and {} more {what}s like the ones above in this file, from here on",
                crate::text::thousands(count)
            );
            let untold = if i == 1 {
                Diagnostic::error(Stage::Links, message)
            } else {
                Diagnostic::warning(Stage::Markdown, message)
            };
            let d = self.diagnostic(
                untold,
                first,
                "fix the ones above and build again to see the rest",
            );
            self.diagnostics.push(d);
        }
    }
}

/// i18n key, CSS class and English fall-back title of each alert kind.
fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("callout_note", "note", "Note"),
        BlockQuoteKind::Tip => ("callout_tip", "tip", "Tip"),
        BlockQuoteKind::Important => ("callout_important", "important", "Important"),
        BlockQuoteKind::Warning => ("callout_warning", "warning", "Warning"),
        BlockQuoteKind::Caution => ("callout_caution", "caution", "Caution"),
    }
}

/// Flat headings to a tree: each heading holds the deeper ones that follow it.
fn nest(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn take(headings: &[(u8, String, String)], i: &mut usize, parent_level: u8) -> Vec<TocEntry> {
        let mut entries = Vec::new();
        while let Some((level, id, title)) = headings.get(*i) {
            if *level <= parent_level {
                break;
            }
            *i += 1;
            let children = take(headings, i, *level);
            entries.push(TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children,
            });
        }
        entries
    }
    let mut i = 0;
    let mut entries = Vec::new();
    while i < headings.len() {
        entries.extend(take(headings, &mut i, 0));
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_nests_by_level() {
        let h = |l: u8, id: &str| (l, id.to_owned(), id.to_owned());
        let toc = nest(&[h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(4, "b1")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(
            toc[0]
                .children
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["a1", "a2"]
        );
        assert_eq!(toc[1].children[0].level, 4);
    }
}
