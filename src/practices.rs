//! `practices.yaml`: the GP practices a site makes its own print packs for. Each practice gets a
//! page, `/practices/<slug>/`, with every printable item in its languages, its name, address and
//! phone typeset where the shared PDFs have boxes to fill in, and a ZIP of them all.
//!
//! ```yaml
//! - name: Riverside Medical Practice
//!   address: [1 High Street, Leeds, LS1 1AA]     # or one line: "1 High Street, Leeds LS1 1AA"
//!   phone: 0113 496 0000                          # optional
//!   hours: Monday to Friday, 8am to 6.30pm        # optional
//!   languages: [en, ar, ur]                       # optional: every language of the site
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::config::{Config, LangId};
use crate::diagnostics::{Diagnostic, Stage};
use crate::source;
use crate::yaml::Document;

pub const FILE: &str = "practices.yaml";

/// One practice, as the print stage and the templates use it.
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    pub name: String,
    /// The last part of its page's address: `riverside-medical-practice`.
    pub slug: String,
    pub address: Vec<String>,
    pub phone: Option<String>,
    pub hours: Option<String>,
    /// The languages its packs are made in, in the site's order.
    pub languages: Vec<LangId>,
    /// Where its entry starts in practices.yaml, for messages about it.
    pub line: usize,
}

impl Practice {
    /// What is printed under the practice's name: its address, then phone and hours.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = self.address.clone();
        lines.extend(self.phone.iter().cloned());
        lines.extend(self.hours.iter().cloned());
        lines
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Address {
    Line(String),
    Lines(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractice {
    name: String,
    #[serde(default)]
    slug: Option<String>,
    address: Address,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    hours: Option<String>,
    #[serde(default)]
    languages: Option<Vec<String>>,
}

/// The practices of the site at `root`, none when it has no practices.yaml.
pub fn load(root: &Path, config: &Config) -> (Vec<Practice>, Vec<Diagnostic>) {
    let path = root.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
        Err(err) => {
            return (
                Vec::new(),
                vec![Diagnostic::error(
                    Stage::Content,
                    format!("cannot read {FILE}: {err}"),
                )],
            );
        }
    };
    let text = match source::decode(&bytes, FILE, Stage::Content) {
        Ok(text) => text,
        Err(d) => return (Vec::new(), vec![d]),
    };
    parse(&text, config)
}

fn parse(text: &str, config: &Config) -> (Vec<Practice>, Vec<Diagnostic>) {
    if text.trim().is_empty() {
        return (Vec::new(), Vec::new());
    }
    let raw: Vec<RawPractice> = match (Document {
        file: FILE,
        file_source: text,
        yaml: text,
        first_line: 1,
        stage: Stage::Content,
        what: "the list of practices",
    })
    .parse()
    {
        Ok(raw) => raw,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let mut practices: Vec<Practice> = Vec::new();
    let mut errors = Vec::new();
    let starts = entry_lines(text);
    for (i, entry) in raw.into_iter().enumerate() {
        let at = At {
            text,
            line: starts.get(i).copied().unwrap_or(1),
        };
        match practice(entry, &at, config, &practices, &mut errors) {
            Ok(practice) => practices.push(practice),
            Err(d) => errors.push(d),
        }
    }
    (practices, errors)
}

/// The line each practice's entry starts on, in order: a `-` in the first column, where its
/// errors point.
fn entry_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('-'))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Where in practices.yaml one practice's entry is, for its errors.
struct At<'a> {
    text: &'a str,
    line: usize,
}

impl At<'_> {
    /// An error at the start of the entry.
    fn problem(&self, message: String, help: &str) -> Diagnostic {
        Diagnostic::error(Stage::Content, message)
            .at(FILE, Some(self.text), self.line, 1)
            .with_help(help)
    }
}

/// One entry as a practice, or the first thing wrong with it that leaves it out. Languages
/// the site lacks are errors in `errors` but leave the practice in, in its other languages.
fn practice(
    entry: RawPractice,
    at: &At,
    config: &Config,
    earlier: &[Practice],
    errors: &mut Vec<Diagnostic>,
) -> Result<Practice, Diagnostic> {
    let name = entry.name.trim().to_owned();
    if name.is_empty() {
        return Err(at.problem(
            "a practice has an empty name".into(),
            "write the practice's name as it should print, such as Riverside Medical Practice",
        ));
    }
    let slug = slug_of(entry.slug, &name, at, earlier)?;
    let address = address_lines(entry.address);
    if address.is_empty() {
        return Err(at.problem(
            format!("the practice \"{name}\" has an empty address"),
            "write the address as one line or as a list of lines",
        ));
    }
    let languages = languages_of(entry.languages, &name, at, config, errors);
    Ok(Practice {
        name,
        slug,
        address,
        phone: trimmed(entry.phone),
        hours: trimmed(entry.hours),
        languages,
        line: at.line,
    })
}

