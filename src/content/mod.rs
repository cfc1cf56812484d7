//! Reading `content/`: every Markdown file becomes a [`Page`] (sections included), every other
//! file an [`Asset`] to copy.

pub mod file_name;
pub mod front_matter;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, LangId};
use crate::diagnostics::{Diagnostic, Stage};
use crate::source;
use file_name::Role;
pub use front_matter::{Date, FrontMatter, PrintFront, TranslationStatus};

/// Index of a page in the site's pages, which keep the order they were loaded in, and in
/// every list kept page by page beside them. A type of its own, so that a language's index
/// cannot be given where a page's is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(pub usize);

crate::ids::index_by!(PageId);

pub const CONTENT_DIR: &str = "content";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `_index.md`: lists the pages and sections below it. The home page is the root section.
    Section,
    Page,
}

/// One Markdown file in one language. Fields set by `resolve` start empty.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: PageKind,
    /// Shared by all language versions: the path under `content/` without language suffix
    /// (`guidance/registration.md`, `guidance/_index.md`, `guidance/poster/index.md`). This is
    /// what `@/` links name.
    pub key: String,
    /// `content/guidance/registration.ar.md`, for messages.
    pub file: String,
    pub lang: LangId,
    pub front: FrontMatter,
    /// The whole decoded file, kept to quote lines in errors.
    pub source: String,
    pub body_offset: usize,
    pub body_line: usize,
    /// The content folder the page belongs to (`guidance`; for a bundle, its parent), or the
    /// section's own folder.
    pub dir: String,
    /// Last URL segment from the file name (bundle: its folder); empty for sections.
    pub file_slug: String,
    /// For page bundles, the folder holding the page and its assets (relative to `content/`).
    pub bundle_dir: Option<String>,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    pub fn is_section(&self) -> bool {
        self.kind == PageKind::Section
    }

    /// The template the page is rendered with: the one its front matter names, else the
    /// theme's for the home page, a section or a page.
    pub fn template(&self) -> &str {
        match &self.front.template {
            Some(name) => name,
            None if self.key == "_index.md" => "index.html",
            None if self.is_section() => "section.html",
            None => "page.html",
        }
    }

    /// The line of a front matter key, for errors about its value.
    pub fn key_line(&self, key: &str) -> usize {
        self.source
            .lines()
            .take(self.body_line)
            .position(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
            .map_or(1, |i| i + 1)
    }

    pub fn error_at_key(&self, stage: Stage, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(stage, message).at(&self.file, Some(&self.source), self.key_line(key), 1)
    }

    pub fn warning_at_key(
        &self,
        stage: Stage,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::warning(stage, message).at(
            &self.file,
            Some(&self.source),
            self.key_line(key),
            1,
        )
    }
}

/// A file under `content/` that is not Markdown: copied into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Path relative to `content/`, `/`-separated.
    pub rel: String,
    /// The key of the bundle page it belongs to, whose URL decides where it goes.
    pub bundle_key: Option<String>,
    /// Path inside the bundle folder.
    pub bundle_rel: String,
}

#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Pages whose file could not be loaded, by key: each failed file and its language. Links to
    /// them are problems that follow from that file's error, not missing pages.
    pub failed: BTreeMap<String, Vec<(LangId, String)>>,
    /// Folders holding pages but no `_index.md`, with the first such page (for the warning).
    pub folders_without_index: BTreeMap<String, String>,
}

struct Entry {
    path: PathBuf,
    /// Relative to `content/`, `/`-separated.
    rel: String,
    dir: String,
    name: String,
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

pub fn load(root: &Path, config: &Config, drafts: bool) -> (Content, Vec<Diagnostic>) {
    let content_dir = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                Stage::Content,
                format!("there is no {CONTENT_DIR}/ folder in {}", root.display()),
            )
            .with_help("create content/_index.md for the home page"),
        );
        return (Content::default(), diagnostics);
    }
    let entries = walk(&content_dir, &mut diagnostics);
    let folders = Folders::of(&entries, config, &mut diagnostics);
    let mut content = Content::default();
    let markdown = classify(entries, &folders, config, &mut content, &mut diagnostics);
    read_pages(markdown, drafts, &mut content, &mut diagnostics);
    check_unique_versions(&content.pages, config, &mut diagnostics);
    (content, diagnostics)
}

