//! One error type for every stage of the build, carrying the place it came from.
//!
//! Editors are not programmers: each diagnostic names the file, line and column, quotes the line,
//! and says what to do. A build collects all of them and prints them together, so one run shows
//! every problem instead of one per run.

use std::fmt;

/// Which stage of the pipeline found the problem. Shown to nobody, but lets callers (and tests)
/// tell a content error from a template error without matching on message text. Listed in the
/// order problems are reported: what fails to load comes before what fails because of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Config,
    Content,
    Templates,
    Assets,
    Markdown,
    Links,
    Print,
    Output,
    /// `check`'s findings in the built site and its sources.
    Check,
    /// `translate`: files exchanged with translators, and the records of what they translated.
    Translate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A position in a source file, 1-based like an editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    /// Path as the editor knows it: relative to the site folder, with `/` separators.
    pub file: String,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub stage: Stage,
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    /// The text of the line `span` points at, quoted under the message. (A boxed `str`, and
    /// the rest boxed below, keep the type small: diagnostics travel in `Result`s everywhere.)
    source_line: Option<Box<str>>,
    pub help: Option<String>,
    /// None for most problems.
    related: Option<Box<Related>>,
}

/// What a problem has to do with others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Related {
    /// Shown after the help: where else the problem was met, what depends on it.
    notes: Vec<String>,
    /// The output files this problem was met writing, when it is the same for all of them (a
    /// full disk): shown as one error naming the first and a count, not one error per file.
    writing: Vec<String>,
    /// Set when this problem exists only because another file failed to load: it is folded into
    /// that file's own error rather than listed (one missing `]` is one problem, not twelve).
    knock_on: Option<KnockOn>,
}

/// A problem that follows from another file's error, and what kind of thing it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnockOn {
    /// The file that failed, as in its [`Span::file`].
    pub cause: String,
    pub kind: Dependent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dependent {
    /// A link from another page to the failed page.
    Link,
}

impl Dependent {
    /// The note on the cause's error once `n` such problems are folded into it.
    fn note(self, n: usize) -> String {
        match self {
            Dependent::Link => format!(
                "{} to this page will work again once it loads",
                crate::text::count(n, "link", "links")
            ),
        }
    }
}

impl Diagnostic {
    pub fn error(stage: Stage, message: impl Into<String>) -> Self {
        Diagnostic {
            stage,
            severity: Severity::Error,
            message: message.into(),
            span: None,
            source_line: None,
            help: None,
            related: None,
        }
    }

    pub fn warning(stage: Stage, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(stage, message)
        }
    }

    /// Points at `line:col` of `file`, quoting that line of `source` when it exists.
    pub fn at(mut self, file: &str, source: Option<&str>, line: usize, col: usize) -> Self {
        let line = line.max(1);
        self.source_line = source
            .and_then(|s| s.lines().nth(line - 1))
            .map(|text| window(text, col.max(1)).into());
        self.span = Some(Span {
            file: file.to_owned(),
            line,
            col: col.max(1),
        });
        self
    }

    /// Points at the byte `offset` of `source`.
    pub fn at_offset(self, file: &str, source: &str, offset: usize) -> Self {
        let (line, col) = line_col(source, offset);
        self.at(file, Some(source), line, col)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.related_mut().notes.push(note.into());
        self
    }

    /// Records that the problem was met writing `path`; the same problem met writing other
    /// files is merged into this one (see [`Diagnostics::into_sorted`]).
    pub fn while_writing(mut self, path: &str) -> Self {
        self.related_mut().writing.push(path.to_owned());
        self
    }

    /// Marks this problem as following from `cause` failing to load (see [`KnockOn`]).
    pub fn because_of(mut self, cause: &str, kind: Dependent) -> Self {
        self.related_mut().knock_on = Some(KnockOn {
            cause: cause.to_owned(),
            kind,
        });
        self
    }

    pub fn notes(&self) -> &[String] {
        self.related.as_ref().map_or(&[], |r| r.notes.as_slice())
    }

    pub fn knock_on(&self) -> Option<&KnockOn> {
        self.related.as_ref().and_then(|r| r.knock_on.as_ref())
    }

    fn related_mut(&mut self) -> &mut Related {
        self.related.get_or_insert_with(Box::default)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order problems are listed in: errors first, then by stage (a file that does not load
    /// before what it breaks), then by place.
    fn order(&self) -> impl Ord + '_ {
        (
            std::cmp::Reverse(self.severity),
            self.stage,
            self.span.as_ref(),
            &self.message,
        )
    }
}

