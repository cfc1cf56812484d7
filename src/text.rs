//! Small text helpers: counts with their nouns, escaping for text placed into HTML and XML by the generator itself
//! (templates escape their own output), decoding `%XX` in URLs, and paths shown to editors.

/// "1 page", "2 pages": a count with its noun, for the lines the commands print.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Escapes `&`, `<`, `>`, `"` and `'`, which is enough for element content and quoted
/// attribute values in both HTML and XML.
/// A number with thousands separated, as in messages: 20,000.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A path as an editor knows it: relative to the site folder, with `/` separators.
pub fn shown_path(root: &std::path::Path, path: &std::path::Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `%XX` escapes decoded; `None` for malformed escapes, text that is not UTF-8, or a NUL.
pub fn percent_decode(text: &str) -> Option<String> {
    // percent-encoding leaves a stray `%` as it is; a URL with one is malformed here.
    let bytes = text.as_bytes();
    let malformed = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()?
        .into_owned();
    (!decoded.contains('\0')).then_some(decoded)
}

/// The characters a URL fragment escapes (the WHATWG URL standard's fragment set).
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// A heading id as it goes after `#` in a URL: an Arabic id is escaped, an ASCII one kept.
pub fn percent_encode_fragment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, FRAGMENT).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated() {
        let shown: Vec<String> = [0, 999, 1_000, 20_000, 1_234_567]
            .iter()
            .map(|&n| super::thousands(n))
            .collect();
        assert_eq!(shown, ["0", "999", "1,000", "20,000", "1,234,567"]);
    }

    #[test]
    fn percent_escapes_round_trip_and_malformed_ones_are_refused() {
        let id = "ما-لا-تحتاج-إليه";
        let encoded = super::percent_encode_fragment(id);
        assert!(
            encoded.is_ascii() && encoded.starts_with("%D9%85"),
            "{encoded}"
        );
        assert_eq!(super::percent_decode(&encoded).as_deref(), Some(id));
        assert_eq!(
            super::percent_encode_fragment("interpreters"),
            "interpreters"
        );
        assert_eq!(super::percent_decode("100%"), None);
        assert_eq!(super::percent_decode("a%zzb"), None);
        assert_eq!(super::percent_decode("nul%00"), None);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
