//! Checks of what editors and theme authors write, at the line they wrote it: images without
//! alt text, headings that skip a level, pages without a description in the Markdown, and
//! URLs of other hosts that Markdown, templates or stylesheets would have a browser fetch.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use scraper::Html;

use super::urls;
use super::{Finding, Kind};
use crate::content::Page;
use crate::diagnostics::line_col;
use crate::site::{PageId, Site};

/// Findings in page `id`'s Markdown, and the text of its headings.
pub fn page(site: &Site, id: PageId) -> (Vec<Finding>, Vec<String>) {
    let page = &site.pages[id];
    let mut walk = Walk {
        page,
        findings: description(page).into_iter().collect(),
        headings: Vec::new(),
        // The template gives the page's title as its h1.
        previous_level: 1,
        heading: None,
        image: None,
    };
    for (event, range) in
        Parser::new_ext(page.body(), crate::markdown::options()).into_offset_iter()
    {
        walk.event(event, range.start);
    }
    (walk.findings, walk.headings)
}

/// A warning when the page has no description, at the line where one is written empty or
/// where one would go: the page works without one, but listings and search results show
/// nothing.
fn description(page: &Page) -> Option<Finding> {
    if !page
        .front
        .description
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        return None;
    }
    let written = page.source.lines().take(page.body_line).any(|l| {
        l.strip_prefix("description")
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    });
    let finding = if written {
        Finding::warning(
            Kind::NoDescription,
            format!("the description of {} is empty", page.file),
            "write one sentence after `description:` saying what the page is for; \
             listings and search results show it",
        )
        .at(&page.file, &page.source, page.key_line("description"), 1)
    } else {
        // At the front matter's closing line, where the key goes.
        let closing = page.body_line.saturating_sub(1).max(1);
        Finding::warning(
            Kind::NoDescription,
            format!("{} has no description", page.file),
            "add a line `description: …` before the closing `---`: one sentence saying \
             what the page is for, shown in search results and listings",
        )
        .at(&page.file, &page.source, closing, 1)
    };
    Some(finding)
}

/// One pass over a page's Markdown events: what it has found so far, and the heading or
/// image it is inside, whose text arrives in the events between its start and end.
struct Walk<'a> {
    page: &'a Page,
    findings: Vec<Finding>,
    headings: Vec<String>,
    previous_level: u8,
    /// Level, offset and text so far of the heading being read.
    heading: Option<(u8, usize, String)>,
    /// Offset, URL and alt text so far of the image being read.
    image: Option<(usize, String, String)>,
}

impl Walk<'_> {
    /// Takes in one event that starts at `offset` in the page's body.
    fn event(&mut self, event: Event, offset: usize) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((level as u8, offset, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.heading_ended(),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image = Some((offset, dest_url.to_string(), String::new()));
            }
            Event::End(TagEnd::Image) => self.image_ended(),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, alt)) = self.image.as_mut() {
                    alt.push_str(&text);
                }
                if let Some((_, _, words)) = self.heading.as_mut() {
                    words.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html, offset),
            _ => {}
        }
    }

    /// Keeps the heading just read, and finds it if it skips a level.
    fn heading_ended(&mut self) {
        let Some((level, start, text)) = self.heading.take() else {
            return;
        };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let previous_level = self.previous_level;
        if level > previous_level + 1 {
            self.found(
                Finding::new(
                    Kind::HeadingLevel,
                    format!(
                        "the heading \"{text}\" is level {level} after level {previous_level}, skipping a level"
                    ),
                    format!(
                        "write it as {} (one level below the heading before it; the page title is level 1): screen reader users move through a page by heading level",
                        "#".repeat(usize::from(previous_level) + 1)
                    ),
                ),
                start,
            );
        }
        self.previous_level = level;
        self.headings.push(text);
    }

    /// Finds the image just read if it has no alt text or comes from another server.
    fn image_ended(&mut self) {
        let Some((start, url, alt)) = self.image.take() else {
            return;
        };
        if alt.trim().is_empty() {
            self.found(
                Finding::new(
                    Kind::MissingAlt,
                    format!("the image `{url}` has no alt text"),
                    "write what the image shows between the brackets: ![what it shows](…)",
                ),
                start,
            );
        }
        if urls::is_off_site(&url) {
            self.found(off_site("the image", &url), start);
        }
    }

    /// Finds what HTML written in the Markdown would fetch from other servers.
    fn html(&mut self, html: &str, offset: usize) {
        let fragment = Html::parse_fragment(html);
        for fetch in urls::fetches(&fragment) {
            if urls::is_off_site(&fetch.url) {
                let what = format!("`<{}>`", fetch.element);
                self.found(off_site(&what, &fetch.url), offset);
            }
        }
    }

    /// Keeps `finding`, placed at `offset` in the body as a line and column of the file.
    fn found(&mut self, finding: Finding, offset: usize) {
        let page = self.page;
        let (line, col) = line_col(&page.source, page.body_offset + offset);
        self.findings
            .push(finding.at(&page.file, &page.source, line, col));
    }
}

fn off_site(what: &str, url: &str) -> Finding {
    Finding::new(
        Kind::OffSite,
        format!("{what} would make every reader's browser contact another server: {url}"),
        "save the file next to the page (or in static/) and use its path: the site promises \
         readers it asks nothing of other servers",
    )
}

/// Templates and stylesheets of the theme, and stylesheets in `static/`.
pub fn theme(site: &Site) -> Vec<Finding> {
    let root = &site.root;
    let theme = format!("themes/{}", site.config.theme);
    let mut findings = Vec::new();
    for (dir, extension) in [
        (format!("{theme}/templates"), "html"),
        (format!("{theme}/css"), "css"),
        (format!("{theme}/static"), "css"),
        ("static".to_owned(), "css"),
    ] {
        for (rel, text) in files(root, &dir, extension) {
            let found: Vec<(String, String, usize)> = if extension == "html" {
                urls::fetches(&Html::parse_document(&text))
                    .into_iter()
                    .map(|f| {
                        let offset = text.find(&f.url).unwrap_or(0);
                        (format!("`<{}>`", f.element), f.url, offset)
                    })
                    .collect()
            } else {
                urls::css_urls(&text)
                    .into_iter()
                    .map(|(url, offset)| ("this stylesheet".to_owned(), url, offset))
                    .collect()
            };
            for (what, url, offset) in found.into_iter().filter(|(_, u, _)| urls::is_off_site(u)) {
                let (line, col) = line_col(&text, offset);
                findings.push(
                    off_site(&what, &url)
                        .with_help(
                            "ship the file with the theme and refer to it by a path of the site: \
                             the site promises readers it asks nothing of other servers",
                        )
                        .at(&rel, &text, line, col),
                );
            }
        }
    }
    findings
}

/// Files under `root/dir` ending in `.extension`: their path from the site folder and text.
fn files(root: &Path, dir: &str, extension: &str) -> Vec<(String, String)> {
    walkdir::WalkDir::new(root.join(dir))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| x == extension))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(root).ok()?;
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((rel.to_string_lossy().replace('\\', "/"), text))
        })
        .collect()
}
