//! `safe-surgeries new`: files for editors to start from, with correct front matter.
//!
//! - `new page <section>/<slug>` writes `content/<section>/<slug>.md` with a title made from the
//!   slug, an empty description (which `check` reports until it is written) and today's date.
//! - `new translation <file> <lang>` copies a default-language page to `<name>.<lang>.md` beside
//!   it, marked `translation: draft` and recording its source's hash (see [`crate::freshness`]),
//!   so it starts as a current draft.
//!
//! Neither ever overwrites a file.

use std::path::{Path, PathBuf};

use crate::config::{Config, LangId};
use crate::content::file_name::MarkdownName;
use crate::content::{CONTENT_DIR, TranslationStatus};
use crate::diagnostics::{Diagnostic, Stage};
use crate::edit;
use crate::freshness::KEY;

/// Creates `content/<section>/<slug>.md`. Returns what to tell the editor.
pub fn page(root: &Path, target: &str) -> Result<String, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let one = |d: Diagnostic| vec![d];
    let content = root.join(CONTENT_DIR);
    let (section, slug) = section_and_slug(target, &content, &config).map_err(one)?;
    let folder = section_folder(&content, &section, &config).map_err(one)?;
    let shown = format!("{CONTENT_DIR}/{section}/{slug}.md");
    not_taken(&folder, &section, &slug, &shown, &config).map_err(one)?;
    let text = format!(
        "---\ntitle: {}\n# One sentence for listings and search engines: `check` lists pages without one.\ndescription:\ndate: {}\n---\n\nWrite the page here. See the editors' guide, content/editors/, for how to write for this site.\n",
        yaml_text(&title_of(&slug)),
        today()
    );
    create(&folder.join(format!("{slug}.md")), &shown, &text).map_err(one)?;
    Ok(format!(
        "created {shown}: write its description and text, then run `safe-surgeries build`"
    ))
}

/// The section and slug `new page` was given, written `<section>/<slug>` however an editor
/// may have typed it (with `content/` or `.md`, or backslashes); the slug checked.
fn section_and_slug(
    target: &str,
    content: &Path,
    config: &Config,
) -> Result<(String, String), Diagnostic> {
    let target = target.trim().replace('\\', "/");
    let target = target
        .strip_prefix(&format!("{CONTENT_DIR}/"))
        .unwrap_or(&target);
    let target = target.strip_suffix(".md").unwrap_or(target);
    let Some((section, slug)) = target.rsplit_once('/') else {
        return Err(Diagnostic::error(
            Stage::Content,
            format!("`{target}` names no section: write it as <section>/<slug>"),
        )
        .with_help(format!(
            "such as guidance/{target}; {}",
            sections_named(content, config)
        )));
    };
    if let Err(problem) = check_slug(slug) {
        return Err(Diagnostic::error(
            Stage::Content,
            format!("`{slug}` cannot be a page's name: it {problem}"),
        )
        .with_help(
            "use lowercase letters a to z, digits and hyphens between words, such as registering-patients",
        ));
    }
    Ok((section.to_owned(), slug.to_owned()))
}

/// The folder of `section`, which must be a section already: a new page does not make one,
/// as a section needs a title of its own.
fn section_folder(content: &Path, section: &str, config: &Config) -> Result<PathBuf, Diagnostic> {
    let folder_ok = section
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.starts_with('.'));
    let folder = content.join(section);
    if !folder_ok || !folder.is_dir() || !is_section(&folder, config) {
        let what = if folder_ok && folder.is_dir() {
            format!("{CONTENT_DIR}/{section}/ is not a section: it has no _index.md")
        } else {
            format!("there is no section {CONTENT_DIR}/{section}/")
        };
        return Err(Diagnostic::error(Stage::Content, what).with_help(format!(
            "{}; to start a new section, create {CONTENT_DIR}/<section>/_index.md with a title",
            sections_named(content, config)
        )));
    }
    Ok(folder)
}

/// Refuses a name a page already has, in any spelling of its file, or a folder (a page
/// bundle) has.
fn not_taken(
    folder: &Path,
    section: &str,
    slug: &str,
    shown: &str,
    config: &Config,
) -> Result<(), Diagnostic> {
    let taken = edit::version_in(folder, slug, config.default_language, config)
        .map(|p| edit::sibling_shown(shown, &p))
        .or_else(|| {
            folder
                .join(slug)
                .exists()
                .then(|| format!("{CONTENT_DIR}/{section}/{slug}/"))
        });
    let Some(existing) = taken else {
        return Ok(());
    };
    let message = if existing == shown {
        format!("{shown} already exists")
    } else {
        format!("{existing} already exists, so {shown} was not created")
    };
    Err(Diagnostic::error(Stage::Content, message)
        .at(&existing, None, 1, 1)
        .with_help("edit that page, or choose another name for the new one"))
}

