//! `safe-surgeries check`: what an editor or CI runs before readers meet a problem.
//!
//! It builds the site into a temporary folder (so `output/` is never touched), then checks
//! the sources where editors can fix them at a line (Markdown, templates, stylesheets) and the
//! built pages as a browser meets them (every `href` and `src`, fragments, orphans, headings,
//! alt text, requests to other hosts), and lists per language what is missing, draft or out of
//! date. Problems fail the check; translation work in progress is listed but does not, since
//! a toolkit in 20 languages always has some.

mod citations;
mod external;
mod origins;
mod output;
mod report;
mod sources;
mod urls;
mod weight;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::build::{self, Options};
use crate::diagnostics::{Diagnostic, Stage};
use crate::incremental::LastBuild;
use crate::render;
use crate::site::{PageId, Site};

pub use report::{External, Language, Report};

pub struct Settings {
    pub root: PathBuf,
    pub drafts: bool,
    /// Fetch every link to another site too.
    pub external: bool,
    /// Warnings fail the check too (for CI before a release).
    pub deny_warnings: bool,
}

/// The kinds of problem `check` finds, in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Build,
    BuildWarning,
    BrokenLink,
    BrokenAnchor,
    OffSite,
    MissingAlt,
    HeadingLevel,
    NoDescription,
    NoSources,
    IncompleteSource,
    Orphan,
    BrokenExternal,
    PageWeight,
}

impl Kind {
    /// The name in `--format json`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Build => "build-error",
            Kind::BuildWarning => "build-warning",
            Kind::BrokenLink => "broken-link",
            Kind::BrokenAnchor => "broken-anchor",
            Kind::OffSite => "off-site-request",
            Kind::MissingAlt => "missing-alt-text",
            Kind::HeadingLevel => "skipped-heading-level",
            Kind::NoDescription => "missing-description",
            Kind::NoSources => "missing-sources",
            Kind::IncompleteSource => "incomplete-source",
            Kind::Orphan => "orphan-page",
            Kind::BrokenExternal => "broken-external-link",
            Kind::PageWeight => "page-weight",
        }
    }

    /// The heading of its group in the text report.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Build => "Errors that stop the site from building",
            Kind::BuildWarning => "Warnings from the build",
            Kind::BrokenLink => "Broken links",
            Kind::BrokenAnchor => "Links to a heading the page does not have",
            Kind::OffSite => "Requests to other servers (the privacy promise)",
            Kind::MissingAlt => "Images without alt text",
            Kind::HeadingLevel => "Headings that skip a level",
            Kind::NoDescription => "Pages without a description",
            Kind::NoSources => "Pages that must cite their sources and have no Sources list",
            Kind::IncompleteSource => "Sources without a link, a date or the date checked",
            Kind::Orphan => "Pages no other page links to",
            Kind::BrokenExternal => "Links to other sites that do not answer",
            Kind::PageWeight => {
                "Pages and fonts over the weight budget (check: budget in site.yaml)"
            }
        }
    }
}

/// One problem: its kind and the diagnostic saying where and what to do.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: Kind,
    pub diagnostic: Diagnostic,
}

impl Finding {
    fn new(kind: Kind, message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            kind,
            diagnostic: Diagnostic::error(Stage::Check, message).with_help(help),
        }
    }

    fn warning(kind: Kind, message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            kind,
            diagnostic: Diagnostic::warning(Stage::Check, message).with_help(help),
        }
    }

    fn at(mut self, file: &str, source: &str, line: usize, col: usize) -> Finding {
        self.diagnostic = self.diagnostic.at(file, Some(source), line, col);
        self
    }

    fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.diagnostic = self.diagnostic.with_help(help);
        self
    }

    fn with_note(mut self, note: impl Into<String>) -> Finding {
        self.diagnostic = self.diagnostic.with_note(note);
        self
    }

    /// Names the built file in the message, for a finding no source line could be found for.
    fn prefixed(mut self, built: &str) -> Finding {
        self.diagnostic.message = format!("{built}: {}", self.diagnostic.message);
        self
    }
}

pub fn run(settings: &Settings) -> Report {
    let scratch = match Scratch::new() {
        Ok(scratch) => scratch,
        Err(err) => {
            return Report::unable(format!(
                "cannot create a temporary folder to build into: {err}"
            ));
        }
    };
    let output = scratch.0.join("site");
    let outcome = build::build_kept(
        &Options {
            root: settings.root.clone(),
            output: Some(output.clone()),
            drafts: settings.drafts,
            keep_going: true,
            ..Options::default()
        },
        None,
    );
    let Some(built) = outcome.last else {
        let findings = outcome
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|diagnostic| Finding {
                kind: Kind::Build,
                diagnostic,
            })
            .collect();
        return Report::new(findings, Vec::new(), Vec::new(), 0).denying(settings.deny_warnings);
    };
    let site = built.site();
    let (mut findings, headings) = source_findings(site, outcome.diagnostics);
    let origins = origins_of(&built, headings);
    let (found, mut links) = output_findings(&output, site, &origins);
    findings.extend(found);
    if settings.external {
        external::fetch(&mut links);
        findings.extend(links.iter().filter_map(External::finding));
    }
    Report::new(findings, report::languages(site), links, site.pages.len())
        .denying(settings.deny_warnings)
}

