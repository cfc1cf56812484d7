//! Checks of the built site as a browser meets it: every `href` and `src` of every page,
//! fragments, orphan pages, images without alt text, heading levels, and anything the pages
//! or stylesheets would fetch from another host.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use scraper::{Html, Selector};

use super::origins::Origins;
use super::urls::{self, Base, Target};
use super::{Finding, Kind};

/// What one built HTML file holds that the checks need.
#[derive(Default)]
struct Parsed {
    ids: HashSet<String>,
    /// `href`s of `a` and `area`, which the reader follows.
    links: Vec<String>,
    fetches: Vec<urls::Fetch>,
    headings: Vec<(u8, String)>,
    /// `src` of images with no `alt` attribute at all.
    no_alt: Vec<String>,
}

pub struct Checked {
    pub findings: Vec<Finding>,
    /// Links to other sites, each with the built pages that have it.
    pub external: BTreeMap<String, BTreeSet<String>>,
    /// Each page's weight: its HTML and the stylesheets and scripts it loads, in bytes.
    pub page_bytes: BTreeMap<String, u64>,
}

/// Reads every HTML and CSS file under `output` and checks them.
pub fn check(output: &Path, base: &Base<'_>, origins: &Origins) -> Checked {
    let files: Vec<String> = walkdir::WalkDir::new(output)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(output).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    let (parsed, mut findings) = read_pages(output, &files);
    let mut pages = Pages {
        base,
        origins,
        all: files.iter().map(String::as_str).collect(),
        parsed: &parsed,
        findings: Vec::new(),
        external: BTreeMap::new(),
        inbound: HashMap::new(),
    };
    let size = |path: &str| std::fs::metadata(output.join(path)).map_or(0, |m| m.len());
    let mut page_bytes = BTreeMap::new();
    for (&from, page) in &parsed {
        let loaded = pages.loaded(from, page);
        let bytes = size(from) + loaded.iter().map(|p| size(p)).sum::<u64>();
        page_bytes.insert(from.to_owned(), bytes);
        pages.links(from, page);
        pages.fetches(from, page);
        pages.images_and_headings(from, page);
    }
    findings.append(&mut pages.findings);
    findings.extend(orphans(origins, &pages.inbound));
    findings.extend(off_site_in_stylesheets(output, &files));
    Checked {
        findings,
        external: pages.external,
        page_bytes,
    }
}

/// Every HTML file of the output, parsed; a file that cannot be read is a finding, not an
/// empty page (which would hide every link it has).
fn read_pages<'a>(output: &Path, files: &'a [String]) -> (BTreeMap<&'a str, Parsed>, Vec<Finding>) {
    let read: Vec<(&str, Result<Parsed, Box<Finding>>)> = files
        .par_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| (f.as_str(), read(output, f).map(|text| parse(&text))))
        .collect();
    let mut parsed = BTreeMap::new();
    let mut findings = Vec::new();
    for (file, page) in read {
        match page {
            Ok(page) => {
                parsed.insert(file, page);
            }
            Err(finding) => findings.push(*finding),
        }
    }
    (parsed, findings)
}

/// A built file's text, or the finding that it could not be read.
fn read(output: &Path, file: &str) -> Result<String, Box<Finding>> {
    std::fs::read_to_string(output.join(file)).map_err(|err| {
        Box::new(Finding::new(
            Kind::Build,
            format!("{file} in the output cannot be read: {err}"),
            "build the site again; if this comes back, check the disk and the folder's permissions",
        ))
    })
}

/// The pages being checked, and what checking them has found so far.
struct Pages<'a> {
    base: &'a Base<'a>,
    origins: &'a Origins,
    all: HashSet<&'a str>,
    parsed: &'a BTreeMap<&'a str, Parsed>,
    findings: Vec<Finding>,
    external: BTreeMap<String, BTreeSet<String>>,
    /// How many other pages link to each page.
    inbound: HashMap<String, usize>,
}