/// Quoted lines longer than this are shown as a window around the column.
const QUOTE_WIDTH: usize = 100;
/// How much of the line before the column the window shows.
const QUOTE_BEFORE: usize = 40;

/// The part of a long line worth quoting: a line of 5 MB would otherwise be printed whole.
/// A window that does not start at the line's start begins with `…`, and so does the caret's
/// place (see [`caret_offset`]).
fn window(text: &str, col: usize) -> String {
    let length = text.chars().count();
    if length <= QUOTE_WIDTH {
        return text.to_owned();
    }
    let start = (col - 1).saturating_sub(QUOTE_BEFORE);
    let shown: String = text.chars().skip(start).take(QUOTE_WIDTH).collect();
    let lead = if start > 0 { "…" } else { "" };
    let tail = if start + QUOTE_WIDTH < length {
        "…"
    } else {
        ""
    };
    format!("{lead}{shown}{tail}")
}

/// Where under a quoted line (as [`window`] cut it) the caret for `col` goes, in characters.
fn caret_offset(quoted: &str, col: usize) -> usize {
    let cut_before = quoted.chars().count() > QUOTE_WIDTH && col - 1 > QUOTE_BEFORE;
    if cut_before {
        QUOTE_BEFORE + 1
    } else {
        col - 1
    }
}

/// 1-based line and column (in characters) of a byte offset. Offsets past the end or inside a
/// character are clamped rather than trusted, since they may come from a third-party parser.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Where `needle` first appears as the start of a YAML key or value, for errors found after
/// parsing (YAML parsers forget positions once they hand over values).
pub fn find_line(source: &str, needle: &str) -> Option<(usize, usize)> {
    source.find(needle).map(|offset| line_col(source, offset))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        if let Some(span) = &self.span {
            let gutter = span.line.to_string().len();
            let pad = " ".repeat(gutter);
            writeln!(f, "{pad}--> {}:{}:{}", span.file, span.line, span.col)?;
            if let Some(text) = &self.source_line {
                // Tabs would shift the caret; show them as one space so it lines up.
                let shown: String = text
                    .chars()
                    .map(|c| if c == '\t' { ' ' } else { c })
                    .collect();
                let caret_pad = " ".repeat(caret_offset(text, span.col.max(1)));
                writeln!(f, "{pad} |")?;
                writeln!(f, "{} | {shown}", span.line)?;
                writeln!(f, "{pad} | {caret_pad}^")?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        if let Some((first, rest)) = self.related.as_ref().and_then(|r| r.writing.split_first()) {
            let others = match rest.len() {
                0 => String::new(),
                n => format!(
                    " and {}",
                    crate::text::count(n, "other file", "other files")
                ),
            };
            writeln!(f, "  = note: met writing {first}{others}")?;
        }
        for note in self.notes() {
            writeln!(f, "  = note: {note}")?;
        }
        Ok(())
    }
}

/// Everything a build found, in a stable order so output does not depend on thread timing.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The problems to show, root causes first: repeats are merged (a template error met by
    /// thousands of pages is one problem to fix, not thousands), and problems that only follow
    /// from a file failing to load become a note on that file's error.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.order().cmp(&b.order()));
        let mut merged: Vec<Diagnostic> = Vec::with_capacity(self.items.len());
        for d in self.items {
            match merged.last_mut() {
                Some(last)
                    if last.order().cmp(&d.order()).is_eq() && last.knock_on() == d.knock_on() =>
                {
                    for note in d.notes() {
                        if !last.notes().contains(note) {
                            last.related_mut().notes.push(note.clone());
                        }
                    }
                    if let Some(related) = d.related {
                        last.related_mut().writing.extend(related.writing);
                    }
                    last.help = last.help.take().or(d.help);
                }
                _ => merged.push(d),
            }
        }
        fold_knock_ons(merged)
    }
}

