//! `translate import`: PO files back into translated pages and their records.
//!
//! Everything is worked out before anything is written: one segment that lost a link, a
//! PO file for a page that is not there, and no file changes at all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::record::{self, Made, Record};
use super::segments::{Kind, Segment, Segmented};
use super::{Planned, Project, aligned, interface, po, protected, segmented, write, write_all};
use crate::content::front_matter::TranslationStatus;
use crate::diagnostics::{Diagnostic, Stage};

/// The share of a page, in per cent, that must be translated before a new translation of it
/// is written.
const NEW_PAGE_SHARE: usize = 80;

pub fn run(root: &Path, files: &[PathBuf]) -> Result<Vec<String>, Vec<Diagnostic>> {
    let project = Project::load(root)?;
    let mut planned = Vec::new();
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match plan(&project, file) {
            Ok((files, said)) => {
                planned.extend(files);
                lines.extend(said);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        errors.push(
            Diagnostic::error(
                Stage::Translate,
                "nothing was imported, because of the problems above",
            )
            .with_help(
                "fix them in the PO file (or leave that file out) and run the command again",
            ),
        );
        return Err(errors);
    }
    write_all(root, &planned)?;
    Ok(lines)
}

/// A file from a translator, read: its text, its entries, the language and the page.
struct Exchange {
    shown: String,
    text: String,
    read: po::Read,
    lang: crate::config::LangId,
    page_key: String,
}

fn plan(project: &Project, file: &Path) -> Result<(Vec<Planned>, Vec<String>), Vec<Diagnostic>> {
    let exchange = read_exchange(project, file)?;
    if exchange.page_key == po::INTERFACE {
        let Exchange {
            shown,
            text,
            read,
            lang,
            ..
        } = &exchange;
        return interface::plan_import(project, *lang, shown, text, read);
    }
    plan_page(project, &exchange)
}

/// Reads a PO or XLIFF file, and which language and page it is for: from its header, else
/// from the path `translate export` gave it (tools that convert a file, to XLIFF and back, may
/// drop the header's own fields).
fn read_exchange(project: &Project, file: &Path) -> Result<Exchange, Vec<Diagnostic>> {
    let shown = file.display().to_string();
    let one = |d: Diagnostic| vec![d];
    // A path from the current folder, else from the site's.
    let file = if file.exists() || file.is_absolute() {
        file.to_owned()
    } else {
        project.root.join(file)
    };
    let text = std::fs::read_to_string(&file).map_err(|err| {
        one(
            Diagnostic::error(Stage::Translate, format!("cannot read {shown}: {err}"))
                .with_help("give the path of a PO file that `translate export` wrote"),
        )
    })?;
    let xliff = file.extension().is_some_and(|e| e == "xlf" || e == "xliff");
    let read = if xliff {
        super::xliff::read(&shown, &text)
    } else {
        po::read(&shown, &text)
    }
    .map_err(one)?;
    let header_error = |what: &str, field: &str| {
        one(Diagnostic::error(
            Stage::Translate,
            format!("{shown} does not say {what}: its header has no `{field}` line"),
        )
        .at(&shown, Some(&text), 1, 1)
        .with_help("import the file `translate export` wrote, translated; its header names the page and the language"))
    };
    let from_path = from_path(project, &file);
    let given = |v: &Option<String>| v.clone().filter(|c| !c.trim().is_empty());
    let Some(code) = given(&read.language).or_else(|| from_path.clone().map(|(c, _)| c)) else {
        return Err(header_error("its language", "Language"));
    };
    let Some(page_key) = given(&read.page).or_else(|| from_path.map(|(_, k)| k)) else {
        return Err(header_error("which page it holds", po::PAGE_FIELD));
    };
    let lang = project
        .target(&code)
        .map_err(|d| one(d.at(&shown, Some(&text), 1, 1)))?;
    Ok(Exchange {
        shown,
        text,
        read,
        lang,
        page_key,
    })
}

/// The translations of a file, checked, by English segment id.
#[derive(Default)]
struct Matched {
    translated: HashMap<String, String>,
    /// The English each translated segment was made from.
    made: HashMap<String, String>,
    /// Entries for text the English page no longer has.
    dropped: Vec<String>,
    fuzzy: usize,
}

/// Finds each entry's segment, by id, or (for entries without a context: translate-toolkit's
/// XLIFF round trip drops `msgctxt`) by its English, each segment once, in order; and checks
/// that each translation kept what must stay as it is.
fn match_entries(
    exchange: &Exchange,
    english: &Segmented,
    old_made: &HashMap<&str, &str>,
) -> Result<Matched, Vec<Diagnostic>> {
    let by_id: HashMap<&str, &Segment> = english
        .segments
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    let mut unclaimed: Vec<&Segment> = english.segments.iter().collect();
    let mut matched = Matched::default();
    let mut errors = Vec::new();
    for entry in &exchange.read.entries {
        let found = if entry.id.is_empty() {
            unclaimed
                .iter()
                .position(|s| s.text == entry.english)
                .map(|i| unclaimed.remove(i))
        } else {
            by_id.get(entry.id.as_str()).copied()
        };
        let Some(segment) = found else {
            if !entry.translation.trim().is_empty() {
                let name = if entry.id.is_empty() {
                    &entry.english
                } else {
                    &entry.id
                };
                matched.dropped.push(format!("line {}: {name}", entry.line));
            }
            continue;
        };
        unclaimed.retain(|s| s.id != segment.id);
        let translation = entry.translation.trim();
        if translation.is_empty() {
            continue;
        }
        let heading = segment.kind == Kind::Heading;
        let (lost, added) = protected::compare(&segment.text, translation, heading);
        if !lost.is_empty() || !added.is_empty() {
            let changed = entry.english != segment.text;
            let at = (exchange.shown.as_str(), exchange.text.as_str(), entry.line);
            errors.push(damage(at, &segment.id, &lost, &added, changed));
            continue;
        }
        matched
            .translated
            .insert(segment.id.clone(), translation.to_owned());
        let from = if entry.fuzzy {
            matched.fuzzy += 1;
            entry
                .previous
                .clone()
                .or_else(|| old_made.get(segment.id.as_str()).map(|s| (*s).to_owned()))
                .unwrap_or_default()
        } else {
            entry.english.clone()
        };
        matched.made.insert(segment.id.clone(), from);
    }
    if errors.is_empty() {
        Ok(matched)
    } else {
        Err(errors)
    }
}

/// Every segment's text for the page (its new translation, else the one it has, else the
/// English) and the record of what each was translated from; with how many are untranslated.
fn compose(
    english: &Segmented,
    matched: &Matched,
    existing: &HashMap<String, String>,
    old_made: &HashMap<&str, &str>,
) -> (HashMap<String, String>, Record, usize) {
    let mut texts = HashMap::new();
    let mut record = Record::default();
    let mut untranslated = 0;
    for segment in &english.segments {
        let (text, from) = match matched.translated.get(&segment.id) {
            Some(t) => (t.clone(), matched.made.get(&segment.id).cloned()),
            None => match existing.get(&segment.id) {
                Some(t) => (
                    t.clone(),
                    old_made.get(segment.id.as_str()).map(|s| (*s).to_owned()),
                ),
                None => {
                    untranslated += 1;
                    (segment.text.clone(), None)
                }
            },
        };
        if let Some(from) = from {
            record.segments.push(Made {
                id: segment.id.clone(),
                english: from,
            });
        }
        texts.insert(segment.id.clone(), text);
    }
    (texts, record, untranslated)
}

/// The translated page and its record, worked out from a translator's file.
fn plan_page(
    project: &Project,
    exchange: &Exchange,
) -> Result<(Vec<Planned>, Vec<String>), Vec<Diagnostic>> {
    let one = |d: Diagnostic| vec![d];
    let basis = basis(project, exchange).map_err(one)?;
    let old_made = basis.old_record.english_of();
    let matched = match_entries(exchange, &basis.english, &old_made)?;
    if let Some(said) = held_back(exchange, &basis, &matched).map_err(one)? {
        return Ok((Vec::new(), vec![said]));
    }
    let (texts, record, untranslated) =
        compose(&basis.english, &matched, &basis.existing, &old_made);
    let total = basis.english.segments.len();
    let current = current(&basis.english, &record);
    let target_file = target_file(basis.source, basis.existing_page, basis.code);
    let page_text = page_text(&basis, &texts, current == total, &target_file).map_err(one)?;

    let said = summary(
        exchange,
        &target_file,
        &matched,
        (total, current, untranslated),
    );
    let planned = vec![
        Planned {
            file: target_file.clone(),
            text: page_text,
        },
        Planned {
            file: basis.record_path.display().to_string(),
            text: record::to_text(&record, &target_file),
        },
    ];
    Ok((planned, said))
}

/// What a page's import starts from: the English page in segments, the translation the page
/// has (if any) with its text by English segment, and the record of what that was made from.
struct Basis<'a> {
    source: &'a crate::content::Page,
    english: Segmented,
    existing_page: Option<&'a crate::content::Page>,
    existing: HashMap<String, String>,
    /// The language's code, which names the translation's file and its record.
    code: &'a str,
    record_path: PathBuf,
    old_record: Record,
}