impl Pages<'_> {
    /// The stylesheets and scripts page `from` loads, as output files.
    fn loaded(&self, from: &str, page: &Parsed) -> BTreeSet<String> {
        page.fetches
            .iter()
            .filter(|f| {
                f.element == "script"
                    || f.url
                        .split(['?', '#'])
                        .next()
                        .is_some_and(|u| u.ends_with(".css"))
            })
            .filter_map(|f| match self.base.resolve(from, &f.url) {
                Target::Internal { path, .. } => existing(&self.all, &path),
                _ => None,
            })
            .collect()
    }

    /// The links a reader follows: each leads to a file, and its `#fragment` to an id there.
    fn links(&mut self, from: &str, page: &Parsed) {
        for url in &page.links {
            match self.base.resolve(from, url) {
                Target::External(url) => {
                    self.external
                        .entry(url)
                        .or_default()
                        .insert(from.to_owned());
                }
                Target::Internal { path, fragment } => {
                    let Some(found) = existing(&self.all, &path) else {
                        let finding = Finding::new(
                            Kind::BrokenLink,
                            format!("the link `{url}` leads to no page or file"),
                            "correct the link, or add the page it should lead to",
                        );
                        self.findings.push(self.origins.place(from, url, finding));
                        continue;
                    };
                    if found != from {
                        *self.inbound.entry(found.clone()).or_default() += 1;
                    }
                    let broken = broken_fragment(self.parsed, from, url, &found, fragment);
                    let placed = broken.map(|finding| self.origins.place(from, url, finding));
                    self.findings.extend(placed);
                }
                Target::Other => {}
            }
        }
    }

    /// What the browser fetches: never from another server, and always a file the site has.
    fn fetches(&mut self, from: &str, page: &Parsed) {
        for fetch in &page.fetches {
            let finding = if urls::is_off_site(&fetch.url) {
                Finding::new(
                    Kind::OffSite,
                    format!(
                        "`<{}>` would make every reader's browser contact another server: {}",
                        fetch.element, fetch.url
                    ),
                    "ship the file with the site (in static/ or the theme) and link it from \
                     there: the site promises readers it asks nothing of other servers",
                )
            } else if let Target::Internal { path, .. } = self.base.resolve(from, &fetch.url)
                && existing(&self.all, &path).is_none()
            {
                Finding::new(
                    Kind::BrokenLink,
                    format!(
                        "`<{}>` asks for `{}`, which the site does not have",
                        fetch.element, fetch.url
                    ),
                    "correct the address, or add the file",
                )
            } else {
                continue;
            };
            self.findings
                .push(self.origins.place(from, &fetch.url, finding));
        }
    }

    /// Images without alt text, and headings that skip a level.
    fn images_and_headings(&mut self, from: &str, page: &Parsed) {
        for src in &page.no_alt {
            let finding = Finding::new(
                Kind::MissingAlt,
                format!("the image `{src}` has no alt text"),
                "add alt=\"…\" saying what the image shows, or alt=\"\" if it is decoration only",
            );
            self.findings.push(self.origins.place(from, src, finding));
        }
        let written = self.origins.markdown_headings.get(from);
        for (level, text, previous) in skipped_levels(&page.headings) {
            // Already reported at its line in the Markdown.
            if written.is_some_and(|w| w.iter().any(|t| t == &text)) {
                continue;
            }
            self.findings.push(Finding::new(
                Kind::HeadingLevel,
                format!(
                    "{}: the heading \"{text}\" (h{level}) follows an h{previous}, skipping a level",
                    self.origins.of(from)
                ),
                "screen reader users move by heading level: use the next level down, one at a time",
            ));
        }
    }
}

/// Pages no other page links to, and that are not where readers come in.
fn orphans(origins: &Origins, inbound: &HashMap<String, usize>) -> Vec<Finding> {
    origins
        .pages
        .keys()
        .filter(|page| !origins.entry_points.contains(*page) && !inbound.contains_key(*page))
        .map(|page| {
            origins.at_page(
                page,
                Finding::new(
                    Kind::Orphan,
                    "no other page links to it",
                    "link it from its section or a related page, or mark it `draft: true` if it \
                     is not ready",
                ),
            )
        })
        .collect()
}

/// Stylesheets that fetch from another server (fonts, images, `@import`).
fn off_site_in_stylesheets(output: &Path, files: &[String]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for css in files.iter().filter(|f| f.ends_with(".css")) {
        let text = match read(output, css) {
            Ok(text) => text,
            Err(finding) => {
                findings.push(*finding);
                continue;
            }
        };
        for (url, _) in urls::css_urls(&text) {
            if urls::is_off_site(&url) {
                findings.push(Finding::new(
                    Kind::OffSite,
                    format!("{css}: the stylesheet fetches {url} from another server"),
                    "ship the file with the theme and refer to it by a path of the site",
                ));
            }
        }
    }
    findings
}

