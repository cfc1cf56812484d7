//! PO files (GNU gettext), through rspolib: one per page and language, one for the theme's
//! interface strings.
//!
//! Each segment is an entry: `msgctxt` its id, `msgid` its English, `msgstr` its translation;
//! extracted comments (`#.`) say what kind of text it is and the hash of its English; the
//! reference (`#:`) is the English file and line. A segment whose English changed since it
//! was translated is `fuzzy`, with the English it was translated from as `#| msgid`. The
//! header names the page (`X-Safe-Surgeries-Page`) and the language, which `import` reads.

use rspolib::{FileOptions, POEntry, POFile};

use crate::diagnostics::{Diagnostic, Stage};

/// The header field that names the page a PO file holds (or [`INTERFACE`]).
pub const PAGE_FIELD: &str = "X-Safe-Surgeries-Page";
/// [`PAGE_FIELD`]'s value for the theme's interface strings.
pub const INTERFACE: &str = "interface strings";

/// One entry to write.
pub struct Out<'a> {
    pub id: &'a str,
    pub english: &'a str,
    pub translation: Option<&'a str>,
    /// The English the translation was made from, when that is not `english`: the entry is
    /// then fuzzy. `Some("")` when that English is not known.
    pub then: Option<&'a str>,
    pub note: String,
    pub reference: Option<(String, usize)>,
}

/// A PO file's text.
pub fn write(page: &str, lang_code: &str, lang_name: &str, date: &str, entries: &[Out]) -> String {
    let mut file = POFile::new(FileOptions::default());
    file.header = Some(format!(
        "Safe Surgeries toolkit: {page}, in {lang_name}.\n\
         Translate each msgstr. Keep links' targets (the part in round brackets), `code`\n\
         and HTML tags as they are; you may move them within the sentence."
    ));
    let stamp = format!("{date} 00:00+0000");
    for (key, value) in [
        ("Project-Id-Version", "Safe Surgeries toolkit"),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", stamp.as_str()),
        ("PO-Revision-Date", stamp.as_str()),
        ("Last-Translator", ""),
        ("Language-Team", lang_name),
        ("Language", lang_code),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        (PAGE_FIELD, page),
    ] {
        file.metadata.insert(key.to_owned(), value.to_owned());
    }
    for out in entries {
        let mut entry = POEntry::new(0);
        entry.msgctxt = Some(out.id.to_owned());
        entry.msgid = out.english.to_owned();
        entry.msgstr = Some(out.translation.unwrap_or_default().to_owned());
        entry.comment = Some(out.note.clone());
        if let Some((file, line)) = &out.reference {
            entry.occurrences.push((file.clone(), line.to_string()));
        }
        if let Some(then) = out.then {
            entry.flags.push("fuzzy".to_owned());
            if !then.is_empty() {
                entry.previous_msgid = Some(then.to_owned());
            }
        }
        file.entries.push(entry);
    }
    file.to_string()
}

/// One entry read back.
#[derive(Debug, Clone)]
pub struct In {
    pub id: String,
    pub english: String,
    pub translation: String,
    pub fuzzy: bool,
    pub previous: Option<String>,
    pub line: usize,
}

/// A PO file read: the page it names, its language code and its entries.
pub struct Read {
    pub page: Option<String>,
    pub language: Option<String>,
    pub entries: Vec<In>,
}

pub fn read(shown: &str, text: &str) -> Result<Read, Diagnostic> {
    // rspolib takes a path or a text; a text with no line break could be read as a path.
    let content = if text.contains('\n') {
        text.to_owned()
    } else {
        format!("{text}\n")
    };
    let file = rspolib::pofile(content.as_str()).map_err(|err| {
        let message = err.to_string();
        let line = line_in(&message).unwrap_or(1);
        Diagnostic::error(Stage::Translate, format!("{shown} is not a PO file that can be read: {message}"))
            .at(shown, Some(text), line, 1)
            .with_help("open it in Poedit (or your translation tool) and save it again; it reports the mistake it finds")
    })?;
    let entries = file
        .entries
        .iter()
        .filter(|e| !e.obsolete)
        .map(|e| In {
            id: e.msgctxt.clone().unwrap_or_default(),
            english: e.msgid.clone(),
            translation: e.msgstr.clone().unwrap_or_default(),
            fuzzy: e.flags.iter().any(|f| f == "fuzzy"),
            previous: e.previous_msgid.clone(),
            line: entry_line(text, e.linenum),
        })
        .collect();
    Ok(Read {
        page: file.metadata.get(PAGE_FIELD).cloned(),
        language: file.metadata.get("Language").cloned(),
        entries,
    })
}

/// The line of an entry's `msgstr`, where a translator would look; rspolib counts the line
/// an entry starts on.
fn entry_line(text: &str, start: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .find(|(_, l)| l.starts_with("msgstr"))
        .map_or(start.max(1), |(i, _)| i + 1)
}

fn line_in(message: &str) -> Option<usize> {
    let at = message.find("line ")?;
    message[at + 5..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}