/// The pages and record a file is for: refused when the English page is gone, as a renamed
/// page's translations have nowhere to go.
fn basis<'a>(project: &'a Project, exchange: &Exchange) -> Result<Basis<'a>, Diagnostic> {
    let Exchange {
        shown,
        text,
        lang,
        page_key,
        ..
    } = exchange;
    let Some(source) = project.version(page_key, project.config.default_language) else {
        return Err(Diagnostic::error(
            Stage::Translate,
            format!("{shown} is for the page {page_key}, which this site no longer has"),
        )
        .at(shown, Some(text), 1, 1)
        .with_help("if the page was renamed, export it again and copy the translations across"));
    };
    let english = segmented(source);
    let code = project.config.language(*lang).code.as_str();
    let existing_page = project.version(page_key, *lang);
    let existing = existing_page
        .map(|t| aligned(&english, &segmented(t)))
        .unwrap_or_default();
    let record_path = record::path(page_key, code);
    let old_record = record::load(&project.root, &record_path)?.unwrap_or_default();
    Ok(Basis {
        source,
        english,
        existing_page,
        existing,
        code,
        record_path,
        old_record,
    })
}

/// Why the file writes nothing, when it does not: a new translation too little of which is
/// translated, or a file that changes nothing of a translation whose paragraphs do not match
/// the English (one that would change something there is refused instead).
fn held_back(
    exchange: &Exchange,
    basis: &Basis,
    matched: &Matched,
) -> Result<Option<String>, Diagnostic> {
    let shown = &exchange.shown;
    // A page is published in a language once most of it is translated, as po4a does: less,
    // and readers would get an English page labelled as theirs.
    let total = basis.english.segments.len();
    if basis.existing_page.is_none() && matched.translated.len() * 100 < total * NEW_PAGE_SHARE {
        return Ok(Some(format!(
            "{shown}: no translation written yet: {} of {total} segments are translated, and a new translation is written once {NEW_PAGE_SHARE}% of it is; the translations stay in the PO file",
            matched.translated.len(),
        )));
    }
    if let Some(page) = basis.existing_page
        && let Err(lost) = lost_text(page, &basis.existing)
    {
        // A file that changes nothing is no reason to fail the others with it: exported from a
        // hand-made translation and sent back as it was, it is skipped, and said so.
        let changes_nothing = matched
            .translated
            .iter()
            .all(|(id, t)| basis.existing.get(id) == Some(t));
        if !changes_nothing {
            return Err(lost);
        }
        return Ok(Some(format!(
            "{shown}: nothing imported: it changes no translation of {}, whose paragraphs do not match the English page one to one",
            page.file
        )));
    }
    Ok(None)
}

