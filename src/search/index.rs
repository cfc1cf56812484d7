//! One language's index: its pages (title, URL, excerpt) and, per term, the pages that
//! contain it with a weight, written as compact JSON that `search.js` reads.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::text::html_to_text;
use super::tokens::tokenize;

/// What the index needs of one page.
pub struct Page<'a> {
    pub title: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
    /// The page's rendered Markdown.
    pub html: &'a str,
    /// Other text the page stands for, searched as body text: a printable item's headline and
    /// points, which its PDFs carry but its page shows only in the preview image.
    pub more: String,
}

/// Weights: a term in the title says most about what a page is about, one in the description
/// or a heading much, one in the body a little more each time, up to a point, so that a long
/// page that mentions a word often does not outrank the page named after it.
const TITLE: u32 = 10;
const DESCRIPTION: u32 = 3;
const HEADING: u32 = 3;
const BODY_MAX: u32 = 5;

/// Terms longer than this (a URL written out, a long number) are not searched for.
const MAX_TERM_CHARS: usize = 40;

/// Excerpts shown under each result, in characters.
const EXCERPT_CHARS: usize = 160;

#[derive(Serialize)]
struct Doc<'a> {
    title: &'a str,
    url: &'a str,
    excerpt: String,
}

/// The file's shape: `terms` lists `[term, [doc, weight, doc, weight, …]]`, sorted by term,
/// with `doc` an index into `docs`. Arrays rather than an object, whose key order JavaScript
/// would change for terms that look like numbers.
#[derive(Serialize)]
struct File<'a> {
    version: u32,
    lang: &'a str,
    docs: Vec<Doc<'a>>,
    terms: Vec<(&'a str, Vec<u32>)>,
}

#[derive(Default, Clone, Copy)]
struct Hits {
    title: bool,
    description: bool,
    heading: bool,
    body: u32,
}

impl Hits {
    fn weight(self) -> u32 {
        u32::from(self.title) * TITLE
            + u32::from(self.description) * DESCRIPTION
            + u32::from(self.heading) * HEADING
            + self.body.min(BODY_MAX)
    }
}

/// The index of `pages`, all in language `lang` (a BCP 47 code), as JSON. Pages are listed
/// by URL and terms sorted, so the same pages give the same bytes.
pub fn build(lang: &str, pages: &[Page]) -> String {
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| pages[a].url.cmp(&pages[b].url));
    let arabic = lang == "ar" || lang.starts_with("ar-");
    let mut docs = Vec::with_capacity(pages.len());
    let mut texts = Vec::with_capacity(pages.len());
    for &i in &order {
        let page = &pages[i];
        let text = html_to_text(page.html);
        let excerpt = match page.description {
            Some(d) if !d.trim().is_empty() => d.split_whitespace().collect::<Vec<_>>().join(" "),
            _ => excerpt(&text.prose),
        };
        docs.push(Doc {
            title: page.title,
            url: &page.url,
            excerpt,
        });
        texts.push(text);
    }
    let mut postings: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (doc, (&i, text)) in order.iter().zip(&texts).enumerate() {
        let page = &pages[i];
        let mut hits: HashMap<String, Hits> = HashMap::new();
        let mut count = |source: &str, mark: fn(&mut Hits)| {
            for term in tokenize(source) {
                if term.chars().count() > MAX_TERM_CHARS {
                    continue;
                }
                if let Some(stem) = without_article(&term).filter(|_| arabic) {
                    mark(hits.entry(stem.to_owned()).or_default());
                }
                mark(hits.entry(term).or_default());
            }
        };
        count(page.title, |h| h.title = true);
        count(page.description.unwrap_or(""), |h| h.description = true);
        count(&text.headings, |h| h.heading = true);
        count(&text.all, |h| h.body += 1);
        count(&page.more, |h| h.body += 1);
        let doc = u32::try_from(doc).unwrap_or(u32::MAX);
        for (term, hits) in hits {
            let list = postings.entry(term).or_default();
            list.push(doc);
            list.push(hits.weight());
        }
    }
    // Postings were filled page by page in URL order, so each list is sorted by page already.
    let file = File {
        version: 1,
        lang,
        docs,
        terms: postings
            .iter()
            .map(|(term, list)| (term.as_str(), list.clone()))
            .collect(),
    };
    // Strings and numbers only: serialising cannot fail.
    serde_json::to_string(&file).unwrap_or_default()
}

