//! XLIFF 1.2 files, for agencies' CAT tools (Trados, memoQ, Phrase, OmegaT), through
//! quick-xml.
//!
//! A segment is a `trans-unit` whose `id` is the segment's id. Inline Markdown is turned into
//! the codes CAT tools protect: a link, emphasis or image becomes `<bpt>`/`<ept>` around its
//! text (holding `[` and `](target)`), a code span, inline HTML, a footnote reference or a hard
//! line break becomes `<ph>`; the codes hold the Markdown, so a target read back is Markdown
//! again. A segment whose English changed since it was translated has
//! `state="needs-review-translation"` and the English it was made from in a note
//! (`from="previous-source"`).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event as Xml};

use super::po::{In, Out, Read};
use crate::diagnostics::{Diagnostic, Stage};

/// A piece of a segment's inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Open(usize, String),
    Close(usize, String),
    Code(usize, String),
}

/// The pieces of a segment's Markdown, or one text when it is not one paragraph of inlines.
fn pieces(text: &str) -> Vec<Piece> {
    cut(text)
        .map(merged)
        // The pieces must give the text back, or the file would not either.
        .filter(|pieces| render(pieces) == text)
        .unwrap_or_else(|| vec![Piece::Text(text.to_owned())])
}

/// The pieces of one paragraph of inlines, cut where pulldown-cmark's events fall; `None` for
/// anything else (a list, a table, two paragraphs), which goes to translators as one text.
fn cut(text: &str) -> Option<Vec<Piece>> {
    let mut cuts = Cuts {
        text,
        out: Vec::new(),
        stack: Vec::new(),
        pending: None,
        cursor: 0,
        next_id: 1,
    };
    let mut paragraphs = 0;
    let options = crate::markdown::options() - pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) => paragraphs += 1,
            Event::End(TagEnd::Paragraph) => {}
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. },
            ) => cuts.open(range),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => cuts.close()?,
            Event::Text(_) | Event::SoftBreak => cuts.text(range),
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::HardBreak
            | Event::InlineMath(_) => cuts.code(range),
            _ => return None,
        }
    }
    if paragraphs != 1 || !cuts.stack.is_empty() {
        return None;
    }
    if cuts.cursor < text.len() {
        cuts.out.push(Piece::Text(text[cuts.cursor..].to_owned()));
    }
    Some(cuts.out)
}

/// The state of cutting a segment into pieces.
struct Cuts<'a> {
    text: &'a str,
    out: Vec<Piece>,
    /// The spans open now (emphasis, links), innermost last: their code id and range.
    stack: Vec<(usize, std::ops::Range<usize>)>,
    /// A span just opened, whose opening code runs to where its content starts: its id and
    /// start.
    pending: Option<(usize, usize)>,
    /// Where the text not yet in a piece starts.
    cursor: usize,
    next_id: usize,
}

impl Cuts<'_> {
    /// Puts what comes before `at` into pieces: the opening code of a span just opened, else
    /// any markup no event covered.
    fn catch_up(&mut self, at: usize) {
        if let Some((id, start)) = self.pending.take() {
            self.out
                .push(Piece::Open(id, self.text[start..at].to_owned()));
            self.cursor = at;
        }
        push_gap(&mut self.out, self.text, self.cursor, at, &mut self.next_id);
    }

    /// A span starts at `range`: its opening code is known once its content starts.
    fn open(&mut self, range: std::ops::Range<usize>) {
        self.catch_up(range.start);
        let id = self.next_id;
        self.next_id += 1;
        self.pending = Some((id, range.start));
        self.cursor = range.start;
        self.stack.push((id, range));
    }

    /// Text for translators, at `range`.
    fn text(&mut self, range: std::ops::Range<usize>) {
        self.catch_up(range.start);
        self.out
            .push(Piece::Text(self.text[range.clone()].to_owned()));
        self.cursor = range.end;
    }

    /// Markup that stays as it is (a code span, inline HTML, a footnote reference, a hard line
    /// break), at `range`.
    fn code(&mut self, range: std::ops::Range<usize>) {
        self.catch_up(range.start);
        self.out.push(Piece::Code(
            self.next_id,
            self.text[range.clone()].to_owned(),
        ));
        self.next_id += 1;
        self.cursor = range.end;
    }

    /// The innermost span ends: its closing code, or the whole span as one code when it has
    /// nothing inside. `None` when no span is open.
    fn close(&mut self) -> Option<()> {
        let (id, r) = self.stack.pop()?;
        if let Some((pid, start)) = self.pending.take() {
            // Nothing inside: the whole of it is code.
            debug_assert_eq!(pid, id);
            self.out
                .push(Piece::Code(id, self.text[start..r.end].to_owned()));
        } else {
            self.out
                .push(Piece::Close(id, self.text[self.cursor..r.end].to_owned()));
        }
        self.cursor = r.end;
        Some(())
    }
}