/// How many segments' translations were made from the English the page has now: when all
/// are, the page is marked current.
fn current(english: &Segmented, record: &Record) -> usize {
    let now: HashMap<&str, &str> = english
        .segments
        .iter()
        .map(|s| (s.id.as_str(), s.text.as_str()))
        .collect();
    record
        .segments
        .iter()
        .filter(|m| now.get(m.id.as_str()) == Some(&m.english.as_str()))
        .count()
}

/// The translation's new text, checked to read back as a page. A reviewed translation stays
/// reviewed only if the import changes none of its text.
fn page_text(
    basis: &Basis,
    texts: &HashMap<String, String>,
    all_current: bool,
    target_file: &str,
) -> Result<String, Diagnostic> {
    let Basis {
        source,
        english,
        existing_page,
        existing,
        ..
    } = basis;
    let unchanged = english
        .segments
        .iter()
        .all(|s| existing.get(&s.id) == texts.get(&s.id));
    let keep_reviewed = unchanged
        && existing_page.is_some_and(|p| p.front.translation == Some(TranslationStatus::Reviewed));
    let kept = existing_page
        .map(|page| kept_as_written(english, page, texts))
        .unwrap_or_default();
    let written = write::Written {
        source,
        segmented: english,
        texts,
        kept: &kept,
        existing: existing_page.map(|p| p.source.as_str()),
        existing_front: existing_page.map(|p| &p.front),
        source_hash: all_current.then(|| crate::freshness::hash(&source.front, source.body())),
        keep_reviewed,
    };
    let page_text = write::page(&written).ok_or_else(|| {
        Diagnostic::error(
            Stage::Translate,
            format!("could not write {target_file}: its front matter could not be read"),
        )
    })?;
    crate::edit::verify(&page_text, target_file, |_| true)?;
    Ok(page_text)
}

