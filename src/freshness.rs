//! Translation freshness: which version of its source each translation was made from.
//!
//! A translation records, in its front matter, the [`hash`] of its source (the default
//! language's version of the page) as it was when the translation was made or last checked:
//!
//! ```yaml
//! source_hash: "9f86d081884c7d65"
//! ```
//!
//! When the source's hash no longer matches, the translation is stale. The record lives in the
//! file, not in file times, so it survives `git clone` and review in a pull request. The hash
//! covers only what a translator translates: the title, the description, a printable item's
//! texts and the Markdown body, each normalised (line ends, trailing spaces, blank lines at the
//! ends) so that saving the source again, reordering its front matter keys or switching it to
//! CRLF leaves its translations current.
//!
//! [`states`] works out every page's [`State`] once, when the site is resolved; the site answers
//! for one page or all of them (`Site::translation_state`, `Site::translations`), and
//! `safe-surgeries translate mark-current` writes the record.

use std::collections::HashMap;

use crate::content::PageId;
use crate::content::{FrontMatter, Page, front_matter};

/// The front matter key a translation records its source's hash under.
pub const KEY: &str = "source_hash";

/// Hex characters kept of the blake3 hash: 64 bits, plenty to notice an edit, short enough to
/// read in a diff.
const HASH_LEN: usize = 16;

/// Bumped if what [`hash`] covers ever changes, so that old records read as stale rather than
/// matching by accident.
const HASH_VERSION: &[u8] = b"safe-surgeries source hash 1\n";

/// One translation and whether it matches its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// The translation.
    pub page: PageId,
    /// Its source: the same page in the default language.
    pub source: PageId,
    pub state: State,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// The recorded hash is the source's hash now.
    Current,
    /// The source changed after the translation was made or last marked current.
    Stale {
        /// The day the source changed (`YYYY-MM-DD`), from its `updated:` date, when that date
        /// is later than the translation's own `updated:` (or `date:`); `None` means "date
        /// unknown": an `updated:` no later than the translation's was not bumped for this
        /// change, so it would name a day before the translation was made.
        source_changed: Option<String>,
    },
    /// The translation records no hash: nobody has said which version it was made from.
    Unmarked,
}

/// The parts of a stale translation whose English changed after they were translated, as
/// the per-segment record tells (see `crate::translate`): what readers are shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    /// How many segments the page has.
    pub total: usize,
    /// How many of them changed in English (those in front matter too).
    pub changed: usize,
    /// Those in the body, each where its block ends there, with the English as it is now.
    pub in_body: Vec<ChangedPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedPart {
    /// The byte in the translation's body where the block's text ends.
    pub at: usize,
    /// The English as it is now, as plain text.
    pub english: String,
}

/// Every page's state: `None` for a page that is not a translation (`source_of` gives none),
/// each source hashed once, and only when a translation of it records a hash to compare.
pub(crate) fn states(
    pages: &[Page],
    source_of: impl Fn(PageId) -> Option<PageId>,
) -> Vec<Option<State>> {
    let mut hashes: HashMap<PageId, String> = HashMap::new();
    (0..pages.len())
        .map(PageId)
        .map(|page| {
            let source = source_of(page)?;
            let translation = &pages[page];
            let Some(recorded) = translation.front.source_hash.as_deref() else {
                return Some(State::Unmarked);
            };
            let now = hashes
                .entry(source)
                .or_insert_with(|| page_hash(&pages[source]));
            Some(if same(recorded, now) {
                State::Current
            } else {
                State::Stale {
                    source_changed: changed_on(&pages[source], translation),
                }
            })
        })
        .collect()
}

/// The hash a translation of `source` records when it matches `source` as it is now.
pub fn page_hash(source: &Page) -> String {
    hash(&source.front, source.body())
}

