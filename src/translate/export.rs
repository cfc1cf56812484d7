//! `translate export`: PO files for translators, one per page, and one for the theme's
//! interface strings.

use std::path::{Path, PathBuf};

use super::{Entry, Project, State, entries, interface, po, segment_hash};
use crate::content::Page;
use crate::diagnostics::{Diagnostic, Stage};

/// The file format to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// gettext PO: Poedit, Weblate, Pontoon.
    Po,
    /// XLIFF 1.2: agencies' CAT tools.
    Xliff,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Po => "po",
            Format::Xliff => "xlf",
        }
    }

    /// The file's text, in this format.
    pub(super) fn write(
        self,
        page: &str,
        project: &Project,
        lang: crate::config::LangId,
        date: &str,
        outs: &[po::Out],
    ) -> String {
        let language = project.config.language(lang);
        match self {
            Format::Po => po::write(page, &language.code, &language.name, date, outs),
            Format::Xliff => super::xliff::write(
                page,
                &language.code,
                &project
                    .config
                    .language(project.config.default_language)
                    .code,
                outs,
            ),
        }
    }
}

pub struct Settings {
    pub root: PathBuf,
    pub lang: String,
    pub format: Format,
    /// Where the files go: `<out>/<lang>/<page>.po`.
    pub out: PathBuf,
    /// The pages to export (content files); every page and the interface strings when empty.
    pub files: Vec<PathBuf>,
}

pub fn run(settings: &Settings) -> Result<Vec<String>, Vec<Diagnostic>> {
    let project = Project::load(&settings.root)?;
    let lang = project.target(&settings.lang).map_err(|d| vec![d])?;
    let pages: Vec<&Page> = if settings.files.is_empty() {
        project.sources().collect()
    } else {
        settings
            .files
            .iter()
            .map(|f| page_named(&project, f))
            .collect::<Result<_, _>>()?
    };
    let code = project.config.language(lang).code.clone();
    let mut files: Vec<(PathBuf, String, Counts)> = Vec::new();
    let mut errors = Vec::new();
    for page in pages {
        match entries(&project, page, lang) {
            Ok(list) => {
                let text = page_file(&project, lang, settings.format, page, &list);
                let stem = page.key.strip_suffix(".md").unwrap_or(&page.key);
                let name = format!("{stem}.{}", settings.format.extension());
                files.push((Path::new(&code).join(name), text, Counts::of(&list)));
            }
            Err(d) => errors.push(d),
        }
    }
    if settings.files.is_empty() {
        match interface::export(&project, lang, settings.format) {
            Ok((text, counts)) => {
                let name = format!("interface.{}", settings.format.extension());
                files.push((Path::new(&code).join(name), text, counts))
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut lines = Vec::new();
    for (path, text, counts) in &files {
        let rel = path.to_string_lossy();
        if let Err(err) = crate::output::replace_file(&settings.out, &rel, text.as_bytes()) {
            errors.push(
                Diagnostic::error(
                    Stage::Translate,
                    format!("cannot write {}: {err}", settings.out.join(path).display()),
                )
                .with_help(
                    "choose another folder with -o, or check that this one can be written to",
                ),
            );
            continue;
        }
        lines.push(format!(
            "wrote {} ({})",
            crate::text::shown_path(&settings.root, &settings.out.join(path)),
            counts.describe()
        ));
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// How many segments of a file are translated, changed and to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub current: usize,
    pub changed: usize,
    pub missing: usize,
}

impl Counts {
    pub fn of(list: &[Entry]) -> Counts {
        let mut c = Counts::default();
        for e in list {
            match e.state {
                State::Current => c.current += 1,
                State::Changed { .. } => c.changed += 1,
                State::Missing => c.missing += 1,
            }
        }
        c
    }

    pub fn describe(&self) -> String {
        format!(
            "{} segments: {} translated, {} changed in English, {} to translate",
            self.current + self.changed + self.missing,
            self.current,
            self.changed,
            self.missing
        )
    }
}

fn page_file(
    project: &Project,
    lang: crate::config::LangId,
    format: Format,
    page: &Page,
    list: &[Entry],
) -> String {
    let date = page
        .front
        .updated
        .as_ref()
        .or(page.front.date.as_ref())
        .map_or("1970-01-01", |d| {
            d.as_str().get(..10).unwrap_or("1970-01-01")
        });
    let outs: Vec<po::Out> = list
        .iter()
        .map(|e| po::Out {
            id: &e.segment.id,
            english: &e.segment.text,
            translation: e.translation.as_deref(),
            then: match &e.state {
                State::Changed { then } => Some(then.as_deref().unwrap_or("")),
                _ => None,
            },
            note: format!(
                "{}\nhash: {}",
                e.segment.kind.describe(),
                segment_hash(&e.segment.text)
            ),
            reference: Some((page.file.clone(), e.segment.line)),
        })
        .collect();
    format.write(&page.key, project, lang, date, &outs)
}

/// The page a command-line file names: an English page, or one of its translations.
pub fn page_named<'p>(project: &'p Project, file: &Path) -> Result<&'p Page, Vec<Diagnostic>> {
    let wanted = crate::edit::locate(&project.root, file).map_err(|d| vec![d])?;
    let found = project.pages.iter().find(|p| {
        Path::new(&p.file) == Path::new(&wanted.shown) || project.root.join(&p.file) == wanted.path
    });
    let Some(page) = found else {
        return Err(vec![
            Diagnostic::error(
                Stage::Translate,
                format!("{} is not a page of this site", wanted.shown),
            )
            .with_help(
                "name a Markdown file under content/, such as content/guidance/registration.md",
            ),
        ]);
    };
    project
        .version(&page.key, project.config.default_language)
        .ok_or_else(|| {
            vec![Diagnostic::error(
                Stage::Translate,
                format!(
                    "{} has no {} version to translate from",
                    wanted.shown,
                    project
                        .config
                        .language(project.config.default_language)
                        .name
                ),
            )]
        })
}
