//! A page as a translator sees it: its segments.
//!
//! The title, the description, each text of a printable item, and each block of the body
//! (heading, paragraph, list item, table cell, quote paragraph, image alt text, `<summary>`)
//! is one segment, with its inline Markdown (emphasis, links, code spans) kept as written:
//! the form po4a and mdpo give translators, which Poedit and Weblate show as it is. Code,
//! raw HTML and the list of sources (a heading marked `{.sources}` and what follows it: the
//! citations stay in English) are not segments: they are copied from the English page.
//!
//! A segment's id names where it is, not what it says, so that it survives edits elsewhere
//! and edits to itself (which then show as "changed", with the old English): the id of the
//! heading it sits under (`how-to-register`), the kind of block and its number among those
//! of its kind there (`how-to-register/p2`). Editing another section, or adding a list item,
//! leaves a paragraph's id alone.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::content::FrontMatter;
use crate::slug::{Ids, slugify};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Title,
    Description,
    Headline,
    Point,
    Action,
    Heading,
    Paragraph,
    Item,
    Cell,
    Quote,
    Alt,
    Summary,
}

impl Kind {
    /// What a translator is told the segment is.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Title => "page title",
            Kind::Description => "page description (search results, link previews)",
            Kind::Headline => "printed headline",
            Kind::Point => "printed point",
            Kind::Action => "printed call to action",
            Kind::Heading => "heading",
            Kind::Paragraph => "paragraph",
            Kind::Item => "list item",
            Kind::Cell => "table cell",
            Kind::Quote => "quoted paragraph or note",
            Kind::Alt => "image description (alt text), read out to blind readers",
            Kind::Summary => "question or summary line that opens a folded answer",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Kind::Heading => "h",
            Kind::Paragraph => "p",
            Kind::Item => "li",
            Kind::Cell => "td",
            Kind::Quote => "q",
            Kind::Alt => "alt",
            Kind::Summary => "summary",
            _ => "",
        }
    }

    /// One line of text: a heading, a table cell, a summary or a front matter field cannot
    /// hold a line break.
    pub fn one_line(self) -> bool {
        !matches!(self, Kind::Paragraph | Kind::Item | Kind::Quote)
    }
}

/// Where a segment's text sits in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Title,
    Description,
    Headline,
    Action,
    Point(usize),
    Body {
        /// Bytes of the body.
        range: Range<usize>,
        /// What a continuation line starts with there (`> ` in a quote, spaces in a list).
        prefix: String,
        /// For a heading with no `{#id}` of its own: the id to give it in a translation, so
        /// that links to it work in every language and its segments keep their ids there.
        add_id: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub id: String,
    pub kind: Kind,
    /// As the translator sees it: inline Markdown, lines joined.
    pub text: String,
    /// The line of the file it starts on.
    pub line: usize,
    pub place: Place,
}

/// A page split into segments, with what is copied from it as it is.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    pub segments: Vec<Segment>,
    /// The bytes of the body after a `{.sources}` heading, to the next heading of its level.
    pub sources: Option<Range<usize>>,
}

/// The segments of a page: front matter texts first, then the body's blocks in order.
/// `body_line` is the file line the body starts on.
pub fn split(front: &FrontMatter, body: &str, body_line: usize, key_lines: &KeyLines) -> Segmented {
    let mut segments = Vec::new();
    let mut add = |id: &str, kind, text: &str, line, place| {
        if !text.trim().is_empty() {
            segments.push(Segment {
                id: id.to_owned(),
                kind,
                text: text.trim().to_owned(),
                line,
                place,
            });
        }
    };
    add(
        "title",
        Kind::Title,
        &front.title,
        key_lines.title,
        Place::Title,
    );
    if let Some(d) = &front.description {
        add(
            "description",
            Kind::Description,
            d,
            key_lines.description,
            Place::Description,
        );
    }
    if let Some(print) = &front.print {
        if let Some(h) = &print.headline {
            add(
                "print/headline",
                Kind::Headline,
                h,
                key_lines.print,
                Place::Headline,
            );
        }
        for (i, point) in print.points.iter().enumerate() {
            let id = format!("print/points/{}", i + 1);
            add(&id, Kind::Point, point, key_lines.print, Place::Point(i));
        }
        if let Some(a) = &print.action {
            add(
                "print/action",
                Kind::Action,
                a,
                key_lines.print,
                Place::Action,
            );
        }
    }
    let body_part = Body::new(body, body_line).run();
    segments.extend(body_part.segments);
    Segmented {
        segments,
        sources: body_part.sources,
    }
}

