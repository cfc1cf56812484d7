//! `site.yaml`: the site's title, address, languages and theme.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Stage, find_line};
use crate::source;
use crate::yaml::Document;

mod print;

use print::RawPrint;
pub use print::{PdfStandard, PrintSettings, logo_extension, parse_length_mm};

pub const CONFIG_FILE: &str = "site.yaml";

/// Index of a language in [`Config::languages`], and in every list kept language by language
/// beside them; cheap to copy and compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LangId(pub usize);

crate::ids::index_by!(LangId);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// The direction a language is written in when `site.yaml` does not say: the primary
    /// subtags of right-to-left scripts, and any tag with the Arabic script subtag.
    pub fn default_for(code: &str) -> Direction {
        const RTL: [&str; 10] = ["ar", "fa", "ur", "ps", "ckb", "he", "yi", "dv", "sd", "ug"];
        let mut subtags = code.split('-');
        let primary = subtags.next().unwrap_or("").to_ascii_lowercase();
        let arabic_script = subtags.any(|s| s.eq_ignore_ascii_case("arab"));
        if RTL.contains(&primary.as_str()) || arabic_script {
            Direction::Rtl
        } else {
            Direction::Ltr
        }
    }
}

#[derive(Debug, Clone)]
pub struct Language {
    /// The tag as configured (`zh-Hans`), used in `lang` attributes and file suffixes.
    pub code: String,
    /// The language's name in its own script.
    pub name: String,
    /// Its name in the site's default language, for pages staff use ("Farsi" beside فارسی).
    pub default_name: Option<String>,
    pub dir: Direction,
    /// Where its pages live under the site root: `""` for the default, `"zh-hans/"` otherwise.
    pub prefix: String,
    /// The languages whose texts stand in for this one's missing ones, nearest first, ending
    /// with the default language (empty for the default itself): `fa-AF` → `fa` → `en`.
    pub fallbacks: Vec<LangId>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Absolute, ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/toolkit/`. Every internal URL starts with it.
    pub base_path: String,
    pub default_language: LangId,
    pub languages: Vec<Language>,
    pub theme: String,
    pub print: PrintSettings,
    pub check: CheckConfig,
    pub exit_page: ExitPage,
    /// Sections for the people who run the site (`editors`): linked from the footer only, not
    /// from the menu or the home pages, and without "Exit this page".
    pub staff_sections: Vec<String>,
    /// Sections written for patients: first on each language's home page, and in each
    /// language's offline copy (a ZIP that works opened from disk).
    pub patient_sections: Vec<String>,
    pub extra: serde_yaml::Value,
}

/// `exit_page:` in site.yaml: the button that leaves the site at once (GOV.UK's "Exit this
/// page"), for a reader who may be watched.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExitPage {
    /// Where the button goes: an ordinary, busy site on another host. Never fetched before
    /// someone presses the button.
    pub url: String,
}

impl Default for ExitPage {
    fn default() -> Self {
        // GOV.UK's own choice for its component: neutral, fast and in every browser's history.
        ExitPage {
            url: "https://www.bbc.co.uk/weather".to_owned(),
        }
    }
}

/// `check:` in site.yaml: rules `check` applies to this site's content.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Sections (folders under content/, such as `guidance`) whose pages must end with a
    /// Sources list.
    #[serde(default)]
    pub sources_required: Vec<String>,
    /// Largest page (its HTML, stylesheets and scripts) and largest set of fonts one language's
    /// pages load, in kilobytes (1,000 bytes), before `check` warns.
    #[serde(default)]
    pub budget: Budget,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    #[serde(default = "Budget::default_page_kb")]
    pub page_kb: u64,
    #[serde(default = "Budget::default_fonts_kb")]
    pub fonts_kb: u64,
}

impl Budget {
    // A page of this toolkit weighs about 60 kB and Urdu's fonts 230 kB: room to grow, but a
    // page over these takes seconds on a slow 3G connection.
    fn default_page_kb() -> u64 {
        150
    }
    fn default_fonts_kb() -> u64 {
        300
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            page_kb: Budget::default_page_kb(),
            fonts_kb: Budget::default_fonts_kb(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    default_language: String,
    languages: Vec<RawLanguage>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    print: RawPrint,
    #[serde(default)]
    check: CheckConfig,
    #[serde(default)]
    exit_page: ExitPage,
    #[serde(default)]
    staff_sections: Vec<String>,
    #[serde(default)]
    patient_sections: Vec<String>,
    #[serde(default)]
    extra: serde_yaml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    code: String,
    name: String,
    #[serde(default)]
    default_name: Option<String>,
    #[serde(default)]
    dir: Option<Direction>,
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|err| {
            vec![
                Diagnostic::error(
                    Stage::Config,
                    format!("cannot read {CONFIG_FILE} in {}: {err}", root.display()),
                )
                .with_help("run the command in the site folder, or pass --root <folder>"),
            ]
        })?;
        let text = source::decode(&bytes, CONFIG_FILE, Stage::Config).map_err(|d| vec![d])?;
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut raw: RawConfig = Document {
            file: CONFIG_FILE,
            file_source: text,
            yaml: text,
            first_line: 1,
            stage: Stage::Config,
            what: CONFIG_FILE,
        }
        .parse()
        .map_err(|d| vec![d])?;

        let mut errors = Vec::new();
        let problem = |needle: &str, message: String, help: &str| {
            let (line, col) = find_line(text, needle).unwrap_or((1, 1));
            Diagnostic::error(Stage::Config, message)
                .at(CONFIG_FILE, Some(text), line, col)
                .with_help(help)
        };

        let (base_url, base_path) = match split_base_url(&raw.base_url) {
            Some(parts) => parts,
            None => {
                errors.push(problem(
                    "base_url",
                    format!("base_url `{}` is not an absolute web address", raw.base_url),
                    "write the full address, such as https://example.org/ or https://example.org/toolkit/",
                ));
                (String::from("/"), String::from("/"))
            }
        };

        let languages = languages(std::mem::take(&mut raw.languages), &problem, &mut errors);
        let Some(default_language) =
            default_language(&languages, &raw.default_language, &problem, &mut errors)
        else {
            return Err(errors);
        };
        let languages = with_fallbacks(languages, default_language);

        let theme = raw.theme.take().unwrap_or_else(|| "default".to_owned());
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            errors.push(problem(
                "theme",
                format!("theme `{theme}` is not a folder name"),
                "name a folder inside themes/, such as default",
            ));
        }

        let print = print::settings(std::mem::take(&mut raw.print), &problem, &mut errors);

        check_places(&raw, &problem, &mut errors);

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            title: raw.title,
            base_url,
            base_path,
            default_language,
            languages,
            theme,
            print,
            check: raw.check,
            exit_page: raw.exit_page,
            staff_sections: raw.staff_sections,
            patient_sections: raw.patient_sections,
            extra: raw.extra,
        })
    }

    /// The host of `base_url` when it is one that can never be a public site (RFC 2606 and
    /// RFC 6761: `example`, `test`, `invalid`, `localhost` and the `example.*` domains, or a
    /// loopback address), as sites copied from an example or built for testing have.
    pub fn placeholder_host(&self) -> Option<&str> {
        let rest = self
            .base_url
            .strip_prefix("https://")
            .or_else(|| self.base_url.strip_prefix("http://"))?;
        let authority = rest.split('/').next().unwrap_or(rest);
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = match host.strip_prefix('[') {
            Some(ipv6) => ipv6.split(']').next().unwrap_or(ipv6),
            None => host.split(':').next().unwrap_or(host),
        };
        let lower = host.trim_end_matches('.').to_ascii_lowercase();
        let tld = lower.rsplit('.').next().unwrap_or(&lower);
        let reserved_tld = ["example", "test", "invalid", "localhost", "local"].contains(&tld);
        let example_domain = ["example.com", "example.net", "example.org"]
            .iter()
            .any(|d| lower == *d || lower.ends_with(&format!(".{d}")));
        let loopback = lower
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
        (reserved_tld || example_domain || loopback).then_some(host)
    }

    pub fn language(&self, id: LangId) -> &Language {
        &self.languages[id]
    }

    /// Every language's id, in site.yaml's order.
    pub fn language_ids(&self) -> impl Iterator<Item = LangId> + use<> {
        (0..self.languages.len()).map(LangId)
    }

    /// Every language with its id, in site.yaml's order.
    pub fn each_language(&self) -> impl Iterator<Item = (LangId, &Language)> {
        self.languages
            .iter()
            .enumerate()
            .map(|(i, l)| (LangId(i), l))
    }

    /// The language whose code matches `code` without regard to case.
    pub fn find_language(&self, code: &str) -> Option<LangId> {
        self.languages
            .iter()
            .position(|l| l.code.eq_ignore_ascii_case(code))
            .map(LangId)
    }

    pub fn language_codes(&self) -> String {
        let codes: Vec<&str> = self.languages.iter().map(|l| l.code.as_str()).collect();
        codes.join(", ")
    }

    /// Root-relative URL (with the base path) of a site path such as `guidance/x/`.
    /// `base_url` without its path (`https://example.org`): what root-relative URLs such as
    /// `/guidance/` are relative to.
    pub fn origin(&self) -> &str {
        &self.base_url[..self.base_url.len() - self.base_path.len()]
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// Absolute URL of a site path, for feeds, sitemaps and hreflang.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

/// The host of an absolute http(s) address.
fn url_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !url.contains(char::is_whitespace)).then_some(host)
}

