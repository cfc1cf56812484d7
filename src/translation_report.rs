//! The translation report: per language, which pages have no translation, which translations
//! are drafts, and which interface strings are missing.

use std::fmt;

use crate::config::LangId;
use crate::content::TranslationStatus;
use crate::i18n::StringFiles;
use crate::site::Site;

#[derive(Debug, Default)]
pub struct LanguageReport {
    pub code: String,
    pub name: String,
    /// Default-language files with no version in this language.
    pub missing_pages: Vec<String>,
    /// Files of this language marked `translation: draft`.
    pub draft_pages: Vec<String>,
    pub missing_strings: Vec<String>,
    /// Strings shown from another language of its fallback chain: key and that language's code.
    pub inherited_strings: Vec<(String, String)>,
    /// What to do next, naming the files to create or edit.
    pub advice: Vec<String>,
}

#[derive(Debug, Default)]
pub struct TranslationReport {
    pub languages: Vec<LanguageReport>,
}

impl TranslationReport {
    pub fn new(site: &Site) -> TranslationReport {
        let config = &site.config;
        let default = config.default_language;
        let mut missing_strings = site.strings.missing();
        let mut inherited = site.strings.inherited();
        let mut keys: Vec<&String> = site.groups.keys().collect();
        keys.sort();
        let languages = config
            .each_language()
            .filter(|(lang, _)| *lang != default)
            .map(|(lang, language)| {
                let mut report = LanguageReport {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    missing_strings: missing_strings
                        .remove(&lang)
                        .unwrap_or_default()
                        .into_iter()
                        .collect(),
                    inherited_strings: inherited
                        .remove(&lang)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(key, from)| (key, config.language(from).code.clone()))
                        .collect(),
                    ..LanguageReport::default()
                };
                for key in &keys {
                    let versions = &site.groups[*key];
                    match (versions[default], versions[lang]) {
                        (Some(source), None) => {
                            report.missing_pages.push(site.pages[source].file.clone())
                        }
                        (_, Some(version))
                            if site.pages[version].front.translation
                                == Some(TranslationStatus::Draft) =>
                        {
                            report.draft_pages.push(site.pages[version].file.clone());
                        }
                        _ => {}
                    }
                }
                report.advice = advice(site, lang, &report);
                report
            })
            .collect();
        TranslationReport { languages }
    }
}

/// Steps for a language's translators, naming the files: what an editor adding a language needs
/// after editing site.yaml.
fn advice(site: &Site, lang: LangId, report: &LanguageReport) -> Vec<String> {
    let config = &site.config;
    let code = &config.language(lang).code;
    let mut advice = Vec::new();
    if site
        .groups
        .get("_index.md")
        .is_some_and(|v| v[lang].is_none())
    {
        let lands_on = site
            .home(lang)
            .map_or("no", |h| config.language(site.pages[h].lang).code.as_str());
        advice.push(format!(
            "no home page: readers of {code} land on the {lands_on} home page; create \
             content/_index.{code}.md with `safe-surgeries new translation content/_index.md {code}`"
        ));
    }
    let english = match site.strings.files(config.default_language, "") {
        StringFiles::Read(files) => files.join(" and "),
        StringFiles::Missing { .. } => String::from("the default language's string file"),
    };
    let files = site.strings.files(lang, code);
    if !report.missing_strings.is_empty() {
        let n = report.missing_strings.len();
        let strings = if n == 1 { "string" } else { "strings" };
        advice.push(match &files {
            StringFiles::Missing { create } => format!(
                "{n} interface {strings} in {}: create {create}, copy the keys of {english} into \
                 it and translate each value",
                config.language(config.default_language).name
            ),
            StringFiles::Read(files) => format!(
                "{n} interface {strings} in {}: add {} to {} (the texts to translate are in \
                 {english})",
                config.language(config.default_language).name,
                if n == 1 { "it" } else { "them" },
                files.join(" or ")
            ),
        });
    }
    if let Some((_, from)) = report.inherited_strings.first() {
        let n = report.inherited_strings.len();
        let target = match &files {
            StringFiles::Missing { create } => format!("create {create} with them"),
            StringFiles::Read(files) => format!("add them to {}", files.join(" or ")),
        };
        advice.push(format!(
            "{n} interface {} shown in {from}, which {code} falls back on; to word them for {code} \
             readers, {target}",
            if n == 1 { "string" } else { "strings" }
        ));
    }
    advice
}

impl fmt::Display for TranslationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Translation report")?;
        for lang in &self.languages {
            writeln!(
                f,
                "\n{} ({}): {} missing pages, {} draft translations, {} missing interface strings",
                lang.code,
                lang.name,
                lang.missing_pages.len(),
                lang.draft_pages.len(),
                lang.missing_strings.len()
            )?;
            for line in &lang.advice {
                writeln!(f, "  to do: {line}")?;
            }
            for (label, items) in [
                ("missing", &lang.missing_pages),
                ("draft", &lang.draft_pages),
                ("missing string", &lang.missing_strings),
            ] {
                for item in items {
                    writeln!(f, "  {label}: {item}")?;
                }
            }
        }
        Ok(())
    }
}
