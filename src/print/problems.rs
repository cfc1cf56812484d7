//! Print problems as editors see them: the character no font has, and Typst's own errors,
//! placed in the template (or, for a template's `assert`, in the page).

use typst::diag::SourceDiagnostic;

use crate::diagnostics::{Diagnostic, Stage, line_col};
use crate::site::{PageId, Site};

use super::layout::Task;
use super::world;

pub fn codepoint(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// A character only this computer's fonts have: the PDF is right here, not everywhere.
pub fn borrowed_font(site: &Site, id: PageId, c: char, family: &str) -> Diagnostic {
    let page = &site.pages[id];
    let warning = Diagnostic::warning(
        Stage::Print,
        format!(
            "{} uses the font \"{family}\" from this computer for the character {c} ({}); \
             PDFs built elsewhere may lack it",
            page.file,
            codepoint(c)
        ),
    )
    .with_help(format!(
        "add a font that has this character to themes/{}/print/fonts/ and fonts.yaml",
        site.config.theme
    ));
    match page.source.find(c) {
        Some(offset) => warning.at_offset(&page.file, &page.source, offset),
        None => warning,
    }
}

pub fn uncovered(site: &Site, id: PageId, c: char, stack: &[String]) -> Diagnostic {
    let page = &site.pages[id];
    let language = site.config.language(page.lang);
    let message = format!(
        "no font for the character {c} ({}) in this {} text: the printed item would show an empty box",
        codepoint(c),
        language.name
    );
    let help = format!(
        "remove or replace the character, or add a font that has it to themes/{}/print/fonts/ and name its family for `{}` in fonts.yaml (fonts used now: {})",
        site.config.theme,
        language.code,
        stack.join(", ")
    );
    match page.source.find(c) {
        Some(offset) => {
            Diagnostic::error(Stage::Print, message).at_offset(&page.file, &page.source, offset)
        }
        None => {
            let strings = crate::paths::theme_strings(&site.config.theme, &language.code);
            Diagnostic::error(
                Stage::Print,
                format!("{message} (it comes from {strings} or the template)"),
            )
            .at(&page.file, Some(&page.source), 1, 1)
        }
    }
    .with_help(help)
}

/// A character of a language chart's row that the row's language's fonts lack: the row comes
/// from that language's interface strings.
pub fn uncovered_row(site: &Site, id: PageId, lang: crate::config::LangId, c: char) -> Diagnostic {
    let page = &site.pages[id];
    let language = site.config.language(lang);
    let strings = crate::paths::theme_strings(&site.config.theme, &language.code);
    page.error_at_key(
        Stage::Print,
        "print",
        format!(
            "no font for the character {c} ({}) in the {} row of this chart (print_chart_row in {strings}): it would print as an empty box",
            codepoint(c),
            language.name
        ),
    )
    .with_help(format!(
        "replace the character in {strings}, or add a font that has it to themes/{}/print/fonts/ and name it for `{}` in fonts.yaml",
        site.config.theme, language.code
    ))
}

/// A character of a practice's details that the fonts of one of its languages lack.
pub fn uncovered_practice(
    site: &Site,
    practice: &crate::practices::Practice,
    lang: crate::config::LangId,
    c: char,
) -> Diagnostic {
    let language = site.config.language(lang);
    Diagnostic::error(
        Stage::Print,
        format!(
            "no font for the character {c} ({}) in the details of \"{}\": it would print as an empty box on its {} items",
            codepoint(c),
            practice.name,
            language.name
        ),
    )
    .at(crate::practices::FILE, None, practice.line, 1)
    .with_help(format!(
        "replace the character, or add a font that has it to themes/{}/print/fonts/ and name it in fonts.yaml",
        site.config.theme
    ))
}

fn typst_diagnostic(
    site: &Site,
    task: &Task,
    world: &world::ItemWorld,
    d: &SourceDiagnostic,
    error: bool,
) -> Diagnostic {
    use typst::WorldExt;
    let page = &site.pages[task.job.page];
    // Templates check what only layout can tell (text that overflows a card) with `assert`:
    // that is the editor's to fix, in the page.
    if let Some(problem) = d.message.strip_prefix("assertion failed: ") {
        let message = format!(
            "{problem} (print template `{}`, {})",
            task.job.template,
            task.paper.name()
        );
        return page.error_at_key(Stage::Print, "print", message).with_help(
            "shorten this version's text under `print:`; the layout is fixed by the template",
        );
    }
    let message = format!(
        "print template `{}` {} {} ({}): {}",
        task.job.template,
        if error { "failed for" } else { "warns, for" },
        page.file,
        task.paper.name(),
        d.message
    );
    let mut diagnostic = if error {
        Diagnostic::error(Stage::Print, message)
    } else {
        Diagnostic::warning(Stage::Print, message)
    };
    let located = d
        .span
        .id()
        .zip(world.range(d.span))
        .and_then(|(id, range)| {
            let (source, shown) = world.templates.source(id)?;
            Some((shown.clone(), source.text().to_owned(), range.start))
        });
    if let Some((shown, text, offset)) = located {
        let (line, col) = line_col(&text, offset);
        diagnostic = diagnostic.at(&shown, Some(&text), line, col);
    }
    let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
    diagnostic.with_help(if hints.is_empty() {
        "fix the print template; the page's text is passed to it as data".to_owned()
    } else {
        hints.join("; ")
    })
}

pub fn typst_diagnostics(
    site: &Site,
    task: &Task,
    world: &world::ItemWorld,
    found: &[SourceDiagnostic],
    error: bool,
) -> Vec<Diagnostic> {
    found
        .iter()
        .map(|d| typst_diagnostic(site, task, world, d, error))
        .collect()
}

/// A layout problem found on a finished PDF, at the page's `print:` block: the text is the
/// editor's, the layout the theme's, so the help names both ways out.
pub fn layout(site: &Site, task: &Task, problem: super::inspect::Problem) -> Diagnostic {
    use super::inspect::Problem;
    let page = &site.pages[task.job.page];
    let language = &site.config.language(page.lang).name;
    let what = format!(
        "the {} {} in {language}",
        task.paper.name(),
        task.job.template
    );
    let clip = |text: &str| -> String {
        let short: String = text.chars().take(40).collect();
        if short.chars().count() < text.chars().count() {
            format!("{short}…")
        } else {
            short
        }
    };
    let message = match problem {
        Problem::Overlap {
            page: n,
            from_top,
            upper,
            lower,
        } => format!(
            "{what}: on page {n}, about {from_top} mm from the top, two lines of text run into \
             each other (\"{}\" and \"{}\")",
            clip(&upper),
            clip(&lower)
        ),
        Problem::OutsidePage { page: n, text } => format!(
            "{what}: on page {n}, text reaches past the edge of the paper (\"{}\")",
            clip(&text)
        ),
    };
    page.warning_at_key(Stage::Print, "print", message)
        .with_help(format!(
            "shorten the text, or adjust the template themes/{}/print/{}.typ",
            site.config.theme, task.job.template
        ))
}

/// Typst stopped with an internal error (a panic) while making one PDF: that item fails, the
/// rest of the build goes on.
pub fn crashed(site: &Site, task: &Task, panic: &str) -> Diagnostic {
    let page = &site.pages[task.job.page];
    // Panics may quote the text they met, which may be the whole page.
    let clipped: String = panic.chars().take(160).collect();
    let panic = if clipped.len() < panic.len() {
        clipped + "…"
    } else {
        clipped
    };
    let language = &site.config.language(page.lang).name;
    page.error_at_key(
        Stage::Print,
        "print",
        format!(
            "the {} {} in {language} could not be made: the PDF maker stopped with an internal \
             error ({panic})",
            task.paper.name(),
            task.job.template
        ),
    )
    .with_help(
        "this is a fault in the PDF maker, not a mistake of yours, but some text of this page \
         sets it off: look for a very long word or line and break it up, then build again",
    )
}

/// An error about a setting under `print:` in site.yaml, at the line of `key`.
pub fn in_site_yaml(site: &Site, key: &str, message: String) -> Diagnostic {
    let file = crate::config::CONFIG_FILE;
    let diagnostic = Diagnostic::error(Stage::Print, message);
    match std::fs::read_to_string(site.root.join(file)) {
        Ok(text) => {
            let (line, col) = crate::diagnostics::find_line(&text, key).unwrap_or((1, 1));
            diagnostic.at(file, Some(&text), line, col)
        }
        Err(_) => diagnostic,
    }
}