/// The output file `path` names: itself, or the `index.html` of a folder named without its `/`.
fn existing(all: &HashSet<&str>, path: &str) -> Option<String> {
    if all.contains(path) {
        return Some(path.to_owned());
    }
    let index = format!("{path}/index.html");
    all.contains(index.as_str()).then_some(index)
}

/// A link's `#fragment` that the page it leads to has no element for, with the ids it has,
/// nearest first.
fn broken_fragment(
    parsed: &BTreeMap<&str, Parsed>,
    from: &str,
    url: &str,
    target: &str,
    fragment: Option<String>,
) -> Option<Finding> {
    let fragment = fragment.filter(|f| !f.is_empty() && f != "top")?;
    let page = parsed.get(target)?;
    if page.ids.contains(&fragment) {
        return None;
    }
    let what = if target == from {
        "this page".to_owned()
    } else {
        target.to_owned()
    };
    let known = crate::suggest::ranked(&fragment, page.ids.iter().map(String::as_str));
    let help = if known.is_empty() {
        format!("{what} has nothing to link to with `#`; drop the `#{fragment}`")
    } else {
        format!(
            "{}{what} has the ids, nearest first: {}",
            crate::suggest::nearest(&fragment, known.iter().copied())
                .map(|id| format!("did you mean `#{id}`? "))
                .unwrap_or_default(),
            known.join(", ")
        )
    };
    Some(Finding::new(
        Kind::BrokenAnchor,
        format!("the link `{url}` points at `#{fragment}`, which {what} does not have"),
        help,
    ))
}

/// Headings that skip a level: each with its level, text and the level before it.
fn skipped_levels(headings: &[(u8, String)]) -> Vec<(u8, String, u8)> {
    let mut skipped = Vec::new();
    let mut previous: Option<u8> = None;
    for (level, text) in headings {
        if let Some(before) = previous
            && *level > before + 1
        {
            skipped.push((*level, text.clone(), before));
        }
        previous = Some(*level);
    }
    skipped
}

fn parse(text: &str) -> Parsed {
    let html = Html::parse_document(text);
    let mut parsed = Parsed {
        fetches: urls::fetches(&html),
        ..Parsed::default()
    };
    let select = |css: &str| Selector::parse(css).ok();
    if let Some(ids) = select("[id], a[name]") {
        for element in html.select(&ids) {
            for attribute in ["id", "name"] {
                if let Some(id) = element.value().attr(attribute) {
                    parsed.ids.insert(id.to_owned());
                }
            }
        }
    }
    if let Some(links) = select("a[href], area[href]") {
        parsed.links = html
            .select(&links)
            .filter_map(|a| a.value().attr("href"))
            .map(str::to_owned)
            .collect();
    }
    if let Some(headings) = select("h1, h2, h3, h4, h5, h6") {
        parsed.headings = html
            .select(&headings)
            .map(|h| {
                let level = h.value().name()[1..].parse().unwrap_or(1);
                let text: String = h.text().collect::<String>();
                (level, text.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .collect();
    }
    if let Some(images) = select("img:not([alt])") {
        parsed.no_alt = html
            .select(&images)
            .map(|img| img.value().attr("src").unwrap_or("").to_owned())
            .collect();
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_page_that_cannot_be_read_is_a_finding_not_an_empty_page() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("index.html"), "<a href=\"gone/\">x</a>")?;
        // Not UTF-8: read_to_string fails on it as it would on a file it may not open.
        std::fs::write(dir.path().join("broken.html"), b"<p>\xff\xfe</p>")?;
        let base = Base {
            url: "https://example.org/",
            path: "/",
        };
        let checked = check(dir.path(), &base, &Origins::default());
        let messages: Vec<String> = checked
            .findings
            .iter()
            .map(|f| f.diagnostic.to_string())
            .collect();
        assert!(
            checked.findings.iter().any(|f| f.kind == Kind::Build
                && f.diagnostic
                    .to_string()
                    .contains("broken.html in the output cannot be read")),
            "{messages:#?}"
        );
        // The readable page is still checked.
        assert!(
            checked.findings.iter().any(|f| f.kind == Kind::BrokenLink),
            "{messages:#?}"
        );
        Ok(())
    }
}