/// `pieces` with text pieces side by side made one, as they read.
fn merged(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut merged: Vec<Piece> = Vec::new();
    for piece in pieces {
        match (merged.last_mut(), piece) {
            (Some(Piece::Text(a)), Piece::Text(b)) => a.push_str(&b),
            (_, piece) => merged.push(piece),
        }
    }
    merged
}

/// Markup between two pieces that no event covered (a delimiter): kept as code.
fn push_gap(out: &mut Vec<Piece>, text: &str, from: usize, to: usize, next_id: &mut usize) {
    if to > from {
        out.push(Piece::Code(*next_id, text[from..to].to_owned()));
        *next_id += 1;
    }
}

fn render(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) | Piece::Open(_, t) | Piece::Close(_, t) | Piece::Code(_, t) => {
                t.as_str()
            }
        })
        .collect()
}

type W = Writer<Vec<u8>>;

fn write_pieces(
    w: &mut W,
    element: &str,
    attrs: &[(&str, &str)],
    text: &str,
) -> std::io::Result<()> {
    let mut start = BytesStart::new(element);
    for (k, v) in attrs {
        start.push_attribute((*k, *v));
    }
    w.write_event(Xml::Start(start))?;
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => w.write_event(Xml::Text(BytesText::new(&t)))?,
            Piece::Open(id, code) => code_element(w, "bpt", id, &code)?,
            Piece::Close(id, code) => code_element(w, "ept", id, &code)?,
            Piece::Code(id, code) => code_element(w, "ph", id, &code)?,
        }
    }
    w.write_event(Xml::End(BytesEnd::new(element)))
}

fn code_element(w: &mut W, name: &str, id: usize, code: &str) -> std::io::Result<()> {
    let id = id.to_string();
    let mut start = BytesStart::new(name);
    start.push_attribute(("id", id.as_str()));
    w.write_event(Xml::Start(start))?;
    w.write_event(Xml::Text(BytesText::new(code)))?;
    w.write_event(Xml::End(BytesEnd::new(name)))
}

fn simple(w: &mut W, name: &str, attrs: &[(&str, &str)], text: &str) -> std::io::Result<()> {
    let mut start = BytesStart::new(name);
    for (k, v) in attrs {
        start.push_attribute((*k, *v));
    }
    w.write_event(Xml::Start(start))?;
    w.write_event(Xml::Text(BytesText::new(text)))?;
    w.write_event(Xml::End(BytesEnd::new(name)))
}

