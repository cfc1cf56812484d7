//! Bounds on the work one file can ask for. Each is far past what any real page needs (the
//! toolkit's largest page is 13 kB, its longest line 507 characters, its longest printed text
//! under 900 characters), and each gives the editor an error at the place, naming the limit,
//! rather than a build that runs for minutes: a page of one 5 MB line took longer than a
//! minute, and front matter nested 100,000 deep 30 s, before these limits.

use crate::diagnostics::{Diagnostic, Stage};

/// A content file's size.
pub const PAGE_BYTES: usize = 1 << 20;
/// A line's length, in characters.
pub const LINE_CHARS: usize = 20_000;
/// How deep YAML's `[` and `{` may nest.
pub const YAML_DEPTH: usize = 64;
/// A printed short text (headline, point, action), in characters.
pub const PRINT_FIELD_CHARS: usize = 1_000;
/// The body of a printable page, in characters.
pub const PRINT_BODY_CHARS: usize = 20_000;

/// A content file too big, or with a line too long, to be a page.
pub fn page_size(text: &str, file: &str) -> Result<(), Diagnostic> {
    if text.len() > PAGE_BYTES {
        return Err(Diagnostic::error(
            Stage::Content,
            format!(
                "this file is {:.1} MB; a page may be at most {} MB",
                text.len() as f64 / (1 << 20) as f64,
                PAGE_BYTES >> 20
            ),
        )
        .at(file, None, 1, 1)
        .with_help("split it into several pages, or check that it is the file you meant"));
    }
    for (i, line) in text.lines().enumerate() {
        // Bytes bound characters from above: only long lines are counted.
        if line.len() > LINE_CHARS && line.chars().count() > LINE_CHARS {
            return Err(Diagnostic::error(
                Stage::Content,
                format!(
                    "this line is {} characters long; a line may be at most {}",
                    crate::text::thousands(line.chars().count()),
                    crate::text::thousands(LINE_CHARS)
                ),
            )
            .at(file, Some(text), i + 1, LINE_CHARS + 1)
            .with_help("break the text into paragraphs, with an empty line between them"));
        }
    }
    Ok(())
}

/// Where YAML's flow collections (`[…]`, `{…}`) first nest deeper than [`YAML_DEPTH`], as a
/// byte offset. Brackets inside quoted strings and comments do not count; a quote counts only
/// where YAML would start a quoted scalar, so an apostrophe in plain text cannot hide nesting.
pub fn yaml_too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // The last character that was not a space, and the one just before this one.
    let mut previous = '\n';
    let mut just_before = '\n';
    let mut chars = yaml.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if let Some(q) = quote {
            match c {
                '\\' if q == '"' => {
                    chars.next();
                }
                '\'' if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                    chars.next();
                }
                _ if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '[' | '{' => {
                depth += 1;
                if depth > YAML_DEPTH {
                    return Some(at);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            '"' | '\'' if matches!(previous, '\n' | ':' | '-' | '[' | '{' | ',' | '?') => {
                quote = Some(c);
            }
            '#' if just_before.is_whitespace() => {
                while chars.peek().is_some_and(|&(_, n)| n != '\n') {
                    chars.next();
                }
            }
            _ => {}
        }
        if !c.is_whitespace() || c == '\n' {
            previous = c;
        }
        just_before = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_brackets_but_not_quoted_or_commented_ones() {
        let deep = format!("extra: {}1{}", "{a: ".repeat(65), "}".repeat(65));
        assert_eq!(yaml_too_deep(&deep), Some("extra: ".len() + 64 * 4));
        let fine = format!("extra: {}1{}", "[".repeat(64), "]".repeat(64));
        assert_eq!(yaml_too_deep(&fine), None);
        let quoted = format!("title: \"{}\"\nnote: '{}'", "[".repeat(99), "{".repeat(99));
        assert_eq!(yaml_too_deep(&quoted), None);
        let comment = format!("title: A # {}", "[".repeat(99));
        assert_eq!(yaml_too_deep(&comment), None);
        // An apostrophe inside plain text starts no string.
        let plain = format!("title: Doctors' {}", "[".repeat(99));
        assert!(yaml_too_deep(&plain).is_some());
    }

    #[test]
    fn a_page_too_big_or_with_a_line_too_long_is_refused() {
        assert!(page_size("---\ntitle: A\n---\nShort.\n", "a.md").is_ok());
        let long = format!("---\ntitle: A\n---\n{}\n", "*".repeat(LINE_CHARS + 1));
        let err = page_size(&long, "a.md").expect_err("too long");
        assert_eq!(err.span.map(|s| s.line), Some(4));
        let big = "a\n".repeat(PAGE_BYTES);
        assert!(page_size(&big, "a.md").is_err());
    }
}
