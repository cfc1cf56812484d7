//! A translated page, written from the English page and the segments' translations: the
//! English body with each segment's text replaced (so code, HTML, link targets and the list
//! of sources come from the English), and the translation's own front matter with its texts
//! set.

use std::collections::HashMap;

use super::segments::{Kind, Place, Segmented};
use crate::content::Page;
use crate::edit::{quoted, remove_key, set_block, set_key};

/// What to write into a translation.
pub struct Written<'a> {
    pub source: &'a Page,
    pub segmented: &'a Segmented,
    /// The text of every segment, by id: its translation, or its English when it has none.
    pub texts: &'a HashMap<String, String>,
    /// Segments whose text stays as the translation has it, as written there (line breaks
    /// and all), by id.
    pub kept: &'a HashMap<String, String>,
    /// The translation's file as it is, if it exists, and its front matter.
    pub existing: Option<&'a str>,
    pub existing_front: Option<&'a crate::content::FrontMatter>,
    /// `source_hash` to record (the page is current), or `None` to leave it as it is.
    pub source_hash: Option<String>,
    /// Whether the translation stays reviewed (nothing in it changed).
    pub keep_reviewed: bool,
}

/// The whole file.
pub fn page(w: &Written) -> Option<String> {
    let front = front(w)?;
    let body = body(w.source.body(), w.segmented, w.texts, w.kept);
    Some(format!("{front}\n{}", body.trim_start_matches('\n')))
}

fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn text_of<'a>(w: &'a Written, id: &str, english: &'a str) -> &'a str {
    w.texts.get(id).map_or(english, String::as_str)
}

/// The front matter, from the fence to the closing fence (with its line end).
fn front(w: &Written) -> Option<String> {
    let source = &w.source.front;
    let mut text = match w.existing {
        Some(existing) => existing.to_owned(),
        None => new_front(w.source),
    };
    let mine = w.existing_front;
    let title = text_of(w, "title", &source.title);
    if mine.is_none_or(|f| f.title != title) {
        text = set_key(&text, "title", &yaml(title))?;
    }
    if let Some(d) = &source.description {
        let d = text_of(w, "description", d);
        if mine.is_none_or(|f| f.description.as_deref() != Some(d)) {
            text = set_key(&text, "description", &yaml(d))?;
        }
    }
    if let Some(print) = &source.print {
        let mut children = Vec::new();
        if let Some(h) = &print.headline {
            children.push(format!(
                "  headline: {}",
                yaml(text_of(w, "print/headline", h))
            ));
        }
        if !print.points.is_empty() {
            children.push("  points:".to_owned());
            for (i, p) in print.points.iter().enumerate() {
                let id = format!("print/points/{}", i + 1);
                children.push(format!("  - {}", yaml(text_of(w, &id, p))));
            }
        }
        if let Some(a) = &print.action {
            children.push(format!("  action: {}", yaml(text_of(w, "print/action", a))));
        }
        let same = mine.and_then(|f| f.print.as_ref()).is_some_and(|p| {
            p.headline.as_deref()
                == print
                    .headline
                    .as_ref()
                    .map(|h| text_of(w, "print/headline", h))
                && p.action.as_deref()
                    == print.action.as_ref().map(|a| text_of(w, "print/action", a))
                && p.points.len() == print.points.len()
                && p.points.iter().enumerate().all(|(i, x)| {
                    x == text_of(w, &format!("print/points/{}", i + 1), &print.points[i])
                })
        });
        if !same {
            text = if children.is_empty() {
                remove_key(&text, "print")?
            } else {
                set_block(&text, "print", &children)?
            };
        }
    }
    if !w.keep_reviewed {
        text = set_key(&text, "translation", "draft")?;
        text = remove_key(&text, "reviewed")?;
        text = remove_key(&text, "reviewer")?;
    }
    if let Some(hash) = &w.source_hash {
        text = set_key(&text, crate::freshness::KEY, &quoted(hash))?;
    }
    // The front matter alone: up to its closing fence.
    let mut out = String::new();
    let mut fences = 0;
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if line.trim_start_matches('\u{feff}').trim_end() == "---" {
            fences += 1;
            if fences == 2 {
                return Some(out);
            }
        }
    }
    None
}