/// `problem(needle, message, help)`: an error at the first line of site.yaml holding `needle`.
trait Problem: Fn(&str, String, &str) -> Diagnostic {}
impl<F: Fn(&str, String, &str) -> Diagnostic> Problem for F {}

/// The languages listed, each checked; those with a bad tag or listed twice are left out.
fn languages(
    raw: Vec<RawLanguage>,
    problem: &impl Problem,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let mut languages: Vec<Language> = Vec::with_capacity(raw.len());
    for lang in raw {
        if !is_language_tag(&lang.code) {
            errors.push(problem(
                &lang.code,
                format!("`{}` is not a language tag", lang.code),
                "use a BCP 47 tag such as en, ar, fa-AF, zh-Hant or pt-BR",
            ));
            continue;
        }
        if languages
            .iter()
            .any(|l| l.code.eq_ignore_ascii_case(&lang.code))
        {
            errors.push(problem(
                &lang.code,
                format!("language `{}` is listed twice", lang.code),
                "remove one of the two entries",
            ));
            continue;
        }
        if lang.name.trim().is_empty() {
            errors.push(problem(
                &lang.code,
                format!("language `{}` has an empty name", lang.code),
                "give the language's name in its own script, such as العربية for ar",
            ));
        }
        languages.push(Language {
            dir: lang
                .dir
                .unwrap_or_else(|| Direction::default_for(&lang.code)),
            prefix: String::new(),
            fallbacks: Vec::new(),
            code: lang.code,
            name: lang.name,
            default_name: lang.default_name.filter(|n| !n.trim().is_empty()),
        });
    }
    languages
}

