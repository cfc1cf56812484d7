//! The YAML block between `---` lines at the top of every Markdown file.

use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::{Diagnostic, Stage};
use crate::yaml::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslationStatus {
    Draft,
    Reviewed,
}

/// A calendar date or an RFC 3339 timestamp, kept as written and checked for shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Date(String);

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        let digits =
            |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
        let date_ok = b.len() >= 10
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10);
        if !date_ok {
            return None;
        }
        let month: u32 = text[5..7].parse().ok()?;
        let day: u32 = text[8..10].parse().ok()?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let time = &text[10..];
        let time_ok = time.is_empty() || {
            let t = time.as_bytes();
            (t[0] == b'T' || t[0] == b' ')
                && t.len() >= 9
                && digits(11..13)
                && t[3] == b':'
                && digits(14..16)
                && t[6] == b':'
                && digits(17..19)
        };
        time_ok.then(|| Date(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// RFC 3339, as Atom wants: a bare date becomes midnight UTC.
    pub fn to_rfc3339(&self) -> String {
        if self.0.len() == 10 {
            format!("{}T00:00:00Z", self.0)
        } else {
            let mut s = self.0.replacen(' ', "T", 1);
            let has_zone = s.ends_with('Z') || s[19..].contains(['+', '-']);
            if !has_zone {
                s.push('Z');
            }
            s
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(text.trim()).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&text),
                &"a date such as 2024-05-01 or 2024-05-01T09:30:00Z",
            )
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationStatus>,
    /// In a reviewed translation: the day a fluent reader checked it against its source.
    #[serde(default)]
    pub reviewed: Option<Date>,
    /// Who reviewed it, if they agree to be named (many volunteers would rather not be).
    #[serde(default)]
    pub reviewer: Option<String>,
    #[serde(default)]
    pub print: Option<PrintFront>,
    /// In a translation: the hash of its source when it was made or last checked (see
    /// [`crate::freshness`]), written by `safe-surgeries translate mark-current`.
    #[serde(default, deserialize_with = "source_hash")]
    pub source_hash: Option<String>,
    #[serde(default)]
    pub extra: serde_yaml::Value,
}

/// Text only: an unquoted hash of digits alone would read as a number and lose its leading
/// zeros, so the message says to quote it (as `translate mark-current` writes it).
fn source_hash<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct Text;
    impl serde::de::Visitor<'_> for Text {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the hash in quotes, as `safe-surgeries translate mark-current` writes it")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(Some(text.trim().to_owned()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    deserializer.deserialize_any(Text)
}

/// A printable item: which print template lays it out, on which paper, and the short texts a
/// poster or card shows. Translations give only the texts; the rest comes from the original.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "print settings (template, formats, headline, points, action)"
)]
pub struct PrintFront {
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub formats: Option<Vec<String>>,
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub points: Vec<String>,
    #[serde(default)]
    pub action: Option<String>,
    /// The page the item's QR code opens, as an `@/` link (a heading's `#id` may follow):
    /// by default `print.qr` in site.yaml, else the item's own page. Translations inherit it.
    #[serde(default)]
    pub qr: Option<String>,
    /// The item lists every language of the site (the language chart): templates get
    /// `data.languages`, a row per language with its own text.
    #[serde(default)]
    pub all_languages: bool,
}

/// A Markdown file split into its parsed front matter and its body.
pub struct Split<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// The file line the body starts on.
    pub body_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    if !is_fence(first_line) {
        return Err(Diagnostic::error(
            Stage::Content,
            "this file does not start with front matter",
        )
        .at(file, Some(text), 1, 1)
        .with_help("start the file with a line `---`, then `title: …`, then another `---` line"));
    }
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start;
    let mut closing = None;
    for (index, line) in text
        .get(yaml_start..)
        .unwrap_or("")
        .split_inclusive('\n')
        .enumerate()
    {
        if is_fence(line) {
            closing = Some((offset, offset + line.len(), index + 2));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start, fence_line)) = closing else {
        return Err(Diagnostic::error(
            Stage::Content,
            "the front matter opened on line 1 is never closed",
        )
        .at(file, Some(text), 1, 1)
        .with_help("add a line `---` after the last front matter key, before the page text"));
    };
    let yaml = &text[yaml_start.min(yaml_end)..yaml_end];
    if yaml.trim().is_empty() {
        return Err(
            Diagnostic::error(Stage::Content, "the front matter is empty")
                .at(file, Some(text), 1, 1)
                .with_help(
                    "every page needs at least a title: add `title: …` between the `---` lines",
                ),
        );
    }
    let front = Document {
        file,
        file_source: text,
        yaml,
        first_line: 2,
        stage: Stage::Content,
        what: "front matter",
    }
    .parse::<FrontMatter>()?;
    if front.title.trim().is_empty() {
        return Err(empty_title(text, yaml, file));
    }
    Ok(Split {
        front,
        body: &text[body_start.min(text.len())..],
        body_line: fence_line + 1,
    })
}

/// A title left empty, or emptied by YAML reading what follows a `#` as a comment.
fn empty_title(text: &str, yaml: &str, file: &str) -> Diagnostic {
    let title_line = yaml
        .lines()
        .position(|l| l.starts_with("title:"))
        .map_or(1, |i| i + 1);
    let value = yaml
        .lines()
        .nth(title_line - 1)
        .and_then(|l| l.strip_prefix("title:"))
        .unwrap_or("")
        .trim();
    let (message, help) = if value.starts_with('#') {
        (
            "the title is empty: YAML reads text that starts with `#` as a comment",
            format!(
                "put the whole title in quotes: title: {}",
                crate::yaml::quoted(value)
            ),
        )
    } else {
        (
            "the title is empty",
            "write the page's title after `title:`".to_owned(),
        )
    };
    Diagnostic::error(Stage::Content, message)
        .at(file, Some(text), title_line + 1, 1)
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_body_and_counts_lines() {
        let text = "---\ntitle: Hi\nweight: 2\n---\nBody\n";
        let split = split(text, "a.md").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(split.front.title, "Hi");
        assert_eq!(split.front.weight, Some(2));
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn errors_point_at_file_lines() {
        let err = split("---\ntitle: Hi\nweight: heavy\n---\n", "a.md").err();
        assert_eq!(err.and_then(|e| e.span).map(|s| s.line), Some(3));
        let err = split("---\ntitle: Hi\n", "a.md").err();
        assert!(err.is_some_and(|e| e.message.contains("never closed")));
        let err = split("---\ntitle: x\n\tdraft: true\n---\n", "a.md").err();
        let err = err.unwrap_or_else(|| panic!("tab accepted"));
        assert_eq!(err.span.map(|s| s.line), Some(3));
        assert!(err.help.unwrap_or_default().contains("tab"));
    }

    #[test]
    fn dates() {
        assert!(Date::parse("2024-05-01").is_some());
        assert!(Date::parse("2024-05-01T09:30:00Z").is_some());
        assert!(Date::parse("2024-13-01").is_none());
        assert!(Date::parse("May 2024").is_none());
        let date = Date::parse("2024-05-01T09:30:00+01:00");
        assert_eq!(
            date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-05-01T09:30:00+01:00")
        );
        assert_eq!(
            Date::parse("2024-05-01").map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-05-01T00:00:00Z")
        );
    }
}
