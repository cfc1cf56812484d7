//! Raw HTML in Markdown is allowed, minus what can run code: script and frame-like elements,
//! event-handler attributes and `javascript:` URLs.
//!
//! Markdown hands raw HTML over in fragments (`<details>` in one event, the Markdown inside it in
//! others, `</details>` later), so a whole-document sanitiser would close tags it should not.
//! This works tag by tag and keeps state between fragments.

/// Elements removed with their start and end tags.
const BLOCKED: [&str; 8] = [
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
];
/// Of those, the ones whose content goes too (script source, iframe fallback).
const DROP_CONTENT: [&str; 2] = ["script", "iframe"];
const URL_ATTRIBUTES: [&str; 14] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "longdesc",
    "ping",
    "manifest",
    "usemap",
];

#[derive(Default)]
pub struct Sanitizer {
    /// Inside an element whose content is dropped, until its end tag.
    skipping: Option<&'static str>,
    /// What was removed since the last [`Sanitizer::take_removed`], for the warning.
    removed: Vec<String>,
}

impl Sanitizer {
    /// True while inside `<script>…</script>`: Markdown text events there are dropped too.
    pub fn is_skipping(&self) -> bool {
        self.skipping.is_some()
    }

    pub fn take_removed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.removed)
    }

    pub fn clean(&mut self, html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(tag) = self.skipping {
                match find_ignore_case(rest, &format!("</{tag}")) {
                    Some(at) => {
                        let after = &rest[at..];
                        rest = after.find('>').map_or("", |end| &after[end + 1..]);
                        self.skipping = None;
                    }
                    None => rest = "",
                }
                continue;
            }
            let Some(lt) = rest.find('<') else {
                out.push_str(rest);
                break;
            };
            out.push_str(&rest[..lt]);
            rest = &rest[lt..];
            let consumed = if rest.starts_with("<!--") {
                let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
                out.push_str(&rest[..end]);
                end
            } else if rest.starts_with("<!") || rest.starts_with("<?") {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                out.push_str(&rest[..end]);
                end
            } else if let Some(tag) = Tag::parse(rest) {
                self.emit(&tag, &mut out);
                tag.len
            } else {
                out.push('<');
                1
            };
            rest = &rest[consumed..];
        }
        out
    }

    fn emit(&mut self, tag: &Tag<'_>, out: &mut String) {
        let name = tag.name.to_ascii_lowercase();
        if let Some(blocked) = BLOCKED.iter().find(|b| **b == name) {
            if !tag.closing {
                self.removed.push(format!("<{name}>"));
                if DROP_CONTENT.contains(blocked) && !tag.self_closing {
                    self.skipping = Some(blocked);
                }
            }
            return;
        }
        out.push('<');
        if tag.closing {
            out.push('/');
        }
        out.push_str(tag.name);
        for attr in &tag.attributes {
            let attr_name = attr.name.to_ascii_lowercase();
            if attr_name.starts_with("on") {
                self.removed.push(format!("the {attr_name} attribute"));
                continue;
            }
            if URL_ATTRIBUTES.contains(&attr_name.as_str()) && is_dangerous_url(attr.value) {
                self.removed.push(format!("a script URL in {attr_name}"));
                continue;
            }
            out.push(' ');
            out.push_str(attr.raw);
        }
        if tag.self_closing {
            out.push_str(" /");
        }
        out.push('>');
    }
}

/// `javascript:` (however obfuscated with entities, spaces or case), `vbscript:`, and `data:`
/// URLs other than images.
pub fn is_dangerous_url(value: &str) -> bool {
    let decoded = decode_entities(value);
    let compact: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    compact.starts_with("javascript:")
        || compact.starts_with("vbscript:")
        || (compact.starts_with("data:") && !compact.starts_with("data:image/"))
}

fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |e| e + 1);
        let entity = &rest[1..end];
        let decoded = if let Some(num) = entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
        {
            u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
        } else if let Some(num) = entity.strip_prefix('#') {
            num.parse().ok().and_then(char::from_u32)
        } else {
            match entity.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

struct Attribute<'a> {
    name: &'a str,
    value: &'a str,
    /// `name="value"` as written, re-emitted unchanged when kept.
    raw: &'a str,
}