/// The lines of the front matter keys whose texts are segments, for messages.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyLines {
    pub title: usize,
    pub description: usize,
    pub print: usize,
}

/// A block whose inline content is being gathered.
struct Leaf {
    kind: Kind,
    span: Option<Range<usize>>,
    /// The heading's explicit id, or whether it had an attribute block at all.
    heading: Option<HeadingInfo>,
    /// Inline events other than one image: a paragraph of one image is its alt text.
    images: usize,
    other: usize,
    alt: Option<Range<usize>>,
}

struct HeadingInfo {
    level: HeadingLevel,
    id: Option<String>,
    sources: bool,
}

struct Body<'a> {
    text: &'a str,
    first_line: usize,
    line_starts: Vec<usize>,
    ids: Ids,
    section: String,
    counts: std::collections::HashMap<&'static str, usize>,
    sources_level: Option<HeadingLevel>,
    sources_start: Option<usize>,
    sources: Option<Range<usize>>,
    quotes: usize,
    items: usize,
    /// Inside a code block, whose text is not translated.
    code: bool,
    leaf: Option<Leaf>,
    segments: Vec<Segment>,
}

impl<'a> Body<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Body {
            text,
            first_line,
            line_starts,
            ids: Ids::default(),
            section: "top".to_owned(),
            counts: Default::default(),
            sources_level: None,
            sources_start: None,
            sources: None,
            quotes: 0,
            items: 0,
            code: false,
            leaf: None,
            segments: Vec::new(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.first_line + self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    fn run(mut self) -> Self {
        let parser = Parser::new_ext(self.text, crate::markdown::options()).into_offset_iter();
        for (event, range) in parser {
            self.event(event, range);
        }
        self.finish_leaf();
        if let Some(start) = self.sources_start.take() {
            self.sources = Some(start..self.text.len());
        }
        self
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end),
            Event::Html(html) => {
                self.finish_leaf();
                self.html_line(&html, range);
            }
            Event::TaskListMarker(_) => {}
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => self.inline(range, false),
            Event::Rule => self.finish_leaf(),
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => self.open(Kind::Paragraph),
            Tag::Heading {
                level, id, classes, ..
            } => {
                self.finish_leaf();
                let sources = classes.iter().any(|c| c.as_ref() == "sources");
                self.leaf = Some(Leaf {
                    kind: Kind::Heading,
                    span: None,
                    heading: Some(HeadingInfo {
                        level,
                        id: id.map(|i| i.to_string()),
                        sources,
                    }),
                    images: 0,
                    other: 0,
                    alt: None,
                });
                // A heading of the sources' level or higher ends the sources.
                if self.sources_level.is_some_and(|l| level <= l) {
                    self.sources_level = None;
                    if let Some(start) = self.sources_start.take() {
                        self.sources = Some(start..range.start);
                    }
                }
            }
            Tag::TableCell => self.open(Kind::Cell),
            Tag::BlockQuote(_) => {
                self.finish_leaf();
                self.quotes += 1;
            }
            Tag::Item => {
                self.finish_leaf();
                self.items += 1;
            }
            Tag::CodeBlock(_) => {
                self.finish_leaf();
                self.code = true;
            }
            Tag::List(_) | Tag::HtmlBlock | Tag::FootnoteDefinition(_) => self.finish_leaf(),
            Tag::Image { .. } => {
                if self.leaf.is_none() && self.items > 0 {
                    self.open(Kind::Item);
                }
                if let Some(leaf) = &mut self.leaf {
                    leaf.images += 1;
                    leaf.alt = None;
                }
                self.inline(range, true);
            }
            _ => self.inline(range, false),
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Image => {
                // The alt text is what lies between `![` and `](`: the image's inline events
                // came in between and widened the span; recorded by `inline` below.
            }
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell => self.finish_leaf(),
            TagEnd::CodeBlock => self.code = false,
            TagEnd::BlockQuote(_) => {
                self.finish_leaf();
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::Item => {
                self.finish_leaf();
                self.items = self.items.saturating_sub(1);
            }
            _ => {}
        }
    }

    fn open(&mut self, kind: Kind) {
        self.finish_leaf();
        let kind = match kind {
            Kind::Paragraph if self.quotes > 0 => Kind::Quote,
            Kind::Paragraph if self.items > 0 => Kind::Item,
            k => k,
        };
        self.leaf = Some(Leaf {
            kind,
            span: None,
            heading: None,
            images: 0,
            other: 0,
            alt: None,
        });
    }

    /// An inline event: it widens the open block's span (a tight list item's text has no
    /// paragraph around it, so the item opens here).
    fn inline(&mut self, range: Range<usize>, image: bool) {
        if self.code {
            return;
        }
        if self.leaf.is_none() {
            if self.items == 0 {
                return;
            }
            self.open(Kind::Item);
        }
        let Some(leaf) = &mut self.leaf else { return };
        if !image {
            let inside_image = leaf
                .span
                .as_ref()
                .is_some_and(|s| leaf.images > 0 && range.end <= s.end);
            if inside_image {
                // Text inside `![…]`: the alt text, between `![` and `](`.
                let alt = leaf.alt.get_or_insert(range.clone());
                alt.start = alt.start.min(range.start);
                alt.end = alt.end.max(range.end);
                return;
            }
            leaf.other += 1;
        }
        let span = leaf.span.get_or_insert(range.clone());
        span.start = span.start.min(range.start);
        span.end = span.end.max(range.end);
    }

    fn finish_leaf(&mut self) {
        let Some(leaf) = self.leaf.take() else { return };
        if let Some(info) = &leaf.heading {
            self.heading(&leaf, info);
            return;
        }
        if self.sources_start.is_some() {
            return;
        }
        let Some(mut span) = leaf.span.clone() else {
            return;
        };
        let mut kind = leaf.kind;
        if leaf.images == 1 && leaf.other == 0 {
            let Some(alt) = leaf.alt.clone() else { return };
            kind = Kind::Alt;
            span = alt;
        }
        self.push(kind, span, None);
    }

    fn heading(&mut self, leaf: &Leaf, info: &HeadingInfo) {
        let plain: String = leaf
            .span
            .as_ref()
            .map(|s| self.text[s.clone()].to_owned())
            .unwrap_or_default();
        let id = match &info.id {
            Some(id) => self.ids.unique(id.clone()),
            None => self.ids.unique(slugify(&plain)),
        };
        self.section = id.clone();
        self.counts.clear();
        if info.sources {
            self.sources_level = Some(info.level);
        }
        let inside_sources = self.sources_start.is_some();
        if let Some(span) = leaf.span.clone()
            && !inside_sources
        {
            let add_id = info.id.is_none().then(|| id.clone());
            self.push(Kind::Heading, span.clone(), add_id);
            if info.sources {
                let end = self.text[span.end..]
                    .find('\n')
                    .map_or(self.text.len(), |i| span.end + i + 1);
                self.sources_start = Some(end);
            }
        }
    }

    fn push(&mut self, kind: Kind, span: Range<usize>, add_id: Option<String>) {
        let raw = &self.text[span.clone()];
        let text = join_lines(raw);
        if text.trim().is_empty() {
            return;
        }
        let id = if kind == Kind::Heading {
            format!("{}/h", self.section)
        } else {
            let n = self.counts.entry(kind.code()).or_insert(0);
            *n += 1;
            format!("{}/{}{}", self.section, kind.code(), n)
        };
        let line_start = self.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let prefix: String = self.text[line_start..span.start]
            .chars()
            .map(|c| if c == '>' { '>' } else { ' ' })
            .collect();
        self.segments.push(Segment {
            id,
            kind,
            text,
            line: self.line_of(span.start),
            place: Place::Body {
                range: span,
                prefix,
                add_id,
            },
        });
    }

    /// A `<summary>…</summary>` on a line of its own, in a `<details>` block.
    fn html_line(&mut self, html: &str, range: Range<usize>) {
        if self.sources_start.is_some() {
            return;
        }
        let line = html.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let Some(inner) = trimmed
            .strip_prefix("<summary>")
            .and_then(|t| t.strip_suffix("</summary>"))
        else {
            return;
        };
        let start = range.start + (line.len() - trimmed.len()) + "<summary>".len();
        let span = start..start + inner.len();
        if self.text.get(span.clone()) == Some(inner) {
            self.push(Kind::Summary, span, None);
        }
    }
}

