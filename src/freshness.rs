//! Translation freshness: which version of its source each translation was made from.
//!
//! A translation records, in its front matter, the [`hash`] of its source (the default
//! language's version of the page) as it was when the translation was made or last checked:
//!
//! ```yaml
//! source_hash: "9f86d081884c7d65"
//! ```
//!
//! When the source's hash no longer matches, the translation is stale. The record lives in the
//! file, not in file times, so it survives `git clone` and review in a pull request. The hash
//! covers only what a translator translates: the title, the description, a printable item's
//! texts and the Markdown body, each normalised (line ends, trailing spaces, blank lines at the
//! ends) so that saving the source again, reordering its front matter keys or switching it to
//! CRLF leaves its translations current.
//!
//! [`of`] lists every translation with its [`State`] (what `check` reports); [`check`] gives one
//! page's (what the template context shows readers); [`mark_current`] is
//! `safe-surgeries translate mark-current`, which writes the record.

use std::path::{Path, PathBuf};

use crate::config::{Config, LangId};
use crate::content::file_name::{self, MarkdownName};
use crate::content::{CONTENT_DIR, FrontMatter, Page, front_matter};
use crate::diagnostics::{Diagnostic, Stage};
use crate::site::{PageId, Site};
use crate::source;

/// The front matter key a translation records its source's hash under.
pub const KEY: &str = "source_hash";

/// Hex characters kept of the blake3 hash: 64 bits, plenty to notice an edit, short enough to
/// read in a diff.
const HASH_LEN: usize = 16;

/// Bumped if what [`hash`] covers ever changes, so that old records read as stale rather than
/// matching by accident.
const HASH_VERSION: &[u8] = b"safe-surgeries source hash 1\n";

/// One translation and whether it matches its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// The translation.
    pub page: PageId,
    /// Its source: the same page in the default language.
    pub source: PageId,
    pub state: State,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// The recorded hash is the source's hash now.
    Current,
    /// The source changed after the translation was made or last marked current.
    Stale {
        /// The day the source changed (`YYYY-MM-DD`), from its `updated:` date, when that date
        /// is later than the translation's own `updated:` (or `date:`); `None` means "date
        /// unknown": an `updated:` no later than the translation's was not bumped for this
        /// change, so it would name a day before the translation was made.
        source_changed: Option<String>,
    },
    /// The translation records no hash: nobody has said which version it was made from.
    Unmarked,
}

/// Every translation of the site (a page not in the default language whose default-language
/// version exists), in page order, with its state. Drafts (`translation: draft`) are included:
/// a draft can be out of date too.
pub fn of(site: &Site) -> Vec<Freshness> {
    (0..site.pages.len())
        .filter_map(|id| check(site, id))
        .collect()
}

/// Page `page`'s freshness, or `None` when it is not a translation (it is in the default
/// language, or the default language has no version of it).
pub fn check(site: &Site, page: PageId) -> Option<Freshness> {
    let source = source_of(site, page)?;
    let translation = &site.pages[page];
    let state = match translation.front.source_hash.as_deref() {
        None => State::Unmarked,
        Some(recorded) if same(recorded, &source_hash(site, source)) => State::Current,
        Some(_) => State::Stale {
            source_changed: changed_on(&site.pages[source], translation),
        },
    };
    Some(Freshness {
        page,
        source,
        state,
    })
}

/// The default language's version of a translation.
pub fn source_of(site: &Site, page: PageId) -> Option<PageId> {
    let default = site.config.default_language;
    if site.pages[page].lang == default {
        return None;
    }
    site.versions(page).get(default).copied().flatten()
}

/// The hash a translation of `source` records when it matches `source` as it is now.
pub fn source_hash(site: &Site, source: PageId) -> String {
    let page: &Page = &site.pages[source];
    hash(&page.front, page.body())
}

