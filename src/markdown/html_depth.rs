//! How deep a page's raw HTML nests, read by html5ever's tokenizer as the fragments come.
//! A browser's tree builder, and the sanitiser's (html5ever's too), do work for each tag in
//! proportion to how many elements are open: a run of 50,000 `<ul><li>` took minutes to clean.
//! No real page nests raw HTML anywhere near [`MAX_HTML_NESTING`], so past it the page is
//! refused before it is cleaned.

use std::cell::Cell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

pub const MAX_HTML_NESTING: usize = 256;

/// Open elements counted over a page's raw HTML fragments, in order.
pub struct HtmlDepth {
    tokenizer: Tokenizer<Counter>,
}

#[derive(Default)]
struct Counter {
    open: Cell<usize>,
    deepest: Cell<usize>,
}

impl HtmlDepth {
    pub fn new() -> HtmlDepth {
        HtmlDepth {
            tokenizer: Tokenizer::new(Counter::default(), TokenizerOpts::default()),
        }
    }

    /// Reads the next fragment; whether the HTML so far has nested past the limit. One
    /// tokenizer reads them all, so a tag split across two fragments is still one tag.
    pub fn too_deep_after(&self, fragment: &str) -> bool {
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from_slice(fragment));
        let _ = self.tokenizer.feed(&queue);
        self.tokenizer.sink.deepest.get() > MAX_HTML_NESTING
    }
}

impl TokenSink for Counter {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(Tag {
            kind,
            name,
            self_closing: false,
            ..
        }) = token
            && !closes_by_itself(&name)
        {
            match kind {
                TagKind::StartTag => {
                    let open = self.open.get() + 1;
                    self.open.set(open);
                    self.deepest.set(self.deepest.get().max(open));
                }
                TagKind::EndTag => self.open.set(self.open.get().saturating_sub(1)),
            }
        }
        TokenSinkResult::Continue
    }
}

/// Void elements, and those a browser closes when the next of its kind opens (`<p>`, `<li>`,
/// table cells): written without end tags they do not nest.
fn closes_by_itself(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "rt"
            | "rp"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_elements_across_fragments() {
        let depth = HtmlDepth::new();
        for _ in 0..MAX_HTML_NESTING {
            assert!(!depth.too_deep_after("<div class=\"a\"><p>x<br>"));
        }
        assert!(!depth.too_deep_after("<sec"), "not a tag yet");
        assert!(
            depth.too_deep_after("tion>"),
            "a tag split across fragments"
        );
    }

    #[test]
    fn closed_elements_do_not_add_up() {
        let depth = HtmlDepth::new();
        for _ in 0..10 * MAX_HTML_NESTING {
            assert!(!depth.too_deep_after("<details><summary>s</summary><li>x</details>\n"));
        }
    }
}