/// The index of `wanted` among `languages`, or an error naming those there are.
fn default_language(
    languages: &[Language],
    wanted: &str,
    problem: &impl Problem,
    errors: &mut Vec<Diagnostic>,
) -> Option<LangId> {
    let default_language = languages
        .iter()
        .position(|l| l.code.eq_ignore_ascii_case(wanted))
        .map(LangId);
    if default_language.is_none() {
        let known: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        errors.push(problem(
            "default_language",
            format!("default_language `{}` is not one of the languages", wanted),
            &format!(
                "{}add it to languages, or choose one of: {}",
                crate::suggest::did_you_mean(wanted, known.iter().copied()),
                known.join(", ")
            ),
        ));
    }
    default_language
}

/// Each language with its URL prefix and its fallback chain (see [`crate::locale`]).
fn with_fallbacks(mut languages: Vec<Language>, default_language: LangId) -> Vec<Language> {
    let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
    let chains = crate::locale::fallback_chains(&codes, default_language.index());
    for (id, (lang, chain)) in languages.iter_mut().zip(chains).enumerate() {
        if LangId(id) != default_language {
            lang.prefix = format!("{}/", lang.code.to_ascii_lowercase());
        }
        lang.fallbacks = chain.into_iter().map(LangId).collect();
    }
    languages
}

