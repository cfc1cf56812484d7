//! Sources lists: the guidance is only as good as what it cites. A page in a section that
//! `site.yaml` names under `check: sources_required` must have a `## Sources {.sources}` list,
//! and every entry of any Sources list needs a link, a date or version, and the date someone
//! last checked it.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{Finding, Kind};
use crate::diagnostics::line_col;
use crate::site::{PageId, Site};

/// The class that marks a page's Sources heading (`## Sources {.sources}`).
const SOURCES_CLASS: &str = "sources";

const HOW: &str = "one line per source, with a link, who published it, its date or version \
                   (\"(undated)\" if it has none), and when you checked it, such as: - NHS \
                   England, [*Title*](https://…), version 6 (August 2025). Checked 1 December 2026.";

/// One entry of a Sources list, as written.
struct Entry {
    start: usize,
    text: String,
    links: Vec<String>,
}

/// The page's problems with its sources; `required` when its section must cite them.
pub fn page(site: &Site, id: PageId, required: bool) -> Vec<Finding> {
    let page = &site.pages[id];
    let locate = |finding: Finding, offset: usize| {
        let (line, col) = line_col(&page.source, page.body_offset + offset);
        finding.at(&page.file, &page.source, line, col)
    };
    let Some((heading, entries)) = sources(page.body()) else {
        if !required {
            return Vec::new();
        }
        return vec![locate(
            Finding::new(
                Kind::NoSources,
                format!("{} has no Sources list", page.file),
                format!(
                    "every page of this section says where its facts come from: end it with a \
                     heading `## Sources {{.sources}}` and a list, {HOW}"
                ),
            ),
            page.body().trim_end().len(),
        )];
    };
    if entries.is_empty() {
        return vec![locate(
            Finding::new(
                Kind::IncompleteSource,
                "the Sources heading has no list under it",
                format!("list the sources under the heading, {HOW}"),
            ),
            heading.start,
        )];
    }
    entries
        .iter()
        .filter_map(|entry| {
            let lacks = lacks(entry);
            if lacks.is_empty() {
                return None;
            }
            let summary: String = entry.text.chars().take(60).collect();
            let ellipsis = if entry.text.chars().count() > 60 {
                "…"
            } else {
                ""
            };
            Some(locate(
                Finding::new(
                    Kind::IncompleteSource,
                    format!(
                        "the source \"{}{ellipsis}\" has no {}",
                        summary.trim(),
                        join_and(&lacks)
                    ),
                    format!("readers must be able to find and date every source: {HOW}"),
                ),
                entry.start,
            ))
        })
        .collect()
}

/// What an entry lacks of a link, a date or version, and the date it was checked.
fn lacks(entry: &Entry) -> Vec<&'static str> {
    let mut lacks = Vec::new();
    if !entry
        .links
        .iter()
        .any(|l| l.starts_with("https://") || l.starts_with("http://"))
    {
        lacks.push("link to it");
    }
    let (published, checked) = split_checked(&entry.text);
    if !has_year(published) && !has_version(published) && !says_undated(published) {
        lacks.push("date or version (write \"(undated)\" if it has none)");
    }
    if !checked.is_some_and(has_year) {
        lacks.push("date it was checked (\"Checked 1 December 2026.\")");
    }
    lacks
}

/// The Sources heading's range and the top-level items of the list under it, up to the next
/// heading of its level or above.
fn sources(body: &str) -> Option<(Range<usize>, Vec<Entry>)> {
    let mut heading: Option<(Range<usize>, pulldown_cmark::HeadingLevel)> = None;
    let mut entries = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Entry> = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, classes, .. }) => match &heading {
                Some((_, own)) if level <= *own => break,
                Some(_) => {}
                None if classes.iter().any(|c| c.as_ref() == SOURCES_CLASS) => {
                    heading = Some((range, level));
                }
                None => {}
            },
            _ if heading.is_none() => {}
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) if depth == 1 => {
                current = Some(Entry {
                    start: range.start,
                    text: String::new(),
                    links: Vec::new(),
                });
            }
            Event::End(TagEnd::Item) if depth == 1 => entries.extend(current.take()),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(entry) = current.as_mut() {
                    entry.links.push(dest_url.to_string());
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(entry) = current.as_mut() {
                    entry.text.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(entry) = current.as_mut() {
                    entry.text.push(' ');
                }
            }
            _ => {}
        }
    }
    heading.map(|(range, _)| (range, entries))
}

