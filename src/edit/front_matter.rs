//! Editing a page's front matter as text, one key at a time, leaving every other byte (comments,
//! quoting, line ends) as the editor wrote it.

use crate::content::{FrontMatter, front_matter};
use crate::diagnostics::{Diagnostic, Stage};
use crate::freshness::KEY;
use crate::source;

fn is_fence(line: &str) -> bool {
    line.trim_start_matches('\u{feff}').trim_end() == "---"
}

/// A file's lines (each with its line end) and the index of the line closing its front matter.
fn front_lines(text: &str) -> Option<(Vec<&str>, usize)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if !is_fence(lines.first()?) {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| is_fence(l))? + 1;
    Some((lines, close))
}

/// The lines holding `key` (written after `indent`, within the lines `within`) and its value:
/// the key's line and any lines indented further (or, for an empty value, `- ` list items at
/// the same indentation) after it.
fn key_lines(
    lines: &[&str],
    within: std::ops::Range<usize>,
    indent: &str,
    key: &str,
) -> Option<std::ops::Range<usize>> {
    let end_of = within.end;
    let start = within.into_iter().find(|&i| {
        lines[i]
            .strip_prefix(indent)
            .and_then(|l| l.strip_prefix(key))
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })?;
    let after = lines[start][indent.len() + key.len()..].trim_start();
    let value = after.get(1..).unwrap_or("").trim();
    let block_list = value.is_empty() || value.starts_with('#');
    let mut end = start + 1;
    for (i, line) in lines.iter().enumerate().take(end_of).skip(start + 1) {
        if line.trim().is_empty() {
            continue;
        }
        let Some(rest) = line.strip_prefix(indent) else {
            break;
        };
        if rest.starts_with([' ', '\t']) || (block_list && rest.starts_with('-')) {
            end = i + 1;
        } else {
            break;
        }
    }
    Some(start..end)
}

/// `text` with `key: value` in its front matter: the key's lines replaced where it has one,
/// else a line added at the end of the front matter. Every other byte stays as it was (the
/// file's line ends included). `None` when the text has no front matter.
pub(crate) fn set_key(text: &str, key: &str, value: &str) -> Option<String> {
    let (mut lines, close) = front_lines(text)?;
    let newline = if lines[0].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let line = format!("{key}: {value}{newline}");
    match key_lines(&lines, 1..close, "", key) {
        Some(range) => {
            lines.splice(range, [line.as_str()]);
        }
        None => lines.insert(close, &line),
    }
    Some(lines.concat())
}

/// `text` with the block `key:` holding `children` (lines without their line ends, already
/// indented): replaced where the key is, else added at the end of the front matter.
pub(crate) fn set_block(text: &str, key: &str, children: &[String]) -> Option<String> {
    let (mut lines, close) = front_lines(text)?;
    let newline = if lines[0].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut block = format!("{key}:{newline}");
    for child in children {
        block.push_str(child);
        block.push_str(newline);
    }
    match key_lines(&lines, 1..close, "", key) {
        Some(range) => {
            lines.splice(range, [block.as_str()]);
        }
        None => lines.insert(close, &block),
    }
    Some(lines.concat())
}

/// `text` without top-level `key` in its front matter (unchanged when it has none).
pub(crate) fn remove_key(text: &str, key: &str) -> Option<String> {
    let (mut lines, close) = front_lines(text)?;
    if let Some(range) = key_lines(&lines, 1..close, "", key) {
        lines.drain(range);
    }
    Some(lines.concat())
}

/// `text` without `key` inside the top-level block `parent` (`formats` under `print:`), and
/// without `parent` itself once nothing but comments is left in it.
pub(crate) fn remove_child(text: &str, parent: &str, key: &str) -> Option<String> {
    let (mut lines, close) = front_lines(text)?;
    let Some(block) = key_lines(&lines, 1..close, "", parent) else {
        return Some(text.to_owned());
    };
    let children = block.start + 1..block.end;
    let indent = children
        .clone()
        .map(|i| lines[i])
        .find(|l| !l.trim().is_empty())
        .map(|l| l[..l.len() - l.trim_start().len()].to_owned())
        .filter(|indent| !indent.is_empty());
    let Some(indent) = indent else {
        return Some(text.to_owned());
    };
    let Some(range) = key_lines(&lines, children.clone(), &indent, key) else {
        return Some(text.to_owned());
    };
    let removed = range.len();
    lines.drain(range);
    let left = (children.start..children.end - removed).any(|i| {
        let line = lines[i].trim();
        !line.is_empty() && !line.starts_with('#')
    });
    if !left {
        lines.drain(block.start..block.end - removed);
    }
    Some(lines.concat())
}

/// Checks that an edited file still reads as a page, with `check` true of its front matter,
/// so that a file is never written broken.
pub(crate) fn verify(
    text: &str,
    shown: &str,
    check: impl Fn(&FrontMatter) -> bool,
) -> Result<(), Diagnostic> {
    let decoded = source::decode(text.as_bytes(), shown, Stage::Content)?;
    match front_matter::split(&decoded, shown) {
        Ok(split) if check(&split.front) => Ok(()),
        _ => Err(Diagnostic::error(
            Stage::Content,
            format!(
                "could not update the front matter of {shown} safely, so it was left as it was"
            ),
        )
        .at(shown, None, 1, 1)
        .with_help(format!(
            "edit it by hand: add or change the line `{KEY}: …` before the closing `---`"
        ))),
    }
}

pub(crate) fn quoted(hash: &str) -> String {
    format!("\"{hash}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_key_edits_one_line_only() {
        let text = "\u{feff}---\r\ntitle: X\r\nweight: 2\r\n---\r\nBody\r\n";
        let set = set_key(text, KEY, "\"abc\"").unwrap_or_default();
        assert_eq!(
            set,
            "\u{feff}---\r\ntitle: X\r\nweight: 2\r\nsource_hash: \"abc\"\r\n---\r\nBody\r\n"
        );
        let again = set_key(&set, KEY, "\"def\"").unwrap_or_default();
        assert_eq!(again, set.replace("abc", "def"));
        let list = "---\ntitle: X\naliases:\n- /a/\n- /b/\n# kept\nweight: 1\n---\n";
        assert_eq!(
            remove_key(list, "aliases").as_deref(),
            Some("---\ntitle: X\n# kept\nweight: 1\n---\n")
        );
        let nested = "---\ntitle: X\nprint:\n  headline: H\ntranslation: reviewed\n---\n";
        assert_eq!(
            set_key(nested, "translation", "draft").as_deref(),
            Some("---\ntitle: X\nprint:\n  headline: H\ntranslation: draft\n---\n")
        );
        assert!(set_key("no front matter", KEY, "x").is_none());
        let print = "---\ntitle: X\nprint:\n  template: poster\n  formats:\n  - A4\n  - A3\n  headline: H\nweight: 1\n---\n";
        let no_layout = remove_child(print, "print", "formats")
            .and_then(|t| remove_child(&t, "print", "template"));
        assert_eq!(
            no_layout.as_deref(),
            Some("---\ntitle: X\nprint:\n  headline: H\nweight: 1\n---\n")
        );
        let leaflet =
            "---\ntitle: X\nprint:\n  template: leaflet\n  formats: [A4, A5]\n---\nBody\n";
        let no_layout = remove_child(leaflet, "print", "formats")
            .and_then(|t| remove_child(&t, "print", "template"));
        assert_eq!(no_layout.as_deref(), Some("---\ntitle: X\n---\nBody\n"));
    }
}