/// Every file under `content/` but hidden ones and editors' backups, in name order.
fn walk(content_dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let mut entries = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                diagnostics.push(Diagnostic::error(
                    Stage::Content,
                    format!("cannot read {err}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        let Some(rel) = rel.to_str().map(|s| s.replace('\\', "/")) else {
            diagnostics.push(
                Diagnostic::error(
                    Stage::Content,
                    format!(
                        "the file name {} is not valid Unicode",
                        entry.path().display()
                    ),
                )
                .with_help("rename the file using letters, digits and hyphens"),
            );
            continue;
        };
        let (dir, name) = rel
            .rsplit_once('/')
            .map_or((String::new(), rel.clone()), |(d, n)| {
                (d.to_owned(), n.to_owned())
            });
        entries.push(Entry {
            path: entry.path().to_owned(),
            rel,
            dir,
            name,
        });
    }
    entries
}

/// Which folders are sections (they have `_index.md`) and which page bundles (`index.md`).
struct Folders {
    sections: BTreeSet<String>,
    bundles: BTreeSet<String>,
}

impl Folders {
    fn of(entries: &[Entry], config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Folders {
        // A folder with `index.md` and no `_index.md` is a page bundle: everything in it belongs to
        // that page.
        let mut sections = BTreeSet::new();
        let mut bundles = BTreeSet::new();
        for entry in entries {
            if let Some(Ok(name)) = file_name::parse(&entry.name, config) {
                match name.role {
                    Role::Section => {
                        sections.insert(entry.dir.clone());
                    }
                    Role::Bundle => {
                        bundles.insert(entry.dir.clone());
                    }
                    Role::Page => {}
                }
            }
        }
        for dir in bundles.intersection(&sections) {
            diagnostics.push(
                Diagnostic::error(
                    Stage::Content,
                    format!(
                        "content/{dir}/ has both _index.md (a section) and index.md (a page bundle)"
                    ),
                )
                .at(&format!("{CONTENT_DIR}/{dir}/index.md"), None, 1, 1)
                .with_help("rename index.md to describe the page, or remove _index.md"),
            );
        }
        Folders { sections, bundles }
    }

    /// The page bundle a file in `dir` belongs to: everything in a bundle's folder is its.
    fn bundle_of(&self, dir: &str) -> Option<String> {
        let mut d = dir;
        loop {
            if self.bundles.contains(d) && !self.sections.contains(d) {
                return Some(d.to_owned());
            }
            d = d.rsplit_once('/')?.0;
        }
    }
}

/// Assets go into `content`; Markdown files come back with what their names say.
fn classify(
    entries: Vec<Entry>,
    folders: &Folders,
    config: &Config,
    content: &mut Content,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Entry, file_name::MarkdownName)> {
    let mut markdown = Vec::new();
    for entry in entries {
        let bundle = folders.bundle_of(&entry.dir);
        match file_name::parse(&entry.name, config) {
            None => {
                let (bundle_key, bundle_rel) = match &bundle {
                    Some(b) => (Some(format!("{b}/index.md")), entry.rel[b.len() + 1..].to_owned()),
                    None => (None, String::new()),
                };
                content.assets.push(Asset { source: entry.path, rel: entry.rel, bundle_key, bundle_rel });
            }
            Some(Err(message)) => diagnostics.push(
                Diagnostic::error(Stage::Content, message)
                    .at(&format!("{CONTENT_DIR}/{}", entry.rel), None, 1, 1)
                    .with_help("add the language to site.yaml, or rename the file (see \"Dotted names\" in the README)"),
            ),
            Some(Ok(name)) => {
                if let Some(b) = &bundle
                    && !(name.role == Role::Bundle && entry.dir == *b) {
                        diagnostics.push(
                            Diagnostic::warning(Stage::Content, format!("{} is inside the page bundle content/{b}/ and is not published", entry.name))
                                .at(&format!("{CONTENT_DIR}/{}", entry.rel), None, 1, 1)
                                .with_help("move it out of the bundle folder to make it a page"),
                        );
                        continue;
                    }
                if name.role == Role::Page && !folders.sections.contains(&entry.dir) {
                    content
                        .folders_without_index
                        .entry(entry.dir.clone())
                        .or_insert_with(|| format!("{CONTENT_DIR}/{}", entry.rel));
                }
                markdown.push((entry, name));
            }
        }
    }
    markdown
}

/// Reads and parses the Markdown files in parallel, keeping their order.
fn read_pages(
    markdown: Vec<(Entry, file_name::MarkdownName)>,
    drafts: bool,
    content: &mut Content,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let loaded: Vec<(String, LangId, String, Loaded)> = markdown
        .into_par_iter()
        .map(|(entry, name)| {
            let key = join(&entry.dir, &name.key_file());
            let (lang, file) = (name.lang, format!("{CONTENT_DIR}/{}", entry.rel));
            (key.clone(), lang, file, load_page(entry, name, key, drafts))
        })
        .collect();
    for (key, lang, file, result) in loaded {
        match result {
            Ok((page, warning)) => {
                content.pages.extend(page);
                diagnostics.extend(warning);
            }
            Err(d) => {
                diagnostics.push(d);
                content.failed.entry(key).or_default().push((lang, file));
            }
        }
    }
}

/// One Markdown file: its page (none for a draft left out) with any warning about its text, or
/// why it could not be read.
type Loaded = Result<(Option<Page>, Option<Diagnostic>), Diagnostic>;

fn load_page(entry: Entry, name: file_name::MarkdownName, key: String, drafts: bool) -> Loaded {
    let file = format!("{CONTENT_DIR}/{}", entry.rel);
    let bytes = std::fs::read(&entry.path)
        .map_err(|err| Diagnostic::error(Stage::Content, format!("cannot read {file}: {err}")))?;
    let text = source::decode(&bytes, &file, Stage::Content)?;
    crate::limits::page_size(&text, &file)?;
    let (text, warning) = source::replace_controls(text, &file, Stage::Content);
    let split = front_matter::split(&text, &file)?;
    if split.front.draft && !drafts {
        return Ok((None, warning));
    }
    let body_offset = text.len() - split.body.len();
    let (kind, dir, file_slug, bundle_dir) = match name.role {
        Role::Section => (PageKind::Section, entry.dir.clone(), String::new(), None),
        Role::Bundle => {
            let (parent, folder) = entry.dir.rsplit_once('/').unwrap_or(("", &entry.dir));
            (
                PageKind::Page,
                parent.to_owned(),
                folder.to_owned(),
                Some(entry.dir.clone()),
            )
        }
        Role::Page => (PageKind::Page, entry.dir.clone(), name.stem.clone(), None),
    };
    Ok((
        Some(Page {
            kind,
            key,
            file,
            lang: name.lang,
            front: split.front,
            body_line: split.body_line,
            body_offset,
            source: text,
            dir,
            file_slug,
            bundle_dir,
        }),
        warning,
    ))
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// `page.md` and `page.en.md` (when en is the default) are the same page twice.
fn check_unique_versions(pages: &[Page], config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, LangId), &Page> = HashMap::new();
    for page in pages {
        if let Some(first) = seen.insert((&page.key, page.lang), page) {
            diagnostics.push(
                Diagnostic::error(
                    Stage::Content,
                    format!(
                        "{} and {} are both the {} version of {}",
                        first.file,
                        page.file,
                        config.language(page.lang).code,
                        page.key
                    ),
                )
                .at(&page.file, Some(&page.source), 1, 1)
                .with_help("delete or rename one of them"),
            );
        }
    }
}