/// The entry's text before its last "checked", and what follows it.
fn split_checked(text: &str) -> (&str, Option<&str>) {
    match find_ascii_ci(text, "checked") {
        Some(at) => (&text[..at], Some(&text[at..])),
        None => (text, None),
    }
}

/// The last place `word` (ASCII) occurs in `text`, ignoring ASCII case: a char boundary, since
/// it starts with an ASCII byte.
fn find_ascii_ci(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..=bytes.len().checked_sub(word.len())?)
        .rev()
        .find(|&i| bytes[i..i + word.len()].eq_ignore_ascii_case(word.as_bytes()))
}

/// A year from 1900 to 2099 that is not part of a longer number.
fn has_year(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(4).enumerate().any(|(i, w)| {
        let digits = w.iter().all(u8::is_ascii_digit);
        let before = i.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(i + 4).copied();
        digits
            && (w.starts_with(b"19") || w.starts_with(b"20"))
            && !before.is_some_and(|b| b.is_ascii_digit())
            && !after.is_some_and(|a| a.is_ascii_digit())
    })
}

/// "version 6", "v4", "edition 2": a version stands in for a date.
fn has_version(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["version ", "edition ", "v"].iter().any(|word| {
        lower.match_indices(word).any(|(at, _)| {
            let starts_word = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
            starts_word
                && lower[at + word.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
        })
    })
}

/// "(undated)" or "n.d.": the editor looked for a date and the source has none, which readers
/// should know too.
fn says_undated(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("undated") || lower.contains("n.d.")
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and no {last}", rest.join(", no ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(body: &str) -> Vec<Vec<&'static str>> {
        sources(body)
            .map(|(_, entries)| entries.iter().map(lacks).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_complete_entry_lacks_nothing() {
        let body = "Text.\n\n## Sources {.sources}\n\n- NHS England, [*Manual*](https://www.england.nhs.uk/x/), version 6 (August 2025). Checked 1 December 2026.\n";
        assert_eq!(entries(body), vec![Vec::<&str>::new()]);
    }

    #[test]
    fn each_missing_part_is_named() {
        let body = "## Sources {.sources}\n\n- BMA, *Patient registration* (January 2022).\n- [GOV.UK](https://www.gov.uk/x). Checked 1 December 2026.\n";
        let found = entries(body);
        assert_eq!(found[0].len(), 2, "{found:?}");
        assert!(found[0][0].starts_with("link"));
        assert!(found[0][1].starts_with("date it was checked"));
        assert!(found[1][0].starts_with("date or version"), "{found:?}");
        assert_eq!(found[1].len(), 1);
    }

    #[test]
    fn the_list_ends_at_the_next_heading_and_nested_items_belong_to_their_entry() {
        let body = "## Sources {.sources}\n\n- [A](https://a.example/), 2020. Checked 2026-12-01.\n  - a note without a link\n\n## Next\n\n- not a source\n";
        assert_eq!(entries(body), vec![Vec::<&str>::new()]);
    }

    #[test]
    fn a_translated_heading_with_the_class_is_found_and_html_wrappers_are_read_through() {
        let body = "## المصادر {.sources}\n\n<div lang=\"en\" dir=\"ltr\">\n\n- [A](https://a.example/), 2020. Checked 1 December 2026.\n\n</div>\n";
        assert_eq!(entries(body), vec![Vec::<&str>::new()]);
    }

    #[test]
    fn an_undated_source_says_so() {
        let body = "## Sources {.sources}\n\n- [A](https://a.example/) (undated). Checked 1 December 2026.\n";
        assert_eq!(entries(body), vec![Vec::<&str>::new()]);
    }

    #[test]
    fn years_and_versions() {
        assert!(has_year("(November 2015)"));
        assert!(!has_year("HC 12345"));
        assert!(!has_year("page 3099"));
        assert!(has_version("version 6"));
        assert!(has_version("PGM v4"));
        assert!(!has_version("vnu checker"));
    }
}
