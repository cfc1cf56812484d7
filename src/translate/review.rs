//! `translate review`: records that a fluent reader checked a translation against its
//! source as it is now.

use std::path::{Path, PathBuf};

use super::{Planned, Project, State, entries, export::page_named, write_all};
use crate::diagnostics::{Diagnostic, Stage};
use crate::edit::{remove_key, set_key, verify};

pub fn run(
    root: &Path,
    files: &[PathBuf],
    by: Option<&str>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let project = Project::load(root)?;
    let today = crate::new::today();
    let mut planned = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match plan(&project, file, by, &today) {
            Ok(p) => planned.push(p),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let lines = planned
        .iter()
        .map(|p| {
            format!(
                "marked {} as reviewed on {today}{}",
                p.file,
                by.map(|b| format!(" by {b}")).unwrap_or_default()
            )
        })
        .collect();
    write_all(root, &planned)?;
    Ok(lines)
}

fn plan(
    project: &Project,
    file: &Path,
    by: Option<&str>,
    today: &str,
) -> Result<Planned, Diagnostic> {
    let located = crate::edit::locate(&project.root, file)?;
    let page = project
        .pages
        .iter()
        .find(|p| p.file == located.shown)
        .filter(|p| p.lang != project.config.default_language)
        .ok_or_else(|| {
            Diagnostic::error(
                Stage::Translate,
                format!("{} is not a translation", located.shown),
            )
            .with_help("name the translated file, such as content/guidance/registration.ar.md")
        })?;
    let source = page_named(project, file).map_err(|mut e| e.remove(0))?;
    let list = entries(project, source, page.lang)?;
    let not_current: Vec<&str> = list
        .iter()
        .filter(|e| e.state != State::Current)
        .map(|e| e.segment.id.as_str())
        .collect();
    if !not_current.is_empty() {
        return Err(Diagnostic::error(
            Stage::Translate,
            format!(
                "{} cannot be marked reviewed: {} of its segments are not translated from the English as it is now ({})",
                page.file,
                not_current.len(),
                not_current.join(", ")
            ),
        )
        .at(&page.file, None, 1, 1)
        .with_help("export it, have the changed segments translated and import them; then review it"));
    }
    let edit = |t: Option<String>| {
        t.ok_or_else(|| {
            Diagnostic::error(
                Stage::Translate,
                format!("{} has no front matter to record the review in", page.file),
            )
        })
    };
    let mut text = edit(set_key(&page.source, "translation", "reviewed"))?;
    text = edit(set_key(&text, "reviewed", today))?;
    text = match by {
        Some(name) => edit(set_key(
            &text,
            "reviewer",
            &serde_json::to_string(name).unwrap_or_default(),
        ))?,
        None => edit(remove_key(&text, "reviewer"))?,
    };
    verify(&text, &page.file, |f| f.translation.is_some())?;
    Ok(Planned {
        file: page.file.clone(),
        text,
    })
}
