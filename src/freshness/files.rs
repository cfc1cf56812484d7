//! Files named on the command line, shared with `new`: finding a content file, its language
//! and versions, and editing one front matter line in place.

use std::path::{Path, PathBuf};

use super::{KEY, hash, same};
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
    let hash = hash(&split.front, split.body);
    // `decode` accepted the bytes as UTF-8, so this is the same text before normalising.
    let raw = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(Read {
        raw,
        front: split.front,
        hash,
    })
}

// ---------------------------------------------------------------------------------------------
// Editing front matter as text
// ---------------------------------------------------------------------------------------------

fn is_fence(line: &str) -> bool {
    line.trim_start_matches('\u{feff}').trim_end() == "---"
}

/// A file's lines (each with its line end) and the index of the line closing its front matter.
fn front_lines(text: &str) -> Option<(Vec<&str>, usize)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if !is_fence(lines.first()?) {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| is_fence(l))? + 1;
    Some((lines, close))
}

/// The lines holding `key` (written after `indent`, within the lines `within`) and its value:
/// the key's line and any lines indented further (or, for an empty value, `- ` list items at
/// the same indentation) after it.
fn key_lines(
    lines: &[&str],
    within: std::ops::Range<usize>,
    indent: &str,
    key: &str,
) -> Option<std::ops::Range<usize>> {
    let end_of = within.end;
    let start = within.into_iter().find(|&i| {
        lines[i]
            .strip_prefix(indent)
            .and_then(|l| l.strip_prefix(key))
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })?;
    let after = lines[start][indent.len() + key.len()..].trim_start();
    let value = after.get(1..).unwrap_or("").trim();
    let block_list = value.is_empty() || value.starts_with('#');
    let mut end = start + 1;
    for (i, line) in lines.iter().enumerate().take(end_of).skip(start + 1) {
        if line.trim().is_empty() {
            continue;
        }
        let Some(rest) = line.strip_prefix(indent) else {
            break;
        };
        if rest.starts_with([' ', '\t']) || (block_list && rest.starts_with('-')) {
            end = i + 1;
        } else {
            break;
        }
    }
    Some(start..end)
}

/// `text` with `key: value` in its front matter: the key's lines replaced where it has one,
/// else a line added at the end of the front matter. Every other byte stays as it was (the
/// file's line ends included). `None` when the text has no front matter.
pub(crate) fn set_key(text: &str, key: &str, value: &str) -> Option<String> {
    let (mut lines, close) = front_lines(text)?;
    let newline = if lines[0].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let line = format!("{key}: {value}{newline}");
    match key_lines(&lines, 1..close, "", key) {
        Some(range) => {
            lines.splice(range, [line.as_str()]);
        }
        None => lines.insert(close, &line),
    }
    Some(lines.concat())
}

/// `text` with the block `key:` holding `children` (lines without their line ends, already
/// indented): replaced where the key is, else added at the end of the front matter.
pub(crate) fn set_block(text: &str, key: &str, children: &[String]) -> Option<String> {
    let (mut lines, close) = front_lines(text)?;
    let newline = if lines[0].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut block = format!("{key}:{newline}");
    for child in children {
        block.push_str(child);
        block.push_str(newline);
    }
    match key_lines(&lines, 1..close, "", key) {
        Some(range) => {
            lines.splice(range, [block.as_str()]);
        }
        None => lines.insert(close, &block),
    }
    Some(lines.concat())
}

/// `text` without top-level `key` in its front matter (unchanged when it has none).
pub(crate) fn remove_key(text: &str, key: &str) -> Option<String> {
    let (mut lines, close) = front_lines(text)?;
    if let Some(range) = key_lines(&lines, 1..close, "", key) {
        lines.drain(range);
    }
    Some(lines.concat())
}

/// `text` without `key` inside the top-level block `parent` (`formats` under `print:`), and
/// without `parent` itself once nothing but comments is left in it.
pub(crate) fn remove_child(text: &str, parent: &str, key: &str) -> Option<String> {
    let (mut lines, close) = front_lines(text)?;
    let Some(block) = key_lines(&lines, 1..close, "", parent) else {
        return Some(text.to_owned());
    };
    let children = block.start + 1..block.end;
    let indent = children
        .clone()
        .map(|i| lines[i])
        .find(|l| !l.trim().is_empty())
        .map(|l| l[..l.len() - l.trim_start().len()].to_owned())
        .filter(|indent| !indent.is_empty());
    let Some(indent) = indent else {
        return Some(text.to_owned());
    };
    let Some(range) = key_lines(&lines, children.clone(), &indent, key) else {
        return Some(text.to_owned());
    };
    let removed = range.len();
    lines.drain(range);
    let left = (children.start..children.end - removed).any(|i| {
        let line = lines[i].trim();
        !line.is_empty() && !line.starts_with('#')
    });
    if !left {
        lines.drain(block.start..block.end - removed);
    }
    Some(lines.concat())
}

/// Checks that an edited file still reads as a page, with `check` true of its front matter,
/// so that a file is never written broken.
pub(crate) fn verify(
    text: &str,
    shown: &str,
    check: impl Fn(&FrontMatter) -> bool,
) -> Result<(), Diagnostic> {
    let decoded = source::decode(text.as_bytes(), shown, Stage::Content)?;
    match front_matter::split(&decoded, shown) {
        Ok(split) if check(&split.front) => Ok(()),
        _ => Err(Diagnostic::error(
            Stage::Content,
            format!(
                "could not update the front matter of {shown} safely, so it was left as it was"
            ),
        )
        .at(shown, None, 1, 1)
        .with_help(format!(
            "edit it by hand: add or change the line `{KEY}: …` before the closing `---`"
        ))),
    }
}

