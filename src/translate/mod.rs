//! `safe-surgeries translate`: the round trip with translators, segment by segment.
//!
//! A page is split into [`segments`] (title, description, print texts, each block of the
//! body). `export` writes them as a PO file per page (gettext's format, which Poedit, Weblate,
//! Pontoon and CAT tools read), with each segment's translation where there is one, and a
//! segment whose English changed since it was translated marked fuzzy with the English it was
//! made from (`#| msgid`). `import` reads a PO file back, checks each translation kept the
//! segment's links, code and ids, writes the translated page from the English one (so its
//! layout follows the English) and the [`record`] of what each segment was translated from.
//! `status` reports, per language, what is current, changed, draft, reviewed and missing;
//! `review` records that a fluent reader checked a translation.
//!
//! `export --format xliff` writes XLIFF 1.2 instead, for agencies' CAT tools, with inline
//! Markdown as the codes they protect; `import` reads either.
//!
//! Pipeline: [`Project::load`] reads site.yaml and every page once; each command works out
//! what to write in full, and writes nothing if anything is wrong.

pub mod changed;
pub mod export;
pub mod import;
pub mod interface;
mod mark_current;
mod po;
pub mod protected;
pub mod record;
pub mod review;
pub mod segments;
pub mod status;
mod write;
mod xliff;

pub use mark_current::mark_current;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::config::{Config, LangId};
use crate::content::Page;
use crate::diagnostics::{Diagnostic, Stage};
use segments::{KeyLines, Segmented};

/// The site as the translate commands need it: its settings and every page, by key.
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub pages: Vec<Page>,
    /// Per page key (`guidance/registration.md`), the page in each language.
    pub by_key: BTreeMap<String, Vec<Option<usize>>>,
}

impl Project {
    pub fn load(root: &Path) -> Result<Project, Vec<Diagnostic>> {
        let config = Config::load(root)?;
        let (content, diagnostics) = crate::content::load(root, &config, true);
        let errors: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut by_key: BTreeMap<String, Vec<Option<usize>>> = BTreeMap::new();
        for (i, page) in content.pages.iter().enumerate() {
            by_key
                .entry(page.key.clone())
                .or_insert_with(|| vec![None; config.languages.len()])[page.lang] = Some(i);
        }
        Ok(Project {
            root: root.to_owned(),
            config,
            pages: content.pages,
            by_key,
        })
    }

    /// The project of a site already loaded, for the build's translation dashboard.
    pub fn of_site(site: &crate::site::Site) -> Project {
        let mut by_key: BTreeMap<String, Vec<Option<usize>>> = BTreeMap::new();
        for (i, page) in site.pages.iter().enumerate() {
            by_key
                .entry(page.key.clone())
                .or_insert_with(|| vec![None; site.config.languages.len()])[page.lang] = Some(i);
        }
        Project {
            root: site.root.clone(),
            config: site.config.clone(),
            pages: site.pages.clone(),
            by_key,
        }
    }

    pub fn version(&self, key: &str, lang: LangId) -> Option<&Page> {
        let i = (*self.by_key.get(key)?.get(lang.index())?)?;
        Some(&self.pages[i])
    }

    /// The pages of the default language, in key order: what translators translate.
    pub fn sources(&self) -> impl Iterator<Item = &Page> {
        let default = self.config.default_language;
        self.by_key
            .keys()
            .filter_map(move |k| self.version(k, default))
    }

    /// The language `code` names, as a translation target.
    pub fn target(&self, code: &str) -> Result<LangId, Diagnostic> {
        let others: Vec<&str> = self
            .config
            .each_language()
            .filter(|(i, _)| *i != self.config.default_language)
            .map(|(_, l)| l.code.as_str())
            .collect();
        match self.config.find_language(code.trim()) {
            Some(lang) if lang != self.config.default_language => Ok(lang),
            Some(_) => Err(Diagnostic::error(
                Stage::Translate,
                format!("`{code}` is the language pages are written in, not one to translate into"),
            )
            .with_help(format!("use one of: {}", others.join(", ")))),
            None => Err(Diagnostic::error(
                Stage::Translate,
                format!("`{code}` is not one of the site's languages"),
            )
            .with_help(format!(
                "{}use one of the codes in site.yaml: {}",
                crate::suggest::did_you_mean(code.trim(), others.iter().copied()),
                others.join(", ")
            ))),
        }
    }
}

/// A file a command will write, worked out before anything is written.
pub struct Planned {
    /// Relative to the site's folder: `content/guidance/registration.ar.md`.
    pub file: String,
    pub text: String,
}

