//! The theme's interface strings (`themes/<theme>/i18n/<lang>.yaml`) as one PO file per
//! language: each key a segment, its English from `en.yaml`. Staff-only strings (`staff.*`)
//! are not asked of translators.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::export::Counts;
use super::record::{self, Made, Record};
use super::{Planned, Project, po, segment_hash};
use crate::config::LangId;
use crate::diagnostics::{Diagnostic, Stage};
use crate::i18n::{is_staff, read_table};

/// The key the interface strings' record is kept under, as if it were a page.
const RECORD_KEY: &str = "_interface-strings.md";

fn file_of(project: &Project, code: &str) -> PathBuf {
    PathBuf::from(crate::paths::theme_strings(&project.config.theme, code))
}

/// The default language's strings, in the order of its file.
fn english(project: &Project) -> Result<Vec<(String, String)>, Diagnostic> {
    let code = &project
        .config
        .language(project.config.default_language)
        .code;
    let path = file_of(project, code);
    let shown = path.display().to_string();
    let table = read_table(&project.root.join(&path), &shown)?;
    let text = std::fs::read_to_string(project.root.join(&path)).unwrap_or_default();
    // The table is checked; its keys in the file's order come from the text.
    let order: Vec<String> = match serde_yaml::from_str::<serde_yaml::Value>(&text) {
        Ok(serde_yaml::Value::Mapping(map)) => map
            .keys()
            .filter_map(|k| k.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    Ok(order
        .into_iter()
        .filter(|k| !is_staff(k))
        .filter_map(|k| table.get(&k).map(|v| (k.clone(), v.clone())))
        .collect())
}

fn translations(project: &Project, code: &str) -> Result<HashMap<String, String>, Diagnostic> {
    let path = file_of(project, code);
    if !project.root.join(&path).is_file() {
        return Ok(HashMap::new());
    }
    read_table(&project.root.join(&path), &path.display().to_string())
}

/// The interface strings `lang` has no text for.
pub fn missing(project: &Project, lang: LangId) -> Result<Vec<String>, Diagnostic> {
    let theirs = translations(project, &project.config.language(lang).code)?;
    Ok(english(project)?
        .into_iter()
        .filter(|(k, _)| !theirs.contains_key(k))
        .map(|(k, _)| k)
        .collect())
}

/// The PO file of `lang`'s interface strings.
pub fn export(
    project: &Project,
    lang: LangId,
    format: super::export::Format,
) -> Result<(String, Counts), Diagnostic> {
    let language = project.config.language(lang);
    let english = english(project)?;
    let theirs = translations(project, &language.code)?;
    let made = record::load(&project.root, &record::path(RECORD_KEY, &language.code))?;
    let made = made.as_ref().map(Record::english_of);
    let mut counts = Counts::default();
    let thens: Vec<Option<&str>> = english
        .iter()
        .map(|(key, text)| {
            let then = made.as_ref().and_then(|m| m.get(key.as_str()).copied());
            match (theirs.get(key), then) {
                (None, _) => {
                    counts.missing += 1;
                    None
                }
                (Some(_), Some(then)) if then != text => {
                    counts.changed += 1;
                    Some(then)
                }
                _ => {
                    counts.current += 1;
                    None
                }
            }
        })
        .collect();
    let source_file = file_of(
        project,
        &project
            .config
            .language(project.config.default_language)
            .code,
    );
    let outs: Vec<po::Out> = english
        .iter()
        .zip(&thens)
        .map(|((key, text), then)| po::Out {
            id: key,
            english: text,
            translation: theirs.get(key).map(String::as_str),
            then: *then,
            note: format!(
                "interface text (menus, notices, printed labels)\nhash: {}",
                segment_hash(text)
            ),
            reference: Some((
                source_file.display().to_string(),
                line_of_key(project, &source_file, key),
            )),
        })
        .collect();
    let text = format.write(po::INTERFACE, project, lang, "1970-01-01", &outs);
    Ok((text, counts))
}

fn line_of_key(project: &Project, file: &Path, key: &str) -> usize {
    std::fs::read_to_string(project.root.join(file))
        .ok()
        .and_then(|t| {
            t.lines().position(|l| {
                l.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
        })
        .map_or(1, |i| i + 1)
}

/// The `{name}` placeholders of a string, sorted: the theme fills them in.
fn placeholders(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = text
        .match_indices('{')
        .filter_map(|(i, _)| {
            let rest = &text[i + 1..];
            let end = rest.find('}')?;
            let name = &rest[..end];
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
                .then_some(name)
        })
        .collect();
    out.sort_unstable();
    out
}

/// The string file and record an interface PO file gives.
pub(super) fn plan_import(
    project: &Project,
    lang: LangId,
    shown: &str,
    po_text: &str,
    read: &po::Read,
) -> Result<(Vec<Planned>, Vec<String>), Vec<Diagnostic>> {
    let language = project.config.language(lang);
    let english = english(project).map_err(|d| vec![d])?;
    let record_path = record::path(RECORD_KEY, &language.code);
    let old = record::load(&project.root, &record_path)
        .map_err(|d| vec![d])?
        .unwrap_or_default();
    let path = file_of(project, &language.code);
    let mut strings = Strings {
        text: std::fs::read_to_string(project.root.join(&path))
            .unwrap_or_else(|_| format!("# Interface strings ({}).\n", language.code)),
        made: old
            .segments
            .iter()
            .map(|m| (m.id.clone(), m.english.clone()))
            .collect(),
        changed: 0,
    };
    strings.set_entries(&english, read, &path, (shown, po_text))?;
    reads_as_yaml(&strings.text, &path).map_err(|d| vec![d])?;
    let record = record_of(&english, &strings.made);
    let shown_file = path.display().to_string();
    Ok((
        vec![
            Planned {
                file: shown_file.clone(),
                text: strings.text,
            },
            Planned {
                file: record_path.display().to_string(),
                text: record::to_text(&record, &shown_file),
            },
        ],
        vec![format!(
            "imported {shown} into {shown_file}: {} strings changed",
            strings.changed
        )],
    ))
}

/// A language's string file as an import changes it, and what each string in it was
/// translated from.
struct Strings {
    text: String,
    made: HashMap<String, String>,
    /// How many strings the import changed.
    changed: usize,
}

impl Strings {
    /// Sets each translated entry of a PO file (`shown`, `po_text`) in the file at `path`,
    /// passing over keys the English no longer has; every entry that cannot be set is
    /// reported, not just the first.
    fn set_entries(
        &mut self,
        english: &[(String, String)],
        read: &po::Read,
        path: &Path,
        (shown, po_text): (&str, &str),
    ) -> Result<(), Vec<Diagnostic>> {
        let english_of: HashMap<&str, &str> = english
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut errors = Vec::new();
        for entry in &read.entries {
            let Some(now) = english_of.get(entry.id.as_str()) else {
                continue;
            };
            let translation = entry.translation.trim();
            if translation.is_empty() {
                continue;
            }
            if placeholders(now) != placeholders(translation) {
                errors.push(lost_placeholders(
                    &entry.id,
                    now,
                    (shown, po_text, entry.line),
                ));
                continue;
            }
            match set_line(&self.text, &entry.id, translation) {
                Some(t) => {
                    self.changed += usize::from(t != self.text);
                    self.text = t;
                }
                None => errors.push(Diagnostic::error(
                    Stage::Translate,
                    format!(
                        "cannot set `{}` in {}: its value spans several lines",
                        entry.id,
                        path.display()
                    ),
                )),
            }
            let from = if entry.fuzzy {
                entry.previous.clone().unwrap_or_default()
            } else {
                entry.english.clone()
            };
            self.made.insert(entry.id.clone(), from);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Refuses a string file that would not read as YAML: what an import writes must read as the
/// table it is meant to be.
fn reads_as_yaml(text: &str, path: &Path) -> Result<(), Diagnostic> {
    if serde_yaml::from_str::<serde_yaml::Value>(text).is_err() {
        return Err(Diagnostic::error(
            Stage::Translate,
            format!(
                "the updated {} would not read as YAML, so nothing was written",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// A translation that lost or changed the `{name}`s of `english`, at its line.
fn lost_placeholders(
    id: &str,
    english: &str,
    (shown, text, line): (&str, &str, usize),
) -> Diagnostic {
    let names = placeholders(english);
    let listed = if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Diagnostic::error(
        Stage::Translate,
        format!(
            "the translation of `{id}` does not keep its placeholders: the English has {listed}"
        ),
    )
    .at(shown, Some(text), line, 1)
    .with_help("keep each {name} exactly as in the English; the site fills it in")
}

/// The record of the interface strings: for each key in the English's order, the English its
/// translation was made from.
fn record_of(english: &[(String, String)], made: &HashMap<String, String>) -> Record {
    Record {
        segments: english
            .iter()
            .filter_map(|(k, _)| {
                made.get(k).map(|e| Made {
                    id: k.clone(),
                    english: e.clone(),
                })
            })
            .collect(),
    }
}

/// `text` (a string table) with `key: "value"`: its line replaced, or added at the end.
/// `None` when the key's value is a block of several lines.
fn set_line(text: &str, key: &str, value: &str) -> Option<String> {
    let quoted = serde_json::to_string(value).ok()?;
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let at = lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
    });
    match at {
        Some(i) => {
            let rest = lines[i][key.len()..].trim_start()[1..].trim();
            let continued = lines
                .get(i + 1)
                .is_some_and(|next| next.starts_with([' ', '\t']));
            if rest.is_empty() || rest.starts_with('|') || rest.starts_with('>') || continued {
                return None;
            }
            lines[i] = format!("{key}: {quoted}");
        }
        None => lines.push(format!("{key}: {quoted}")),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Some(out)
}