/// Moves each knock-on problem into a note on the first error of the file it follows from. One
/// whose cause reported nothing (which should not happen) stays listed, so nothing is hidden.
fn fold_knock_ons(items: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use std::collections::{BTreeMap, HashMap};
    // Each file's first error of its own, found once rather than for every knock-on.
    let mut roots: HashMap<String, usize> = HashMap::new();
    for (i, d) in items.iter().enumerate() {
        if let Some(span) = d
            .span
            .as_ref()
            .filter(|_| d.is_error() && d.knock_on().is_none())
        {
            roots.entry(span.file.clone()).or_insert(i);
        }
    }
    let mut folded: BTreeMap<(usize, Dependent), usize> = BTreeMap::new();
    let mut keep = vec![true; items.len()];
    for (i, d) in items.iter().enumerate() {
        if let Some(knock_on) = d.knock_on()
            && let Some(&root) = roots.get(&knock_on.cause)
        {
            *folded.entry((root, knock_on.kind)).or_default() += 1;
            keep[i] = false;
        }
    }
    let mut items = items;
    for ((root, kind), n) in folded {
        items[root].related_mut().notes.push(kind.note(n));
    }
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(d, keep)| keep.then_some(d))
        .collect()
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "one\nالتسجيل x\n";
        let offset = src.find('x').unwrap_or(0);
        assert_eq!(line_col(src, offset), (2, 9));
    }

    #[test]
    fn a_long_line_is_quoted_as_a_window_with_the_caret_under_its_column() {
        let line = format!("{}X{}", "é".repeat(5000), "*".repeat(5000));
        let shown = Diagnostic::error(Stage::Content, "m")
            .at("a.md", Some(&line), 1, 5001)
            .to_string();
        let quoted = shown.lines().nth(3).expect("the quoted line");
        let caret = shown.lines().nth(4).expect("the caret line");
        assert!(quoted.chars().count() < 120, "{quoted}");
        assert!(
            quoted.starts_with("1 | …é") && quoted.ends_with("*…"),
            "{quoted}"
        );
        let under = |s: &str, n: usize| s.chars().nth(n);
        let at = caret.chars().position(|c| c == '^').expect("a caret");
        assert_eq!(under(quoted, at), Some('X'), "{shown}");
        assert!(shown.contains("--> a.md:1:5001"));

        let short = Diagnostic::error(Stage::Content, "m")
            .at("a.md", Some("ab X"), 1, 4)
            .to_string();
        let at = short
            .lines()
            .nth(4)
            .and_then(|l| l.chars().position(|c| c == '^'));
        assert_eq!(at.and_then(|i| under(short.lines().nth(3)?, i)), Some('X'));
    }

    #[test]
    fn line_col_clamps_bad_offsets() {
        assert_eq!(line_col("ab", 99), (1, 3));
        assert_eq!(line_col("é", 1), (1, 1));
    }

    #[test]
    fn display_quotes_the_line_with_a_caret() {
        let d = Diagnostic::error(Stage::Content, "unknown key `titel`")
            .at("content/a.md", Some("---\ntitel: x\n---"), 2, 1)
            .with_help("valid keys are: title");
        let shown = d.to_string();
        assert!(shown.contains("--> content/a.md:2:1"), "{shown}");
        assert!(shown.contains("2 | titel: x"), "{shown}");
        assert!(shown.contains("= help: valid keys are: title"), "{shown}");
    }
}