pub(crate) fn quoted(hash: &str) -> String {
    format!("\"{hash}\"")
}

// ---------------------------------------------------------------------------------------------
// `safe-surgeries translate mark-current`
// ---------------------------------------------------------------------------------------------

/// The files named, with a quoted pattern (`'content/patients/*.ar.md'`, which Windows shells
/// and scripts pass as it is) standing for the files it matches, from the current folder or the
/// site's.
fn expand(root: &Path, files: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for arg in files {
        let text = arg.to_string_lossy();
        if arg.exists() || !text.contains(['*', '?', '[']) {
            out.push(arg.clone());
            continue;
        }
        let mut matched: Vec<PathBuf> = Vec::new();
        for base in [Path::new(""), root] {
            let pattern = base.join(arg).to_string_lossy().into_owned();
            let paths = glob::glob(&pattern).map_err(|err| {
                Diagnostic::error(
                    Stage::Content,
                    format!("`{text}` is not a pattern of file names: {err}"),
                )
                .with_help("use * for any part of a name, as in content/patients/*.ar.md")
            })?;
            matched.extend(paths.flatten().filter(|p| p.is_file()));
            if !matched.is_empty() {
                break;
            }
        }
        if matched.is_empty() {
            return Err(
                Diagnostic::error(Stage::Content, format!("no file matches `{text}`")).with_help(
                    "check the folder and the language code, as in content/patients/*.ar.md",
                ),
            );
        }
        out.extend(matched);
    }
    Ok(out)
}

/// Records in each translation that it matches its source as it is now: writes the source's
/// hash into its front matter (replacing the one line, or adding it), leaving every other byte
/// as it was. Every file is checked first and none is written if any has a problem, so an
/// editor fixes the problem and runs the same command again. Returns a line per file.
pub fn mark_current(root: &Path, files: &[PathBuf]) -> Result<Vec<String>, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let mut errors = Vec::new();
    let mut edits = Vec::new();
    for arg in expand(root, files).map_err(|d| vec![d])? {
        match plan_mark(root, &config, &arg) {
            Ok(edit) => edits.push(edit),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        if !edits.is_empty() {
            errors.push(
                Diagnostic::error(
                    Stage::Content,
                    "no file was changed, because of the problems above",
                )
                .with_help("fix them (or leave those files out) and run the command again"),
            );
        }
        return Err(errors);
    }
    let mut lines = Vec::new();
    for edit in edits {
        let Some(text) = edit.text else {
            lines.push(format!(
                "{} is already marked current with {}",
                edit.shown, edit.source
            ));
            continue;
        };
        match crate::whole_file::replace(&edit.path, text.as_bytes()) {
            Ok(()) => lines.push(format!(
                "marked {} as current with {}",
                edit.shown, edit.source
            )),
            Err(err) => errors.push(crate::whole_file::not_written(&edit.shown, &err)),
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

struct Mark {
    path: PathBuf,
    shown: String,
    source: String,
    /// The new text, or `None` when the file already records the hash.
    text: Option<String>,
}

fn plan_mark(root: &Path, config: &Config, arg: &Path) -> Result<Mark, Diagnostic> {
    let file = locate(root, arg)?;
    let name = name_of(&file, config)?;
    let default = config.language(config.default_language);
    if name.lang == config.default_language {
        return Err(Diagnostic::error(
            Stage::Content,
            format!(
                "{} is not a translation: it is the {} page",
                file.shown, default.name
            ),
        )
        .at(&file.shown, None, 1, 1)
        .with_help(format!(
            "give its translations instead, such as {}",
            example_translation(&file, &name, config)
        )));
    }
    let folder = file.folder();
    let Some(source_path) = version_in(folder, &name.stem, config.default_language, config) else {
        return Err(Diagnostic::error(
            Stage::Content,
            format!(
                "{} has no {} source: there is no {} beside it",
                file.shown,
                default.name,
                name.key_file()
            ),
        )
        .at(&file.shown, None, 1, 1)
        .with_help(format!(
            "a translation sits in the same folder as its {0} page, with the same name and its language code before .md: create the {0} page first, or rename this file to match one",
            default.name
        )));
    };
    let source_shown = sibling_shown(&file.shown, &source_path);
    let source = read_page(&source_path, &source_shown).map_err(|d| {
        d.with_help(format!(
            "fix this error in the {} page first, then mark {} again",
            default.name, file.shown
        ))
    })?;
    let translation = read_page(&file.path, &file.shown)?;
    if translation
        .front
        .source_hash
        .as_deref()
        .is_some_and(|h| same(h, &source.hash))
    {
        return Ok(Mark {
            path: file.path,
            shown: file.shown,
            source: source_shown,
            text: None,
        });
    }
    let edited = set_key(&translation.raw, KEY, &quoted(&source.hash));
    let text = edited.unwrap_or_default();
    verify(&text, &file.shown, |front| {
        front.source_hash.as_deref() == Some(source.hash.as_str())
    })?;
    Ok(Mark {
        path: file.path,
        shown: file.shown,
        source: source_shown,
        text: Some(text),
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

/// `content/x/y.ar.md`: the file name a translation of `file` would have, for messages.
fn example_translation(file: &ContentFile, name: &MarkdownName, config: &Config) -> String {
    let code = config
        .languages
        .iter()
        .enumerate()
        .find(|(id, _)| *id != config.default_language)
        .map_or("ar", |(_, l)| l.code.as_str());
    sibling_shown(&file.shown, Path::new(&format!("{}.{code}.md", name.stem)))
}
