//! The parts of a segment a translation must keep as they are: link targets, code spans,
//! inline HTML, footnote references, and heading ids.
//!
//! They are found by parsing the segment as Markdown (so `[a](b)` in a code span is code, not
//! a link), and compared as lists: a translation may move them, since word order differs
//! between languages, but not change, add or drop one.

use pulldown_cmark::{Event, LinkType, Parser, Tag};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Link(String),
    Image(String),
    Code(String),
    Html(String),
    Footnote(String),
    /// A `{#id}` written into a heading's text: ids come from the English page.
    Id(String),
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Part::Link(t) => write!(f, "the link to `{t}`"),
            Part::Image(t) => write!(f, "the image `{t}`"),
            Part::Code(t) => write!(f, "the code `{t}`"),
            Part::Html(t) => write!(f, "the HTML `{t}`"),
            Part::Footnote(t) => write!(f, "the footnote reference `[^{t}]`"),
            Part::Id(t) => write!(f, "the heading id `{{#{t}}}`"),
        }
    }
}

/// The protected parts of `text`, sorted; a heading's text is read as a heading, where a
/// `{#id}` at its end would set its id.
pub fn parts(text: &str, heading: bool) -> Vec<Part> {
    let mut parts = Vec::new();
    let text = if heading {
        format!("# {text}")
    } else {
        text.to_owned()
    };
    for event in Parser::new_ext(&text, crate::markdown::options()) {
        match event {
            // An e-mail address written as `<…>` is its own text and its target.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::Email) => {
                parts.push(Part::Link(dest_url.to_string()))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                parts.push(Part::Image(dest_url.to_string()))
            }
            Event::Start(Tag::Heading { id: Some(id), .. }) => parts.push(Part::Id(id.to_string())),
            Event::Code(code) => parts.push(Part::Code(code.to_string())),
            Event::InlineHtml(html) | Event::Html(html) => {
                parts.push(Part::Html(html.trim().to_owned()))
            }
            Event::FootnoteReference(name) => parts.push(Part::Footnote(name.to_string())),
            _ => {}
        }
    }
    parts.sort();
    parts
}

/// What a translation changed of the source's protected parts: those it lost, and those it
/// added. Both empty when it kept them all.
pub fn compare(source: &str, translation: &str, heading: bool) -> (Vec<Part>, Vec<Part>) {
    let mut lost = parts(source, heading);
    let mut added = Vec::new();
    for part in parts(translation, heading) {
        match lost.iter().position(|p| *p == part) {
            Some(i) => {
                lost.remove(i);
            }
            None => added.push(part),
        }
    }
    (lost, added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moved_parts_are_kept_and_changed_ones_are_not() {
        let en = "See [the form](@/a.md#form) and `HC1`.";
        assert_eq!(
            compare(en, "`HC1` و [الاستمارة](@/a.md#form).", false),
            (vec![], vec![])
        );
        let (lost, added) = compare(
            en,
            "Voir [le formulaire](@/a.md#formulaire) et `HC1`.",
            false,
        );
        assert_eq!(lost, [Part::Link("@/a.md#form".into())]);
        assert_eq!(added, [Part::Link("@/a.md#formulaire".into())]);
        assert_eq!(
            compare("Title", "Titre {#x}", true).1,
            [Part::Id("x".into())]
        );
        assert_eq!(
            compare("a <br> b", "a b", false).0,
            [Part::Html("<br>".into())]
        );
    }
}