/// The hash of a page as a translator sees it: title, description, the texts of its `print:`
/// block (headline, points, action) and its Markdown body, each normalised. A print block's
/// `template:` and `formats:` are left out: translations share them, so a change of paper size
/// needs no new translation. The first [`HASH_LEN`] hex characters of a blake3 hash.
pub fn hash(front: &FrontMatter, body: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(HASH_VERSION);
    let print = front.print.as_ref();
    let points = print.map_or(&[][..], |p| p.points.as_slice());
    let fields = [
        Some(front.title.as_str()),
        front.description.as_deref(),
        print.and_then(|p| p.headline.as_deref()),
        print.and_then(|p| p.action.as_deref()),
    ];
    for text in fields
        .into_iter()
        .chain(points.iter().map(|p| Some(p.as_str())))
    {
        // Each field with its length, so that text moving from one field to the next is a
        // change; the number of points too, for the same reason.
        let mut normal = String::new();
        normalised(text.unwrap_or(""), |part| normal.push_str(part));
        hasher.update(&(normal.len() as u64).to_le_bytes());
        hasher.update(normal.as_bytes());
    }
    hasher.update(&(points.len() as u64).to_le_bytes());
    // The body last, streamed: it needs no length, and pages can be long.
    normalised(body, |part| {
        hasher.update(part.as_bytes());
    });
    let hex = hasher.finalize().to_hex();
    hex[..HASH_LEN].to_owned()
}

/// Feeds `text` to `out` line by line, as an editor sees it: line ends as `\n` (a CR before
/// them dropped), trailing spaces dropped, and no blank lines at the start or end.
fn normalised(text: &str, mut out: impl FnMut(&str)) {
    let mut started = false;
    let mut blank_run = 0usize;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += usize::from(started);
            continue;
        }
        if started {
            out("\n");
        }
        for _ in 0..blank_run {
            out("\n");
        }
        blank_run = 0;
        started = true;
        out(line);
    }
}

/// Whether a recorded hash is `computed`, however it was spaced or cased by hand.
pub(crate) fn same(recorded: &str, computed: &str) -> bool {
    recorded.trim().eq_ignore_ascii_case(computed)
}

fn day(date: &front_matter::Date) -> &str {
    // Dates are checked to start with YYYY-MM-DD when front matter is read.
    date.as_str().get(..10).unwrap_or(date.as_str())
}

/// When the source changed, as far as its dates tell (see [`State::Stale`]).
fn changed_on(source: &Page, translation: &Page) -> Option<String> {
    let updated = day(source.front.updated.as_ref()?);
    let made = translation
        .front
        .updated
        .as_ref()
        .or(translation.front.date.as_ref())
        .map(day);
    match made {
        Some(made) if updated <= made => None,
        _ => Some(updated.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(yaml: &str) -> FrontMatter {
        serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn hash_ignores_what_an_editor_does_not_see() {
        let a = hash(&front("title: Hi\ndescription: One\n"), "Body\n\nMore\n");
        assert_eq!(a.len(), HASH_LEN);
        let reordered = hash(
            &front("description: One\ntitle: \"Hi\"\n"),
            "Body\n\nMore\n",
        );
        let crlf = hash(
            &front("title: Hi\ndescription: One\n"),
            "\r\nBody  \r\n\r\nMore\r\n\r\n",
        );
        assert_eq!(a, reordered);
        assert_eq!(a, crlf);
        assert_ne!(
            a,
            hash(&front("title: Hi\ndescription: One\n"), "Body\nMore\n")
        );
        assert_ne!(
            a,
            hash(&front("title: Hi\ndescription: Two\n"), "Body\n\nMore\n")
        );
        assert_ne!(a, hash(&front("title: Hi\n"), "One\nBody\n\nMore\n"));
        // Fields that a translation does not translate are not part of it.
        assert_eq!(
            a,
            hash(
                &front("title: Hi\ndescription: One\nweight: 3\nupdated: 2026-01-01\n"),
                "Body\n\nMore\n"
            )
        );
    }

    #[test]
    fn print_texts_count_and_paper_does_not() {
        let base = "title: P\nprint:\n  template: poster\n  formats: [A4]\n  headline: H\n  points: [a, b]\n";
        let a = hash(&front(base), "");
        assert_eq!(a, hash(&front(&base.replace("[A4]", "[A4, A3]")), ""));
        assert_ne!(a, hash(&front(&base.replace("[a, b]", "[a, c]")), ""));
        assert_ne!(a, hash(&front(&base.replace("[a, b]", "[ab]")), ""));
        assert_ne!(a, hash(&front(&base.replace("H\n", "G\n")), ""));
    }

    #[test]
    fn normalising_keeps_inner_blank_lines() {
        let mut out = String::new();
        normalised("\n\n a \n\n\nb\t\n\n", |p| out.push_str(p));
        assert_eq!(out, " a\n\n\nb");
    }
}