/// The blocks of the translation whose text stays as it was, as written there (its line
/// breaks kept), by English segment id: only where the translation has the English's blocks and
/// a block continues its lines the same way, so an import that changes one paragraph changes
/// only its lines.
fn kept_as_written(
    english: &Segmented,
    page: &crate::content::Page,
    texts: &HashMap<String, String>,
) -> HashMap<String, String> {
    use super::segments::Place;
    let theirs = segmented(page);
    let same_blocks = english.segments.len() == theirs.segments.len()
        && english
            .segments
            .iter()
            .zip(&theirs.segments)
            .all(|(e, t)| e.kind == t.kind);
    if !same_blocks {
        return HashMap::new();
    }
    english
        .segments
        .iter()
        .zip(&theirs.segments)
        .filter_map(|(e, t)| {
            let (
                Place::Body { prefix: ep, .. },
                Place::Body {
                    range, prefix: tp, ..
                },
            ) = (&e.place, &t.place)
            else {
                return None;
            };
            let unchanged = texts.get(&e.id) == Some(&t.text);
            if !unchanged || ep != tp {
                return None;
            }
            Some((e.id.clone(), page.body().get(range.clone())?.to_owned()))
        })
        .collect()
}

/// The translation's file: the one the page has, else the English file's name with the
/// language's code.
fn target_file(
    source: &crate::content::Page,
    existing: Option<&crate::content::Page>,
    code: &str,
) -> String {
    match existing {
        Some(p) => p.file.clone(),
        None => {
            let stem = source.file.strip_suffix(".md").unwrap_or(&source.file);
            let stem = stem.strip_suffix(".en").unwrap_or(stem);
            format!("{stem}.{code}.md")
        }
    }
}

/// What an import says it did: a line per file, and one for entries it could not place.
fn summary(
    exchange: &Exchange,
    target_file: &str,
    matched: &Matched,
    (total, current, untranslated): (usize, usize, usize),
) -> Vec<String> {
    let shown = &exchange.shown;
    let mut said = vec![format!(
        "imported {shown} into {target_file}: {total} segments, {current} current, {} still marked fuzzy, {untranslated} not translated (the English is shown){}",
        matched.fuzzy,
        if current == total {
            "; the page is marked current"
        } else {
            ""
        }
    )];
    if !matched.dropped.is_empty() {
        said.push(format!(
            "warning: {} translations in {shown} are for text the English page no longer has, and were not imported: {}",
            matched.dropped.len(),
            matched.dropped.join(", ")
        ));
    }
    said
}

/// A translation that changed a link, code or id: the entry's line, and what to do.
fn damage(
    (shown, text, line): (&str, &str, usize),
    id: &str,
    lost: &[protected::Part],
    added: &[protected::Part],
    english_changed: bool,
) -> Diagnostic {
    let list = |parts: &[protected::Part]| {
        parts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut what = Vec::new();
    if !lost.is_empty() {
        what.push(format!("it is missing {}", list(lost)));
    }
    if !added.is_empty() {
        what.push(format!("it has {} that the English does not", list(added)));
    }
    let help = if english_changed {
        "the English of this segment changed after the file was exported: export the page again and translate this segment from the new English"
    } else {
        "copy links' targets (the part in round brackets), `code` and HTML tags from the English exactly; only the words around them are translated"
    };
    Diagnostic::error(
        Stage::Translate,
        format!(
            "the translation of `{id}` does not keep what must stay as it is: {}",
            what.join("; ")
        ),
    )
    .at(shown, Some(text), line, 1)
    .with_help(help)
}

/// Refuses an import that would leave out text the translation has: a page translated by
/// hand with paragraphs of its own, or laid out differently from the English, has text that
/// no English segment was matched with (`matched`).
fn lost_text(
    page: &crate::content::Page,
    matched: &HashMap<String, String>,
) -> Result<(), Diagnostic> {
    let kept: std::collections::HashSet<&str> = matched.values().map(String::as_str).collect();
    let lost: Vec<super::segments::Segment> = segmented(page)
        .segments
        .into_iter()
        .filter(|s| !kept.contains(s.text.as_str()))
        .collect();
    let Some(first) = lost.first() else {
        return Ok(());
    };
    Err(Diagnostic::error(
        Stage::Translate,
        format!(
            "importing would replace {} of the paragraphs and headings {} has now, which do not match the English page one to one (the first is line {})",
            lost.len(),
            page.file,
            first.line
        ),
    )
    .at(&page.file, Some(&page.source), first.line, 1)
    .with_help(
        "put those translations into the PO file, each beside its English (`translate export` fills in the ones it can match), and import again; if the PO file already has the whole page, delete the old translation first",
    ))
}

/// The language and page a PO file's path names, as `translate export` writes them:
/// `…/<lang>/<folders>/<page>.po` (`interface.po` for the interface strings).
fn from_path(project: &Project, file: &Path) -> Option<(String, String)> {
    let parts: Vec<String> = file
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let at = parts
        .iter()
        .rposition(|p| project.config.find_language(p).is_some())?;
    let rest = parts.get(at + 1..)?.join("/");
    let stem = rest.strip_suffix(".po")?;
    let key = if stem == "interface" {
        po::INTERFACE.to_owned()
    } else {
        format!("{stem}.md")
    };
    Some((parts[at].clone(), key))
}
