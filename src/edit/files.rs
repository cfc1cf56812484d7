//! Files named on the command line: finding a content file, its language and its versions.

use std::path::{Path, PathBuf};

use crate::config::{Config, LangId};
use crate::content::file_name::{self, MarkdownName};
use crate::content::{CONTENT_DIR, FrontMatter, front_matter};
use crate::diagnostics::{Diagnostic, Stage};
use crate::source;

/// A Markdown file under `content/`, as named on the command line.
pub(crate) struct ContentFile {
    pub path: PathBuf,
    /// `content/guidance/registration.ar.md`, for messages.
    pub shown: String,
    /// The file's name: `registration.ar.md`.
    pub name: String,
}

impl ContentFile {
    pub fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// Finds the file an editor named: a path from the current folder, from the site folder, or
/// from `content/` (`guidance/registration.md`, as `@/` links name pages).
pub(crate) fn locate(root: &Path, arg: &Path) -> Result<ContentFile, Diagnostic> {
    let content = root.join(CONTENT_DIR);
    let shown_arg = arg.display().to_string();
    let found = [arg.to_owned(), root.join(arg), content.join(arg)]
        .into_iter()
        .find(|p| p.exists());
    let Some(path) = found else {
        return Err(Diagnostic::error(
            Stage::Content,
            format!("{shown_arg} does not exist"),
        )
        .with_help(format!(
            "check the spelling and the folder; give the path of a page under {CONTENT_DIR}/, such as {CONTENT_DIR}/guidance/registration.md"
        )));
    };
    if path.is_dir() {
        return Err(Diagnostic::error(
            Stage::Content,
            format!("{shown_arg} is a folder, not a page"),
        )
        .with_help("give the page's .md file inside it"));
    }
    let outside = || {
        Diagnostic::error(
            Stage::Content,
            format!(
                "{shown_arg} is not inside the site's {CONTENT_DIR}/ folder ({})",
                content.display()
            ),
        )
        .with_help("give a page under content/, or the site folder with --root DIR")
    };
    let (Ok(full), Ok(content_full)) = (path.canonicalize(), content.canonicalize()) else {
        return Err(outside());
    };
    let Ok(rel) = full.strip_prefix(&content_full) else {
        return Err(outside());
    };
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let shown = format!("{CONTENT_DIR}/{}", rel.join("/"));
    let name = rel.last().cloned().unwrap_or_default();
    if !name.ends_with(".md") {
        return Err(Diagnostic::error(
            Stage::Content,
            format!("{shown} is not a page: pages are Markdown files ending in .md"),
        )
        .at(&shown, None, 1, 1)
        .with_help("give the page's .md file"));
    }
    Ok(ContentFile {
        path: full,
        shown,
        name,
    })
}

/// What a Markdown file's name says about it, or an error naming the file.
pub(crate) fn name_of(file: &ContentFile, config: &Config) -> Result<MarkdownName, Diagnostic> {
    match file_name::parse(&file.name, config) {
        Some(Ok(name)) => Ok(name),
        Some(Err(message)) => Err(Diagnostic::error(Stage::Content, message)
            .at(&file.shown, None, 1, 1)
            .with_help("add the language to site.yaml, or rename the file")),
        None => Err(
            Diagnostic::error(Stage::Content, format!("{} is not a page", file.shown)).at(
                &file.shown,
                None,
                1,
                1,
            ),
        ),
    }
}

/// The version of page `stem` in `lang` in `folder`: `<stem>.md` or `<stem>.<lang>.md`,
/// however the language code is cased.
pub(crate) fn version_in(
    folder: &Path,
    stem: &str,
    lang: LangId,
    config: &Config,
) -> Option<PathBuf> {
    let plain = folder.join(format!("{stem}.md"));
    if lang == config.default_language && plain.is_file() {
        return Some(plain);
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries.into_iter().find(|path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        path.is_file()
            && matches!(file_name::parse(name, config), Some(Ok(n)) if n.stem == stem && n.lang == lang)
    })
}

/// A page file's text, and its front matter and body as the build reads them.
pub(crate) struct Read {
    /// The file as it is on disk (byte-order mark and CRLF included), to edit.
    pub raw: String,
    pub front: FrontMatter,
    pub hash: String,
}

pub(crate) fn read_page(path: &Path, shown: &str) -> Result<Read, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|err| {
        Diagnostic::error(Stage::Content, format!("cannot read {shown}: {err}"))
            .at(shown, None, 1, 1)
            .with_help("check that the file exists and that you may read it")
    })?;
    let text = source::decode(&bytes, shown, Stage::Content)?;
    let split = front_matter::split(&text, shown)?;
    let hash = crate::freshness::hash(&split.front, split.body);
    // `decode` accepted the bytes as UTF-8, so this is the same text before normalising.
    let raw = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(Read {
        raw,
        front: split.front,
        hash,
    })
}

/// `content/x/y.md` for a file beside `content/x/z.ar.md`.
pub(crate) fn sibling_shown(shown: &str, path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match shown.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{name}"),
        None => name,
    }
}
