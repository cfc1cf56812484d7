//! What readers of a stale translation are shown: how many of its parts changed in English,
//! and, beside each changed paragraph, the English as it is now. Worked out once per build,
//! from each translation's per-segment record.

use crate::freshness::{ChangedPart, Parts, State as PageState};
use crate::site::Site;

use super::segments::Place;
use super::{State, entries_of, record};

/// Per page, its changed parts: `None` for a page that is not a stale translation with a
/// record (its readers get the whole-page notice alone).
pub fn of(site: &Site) -> Vec<Option<Parts>> {
    site.page_ids()
        .map(|page| {
            let Some(Some(PageState::Stale { .. })) = site.freshness.get(page.index()) else {
                return None;
            };
            let source = site.source_of(page)?;
            let translation = &site.pages[page];
            let code = &site.config.language(translation.lang).code;
            let record = record::load(&site.root, &record::path(&translation.key, code))
                .ok()
                .flatten()?;
            let list = entries_of(&site.pages[source], Some(translation), Some(&record));
            let mut parts = Parts {
                total: list.len(),
                ..Parts::default()
            };
            for (entry, place) in list {
                if !matches!(entry.state, State::Changed { then: Some(_) }) {
                    continue;
                }
                parts.changed += 1;
                if let Some(Place::Body { range, .. }) = place {
                    parts.in_body.push(ChangedPart {
                        at: range.end,
                        english: plain(&entry.segment.text),
                    });
                }
            }
            (parts.changed > 0).then_some(parts)
        })
        .collect()
}

/// A segment's Markdown as the words a reader sees.
fn plain(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new_ext(markdown, crate::markdown::options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_owned()
}