struct Tag<'a> {
    name: &'a str,
    closing: bool,
    self_closing: bool,
    attributes: Vec<Attribute<'a>>,
    /// Bytes of input the tag spans, `<` to `>`.
    len: usize,
}

impl<'a> Tag<'a> {
    /// Parses a start or end tag at the start of `s`; `None` if `<` does not begin one.
    fn parse(s: &'a str) -> Option<Tag<'a>> {
        let bytes = s.as_bytes();
        let closing = bytes.get(1) == Some(&b'/');
        let name_start = if closing { 2 } else { 1 };
        if !bytes.get(name_start)?.is_ascii_alphabetic() {
            return None;
        }
        let name_end = name_start
            + s[name_start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
                .unwrap_or(s.len() - name_start);
        let mut tag = Tag {
            name: &s[name_start..name_end],
            closing,
            self_closing: false,
            attributes: Vec::new(),
            len: s.len(),
        };
        let mut i = name_end;
        loop {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                // An unterminated tag: treat the rest as its attributes so nothing after it
                // escapes the checks.
                None => return Some(tag),
                Some(b'>') => {
                    tag.len = i + 1;
                    return Some(tag);
                }
                Some(b'/') => {
                    tag.self_closing = bytes.get(i + 1) == Some(&b'>');
                    i += 1;
                    continue;
                }
                Some(_) => {}
            }
            let attr_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=>/".contains(&bytes[i])
            {
                i += 1;
            }
            if i == attr_start {
                // A stray `=`: skip it.
                i += 1;
                continue;
            }
            let name = &s[attr_start..i];
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = "";
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = s[j + 1..].find(q as char).map_or(s.len(), |e| j + 1 + e);
                        value = &s[j + 1..end];
                        j = (end + 1).min(s.len());
                    }
                    _ => {
                        let start = j;
                        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>'
                        {
                            j += 1;
                        }
                        value = &s[start..j];
                    }
                }
                i = j;
            }
            tag.attributes.push(Attribute {
                name,
                value,
                raw: &s[attr_start..i],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> (String, Vec<String>) {
        let mut s = Sanitizer::default();
        let out = s.clean(html);
        (out, s.take_removed())
    }

    #[test]
    fn removes_scripts_with_their_content() {
        let (out, removed) = clean("<p>a</p><script>alert(1)</script><p>b</p>");
        assert_eq!(out, "<p>a</p><p>b</p>");
        assert_eq!(removed, vec!["<script>"]);
        let (out, _) = clean("<SCRIPT src=x.js></SCRIPT>ok");
        assert_eq!(out, "ok");
        let (out, _) = clean("<iframe src=\"https://x\">fallback</iframe>");
        assert_eq!(out, "");
    }

    #[test]
    fn removes_handlers_and_script_urls_keeps_the_rest() {
        let (out, removed) =
            clean(r#"<a href="javascript:alert(1)" class="x" onclick='go()'>t</a>"#);
        assert_eq!(out, r#"<a class="x">t</a>"#);
        assert_eq!(removed.len(), 2);
        let (out, _) = clean(r#"<a href="jav&#x61;script&colon;x">t</a>"#);
        assert_eq!(out, "<a>t</a>");
        let (out, _) = clean(r#"<img src="/a.png" alt="A diagram" onerror=x />"#);
        assert_eq!(out, r#"<img src="/a.png" alt="A diagram" />"#);
    }

    #[test]
    fn state_spans_fragments() {
        let mut s = Sanitizer::default();
        assert_eq!(s.clean("<script>"), "");
        assert!(s.is_skipping());
        assert_eq!(s.clean("x = 1;</script><details>"), "<details>");
        assert!(!s.is_skipping());
    }

    #[test]
    fn leaves_comments_and_plain_text() {
        let (out, removed) = clean("<!-- note --> 1 < 2 <details open><summary>S</summary>");
        assert_eq!(
            out,
            "<!-- note --> 1 < 2 <details open><summary>S</summary>"
        );
        assert!(removed.is_empty());
    }
}