/// The hash of a page as a translator sees it: title, description, the texts of its `print:`
/// block (headline, points, action) and its Markdown body, each normalised. A print block's
/// `template:` and `formats:` are left out: translations share them, so a change of paper size
/// needs no new translation. The first [`HASH_LEN`] hex characters of a blake3 hash.
pub fn hash(front: &FrontMatter, body: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(HASH_VERSION);
    let print = front.print.as_ref();
    let points = print.map_or(&[][..], |p| p.points.as_slice());
    let fields = [
        Some(front.title.as_str()),
        front.description.as_deref(),
        print.and_then(|p| p.headline.as_deref()),
        print.and_then(|p| p.action.as_deref()),
    ];
    for text in fields
        .into_iter()
        .chain(points.iter().map(|p| Some(p.as_str())))
    {
        // Each field with its length, so that text moving from one field to the next is a
        // change; the number of points too, for the same reason.
        let mut normal = String::new();
        normalised(text.unwrap_or(""), |part| normal.push_str(part));
        hasher.update(&(normal.len() as u64).to_le_bytes());
        hasher.update(normal.as_bytes());
    }
    hasher.update(&(points.len() as u64).to_le_bytes());
    // The body last, streamed: it needs no length, and pages can be long.
    normalised(body, |part| {
        hasher.update(part.as_bytes());
    });
    let hex = hasher.finalize().to_hex();
    hex[..HASH_LEN].to_owned()
}

/// Feeds `text` to `out` line by line, as an editor sees it: line ends as `\n` (a CR before
/// them dropped), trailing spaces dropped, and no blank lines at the start or end.
fn normalised(text: &str, mut out: impl FnMut(&str)) {
    let mut started = false;
    let mut blank_run = 0usize;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += usize::from(started);
            continue;
        }
        if started {
            out("\n");
        }
        for _ in 0..blank_run {
            out("\n");
        }
        blank_run = 0;
        started = true;
        out(line);
    }
}

/// Whether a recorded hash is `computed`, however it was spaced or cased by hand.
fn same(recorded: &str, computed: &str) -> bool {
    recorded.trim().eq_ignore_ascii_case(computed)
}

fn day(date: &front_matter::Date) -> &str {
    // Dates are checked to start with YYYY-MM-DD when front matter is read.
    date.as_str().get(..10).unwrap_or(date.as_str())
}

/// When the source changed, as far as its dates tell (see [`State::Stale`]).
fn changed_on(source: &Page, translation: &Page) -> Option<String> {
    let updated = day(source.front.updated.as_ref()?);
    let made = translation
        .front
        .updated
        .as_ref()
        .or(translation.front.date.as_ref())
        .map(day);
    match made {
        Some(made) if updated <= made => None,
        _ => Some(updated.to_owned()),
    }
}

// ---------------------------------------------------------------------------------------------
// Files named on the command line (shared with `new`)
// ---------------------------------------------------------------------------------------------

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

