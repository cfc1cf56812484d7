//! What a Markdown file's name says: section index, bundle index or page, and its language.
//!
//! The rule for dots: `<name>.<suffix>.md` is a translation when `<suffix>` is a configured
//! language. A suffix shaped like a language tag that is not configured is an error (it is almost
//! always a translation for a language missing from `site.yaml`, or a typo). Any other dot is
//! part of the name.

use crate::config::{Config, LangId, is_language_tag};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `_index.md`: the folder is a section.
    Section,
    /// `index.md`: the folder is a page bundle.
    Bundle,
    Page,
}

#[derive(Debug, PartialEq, Eq)]
pub struct MarkdownName {
    pub role: Role,
    /// The name without language suffix and `.md`: `registration`, `_index`, `index`.
    pub stem: String,
    pub lang: LangId,
}

impl MarkdownName {
    /// The file name shared by all language versions, which keys and `@/` links use:
    /// `_index.md`, `index.md` or `<stem>.md`.
    pub fn key_file(&self) -> String {
        match self.role {
            Role::Section => "_index.md".to_owned(),
            Role::Bundle => "index.md".to_owned(),
            Role::Page => format!("{}.md", self.stem),
        }
    }
}

/// `None` for files that are not Markdown.
pub fn parse(file_name: &str, config: &Config) -> Option<Result<MarkdownName, String>> {
    let stem = file_name.strip_suffix(".md")?;
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((base, suffix)) if !base.is_empty() => match config.find_language(suffix) {
            Some(lang) => (base, lang),
            None if is_language_tag(suffix) => {
                let codes = config.languages.iter().map(|l| l.code.as_str());
                return Some(Err(format!(
                    "`{suffix}` in `{file_name}` looks like a language, but the site has no \
                     language `{suffix}`: {}its languages are {}",
                    crate::suggest::did_you_mean(suffix, codes),
                    config.language_codes()
                )));
            }
            None => (stem, config.default_language),
        },
        _ => (stem, config.default_language),
    };
    if stem.is_empty() {
        return Some(Err(format!("`{file_name}` has no name before `.md`")));
    }
    let role = match stem {
        "_index" => Role::Section,
        "index" => Role::Bundle,
        _ => Role::Page,
    };
    Some(Ok(MarkdownName {
        role,
        stem: stem.to_owned(),
        lang,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title: T\nbase_url: https://x.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: ar, name: العربية}\n  - {code: zh-Hant, name: 繁體中文}\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn translations_and_roles() {
        let c = config();
        let parsed = |n: &str| parse(n, &c).and_then(Result::ok);
        assert_eq!(
            parsed("registration.ar.md"),
            Some(MarkdownName {
                role: Role::Page,
                stem: "registration".into(),
                lang: LangId(1)
            })
        );
        assert_eq!(
            parsed("_index.zh-hant.md").map(|n| (n.role, n.lang)),
            Some((Role::Section, LangId(2)))
        );
        assert_eq!(parsed("index.md").map(|n| n.role), Some(Role::Bundle));
        assert_eq!(
            parsed("nhs.england.md").map(|n| n.stem),
            Some("nhs.england".into())
        );
        assert_eq!(parsed("v1.2.md").map(|n| n.stem), Some("v1.2".into()));
        assert!(parse("logo.png", &c).is_none());
    }

    #[test]
    fn unconfigured_language_is_an_error() {
        let c = config();
        let err = parse("registration.de.md", &c)
            .and_then(Result::err)
            .unwrap_or_default();
        assert!(err.contains("en, ar, zh-Hant"), "{err}");
    }
}
