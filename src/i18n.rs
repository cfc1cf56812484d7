//! Interface strings ("Skip to content", "Contents") per language: the theme's
//! `i18n/<lang>.yaml`, with single keys overridden by the site's own `i18n/<lang>.yaml`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Mutex;

use crate::config::{Config, LangId};
use crate::diagnostics::{Diagnostic, Stage};
use crate::source;
use crate::yaml::Document;

#[derive(Debug, Default)]
pub struct Strings {
    tables: Vec<HashMap<String, String>>,
    default: LangId,
    /// Keys looked up in a language that lacks them, recorded as pages render.
    missing: Mutex<BTreeSet<(LangId, String)>>,
}

pub enum Lookup<'a> {
    Found(&'a str),
    /// Not in the language's table; this is the default language's text.
    FellBack(&'a str),
    Unknown,
}

impl Strings {
    /// A digest of every language's strings, the same however the tables are laid out.
    pub fn digest(&self) -> blake3::Hash {
        let mut hasher = blake3::Hasher::new();
        for table in &self.tables {
            let mut entries: Vec<_> = table.iter().collect();
            entries.sort_unstable();
            hasher.update(&(entries.len() as u64).to_le_bytes());
            for (key, text) in entries {
                for part in [key, text] {
                    hasher.update(&(part.len() as u64).to_le_bytes());
                    hasher.update(part.as_bytes());
                }
            }
        }
        hasher.finalize()
    }

    pub fn load(root: &Path, config: &Config) -> (Strings, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut tables = vec![HashMap::new(); config.languages.len()];
        let theme_dir = format!("themes/{}/i18n", config.theme);
        for dir in [theme_dir.as_str(), "i18n"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            files.sort();
            for path in files {
                let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
                let Some(lang) = config.find_language(stem).filter(|_| is_yaml) else {
                    continue;
                };
                let file = format!(
                    "{dir}/{}",
                    path.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                );
                match read_table(&path, &file) {
                    Ok(table) => tables[lang].extend(table),
                    Err(d) => diagnostics.push(d),
                }
            }
        }
        let strings = Strings {
            tables,
            default: config.default_language,
            missing: Mutex::default(),
        };
        (strings, diagnostics)
    }

    /// Looks `key` up for `lang`, recording a fall-back to the default language.
    pub fn get(&self, lang: LangId, key: &str) -> Lookup<'_> {
        if let Some(text) = self.tables.get(lang).and_then(|t| t.get(key)) {
            return Lookup::Found(text);
        }
        match self.tables.get(self.default).and_then(|t| t.get(key)) {
            Some(text) => {
                if let Ok(mut missing) = self.missing.lock() {
                    missing.insert((lang, key.to_owned()));
                }
                Lookup::FellBack(text)
            }
            None => Lookup::Unknown,
        }
    }

    /// Per language, the keys the default language has and it lacks, together with the keys
    /// that templates asked for and fell back on.
    pub fn missing(&self) -> BTreeMap<LangId, BTreeSet<String>> {
        let mut out: BTreeMap<LangId, BTreeSet<String>> = BTreeMap::new();
        if let Some(default) = self.tables.get(self.default) {
            for (lang, table) in self.tables.iter().enumerate() {
                for key in default.keys().filter(|k| !table.contains_key(*k)) {
                    out.entry(lang).or_default().insert(key.clone());
                }
            }
        }
        if let Ok(missing) = self.missing.lock() {
            for (lang, key) in missing.iter() {
                out.entry(*lang).or_default().insert(key.clone());
            }
        }
        out
    }
}

fn read_table(path: &Path, file: &str) -> Result<HashMap<String, String>, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::error(Stage::Config, format!("cannot read {file}: {err}")))?;
    let text = source::decode(&bytes, file, Stage::Config)?;
    if text.trim().is_empty() {
        return Ok(HashMap::new());
    }
    let value: serde_yaml::Value = Document {
        file,
        file_source: &text,
        yaml: &text,
        first_line: 1,
        stage: Stage::Config,
        what: "the string table",
    }
    .parse()?;
    let mut table = HashMap::new();
    flatten("", &value, &mut table).map_err(|key| {
        let (line, col) =
            crate::diagnostics::find_line(&text, key.rsplit('.').next().unwrap_or(&key))
                .unwrap_or((1, 1));
        Diagnostic::error(
            Stage::Config,
            format!("the value of `{key}` in {file} is not text"),
        )
        .at(file, Some(&text), line, col)
        .with_help("every entry is `key: text`; put text in quotes if it starts with a symbol")
    })?;
    Ok(table)
}

/// Nested maps become dotted keys (`callout: {note: …}` is `callout.note`).
fn flatten(
    prefix: &str,
    value: &serde_yaml::Value,
    out: &mut HashMap<String, String>,
) -> Result<(), String> {
    use serde_yaml::Value;
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                let k = match k {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => return Err(prefix.to_owned()),
                };
                let key = if prefix.is_empty() {
                    k
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out)?;
            }
            Ok(())
        }
        Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
            Ok(())
        }
        Value::Number(n) => {
            out.insert(prefix.to_owned(), n.to_string());
            Ok(())
        }
        _ => Err(prefix.to_owned()),
    }
}