/// A new translation's front matter: the English page's dates and weight, marked a draft.
fn new_front(source: &Page) -> String {
    let mut text = String::from("---\n");
    for key in ["date", "updated", "weight"] {
        let line = source.key_line(key);
        if let Some(l) = source.source.lines().nth(line - 1)
            && l.starts_with(key)
        {
            text.push_str(l);
            text.push('\n');
        }
    }
    text.push_str("translation: draft\n---\n");
    text
}

/// The English body with each segment replaced by its text.
pub fn body(
    english: &str,
    segmented: &Segmented,
    texts: &HashMap<String, String>,
    kept: &HashMap<String, String>,
) -> String {
    let mut out = String::with_capacity(english.len() * 2);
    let mut at = 0;
    let sources = segmented.sources.clone();
    let mut sources_open = false;
    for segment in &segmented.segments {
        let Place::Body {
            range,
            prefix,
            add_id,
        } = &segment.place
        else {
            continue;
        };
        out.push_str(&english[at..range.start]);
        match kept.get(&segment.id) {
            Some(raw) => out.push_str(raw),
            None => {
                let text = texts.get(&segment.id).unwrap_or(&segment.text);
                out.push_str(&shaped(segment.kind, text, prefix));
            }
        }
        at = range.end;
        if let Some(id) = add_id {
            // Into the heading's attribute block if it has one (`{.sources}`), else a new one.
            let line_end = english[at..].find('\n').map_or(english.len(), |i| at + i);
            match english[at..line_end].find('{') {
                Some(brace) => {
                    out.push_str(&english[at..=at + brace]);
                    out.push_str(&format!("#{id} "));
                    at += brace + 1;
                }
                None => out.push_str(&format!(" {{#{id}}}")),
            }
        }
    }
    if let Some(s) = sources.filter(|s| s.start >= at && s.start < s.end) {
        out.push_str(&english[at..s.start]);
        // The citations stay in English: marked so, for screen readers and for the
        // direction of right-to-left pages.
        out.push_str("\n<div lang=\"en\" dir=\"ltr\">\n\n");
        out.push_str(english[s.clone()].trim_matches('\n'));
        out.push_str("\n\n</div>\n");
        at = s.end;
        sources_open = true;
    }
    out.push_str(&english[at..]);
    if !sources_open && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A segment's text as it goes into Markdown there: one line where the block takes only one
/// (a table cell's `|` escaped), else each line break followed by the block's continuation.
fn shaped(kind: Kind, text: &str, prefix: &str) -> String {
    if kind.one_line() {
        let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if kind == Kind::Cell {
            return escape_pipes(&line);
        }
        return line;
    }
    let continuation = format!("\n{prefix}");
    text.trim()
        .replace("\r\n", "\n")
        .replace('\n', &continuation)
}

fn escape_pipes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escaped = false;
    for c in text.chars() {
        if c == '|' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::segments::{KeyLines, split};

    fn front(yaml: &str) -> crate::content::FrontMatter {
        serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_body_takes_its_translations_and_keeps_its_layout() {
        let english = "Intro\nline.\n\n## How {#how}\n\n- one\n- two\n\n> Note\n> more.\n\n| a | b |\n|---|---|\n| c | d |\n\n## Plain\n\n```\ncode\n```\n\n## Sources {.sources}\n\n- A, 2024.\n";
        let seg = split(&front("title: T\n"), english, 1, &KeyLines::default());
        let texts: HashMap<String, String> = [
            ("top/p1", "Einführung."),
            ("how/h", "Wie"),
            ("how/li1", "eins"),
            ("how/q1", "Hinweis\nmehr."),
            ("how/td3", "c|x"),
            ("plain/h", "Einfach"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        let out = body(english, &seg, &texts, &HashMap::new());
        assert_eq!(
            out,
            "Einführung.\n\n## Wie {#how}\n\n- eins\n- two\n\n> Hinweis\n> mehr.\n\n| a | b |\n|---|---|\n| c\\|x | d |\n\n## Einfach {#plain}\n\n```\ncode\n```\n\n## Sources {#sources .sources}\n\n<div lang=\"en\" dir=\"ltr\">\n\n- A, 2024.\n\n</div>\n"
        );
    }
}