/// A block's source lines as one text: each line's container prefix (indentation, `>`)
/// dropped, soft line breaks joined with a space (none between two Chinese or Japanese
/// characters, which take none), a hard break kept as a backslash and a line break.
pub fn join_lines(raw: &str) -> String {
    let mut out = String::new();
    for (i, line) in raw.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let content = if i == 0 {
            line
        } else {
            line.trim_start_matches([' ', '\t', '>'])
        };
        if i > 0 {
            let hard = out.ends_with("  ") || out.ends_with('\\');
            let kept = out.trim_end().to_owned();
            out = kept;
            if hard {
                if !out.ends_with('\\') {
                    out.push('\\');
                }
                out.push('\n');
            } else if !no_space_between(out.chars().last(), content.chars().next()) {
                out.push(' ');
            }
        }
        out.push_str(content);
    }
    out.trim().to_owned()
}

/// Whether a line break between `a` and `b` reads as nothing: both are characters of a
/// script written without spaces (Han, kana, their punctuation).
fn no_space_between(a: Option<char>, b: Option<char>) -> bool {
    let wide = |c: char| {
        matches!(c as u32,
            0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
    };
    matches!((a, b), (Some(a), Some(b)) if wide(a) || wide(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Vec<(String, Kind, String)> {
        Body::new(text, 1)
            .run()
            .segments
            .into_iter()
            .map(|s| (s.id, s.kind, s.text))
            .collect()
    }

    #[test]
    fn blocks_become_segments_with_ids_by_place() {
        let text = "Intro *one*\nline two.\n\n## How {#how}\n\n- tight [link](@/a.md#x)\n- two\n\n  ```\n  code in an item\n  ```\n\nPara.\n\n> [!NOTE]\n> Quoted\n> more.\n\n| A | B |\n|---|---|\n| c | `d` |\n\n![A map](map.png)\n\n```\ncode\n```\n\n<details>\n<summary>Why?</summary>\n\nBecause.\n\n</details>\n\n## Sources {.sources}\n\n- [Cite](https://x.example), 2024.\n";
        let got = body(text);
        let ids: Vec<&str> = got.iter().map(|(i, _, _)| i.as_str()).collect();
        assert_eq!(
            ids,
            [
                "top/p1",
                "how/h",
                "how/li1",
                "how/li2",
                "how/p1",
                "how/q1",
                "how/td1",
                "how/td2",
                "how/td3",
                "how/td4",
                "how/alt1",
                "how/summary1",
                "how/p2",
                "sources/h"
            ]
        );
        assert_eq!(got[0].2, "Intro *one* line two.");
        assert_eq!(got[2].2, "tight [link](@/a.md#x)");
        assert_eq!(got[5].2, "Quoted more.");
        assert_eq!(got[8].2, "c");
        assert_eq!(got[9].2, "`d`");
        assert_eq!(got[10], ("how/alt1".into(), Kind::Alt, "A map".into()));
        assert_eq!(got[11].2, "Why?");
        assert_eq!(got[13].2, "Sources");
    }

    #[test]
    fn an_edit_elsewhere_keeps_ids() {
        let a = body("## One\n\nA.\n\nB.\n\n## Two\n\nC.\n");
        let b = body("## One\n\nA.\n\nNew.\n\nB.\n\n## Two\n\nC changed.\n");
        assert_eq!(a[4], ("two/p1".into(), Kind::Paragraph, "C.".into()));
        assert_eq!(
            b[5],
            ("two/p1".into(), Kind::Paragraph, "C changed.".into())
        );
        assert_eq!(
            a[2].0,
            b[3].0.replace('3', "2"),
            "a paragraph added before it renumbers"
        );
    }

    #[test]
    fn lines_join_as_a_reader_sees_them() {
        assert_eq!(join_lines("a\n   b"), "a b");
        assert_eq!(join_lines("a  \nb"), "a\\\nb");
        assert_eq!(join_lines("a\\\nb"), "a\\\nb");
        assert_eq!(join_lines("请打印\n这些材料"), "请打印这些材料");
        assert_eq!(join_lines("> a\n> b"), "> a b");
    }
}