/// Writes each planned file whole (a file is never left half written); the errors name the
/// files that could not be.
pub fn write_all(root: &Path, planned: &[Planned]) -> Result<(), Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = planned
        .iter()
        .filter_map(|p| {
            let path = root.join(&p.file);
            // The records of what was translated may be the first in their folder.
            let folder = path.parent().map_or(Ok(()), std::fs::create_dir_all);
            let err = folder
                .and_then(|()| crate::whole_file::replace(&path, p.text.as_bytes()))
                .err()?;
            Some(crate::whole_file::not_written(&p.file, &err))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A page's segments.
pub fn segmented(page: &Page) -> Segmented {
    let lines = KeyLines {
        title: page.key_line("title"),
        description: page.key_line("description"),
        print: page.key_line("print"),
    };
    segments::split(&page.front, page.body(), page.body_line, &lines)
}

/// Where one English segment stands in a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Translated from the English as it is now.
    Current,
    /// Translated from other English: `then`, when the record has it.
    Changed { then: Option<String> },
    /// Not translated.
    Missing,
}

/// One English segment, its translation and its state.
#[derive(Debug, Clone)]
pub struct Entry {
    pub segment: segments::Segment,
    pub translation: Option<String>,
    pub state: State,
}

/// The English page `source` segment by segment, with its translation into `lang`.
pub fn entries(project: &Project, source: &Page, lang: LangId) -> Result<Vec<Entry>, Diagnostic> {
    let code = &project.config.language(lang).code;
    let record = record::load(&project.root, &record::path(&source.key, code))?;
    Ok(
        entries_of(source, project.version(&source.key, lang), record.as_ref())
            .into_iter()
            .map(|(entry, _)| entry)
            .collect(),
    )
}

/// The English page `source` segment by segment, with its translation in `translation` (and
/// where that sits there) and its state as `record` tells.
pub fn entries_of(
    source: &Page,
    translation: Option<&Page>,
    record: Option<&record::Record>,
) -> Vec<(Entry, Option<segments::Place>)> {
    let english = segmented(source);
    let theirs = translation.map(segmented).unwrap_or_default();
    let matched = aligned_segments(&english, &theirs);
    let made = record.map(record::Record::english_of);
    // With no record of a segment, the page's own record says whether all of it is current.
    let page_current = translation.is_some_and(|t| {
        t.front.source_hash.as_deref().is_some_and(|h| {
            h.trim()
                .eq_ignore_ascii_case(&crate::freshness::hash(&source.front, source.body()))
        })
    });
    english
        .segments
        .iter()
        .map(|segment| {
            let theirs = matched.get(segment.id.as_str());
            let translation = theirs.map(|t| t.text.clone());
            let then = made.as_ref().and_then(|m| m.get(segment.id.as_str()));
            let state = match (&translation, then) {
                (None, _) => State::Missing,
                (Some(_), Some(then)) if *then == segment.text => State::Current,
                (Some(_), Some(then)) => State::Changed {
                    then: Some((*then).to_owned()),
                },
                (Some(_), None) if page_current => State::Current,
                (Some(_), None) => State::Changed { then: None },
            };
            let entry = Entry {
                segment: segment.clone(),
                translation,
                state,
            };
            (entry, theirs.map(|t| t.place.clone()))
        })
        .collect()
}

/// The translation's text of each English segment, by the English segment's id (see
/// [`aligned_segments`]).
pub fn aligned(english: &Segmented, translation: &Segmented) -> HashMap<String, String> {
    aligned_segments(english, translation)
        .into_iter()
        .map(|(id, t)| (id.to_owned(), t.text.clone()))
        .collect()
}

/// The translation's segment for each English segment, by the English segment's id: block by
/// block when both have the same blocks in the same order (a hand-made translation's heading
/// ids may differ, so its own ids are not trusted then), else by id where the kinds and the
/// protected parts agree.
pub fn aligned_segments<'a, 'e>(
    english: &'e Segmented,
    translation: &'a Segmented,
) -> HashMap<&'e str, &'a segments::Segment> {
    let kinds = |s: &Segmented| s.segments.iter().map(|x| x.kind).collect::<Vec<_>>();
    if kinds(english) == kinds(translation) {
        return english
            .segments
            .iter()
            .zip(&translation.segments)
            .map(|(e, t)| (e.id.as_str(), t))
            .collect();
    }
    let theirs: HashMap<&str, &segments::Segment> = translation
        .segments
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    english
        .segments
        .iter()
        .filter_map(|e| {
            // Matched by place alone, a block must at least keep the English's links and
            // code to count as its translation.
            let t = theirs.get(e.id.as_str())?;
            let heading = e.kind == segments::Kind::Heading;
            let same = t.kind == e.kind
                && protected::parts(&e.text, heading) == protected::parts(&t.text, heading);
            same.then_some((e.id.as_str(), *t))
        })
        .collect()
}

/// A short hash of a segment's English, shown to translators' tools beside its id.
pub fn segment_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..12].to_owned()
}