/// What the sources show at the lines editors wrote (the theme, site.yaml, each page) and
/// what the build said, with the text of each page's headings, for the output check to
/// place what it finds.
fn source_findings(site: &Site, diagnostics: Vec<Diagnostic>) -> (Vec<Finding>, Vec<Vec<String>>) {
    let (per_page, headings): (Vec<Vec<Finding>>, Vec<Vec<String>>) = (0..site.pages.len())
        .into_par_iter()
        .map(PageId)
        .map(|id| {
            let (mut found, headings) = sources::page(site, id);
            found.extend(citations::page(site, id, must_cite(site, id)));
            (found, headings)
        })
        .unzip();
    let mut findings = sources::theme(site);
    findings.extend(unknown_cited_sections(site));
    // The build went on past the pages that failed: their errors lead, and everything that did
    // load is checked too, so one round shows all there is to fix.
    findings.extend(diagnostics.into_iter().map(|diagnostic| Finding {
        kind: if diagnostic.is_error() {
            Kind::Build
        } else {
            Kind::BuildWarning
        },
        diagnostic,
    }));
    findings.extend(per_page.into_iter().flatten());
    (findings, headings)
}

/// What the site built into `output` shows a browser (links, anchors, weight), and its links
/// to other sites, each with the source files of the pages that have it, not yet fetched.
fn output_findings(
    output: &Path,
    site: &Site,
    origins: &origins::Origins,
) -> (Vec<Finding>, Vec<External>) {
    let base = urls::Base {
        url: &site.config.base_url,
        path: &site.config.base_path,
    };
    let checked = output::check(output, &base, origins);
    let mut findings = checked.findings;
    findings.extend(weight::check(output, site, &checked.page_bytes));
    let links = checked
        .external
        .into_iter()
        .map(|(url, pages)| External {
            pages: pages
                .into_iter()
                .map(|p| origins.pages.get(&p).cloned().unwrap_or(p))
                .collect(),
            url,
            answer: None,
        })
        .collect();
    (findings, links)
}

/// Where each built page came from (its Markdown, its template, the headings written in it)
/// and which pages readers come in by, for placing what the output check finds.
fn origins_of(built: &LastBuild, headings: Vec<Vec<String>>) -> origins::Origins {
    let site = built.site();
    let mut origins = origins::Origins::default();
    for (file, text) in built.templates().sources() {
        origins.template_files.push(file.to_owned());
        origins.texts.insert(file.to_owned(), text.to_owned());
    }
    for (id, headings) in site.page_ids().zip(headings) {
        let path = render::page_path(site, id);
        let page = &site.pages[id];
        origins.pages.insert(path.clone(), page.file.clone());
        origins.texts.insert(page.file.clone(), page.source.clone());
        if let Some(template) = built.templates().file_of(page.template()) {
            origins
                .templates_of
                .insert(path.clone(), template.to_owned());
        }
        origins.markdown_headings.insert(path, headings);
    }
    for lang in site.config.language_ids() {
        if let Some(home) = site.home(lang) {
            origins.entry_points.insert(render::page_path(site, home));
        }
        origins
            .entry_points
            .insert(crate::paths::not_found(site.config.language(lang)));
    }
    origins
}

/// Whether page `id` is in a section whose pages must cite their sources (a page, not the
/// section's own `_index`).
fn must_cite(site: &Site, id: PageId) -> bool {
    !site.pages[id].is_section() && site.in_sections(id, &site.config.check.sources_required)
}

/// Sections named in site.yaml (`check: sources_required`, `staff_sections`,
/// `patient_sections`) that the site does not have.
fn unknown_cited_sections(site: &Site) -> Vec<Finding> {
    let Ok(text) = std::fs::read_to_string(site.root.join(crate::config::CONFIG_FILE)) else {
        return Vec::new();
    };
    let config = &site.config;
    let named = (config
        .check
        .sources_required
        .iter()
        .map(|s| ("sources_required", s)))
    .chain(config.staff_sections.iter().map(|s| ("staff_sections", s)))
    .chain(
        config
            .patient_sections
            .iter()
            .map(|s| ("patient_sections", s)),
    );
    named
        .filter(|(_, section)| !site.groups.contains_key(&format!("{section}/_index.md")))
        .map(|(key, section)| {
            let (line, col) = crate::diagnostics::find_line(&text, section).unwrap_or((1, 1));
            Finding::new(
                Kind::NoSources,
                format!("{key} names `{section}`, but content/ has no such section"),
                "name a folder under content/ that has an _index.md, such as guidance",
            )
            .at(crate::config::CONFIG_FILE, &text, line, col)
        })
        .collect()
}

/// A temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "safe-surgeries-check-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
