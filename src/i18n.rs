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
    /// Per language, where to look after its own table: its fallback chain (see [`crate::locale`]).
    chains: Vec<Vec<LangId>>,
    /// Per language, the string files read for it, as the site names them.
    files: Vec<Vec<String>>,
    theme: String,
    /// Keys looked up in a language that lacks them, recorded as pages render.
    missing: Mutex<BTreeSet<(LangId, String)>>,
}

pub enum Lookup<'a> {
    /// In the language's own table, or in a language of its chain before the default one (the
    /// Farsi text for Dari): a text its readers read.
    Found(&'a str),
    /// In none of those; this is the default language's text.
    FellBack(&'a str),
    Unknown,
}

impl<'a> Lookup<'a> {
    /// The text, in whichever language it was found; empty for a key no table has.
    pub fn text(&self) -> &'a str {
        match self {
            Lookup::Found(t) | Lookup::FellBack(t) => t,
            Lookup::Unknown => "",
        }
    }
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
        let mut files = vec![Vec::new(); config.languages.len()];
        let theme_dir = crate::paths::theme_folder(&config.theme, crate::paths::ThemeFolder::I18n);
        for dir in [theme_dir.as_str(), "i18n"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths {
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
                files[lang].push(file);
            }
        }
        let strings = Strings {
            tables,
            chains: config
                .languages
                .iter()
                .map(|l| l.fallbacks.clone())
                .collect(),
            files,
            theme: config.theme.clone(),
            missing: Mutex::default(),
        };
        (strings, diagnostics)
    }

    /// The string files read for `lang`, and the file to create when there is none.
    pub fn files(&self, lang: LangId, code: &str) -> StringFiles {
        match self.files.get(lang.index()).filter(|f| !f.is_empty()) {
            Some(files) => StringFiles::Read(files.clone()),
            None => StringFiles::Missing {
                create: crate::paths::theme_strings(&self.theme, code),
            },
        }
    }

    /// Looks `key` up for `lang` along its fallback chain, recording a fall-back to the default
    /// language.
    pub fn get(&self, lang: LangId, key: &str) -> Lookup<'_> {
        match self.source(lang, key) {
            Some((from, text)) if Some(&from) != self.default_of(lang) => Lookup::Found(text),
            Some((_, text)) => {
                if let Ok(mut missing) = self.missing.lock() {
                    missing.insert((lang, key.to_owned()));
                }
                Lookup::FellBack(text)
            }
            None => Lookup::Unknown,
        }
    }

    /// The language whose table gives `lang` its text for `key`, and the text.
    fn source(&self, lang: LangId, key: &str) -> Option<(LangId, &str)> {
        let chain = self.chains.get(lang.index()).map_or(&[][..], Vec::as_slice);
        std::iter::once(&lang)
            .chain(chain)
            .find_map(|&l| Some((l, self.tables.get(l.index())?.get(key)?.as_str())))
    }

    /// The last language of `lang`'s chain: the default one (none for the default itself).
    fn default_of(&self, lang: LangId) -> Option<&LangId> {
        self.chains.get(lang.index())?.last()
    }

    /// Per language, the keys that no language before the default one in its chain has, of
    /// those the default language has and those templates asked for: what its readers see in
    /// the default language.
    pub fn missing(&self) -> BTreeMap<LangId, BTreeSet<String>> {
        let mut out: BTreeMap<LangId, BTreeSet<String>> = BTreeMap::new();
        for lang in (0..self.tables.len()).map(LangId) {
            let Some(&default) = self.default_of(lang) else {
                continue;
            };
            for key in self.tables[default].keys().filter(|k| !is_staff(k)) {
                if self
                    .source(lang, key)
                    .is_some_and(|(from, _)| from == default)
                {
                    out.entry(lang).or_default().insert(key.clone());
                }
            }
        }
        if let Ok(missing) = self.missing.lock() {
            for (lang, key) in missing.iter().filter(|(_, k)| !is_staff(k)) {
                out.entry(*lang).or_default().insert(key.clone());
            }
        }
        out
    }

    /// Per language, the keys it takes from another language of its chain than the default one,
    /// with that language: `fa-AF` showing the Farsi text. Not missing, but a translator may
    /// want to word them for their own readers.
    pub fn inherited(&self) -> BTreeMap<LangId, Vec<(String, LangId)>> {
        let mut out: BTreeMap<LangId, Vec<(String, LangId)>> = BTreeMap::new();
        for lang in (0..self.tables.len()).map(LangId) {
            let Some(&default) = self.default_of(lang) else {
                continue;
            };
            let mut keys: Vec<&String> = self.tables[default]
                .keys()
                .filter(|k| !is_staff(k))
                .collect();
            keys.sort();
            for key in keys {
                if let Some((from, _)) = self
                    .source(lang, key)
                    .filter(|(from, _)| *from != lang && *from != default)
                {
                    out.entry(lang).or_default().push((key.clone(), from));
                }
            }
        }
        out
    }
}

/// Strings of the pages only practice staff read, which are built in the default language
/// alone: no translator is asked for them.
pub(crate) fn is_staff(key: &str) -> bool {
    key.starts_with("staff.")
}

/// The interface-string files of one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringFiles {
    Read(Vec<String>),
    /// None yet: the one to create.
    Missing {
        create: String,
    },
}

pub(crate) fn read_table(path: &Path, file: &str) -> Result<HashMap<String, String>, Diagnostic> {
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
