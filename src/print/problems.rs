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
            let strings = format!("themes/{}/i18n/{}.yaml", site.config.theme, language.code);
            Diagnostic::error(
                Stage::Print,
                format!("{message} (it comes from {strings} or the template)"),
            )
            .at(&page.file, Some(&page.source), 1, 1)
        }
    }
    .with_help(help)
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