/// The exit page is another site, and every section the settings name is a folder name.
fn check_places(raw: &RawConfig, problem: &impl Problem, errors: &mut Vec<Diagnostic>) {
    let exit_host = url_host(&raw.exit_page.url);
    if exit_host.is_none() || exit_host == url_host(&raw.base_url) {
        errors.push(problem(
            "exit_page",
            format!(
                "exit_page url `{}` is not the full address of another site",
                raw.exit_page.url
            ),
            "write the address of an ordinary, busy site, such as https://www.bbc.co.uk/weather",
        ));
    }

    let listed = raw
        .check
        .sources_required
        .iter()
        .map(|s| ("sources_required", s))
        .chain(raw.staff_sections.iter().map(|s| ("staff_sections", s)))
        .chain(raw.patient_sections.iter().map(|s| ("patient_sections", s)));
    for (key, section) in listed {
        let clean = !section.is_empty()
            && section
                .split('/')
                .all(|part| !part.is_empty() && !part.starts_with('.'));
        if !clean {
            errors.push(problem(
                section,
                format!("`{section}` in {key} is not a section folder"),
                "name a folder under content/ as the site's links do, such as guidance",
            ));
        }
    }
}

/// `https://host/a/b` -> (`https://host/a/b/`, `/a/b/`).
fn split_base_url(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(char::is_whitespace) || path.contains(['?', '#']) {
        return None;
    }
    let path = path.trim_end_matches('/');
    let base_path = if path.is_empty() {
        "/".to_owned()
    } else {
        format!("/{path}/")
    };
    let scheme_len = url.len() - rest.len();
    Some((
        format!("{}{host}{base_path}", &url[..scheme_len]),
        base_path,
    ))
}

/// BCP 47 in the shape sites use: a 2-3 letter primary subtag, then subtags of 2-8 letters or
/// digits (script `Hant`, region `BR` or `419`, variants).
pub fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_defaults_from_the_code() {
        for rtl in [
            "ar", "fa-AF", "ur", "ps", "ckb", "he", "yi", "dv", "sd", "ug", "pa-Arab", "ku-arab",
        ] {
            assert_eq!(Direction::default_for(rtl), Direction::Rtl, "{rtl}");
        }
        for ltr in ["en", "pa", "zh-Hant", "pt-BR", "ti", "arn"] {
            assert_eq!(Direction::default_for(ltr), Direction::Ltr, "{ltr}");
        }
    }

    #[test]
    fn base_url_path_is_kept() {
        assert_eq!(
            split_base_url("https://example.org/toolkit"),
            Some(("https://example.org/toolkit/".into(), "/toolkit/".into()))
        );
        assert_eq!(
            split_base_url("http://example.org"),
            Some(("http://example.org/".into(), "/".into()))
        );
        assert_eq!(split_base_url("example.org"), None);
    }

    #[test]
    fn placeholder_hosts_are_told_from_real_ones() {
        let host = |url: &str| {
            Config::parse(&format!(
                "title: T\nbase_url: {url}\ndefault_language: en\nlanguages:\n  - {{code: en, name: English}}\n"
            ))
            .map(|c| c.placeholder_host().map(str::to_owned))
            .unwrap_or_else(|e| panic!("{e:?}"))
        };
        for placeholder in [
            "https://safesurgeries.example/",
            "https://example.org/toolkit/",
            "http://localhost:1111/",
            "https://site.test",
            "https://www.example.com/",
            "http://127.0.0.1:8000/",
        ] {
            assert!(host(placeholder).is_some(), "{placeholder}");
        }
        for real in [
            "https://www.safesurgeries.org.uk/",
            "https://examples.org/",
            "https://nhs.uk/",
        ] {
            assert_eq!(host(real), None, "{real}");
        }
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("zh-Hant"));
        assert!(is_language_tag("es-419"));
        assert!(!is_language_tag("english"));
        assert!(!is_language_tag("e"));
        assert!(!is_language_tag("en_GB"));
    }

    #[test]
    fn prefixes_are_lower_case_and_default_is_root() {
        let config = Config::parse(
            "title: T\nbase_url: https://x.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: zh-Hant, name: 繁體中文}\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(config.languages[0].prefix, "");
        assert_eq!(config.languages[1].prefix, "zh-hant/");
    }

    #[test]
    fn unknown_language_in_default_is_an_error() {
        let errors = Config::parse(
            "title: T\nbase_url: https://x.org/\ndefault_language: de\nlanguages:\n  - {code: en, name: English}\n",
        )
        .err()
        .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].span.as_ref().map(|s| s.line), Some(3));
    }
}
