//! What `check` found, as text for editors or JSON for CI.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Finding, Kind};
use crate::freshness::State;
use crate::site::Site;
use crate::translation_report::LanguageReport;

/// A link to another site and the pages that have it.
#[derive(Debug, Clone)]
pub struct External {
    pub url: String,
    pub pages: Vec<String>,
    /// With `--external`: the HTTP status, or why there was none.
    pub answer: Option<Result<u16, String>>,
}

impl External {
    pub(super) fn finding(&self) -> Option<Finding> {
        let problem = match self.answer.as_ref()? {
            Ok(status) if *status < 400 => return None,
            Ok(status) => format!("answers {status}"),
            Err(err) => format!("did not answer: {err}"),
        };
        Some(Finding::new(
            Kind::BrokenExternal,
            format!(
                "{} {problem} (linked from {})",
                self.url,
                self.pages.join(", ")
            ),
            "check the address in a browser; replace the link if the page has moved or gone",
        ))
    }
}

/// Translation work in one language: listed, not failed. What `build --report` lists, and
/// the translations out of date or not marked.
#[derive(Debug, Default)]
pub struct Language {
    pub work: LanguageReport,
    /// Translations whose source changed since: the file, its source and when it changed.
    pub stale: Vec<(String, String, Option<String>)>,
    /// Translations that do not say which version of their source they were made from.
    pub unmarked: Vec<String>,
}

pub fn languages(site: &Site) -> Vec<Language> {
    let mut languages: Vec<Language> = crate::translation_report::TranslationReport::new(site)
        .languages
        .into_iter()
        .map(|work| Language {
            work,
            ..Language::default()
        })
        .collect();
    for freshness in site.translations() {
        let page = &site.pages[freshness.page];
        let code = &site.config.language(page.lang).code;
        let Some(language) = languages.iter_mut().find(|l| &l.work.code == code) else {
            continue;
        };
        match freshness.state {
            State::Current => {}
            State::Stale { source_changed } => language.stale.push((
                page.file.clone(),
                site.pages[freshness.source].file.clone(),
                source_changed,
            )),
            State::Unmarked => language.unmarked.push(page.file.clone()),
        }
    }
    languages
}

pub struct Report {
    pub findings: Vec<Finding>,
    pub languages: Vec<Language>,
    pub external: Vec<External>,
    pub pages: usize,
    /// Why the check could not run at all.
    pub unable: Option<String>,
    /// Whether warnings fail the check.
    pub deny_warnings: bool,
}