/// Records in each translation that it matches its source as it is now: writes the source's
/// hash into its front matter (replacing the one line, or adding it), leaving every other byte
/// as it was. Every file is checked first and none is written if any has a problem, so an
/// editor fixes the problem and runs the same command again. Returns a line per file.
pub fn mark_current(root: &Path, files: &[PathBuf]) -> Result<Vec<String>, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let mut errors = Vec::new();
    let mut edits = Vec::new();
    for arg in files {
        match plan_mark(root, &config, arg) {
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
        match std::fs::write(&edit.path, text) {
            Ok(()) => lines.push(format!(
                "marked {} as current with {}",
                edit.shown, edit.source
            )),
            Err(err) => errors.push(
                Diagnostic::error(Stage::Output, format!("cannot write {}: {err}", edit.shown))
                    .at(&edit.shown, None, 1, 1)
                    .with_help("check that the file is not read-only or open in another program"),
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn front(yaml: &str) -> FrontMatter {
        serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn hash_ignores_what_an_editor_does_not_see() {
        let a = hash(&front("title: Hi\ndescription: One\n"), "Body\n\nMore\n");
        assert_eq!(a.len(), HASH_LEN);
        let reordered = hash(
            &front("description: One\ntitle: \"Hi\"\n"),
            "Body\n\nMore\n",
        );
        let crlf = hash(
            &front("title: Hi\ndescription: One\n"),
            "\r\nBody  \r\n\r\nMore\r\n\r\n",
        );
        assert_eq!(a, reordered);
        assert_eq!(a, crlf);
        assert_ne!(
            a,
            hash(&front("title: Hi\ndescription: One\n"), "Body\nMore\n")
        );
        assert_ne!(
            a,
            hash(&front("title: Hi\ndescription: Two\n"), "Body\n\nMore\n")
        );
        assert_ne!(a, hash(&front("title: Hi\n"), "One\nBody\n\nMore\n"));
        // Fields that a translation does not translate are not part of it.
        assert_eq!(
            a,
            hash(
                &front("title: Hi\ndescription: One\nweight: 3\nupdated: 2026-01-01\n"),
                "Body\n\nMore\n"
            )
        );
    }

    #[test]
    fn print_texts_count_and_paper_does_not() {
        let base = "title: P\nprint:\n  template: poster\n  formats: [A4]\n  headline: H\n  points: [a, b]\n";
        let a = hash(&front(base), "");
        assert_eq!(a, hash(&front(&base.replace("[A4]", "[A4, A3]")), ""));
        assert_ne!(a, hash(&front(&base.replace("[a, b]", "[a, c]")), ""));
        assert_ne!(a, hash(&front(&base.replace("[a, b]", "[ab]")), ""));
        assert_ne!(a, hash(&front(&base.replace("H\n", "G\n")), ""));
    }

    #[test]
    fn set_key_edits_one_line_only() {
        let text = "\u{feff}---\r\ntitle: X\r\nweight: 2\r\n---\r\nBody\r\n";
        let set = set_key(text, KEY, "\"abc\"").unwrap_or_default();
        assert_eq!(
            set,
            "\u{feff}---\r\ntitle: X\r\nweight: 2\r\nsource_hash: \"abc\"\r\n---\r\nBody\r\n"
        );
        let again = set_key(&set, KEY, "\"def\"").unwrap_or_default();
        assert_eq!(again, set.replace("abc", "def"));
        let list = "---\ntitle: X\naliases:\n- /a/\n- /b/\n# kept\nweight: 1\n---\n";
        assert_eq!(
            remove_key(list, "aliases").as_deref(),
            Some("---\ntitle: X\n# kept\nweight: 1\n---\n")
        );
        let nested = "---\ntitle: X\nprint:\n  headline: H\ntranslation: reviewed\n---\n";
        assert_eq!(
            set_key(nested, "translation", "draft").as_deref(),
            Some("---\ntitle: X\nprint:\n  headline: H\ntranslation: draft\n---\n")
        );
        assert!(set_key("no front matter", KEY, "x").is_none());
        let print = "---\ntitle: X\nprint:\n  template: poster\n  formats:\n  - A4\n  - A3\n  headline: H\nweight: 1\n---\n";
        let no_layout = remove_child(print, "print", "formats")
            .and_then(|t| remove_child(&t, "print", "template"));
        assert_eq!(
            no_layout.as_deref(),
            Some("---\ntitle: X\nprint:\n  headline: H\nweight: 1\n---\n")
        );
        let leaflet =
            "---\ntitle: X\nprint:\n  template: leaflet\n  formats: [A4, A5]\n---\nBody\n";
        let no_layout = remove_child(leaflet, "print", "formats")
            .and_then(|t| remove_child(&t, "print", "template"));
        assert_eq!(no_layout.as_deref(), Some("---\ntitle: X\n---\nBody\n"));
    }

    #[test]
    fn normalising_keeps_inner_blank_lines() {
        let mut out = String::new();
        normalised("\n\n a \n\n\nb\t\n\n", |p| out.push_str(p));
        assert_eq!(out, " a\n\n\nb");
    }
}