/// An XLIFF file's text.
pub fn write(page: &str, lang_code: &str, source_lang: &str, entries: &[Out]) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result: std::io::Result<()> = (|| {
        w.write_event(Xml::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut xliff = BytesStart::new("xliff");
        xliff.push_attribute(("version", "1.2"));
        xliff.push_attribute(("xmlns", "urn:oasis:names:tc:xliff:document:1.2"));
        w.write_event(Xml::Start(xliff))?;
        let mut file = BytesStart::new("file");
        for (k, v) in [
            ("original", page),
            ("source-language", source_lang),
            ("target-language", lang_code),
            ("datatype", "x-markdown"),
        ] {
            file.push_attribute((k, v));
        }
        w.write_event(Xml::Start(file))?;
        w.write_event(Xml::Start(BytesStart::new("header")))?;
        simple(
            &mut w,
            "note",
            &[],
            "Safe Surgeries toolkit. Translate each target. Keep the tags: they hold links' targets, code and formatting.",
        )?;
        w.write_event(Xml::End(BytesEnd::new("header")))?;
        w.write_event(Xml::Start(BytesStart::new("body")))?;
        for out in entries {
            let mut unit = BytesStart::new("trans-unit");
            unit.push_attribute(("id", out.id));
            unit.push_attribute(("resname", out.id));
            unit.push_attribute(("xml:space", "preserve"));
            w.write_event(Xml::Start(unit))?;
            write_pieces(&mut w, "source", &[], out.english)?;
            let state = match (out.translation, out.then) {
                (None, _) => "new",
                (Some(_), Some(_)) => "needs-review-translation",
                (Some(_), None) => "translated",
            };
            write_pieces(
                &mut w,
                "target",
                &[("state", state)],
                out.translation.unwrap_or_default(),
            )?;
            simple(&mut w, "note", &[("from", "developer")], &out.note)?;
            if let Some(then) = out.then.filter(|t| !t.is_empty()) {
                simple(&mut w, "note", &[("from", "previous-source")], then)?;
            }
            if let Some((file, line)) = &out.reference {
                let mut group = BytesStart::new("context-group");
                group.push_attribute(("purpose", "location"));
                w.write_event(Xml::Start(group))?;
                simple(&mut w, "context", &[("context-type", "sourcefile")], file)?;
                simple(
                    &mut w,
                    "context",
                    &[("context-type", "linenumber")],
                    &line.to_string(),
                )?;
                w.write_event(Xml::End(BytesEnd::new("context-group")))?;
            }
            w.write_event(Xml::End(BytesEnd::new("trans-unit")))?;
        }
        w.write_event(Xml::End(BytesEnd::new("body")))?;
        w.write_event(Xml::End(BytesEnd::new("file")))?;
        w.write_event(Xml::End(BytesEnd::new("xliff")))
    })();
    debug_assert!(result.is_ok(), "writing to memory");
    let mut text = String::from_utf8(w.into_inner()).unwrap_or_default();
    text.push('\n');
    text
}

/// The text an element being read goes to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Into {
    Nothing,
    Source,
    Target,
    Previous,
}

/// Reading an XLIFF file, element by element.
struct Reading {
    read: Read,
    unit: Option<In>,
    into: Into,
    buffer: String,
    fuzzy: bool,
}

