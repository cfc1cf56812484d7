//! Turning a file's bytes into text every later stage can trust: UTF-8, no byte-order mark,
//! `\n` line ends. Editors on Windows save BOMs and CRLF; those must just work.

use crate::diagnostics::{Diagnostic, Stage};

pub fn decode(bytes: &[u8], file: &str, stage: Stage) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The valid prefix is UTF-8 by definition, so this cannot fail.
            let prefix = String::from_utf8_lossy(valid);
            let line = prefix.matches('\n').count() + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let line_text = String::from_utf8_lossy(bytes)
                .lines()
                .nth(line - 1)
                .unwrap_or("")
                .to_owned();
            return Err(
                Diagnostic::error(stage, "this file is not valid UTF-8 text".to_string())
                    .at(
                        file,
                        Some(&line_text_as_source(line, &line_text)),
                        line,
                        col,
                    )
                    .with_help(
                        "save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8); \
                 the character at this place is garbled",
                    ),
            );
        }
    };
    Ok(normalize_line_ends(text))
}

/// `text` with every C0 control character but tab and line feed (NUL most often, left by copying
/// from a PDF or another program) replaced by U+FFFD, as CommonMark says of NUL; and, when there
/// were any, one warning at the first.
pub fn replace_controls(text: String, file: &str, stage: Stage) -> (String, Option<Diagnostic>) {
    let Some(first) = text.find(is_control) else {
        return (text, None);
    };
    let count = text.chars().filter(|&c| is_control(c)).count();
    let code = text[first..].chars().next().map_or(0, u32::from);
    let warning = Diagnostic::warning(
        stage,
        format!(
            "{} that cannot be shown, such as U+{code:04X}, replaced by �",
            crate::text::count(count, "control character", "control characters")
        ),
    )
    .at_offset(file, &text, first)
    .with_help(
        "delete it: it is invisible in most editors, and often comes from copying out of a PDF",
    );
    let replaced = text.replace(is_control, "\u{FFFD}");
    (replaced, Some(warning))
}

fn is_control(c: char) -> bool {
    c.is_ascii_control() && c != '\t' && c != '\n' && c != '\x7f'
}

/// Whether `text` has a character [`replace_controls`] replaces.
pub fn has_controls(text: &str) -> bool {
    text.contains(is_control)
}

/// A source in which only `line` has text, so the snippet shows the garbled line.
fn line_text_as_source(line: usize, text: &str) -> String {
    let mut s = "\n".repeat(line - 1);
    s.push_str(text);
    s
}

fn normalize_line_ends(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_removed() {
        let text = decode(
            b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n",
            "a.md",
            Stage::Content,
        );
        assert_eq!(text.ok().as_deref(), Some("---\ntitle: x\n---\n"));
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = decode(b"ok\nab\xFFc\n", "a.md", Stage::Content).err();
        let span = err.and_then(|e| e.span);
        assert_eq!(span.map(|s| (s.line, s.col)), Some((2, 3)));
    }
}
