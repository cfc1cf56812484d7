//! `translate status`: per language, how much is translated and current, which pages are
//! partly stale (and what changed in them, paragraph by paragraph), draft, reviewed or
//! missing, and which interface strings are missing.

use serde::Serialize;

use super::{Project, State, entries};
use crate::config::LangId;
use crate::content::front_matter::TranslationStatus;
use crate::diagnostics::Diagnostic;

/// What `--fail-on` may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    Stale,
    Draft,
    Missing,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub languages: Vec<Language>,
}

#[derive(Debug, Serialize)]
pub struct Language {
    pub code: String,
    pub name: String,
    /// The language's name in the default language (site.yaml `default_name`).
    pub default_name: Option<String>,
    /// `current` as a share of `segments`, in per cent.
    pub percent: u32,
    pub segments: usize,
    pub current: usize,
    pub changed: usize,
    pub untranslated: usize,
    pub pages_current: usize,
    pub pages_stale: usize,
    pub pages_draft: usize,
    pub pages_reviewed: usize,
    pub pages_missing: Vec<String>,
    pub interface_missing: Vec<String>,
    pub stale: Vec<StalePage>,
}

#[derive(Debug, Serialize)]
pub struct StalePage {
    pub file: String,
    pub source: String,
    pub segments: usize,
    pub changed: Vec<Changed>,
    pub untranslated: usize,
}

#[derive(Debug, Serialize)]
pub struct Changed {
    pub id: String,
    pub line: usize,
    /// The English the translation was made from; `None` when no record says.
    pub then: Option<String>,
    pub now: String,
}

pub fn report(project: &Project, only: Option<LangId>) -> Result<Report, Vec<Diagnostic>> {
    let mut languages = Vec::new();
    let mut errors = Vec::new();
    for lang in project.config.language_ids() {
        if lang == project.config.default_language || only.is_some_and(|o| o != lang) {
            continue;
        }
        match language(project, lang) {
            Ok(l) => languages.push(l),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(Report { languages })
    } else {
        Err(errors)
    }
}

fn language(project: &Project, lang: LangId) -> Result<Language, Diagnostic> {
    let config = project.config.language(lang);
    let mut out = Language {
        code: config.code.clone(),
        name: config.name.clone(),
        default_name: config.default_name.clone(),
        percent: 0,
        segments: 0,
        current: 0,
        changed: 0,
        untranslated: 0,
        pages_current: 0,
        pages_stale: 0,
        pages_draft: 0,
        pages_reviewed: 0,
        pages_missing: Vec::new(),
        interface_missing: Vec::new(),
        stale: Vec::new(),
    };
    for source in project.sources() {
        let list = entries(project, source, lang)?;
        out.segments += list.len();
        let Some(translation) = project.version(&source.key, lang) else {
            out.untranslated += list.len();
            out.pages_missing.push(source.file.clone());
            continue;
        };
        match translation.front.translation {
            Some(TranslationStatus::Reviewed) => out.pages_reviewed += 1,
            _ => out.pages_draft += 1,
        }
        let mut changed = Vec::new();
        let mut untranslated = 0;
        for entry in &list {
            match &entry.state {
                State::Current => out.current += 1,
                State::Changed { then } => {
                    out.changed += 1;
                    changed.push(Changed {
                        id: entry.segment.id.clone(),
                        line: entry.segment.line,
                        then: then.clone(),
                        now: entry.segment.text.clone(),
                    });
                }
                State::Missing => {
                    out.untranslated += 1;
                    untranslated += 1;
                }
            }
        }
        if changed.is_empty() && untranslated == 0 {
            out.pages_current += 1;
        } else {
            out.pages_stale += 1;
            out.stale.push(StalePage {
                file: translation.file.clone(),
                source: source.file.clone(),
                segments: list.len(),
                changed,
                untranslated,
            });
        }
    }
    out.interface_missing = super::interface::missing(project, lang)?;
    out.percent = (out.current * 100)
        .checked_div(out.segments)
        .map_or(100, |p| p as u32);
    Ok(out)
}

impl Report {
    /// Whether any of `fail` is present: `--fail-on` exits 1 then.
    pub fn fails(&self, fail: &[Fail]) -> bool {
        self.languages.iter().any(|l| {
            fail.iter().any(|f| match f {
                Fail::Stale => l.pages_stale > 0,
                Fail::Draft => l.pages_draft > 0,
                Fail::Missing => !l.pages_missing.is_empty() || !l.interface_missing.is_empty(),
            })
        })
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        for l in &self.languages {
            let filled = (l.percent as usize / 5).min(20);
            let name = match &l.default_name {
                Some(english) => format!("{english} – {}", l.name),
                None => l.name.clone(),
            };
            out.push_str(&format!(
                "{name} ({}): {} of {} segments translated and current ({}%) [{}{}]\n",
                l.code,
                l.current,
                l.segments,
                l.percent,
                "#".repeat(filled),
                "-".repeat(20 - filled)
            ));
            out.push_str(&format!(
                "  pages: {} current, {} partly stale, {} missing; {} draft, {} reviewed\n",
                l.pages_current,
                l.pages_stale,
                l.pages_missing.len(),
                l.pages_draft,
                l.pages_reviewed
            ));
            if !l.interface_missing.is_empty() {
                out.push_str(&format!(
                    "  interface strings missing: {}\n",
                    l.interface_missing.join(", ")
                ));
            }
            for page in &l.stale {
                out.push_str(&format!(
                    "  {}: {} of {} segments changed in English, {} not translated\n",
                    page.file,
                    page.changed.len(),
                    page.segments,
                    page.untranslated
                ));
                if page.changed.iter().all(|c| c.then.is_none()) && !page.changed.is_empty() {
                    out.push_str(
                        "    which paragraphs changed is not on record (the page was translated before paragraph records): export it, check it, import it\n",
                    );
                    continue;
                }
                for c in &page.changed {
                    out.push_str(&format!("    {} ({}:{})\n", c.id, page.source, c.line));
                    match &c.then {
                        Some(then) => out.push_str(&format!("      then: {then}\n")),
                        None => out.push_str("      then: (not on record)\n"),
                    }
                    out.push_str(&format!("      now:  {}\n", c.now));
                }
            }
        }
        out
    }
}