/// The practice's slug, its own or made from its name: refused when it would not do in an
/// address, or is taken by an earlier practice, whose page it would overwrite.
fn slug_of(
    slug: Option<String>,
    name: &str,
    at: &At,
    earlier: &[Practice],
) -> Result<String, Diagnostic> {
    let slug = slug.unwrap_or_else(|| crate::slug::slugify(name));
    if slug.is_empty()
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(at.problem(
            format!("the practice \"{name}\" has no address-friendly name (`{slug}`)"),
            "add `slug:` with lowercase letters, digits and hyphens, such as riverside-medical-practice",
        ));
    }
    if let Some(other) = earlier.iter().find(|p| p.slug == slug) {
        return Err(at.problem(
            format!(
                "the practices \"{}\" and \"{name}\" would share the page /practices/{slug}/",
                other.name
            ),
            "give one of them a `slug:` of its own",
        ));
    }
    Ok(slug)
}

/// The address as lines, trimmed, without blank ones: none when it is empty.
fn address_lines(address: Address) -> Vec<String> {
    match address {
        Address::Line(line) => vec![line],
        Address::Lines(lines) => lines,
    }
    .into_iter()
    .map(|l| l.trim().to_owned())
    .filter(|l| !l.is_empty())
    .collect()
}

/// The languages the practice's packs are made in, in the site's order: every language of
/// the site when it lists none. A code the site lacks is an error in `errors`.
fn languages_of(
    codes: Option<Vec<String>>,
    name: &str,
    at: &At,
    config: &Config,
    errors: &mut Vec<Diagnostic>,
) -> Vec<LangId> {
    let Some(codes) = codes else {
        return config.language_ids().collect();
    };
    let mut ids = Vec::new();
    for code in &codes {
        match config.find_language(code) {
            Some(id) => ids.push(id),
            None => errors.push(at.problem(
                format!(
                    "the practice \"{name}\" lists `{code}`, which is not a language of the site"
                ),
                &format!("use the codes in site.yaml: {}", config.language_codes()),
            )),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// An optional line, trimmed: none when it is blank, so nothing empty is printed.
fn trimmed(line: Option<String>) -> Option<String> {
    line.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title: T\nbase_url: https://x.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: ar, name: العربية}\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn practices_take_their_languages_and_slugs() {
        let (practices, errors) = parse(
            "- name: Riverside Medical Practice\n  address: [1 High Street, Leeds LS1 1AA]\n  phone: 0113 496 0000\n- name: Hill Surgery\n  address: 2 Hill Road, York\n  languages: [ar]\n",
            &config(),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(practices[0].slug, "riverside-medical-practice");
        assert_eq!(practices[0].languages, vec![LangId(0), LangId(1)]);
        assert_eq!(
            practices[0].lines(),
            ["1 High Street", "Leeds LS1 1AA", "0113 496 0000"]
        );
        assert_eq!(practices[1].address, ["2 Hill Road, York"]);
        assert_eq!(practices[1].languages, vec![LangId(1)]);
    }

    #[test]
    fn mistakes_are_errors_at_the_practice_line() {
        let text = "- name: A\n  address: x\n- name: B\n  address: y\n  languages: [de]\n- name: A\n  address: z\n";
        let (practices, errors) = parse(text, &config());
        assert_eq!(practices.len(), 2);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("`de`"));
        assert_eq!(errors[0].span.as_ref().map(|s| s.line), Some(3));
        assert!(errors[1].message.contains("share the page"));
        assert_eq!(errors[1].span.as_ref().map(|s| s.line), Some(6));
    }

    #[test]
    fn an_unknown_key_names_the_file_and_line() {
        let (_, errors) = parse("- name: A\n  address: x\n  fax: 0\n", &config());
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].span.as_ref().map(|s| (s.file.as_str(), s.line)),
            Some((FILE, 3))
        );
    }
}