fn attribute(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

impl Reading {
    fn start(&mut self, e: &BytesStart, line: usize) {
        let mut begin = |into| {
            self.into = into;
            self.buffer.clear();
        };
        match e.name().as_ref() {
            b"file" => {
                self.read.page = attribute(e, b"original");
                self.read.language = attribute(e, b"target-language");
            }
            b"trans-unit" => {
                self.unit = Some(In {
                    id: attribute(e, b"id").unwrap_or_default(),
                    english: String::new(),
                    translation: String::new(),
                    fuzzy: false,
                    previous: None,
                    line,
                });
                self.fuzzy = false;
            }
            _ if self.unit.is_none() => {}
            b"source" => begin(Into::Source),
            b"target" => {
                begin(Into::Target);
                let state = attribute(e, b"state").unwrap_or_default();
                // needs-translation, needs-adaptation, needs-review-translation…: not final.
                self.fuzzy = state.starts_with("needs-") && state != "needs-review-l10n";
                if let Some(u) = &mut self.unit {
                    u.line = line;
                }
            }
            b"note" if attribute(e, b"from").as_deref() == Some("previous-source") => {
                begin(Into::Previous)
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        let text = std::mem::take(&mut self.buffer);
        match (name, self.into, &mut self.unit) {
            (b"source", Into::Source, Some(u)) => u.english = text,
            (b"target", Into::Target, Some(u)) => {
                u.translation = text;
                u.fuzzy = self.fuzzy;
            }
            (b"note", Into::Previous, Some(u)) => u.previous = Some(text),
            (b"trans-unit", _, _) => {
                if let Some(u) = self.unit.take() {
                    self.read.entries.push(u);
                }
                return;
            }
            _ => {
                // Inside a text: an inline code ending. Its text is part of the Markdown.
                self.buffer = text;
                return;
            }
        }
        self.into = Into::Nothing;
    }
}

/// An XLIFF file read: the page (`original`), the language (`target-language`) and each
/// trans-unit, its source and target turned back into Markdown (the codes' text is the
/// Markdown they stand for).
pub fn read(shown: &str, text: &str) -> Result<Read, Diagnostic> {
    let mut reader = quick_xml::Reader::from_str(text);
    let line_at = |pos: u64| text[..(pos as usize).min(text.len())].matches('\n').count() + 1;
    let error = |message: String, pos: u64| {
        Diagnostic::error(
            Stage::Translate,
            format!("{shown} is not an XLIFF file that can be read: {message}"),
        )
        .at(shown, Some(text), line_at(pos), 1)
        .with_help("open it in your translation tool and export it again as XLIFF 1.2")
    };
    let mut state = Reading {
        read: Read {
            page: None,
            language: None,
            entries: Vec::new(),
        },
        unit: None,
        into: Into::Nothing,
        buffer: String::new(),
        fuzzy: false,
    };
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| error(e.to_string(), pos))?;
        let reading = state.into != Into::Nothing;
        match event {
            Xml::Start(e) | Xml::Empty(e) => state.start(&e, line_at(pos)),
            Xml::End(e) => state.end(e.name().as_ref()),
            Xml::Text(t) if reading => {
                let piece = t.decode().map_err(|e| error(e.to_string(), pos))?;
                state.buffer.push_str(&piece);
            }
            Xml::CData(t) if reading => state.buffer.push_str(&String::from_utf8_lossy(&t)),
            // `&lt;`, `&amp;`, `&#x27;`: quick-xml gives references as events of their own.
            Xml::GeneralRef(r) if reading => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => r.decode().ok().and_then(|name| {
                        quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                    }),
                };
                let Some(piece) = resolved else {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    return Err(error(
                        format!("it uses an entity this program does not know: &{name};"),
                        pos,
                    ));
                };
                state.buffer.push_str(&piece);
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    Ok(state.read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_becomes_codes_that_give_it_back() {
        let text = "See [the *form*](@/a.md#x) and `HC1`.";
        let got = pieces(text);
        assert_eq!(
            got,
            [
                Piece::Text("See ".into()),
                Piece::Open(1, "[".into()),
                Piece::Text("the ".into()),
                Piece::Open(2, "*".into()),
                Piece::Text("form".into()),
                Piece::Close(2, "*".into()),
                Piece::Close(1, "](@/a.md#x)".into()),
                Piece::Text(" and ".into()),
                Piece::Code(3, "`HC1`".into()),
                Piece::Text(".".into()),
            ]
        );
        assert_eq!(render(&got), text);
        assert_eq!(
            pieces("1. Not a list"),
            [Piece::Text("1. Not a list".into())]
        );
    }

    #[test]
    fn a_file_reads_back_as_it_was_written() {
        let outs = [Out {
            id: "how/p1",
            english: "Ask for [help](@/a.md) <br> now & then.",
            translation: Some("اطلب [المساعدة](@/a.md) <br> الآن."),
            then: Some("Ask for help."),
            note: "paragraph".into(),
            reference: Some(("content/a.md".into(), 4)),
        }];
        let text = write("a.md", "ar", "en", &outs);
        assert!(text.contains("<bpt id=\"1\">[</bpt>"), "{text}");
        let back = read("a.xlf", &text).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(back.page.as_deref(), Some("a.md"));
        assert_eq!(back.language.as_deref(), Some("ar"));
        let e = &back.entries[0];
        assert_eq!(e.id, "how/p1");
        assert_eq!(e.english, outs[0].english);
        assert_eq!(e.translation, outs[0].translation.unwrap());
        assert!(e.fuzzy);
        assert_eq!(e.previous.as_deref(), Some("Ask for help."));
    }
}