/// The site's sections, listed for a message that asks for one.
fn sections_named(content: &Path, config: &Config) -> String {
    let list = sections(content, config);
    if list.is_empty() {
        "there are no sections yet: a section is a folder of content/ with an _index.md".to_owned()
    } else {
        format!("the sections are: {}", list.join(", "))
    }
}

/// Creates the `lang` translation of the default-language page `file`, beside it. Returns what
/// to tell the editor.
pub fn translation(root: &Path, file: &Path, lang: &str) -> Result<String, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let one = |d: Diagnostic| vec![d];
    let source = edit::locate(root, file).map_err(one)?;
    let name = edit::name_of(&source, &config).map_err(one)?;
    from_default_language(&source, &name, &config).map_err(one)?;
    let target_lang = target_language(lang, &config).map_err(one)?;
    let language = config.language(target_lang);
    let target_name = format!("{}.{}.md", name.stem, language.code);
    let shown = edit::sibling_shown(&source.shown, Path::new(&target_name));
    not_translated(&source, &name, target_lang, &config).map_err(one)?;
    let read = edit::read_page(&source.path, &source.shown).map_err(|d| {
        one(d.with_help("fix this error in the page first, then run the command again"))
    })?;
    let text = draft_copy(&read.raw, &read.hash, &shown).map_err(one)?;
    create(&source.folder().join(&target_name), &shown, &text).map_err(one)?;
    Ok(format!(
        "created {shown}, a draft translation of {} into {} ({}): translate its title, description and text; `translation: draft` tells readers it is not checked yet",
        source.shown, language.name, language.code
    ))
}

/// Refuses a source that is itself a translation, naming the default-language page to give
/// instead: translations are made from that one.
fn from_default_language(
    source: &edit::ContentFile,
    name: &MarkdownName,
    config: &Config,
) -> Result<(), Diagnostic> {
    if name.lang == config.default_language {
        return Ok(());
    }
    let default = config.language(config.default_language);
    let source_name =
        edit::version_in(source.folder(), &name.stem, config.default_language, config).map_or_else(
            || format!("{}.md", name.stem),
            |p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            },
        );
    Err(Diagnostic::error(
        Stage::Content,
        format!(
            "{} is itself a translation ({}): translations are made from the {} page",
            source.shown,
            config.language(name.lang).name,
            default.name
        ),
    )
    .at(&source.shown, None, 1, 1)
    .with_help(format!(
        "give the {} page, {}",
        default.name,
        edit::sibling_shown(&source.shown, Path::new(&source_name))
    )))
}

/// The language `lang` names: one of the site's, and not the default language, which pages
/// are written in.
fn target_language(lang: &str, config: &Config) -> Result<LangId, Diagnostic> {
    let default = config.language(config.default_language);
    let others: Vec<&str> = config
        .each_language()
        .filter(|(id, _)| *id != config.default_language)
        .map(|(_, l)| l.code.as_str())
        .collect();
    let Some(target_lang) = config.find_language(lang.trim()) else {
        return Err(Diagnostic::error(
            Stage::Config,
            format!("`{lang}` is not one of the site's languages"),
        )
        .with_help(format!(
            "{}use one of the codes in site.yaml: {}; to add a language, add it to \
                 `languages:` in site.yaml",
            crate::suggest::did_you_mean(lang.trim(), others.iter().copied()),
            others.join(", ")
        )));
    };
    if target_lang == config.default_language {
        return Err(Diagnostic::error(
            Stage::Config,
            format!(
                "`{lang}` is the site's default language ({}), which pages are written in",
                default.name
            ),
        )
        .with_help(format!("translate into one of: {}", others.join(", "))));
    }
    Ok(target_lang)
}

/// Refuses a page that has a translation into `target_lang` already, in any spelling of its
/// file: the editor is sent to that one.
fn not_translated(
    source: &edit::ContentFile,
    name: &MarkdownName,
    target_lang: LangId,
    config: &Config,
) -> Result<(), Diagnostic> {
    let Some(existing) = edit::version_in(source.folder(), &name.stem, target_lang, config) else {
        return Ok(());
    };
    let default = config.language(config.default_language);
    let language = config.language(target_lang);
    let existing = edit::sibling_shown(&source.shown, &existing);
    Err(Diagnostic::error(
        Stage::Content,
        format!(
            "{existing} already exists: {} already has a translation into {} ({})",
            source.shown, language.name, language.code
        ),
    )
    .at(&existing, None, 1, 1)
    .with_help(format!(
        "edit it; when it matches the {} page again, run `safe-surgeries translate mark-current {existing}`",
        default.name
    )))
}