/// An Arabic word without the article and the particles joined to it (ال، وال، بال، فال، كال،
/// لل), as Lucene's light Arabic stemmer strips them, so that مترجم finds المترجم. Only the
/// index does this: a query's terms are matched as prefixes of the terms here.
fn without_article(term: &str) -> Option<&str> {
    // After folding, ك is written ک.
    const PREFIXES: [&str; 6] = ["وال", "بال", "فال", "کال", "لل", "ال"];
    PREFIXES.iter().find_map(|prefix| {
        term.strip_prefix(prefix)
            .filter(|rest| rest.chars().count() >= 2)
    })
}

/// The start of `prose`, cut at a space near the limit where there is one.
fn excerpt(prose: &str) -> String {
    let Some((cut, _)) = prose.char_indices().nth(EXCERPT_CHARS) else {
        return prose.to_owned();
    };
    let head = &prose[..cut];
    let head = match head.rfind(' ') {
        Some(space) if space > cut / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([' ', ',', '.', ';', ':', '،']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(lang: &str, pages: &[Page]) -> serde_json::Value {
        serde_json::from_str(&build(lang, pages)).unwrap()
    }

    fn postings<'v>(index: &'v serde_json::Value, term: &str) -> Option<&'v serde_json::Value> {
        index["terms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|pair| pair[0] == term)
            .map(|pair| &pair[1])
    }

    #[test]
    fn title_terms_weigh_more_than_body_terms() {
        let pages = [
            Page {
                title: "Other",
                url: "/b/".into(),
                description: None,
                html: "<p>An interpreter, an interpreter.</p>",
                more: String::new(),
            },
            Page {
                title: "Booking an interpreter",
                url: "/a/".into(),
                description: Some("Who pays."),
                html: "<p>Text.</p>",
                more: "Who books".into(),
            },
        ];
        let index = index("en", &pages);
        // Pages are listed by URL: /a/ is doc 0.
        assert_eq!(index["docs"][0]["url"], "/a/");
        assert_eq!(index["docs"][0]["excerpt"], "Who pays.");
        assert_eq!(
            index["docs"][1]["excerpt"],
            "An interpreter, an interpreter."
        );
        // In the title of /a/ (which the body does not repeat), twice in the body of /b/.
        assert_eq!(
            postings(&index, "interpreter").unwrap(),
            &serde_json::json!([0, 10, 1, 2])
        );
        // In the description only.
        assert_eq!(
            postings(&index, "pays").unwrap(),
            &serde_json::json!([0, 3])
        );
        // The printed text counts as body text.
        assert_eq!(
            postings(&index, "books").unwrap(),
            &serde_json::json!([0, 1])
        );
    }

    #[test]
    fn arabic_words_are_also_indexed_without_the_article() {
        let pages = [Page {
            title: "المترجمون",
            url: "/ar/x/".into(),
            description: None,
            html: "<p>العيادة تحجز المترجم. لله</p>",
            more: String::new(),
        }];
        let index = index("ar", &pages);
        for term in ["المترجم", "مترجم", "مترجمون", "العیاده", "عیاده", "لله"]
        {
            assert!(postings(&index, term).is_some(), "{term}");
        }
        // One letter left after the particle is no word to find alone.
        assert!(postings(&index, "ه").is_none());
    }

    #[test]
    fn the_same_pages_give_the_same_bytes() {
        let pages = || {
            [
                Page {
                    title: "b",
                    url: "/b/".into(),
                    description: None,
                    html: "<p>x y z</p>",
                    more: String::new(),
                },
                Page {
                    title: "a",
                    url: "/a/".into(),
                    description: None,
                    html: "<p>z y x</p>",
                    more: String::new(),
                },
            ]
        };
        let mut reversed = pages();
        reversed.reverse();
        assert_eq!(build("en", &pages()), build("en", &reversed));
    }

    #[test]
    fn long_bodies_are_cut_at_a_space() {
        let prose = "word ".repeat(100);
        let cut = excerpt(prose.trim());
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
    }
}