impl Report {
    pub(super) fn new(
        mut findings: Vec<Finding>,
        languages: Vec<Language>,
        external: Vec<External>,
        pages: usize,
    ) -> Report {
        findings.sort_by(|a, b| {
            let key = |f: &Finding| {
                (
                    f.kind,
                    // Within the build's errors: a file that fails to load before the rest.
                    f.diagnostic.stage,
                    f.diagnostic.span.clone(),
                    f.diagnostic.message.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        // One line of a template is one problem, however many pages it made and whichever
        // check met it (the theme's sources, or a built page placed back at that line).
        let line = |f: &Finding| f.diagnostic.span.as_ref().map(|s| (s.file.clone(), s.line));
        findings.dedup_by(|a, b| {
            a.kind == b.kind && a.diagnostic.message == b.diagnostic.message && line(a) == line(b)
        });
        Report {
            findings,
            languages,
            external,
            pages,
            unable: None,
            deny_warnings: false,
        }
    }

    pub(super) fn denying(mut self, warnings: bool) -> Report {
        self.deny_warnings = warnings;
        self
    }

    /// The findings that fail the check: errors, and warnings under `--deny warnings`.
    fn failing(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| self.deny_warnings || f.diagnostic.is_error())
            .count()
    }

    pub(super) fn unable(why: String) -> Report {
        Report {
            unable: Some(why),
            ..Report::new(Vec::new(), Vec::new(), Vec::new(), 0)
        }
    }

    /// 0 when clean, 1 with problems, 2 when the check could not run.
    pub fn exit_code(&self) -> u8 {
        if self.unable.is_some() {
            2
        } else if self.failing() == 0 {
            0
        } else {
            1
        }
    }

    pub fn text(&self) -> String {
        if let Some(why) = &self.unable {
            return format!("error: {why}\n");
        }
        let mut out = self.findings_text();
        let translation_notes = self.translations_text(&mut out);
        out.push_str(&self.external_text());
        out.push_str(&self.summary(translation_notes));
        out
    }

    /// The findings under the title of their kind, kinds in the order `Kind` lists them.
    fn findings_text(&self) -> String {
        let mut out = String::new();
        let mut by_kind: BTreeMap<Kind, Vec<&Finding>> = BTreeMap::new();
        for finding in &self.findings {
            by_kind.entry(finding.kind).or_default().push(finding);
        }
        for (kind, findings) in &by_kind {
            out.push_str(&format!("== {} ({}) ==\n\n", kind.title(), findings.len()));
            for finding in findings {
                out.push_str(&format!("{}\n", finding.diagnostic));
            }
        }
        out
    }

    /// Writes the translation work to `out` and gives how many notes it listed, which the
    /// summary counts.
    fn translations_text(&self, out: &mut String) -> usize {
        let mut translation_notes = 0;
        if !self.languages.is_empty() {
            out.push_str("== Translations (listed; they do not fail the check) ==\n\n");
        }
        let untranslated = self.untranslated();
        if !untranslated.is_empty() {
            out.push_str(&format!(
                "In no translation yet ({} pages):\n",
                untranslated.len()
            ));
            for page in &untranslated {
                out.push_str(&format!("  {page}\n"));
            }
            out.push('\n');
            translation_notes += untranslated.len();
        }
        for lang in &self.languages {
            translation_notes += language_text(lang, &untranslated, out);
        }
        translation_notes
    }

    /// The pages missing in every language, with more than one language: these (guidance
    /// for staff, say) are named once, not once per language.
    fn untranslated(&self) -> Vec<&String> {
        match self.languages.split_first() {
            Some((first, rest)) if !rest.is_empty() => first
                .work
                .missing_pages
                .iter()
                .filter(|p| rest.iter().all(|l| l.work.missing_pages.contains(p)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// How many links to other sites there are and whether they were fetched; empty when
    /// there are none.
    fn external_text(&self) -> String {
        if self.external.is_empty() {
            return String::new();
        }
        let fetched = self.external.iter().any(|l| l.answer.is_some());
        format!(
            "\n{} links to other sites{}\n",
            self.external.len(),
            if fetched {
                ", each fetched"
            } else {
                " (not fetched; `check --external` asks each one)"
            }
        )
    }

    fn summary(&self, translation_notes: usize) -> String {
        let failing = self.failing();
        let warnings = self.findings.len() - failing;
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let warned = if warnings == 0 {
            String::new()
        } else {
            format!(
                "; {} (`--deny warnings` fails on them)",
                plural(warnings, "warning")
            )
        };
        if failing == 0 {
            return format!(
                "\ncheck: no problems in {}{warned}; {}\n",
                plural(self.pages, "page"),
                plural(translation_notes, "translation note")
            );
        }
        let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
        for finding in self
            .findings
            .iter()
            .filter(|f| self.deny_warnings || f.diagnostic.is_error())
        {
            *counts.entry(finding.kind).or_default() += 1;
        }
        let parts: Vec<String> = counts
            .iter()
            .map(|(kind, n)| format!("{n} {}", kind.name()))
            .collect();
        format!(
            "\ncheck: {} ({}){warned}\n",
            plural(failing, "problem"),
            parts.join(", ")
        )
    }

    pub fn json(&self) -> String {
        let findings: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                let d = &f.diagnostic;
                json!({
                    "kind": f.kind.name(),
                    "severity": if d.is_error() { "error" } else { "warning" },
                    "message": d.message,
                    "file": d.span.as_ref().map(|s| s.file.clone()),
                    "line": d.span.as_ref().map(|s| s.line),
                    "column": d.span.as_ref().map(|s| s.col),
                    "help": d.help,
                    "notes": d.notes(),
                })
            })
            .collect();
        let languages: Vec<serde_json::Value> = self
            .languages
            .iter()
            .map(|l| {
                json!({
                    "code": l.work.code,
                    "name": l.work.name,
                    "stale": l.stale.iter().map(|(file, source, changed)| json!({
                        "file": file, "source": source, "source_changed": changed,
                    })).collect::<Vec<_>>(),
                    "unmarked": l.unmarked,
                    "missing_pages": l.work.missing_pages,
                    "drafts": l.work.draft_pages,
                    "missing_strings": l.work.missing_strings,
                    "inherited_strings": l.work.inherited_strings.iter().map(|(key, from)| json!({
                        "key": key, "from": from,
                    })).collect::<Vec<_>>(),
                    "to_do": l.work.advice,
                })
            })
            .collect();
        let external: Vec<serde_json::Value> = self
            .external
            .iter()
            .map(|l| {
                let (status, error) = match &l.answer {
                    Some(Ok(status)) => (Some(*status), None),
                    Some(Err(err)) => (None, Some(err.clone())),
                    None => (None, None),
                };
                json!({ "url": l.url, "pages": l.pages, "status": status, "error": error })
            })
            .collect();
        let value = json!({
            "ok": self.exit_code() == 0,
            "error": self.unable,
            "pages": self.pages,
            "problems": findings,
            "languages": languages,
            "external_links": external,
        });
        format!(
            "{}\n",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        )
    }
}

/// Writes one language's counts, advice and lists to `out` and gives how many items it
/// listed. Pages in `untranslated` were named already, for all languages at once.
fn language_text(lang: &Language, untranslated: &[&String], out: &mut String) -> usize {
    let missing: Vec<String> = lang
        .work
        .missing_pages
        .iter()
        .filter(|p| !untranslated.contains(p))
        .cloned()
        .collect();
    let lists: [(&str, Vec<String>); 5] = [
        ("out of date", stale_lines(&lang.stale)),
        (
            "not marked (check it, then run `safe-surgeries translate mark-current` on it)",
            lang.unmarked.clone(),
        ),
        ("missing page", missing),
        ("draft", lang.work.draft_pages.clone()),
        ("missing string", lang.work.missing_strings.clone()),
    ];
    out.push_str(&format!(
        "{} ({}): {} out of date, {} not marked, {} missing pages, {} drafts, {} missing strings\n",
        lang.work.code,
        lang.work.name,
        lang.stale.len(),
        lang.unmarked.len(),
        lang.work.missing_pages.len(),
        lang.work.draft_pages.len(),
        lang.work.missing_strings.len()
    ));
    for line in &lang.work.advice {
        out.push_str(&format!("  to do: {line}\n"));
    }
    let mut listed = 0;
    for (label, items) in lists {
        listed += items.len();
        for item in items {
            out.push_str(&format!("  {label}: {item}\n"));
        }
    }
    listed
}

fn stale_lines(stale: &[(String, String, Option<String>)]) -> Vec<String> {
    stale
        .iter()
        .map(|(file, source, changed)| match changed {
            Some(date) => format!("{file} ({source} changed on {date})"),
            None => format!("{file} ({source} changed since; date unknown)"),
        })
        .collect()
}