/// The new translation's text: a copy of the source (`raw`, whose hash is `hash`), byte for
/// byte but for a few keys, checked to read back as a current draft before it is written.
fn draft_copy(raw: &str, hash: &str, shown: &str) -> Result<String, Diagnostic> {
    // Aliases stay with the source (two versions claiming one old address is a build error);
    // a printable item's template and paper sizes too, which translations inherit, so that
    // changing them in the source changes them everywhere; and the copy is a draft that
    // records which version of the source it starts from.
    let text = edit::remove_key(raw, "aliases")
        .and_then(|t| edit::remove_child(&t, "print", "template"))
        .and_then(|t| edit::remove_child(&t, "print", "formats"))
        .and_then(|t| edit::set_key(&t, "translation", "draft"))
        .and_then(|t| edit::set_key(&t, KEY, &edit::quoted(hash)))
        .unwrap_or_default();
    edit::verify(&text, shown, |front| {
        front.translation == Some(TranslationStatus::Draft)
            && front.source_hash.as_deref() == Some(hash)
            && front.aliases.is_empty()
    })?;
    Ok(text)
}

/// Writes a new file, failing rather than replacing one that appeared in the meantime.
fn create(path: &Path, shown: &str, text: &str) -> Result<(), Diagnostic> {
    crate::whole_file::create(path, text).map_err(|err| {
        if err.kind() == std::io::ErrorKind::AlreadyExists {
            Diagnostic::error(Stage::Output, format!("cannot create {shown}: it exists"))
                .at(shown, None, 1, 1)
                .with_help("it was not replaced: edit it, or choose another name")
        } else {
            crate::whole_file::not_created(shown, &err)
        }
    })
}

/// Page names `new page` accepts: what a file name may be and an address shows plainly, without
/// dots (which could read as a language suffix) or capitals (which addresses do not keep
/// apart on every server). `index` would make the folder a page bundle.
fn check_slug(slug: &str) -> Result<(), &'static str> {
    if slug.is_empty() {
        Err("is empty")
    } else if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Err("has characters other than lowercase letters a to z, digits and hyphens")
    } else if slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        Err("has a hyphen at an end or two together")
    } else if slug == "index" {
        Err("is the name of a page bundle's own file")
    } else {
        Ok(())
    }
}

/// Whether `folder` has a section page in the default language (`_index.md`).
fn is_section(folder: &Path, config: &Config) -> bool {
    edit::version_in(folder, "_index", config.default_language, config).is_some()
}

/// The sections under `content/`, as `guidance` or `guidance/forms`, for messages.
fn sections(content: &Path, config: &Config) -> Vec<String> {
    let mut list: Vec<String> = walkdir::WalkDir::new(content)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
        .filter(|e| e.file_type().is_dir() && is_section(e.path(), config))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(content).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    list.sort();
    list
}

/// `registering-patients` -> `Registering patients`.
fn title_of(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// `text` as a YAML value: plain where YAML reads it back as the same text, quoted where it
/// would read as something else (`2024`, `yes`, `null`).
fn yaml_text(text: &str) -> String {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::String(s)) if s == text => text.to_owned(),
        _ => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

/// Today in UTC as YYYY-MM-DD; `SOURCE_DATE_EPOCH` (seconds), where set, stands for the clock,
/// as in reproducible builds, so that tests can fix the day.
pub(crate) fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        });
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`):
/// counted in 400-year eras of 146,097 days, each starting on 1 March so that the leap day
/// falls at the end of a year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], from March
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are in range by construction.
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_416), (2025, 11, 24));
        assert_eq!(civil_from_days(47_541), (2100, 3, 1));
    }

    #[test]
    fn slugs_and_titles() {
        assert!(check_slug("registering-patients").is_ok());
        assert!(check_slug("nhs-111").is_ok());
        for bad in [
            "",
            "Caps",
            "under_score",
            "dot.ted",
            "-edge",
            "two--hyphens",
            "index",
            "é",
        ] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert_eq!(title_of("registering-patients"), "Registering patients");
        assert_eq!(yaml_text("Registering patients"), "Registering patients");
        assert_eq!(yaml_text("111"), "\"111\"");
        assert_eq!(yaml_text("True"), "\"True\"");
        assert_eq!(yaml_text("Yes"), "Yes");
    }
}
