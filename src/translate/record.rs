//! What each translation was made from, segment by segment, kept in the repository so that
//! "which sentence changed" needs no git: `content/.translations/<lang>/<page>.yaml`.
//!
//! `translate import` writes it; the loader skips the folder (its name starts with a dot),
//! so it is never published.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Stage};

/// The folder under `content/` that holds the records.
pub const FOLDER: &str = ".translations";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Per segment id: the English the translation of that segment was made from.
    #[serde(default)]
    pub segments: Vec<Made>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Made {
    pub id: String,
    pub english: String,
}

impl Record {
    pub fn english_of(&self) -> HashMap<&str, &str> {
        self.segments
            .iter()
            .map(|m| (m.id.as_str(), m.english.as_str()))
            .collect()
    }
}

/// Where the record of page `key` (`guidance/registration.md`) in language `code` lives,
/// relative to the site's root.
pub fn path(key: &str, code: &str) -> PathBuf {
    let stem = key.strip_suffix(".md").unwrap_or(key);
    Path::new(crate::content::CONTENT_DIR)
        .join(FOLDER)
        .join(code)
        .join(format!("{stem}.yaml"))
}

/// The record at `path` under `root`, `None` when there is none.
pub fn load(root: &Path, path: &Path) -> Result<Option<Record>, Diagnostic> {
    let shown = path.to_string_lossy().into_owned();
    let text = match std::fs::read_to_string(root.join(path)) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(Diagnostic::error(
                Stage::Content,
                format!("cannot read {shown}: {err}"),
            ));
        }
    };
    serde_yaml::from_str(&text).map(Some).map_err(|err| {
        let line = err.location().map_or(1, |l| l.line());
        Diagnostic::error(
            Stage::Content,
            format!("{shown} is not a translation record this program wrote: {err}"),
        )
        .at(&shown, Some(&text), line, 1)
        .with_help(
            "this file is written by `safe-surgeries translate import`; restore it from git, or delete it (the page then counts as translated from an unknown version)",
        )
    })
}

/// The record's text as written to disk: a note for whoever opens it, then the YAML.
pub fn to_text(record: &Record, page_file: &str) -> String {
    let yaml = serde_yaml::to_string(record).unwrap_or_default();
    format!(
        "# The English that {page_file} was translated from, segment by segment.\n\
         # Written by `safe-surgeries translate import`: do not edit it by hand.\n{yaml}"
    )
}
