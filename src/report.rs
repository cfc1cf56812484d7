//! The translation report: per language, which pages have no translation, which translations
//! are drafts, and which interface strings are missing.

use std::fmt;

use crate::content::TranslationStatus;
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
}

#[derive(Debug, Default)]
pub struct Report {
    pub languages: Vec<LanguageReport>,
}

impl Report {
    pub fn new(site: &Site) -> Report {
        let config = &site.config;
        let default = config.default_language;
        let mut missing_strings = site.strings.missing();
        let mut keys: Vec<&String> = site.groups.keys().collect();
        keys.sort();
        let languages = config
            .languages
            .iter()
            .enumerate()
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
                report
            })
            .collect();
        Report { languages }
    }
}

impl fmt::Display for Report {
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
