//! `safe-surgeries translate mark-current`: records in translations that they match their
//! source as it is now.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::file_name::MarkdownName;
use crate::diagnostics::{Diagnostic, Stage};
use crate::edit::{
    ContentFile, locate, name_of, quoted, read_page, set_key, sibling_shown, verify, version_in,
};
use crate::freshness::{KEY, same};

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

/// `content/x/y.ar.md`: the file name a translation of `file` would have, for messages.
fn example_translation(file: &ContentFile, name: &MarkdownName, config: &Config) -> String {
    let code = config
        .each_language()
        .find(|(id, _)| *id != config.default_language)
        .map_or("ar", |(_, l)| l.code.as_str());
    sibling_shown(&file.shown, Path::new(&format!("{}.{code}.md", name.stem)))
}
