//! The translation dashboard, `/editors/translations/`: what `translate status` reports, as a
//! page for the editors and coordinators who have no terminal. Rendered with the theme's
//! `translations.html` when it has one; not in the sitemap, and marked `noindex`.

use crate::diagnostics::{Diagnostic, Stage};
use crate::output::Sink;
use crate::site::Site;
use crate::templates::Templates;
use crate::templates::context::Shared;

const TEMPLATE: &str = "translations.html";

/// Where the dashboard goes, under the default language's editors' section.
pub const PATH: &str = "editors/translations/";

/// Writes the dashboard, when the theme has its template and the site more than one language.
pub fn write(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    if !templates.has(TEMPLATE) || site.config.languages.len() < 2 {
        return Vec::new();
    }
    let project = crate::translate::Project::of_site(site);
    let report = match crate::translate::status::report(&project, None) {
        Ok(report) => report,
        Err(errors) => return errors,
    };
    let mut context = shared.base(site, site.config.default_language);
    context.insert_value("report", crate::templates::context::value(&report));
    let mut html = Vec::with_capacity(64 * 1024);
    let path = crate::paths::page_file(PATH);
    match templates.render(TEMPLATE, &context, &mut html) {
        Ok(()) => sink
            .write(&path, &html)
            .err()
            .map(|err| crate::output::write_error(&path, &err))
            .into_iter()
            .collect(),
        Err(d) => vec![d],
    }
}

/// A page of the site where the dashboard goes.
pub fn clashes(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    if !templates.has(TEMPLATE) {
        return Vec::new();
    }
    site.places
        .iter()
        .enumerate()
        .filter(|(_, place)| place.path == PATH)
        .map(|(id, _)| {
            Diagnostic::error(
                Stage::Output,
                format!(
                    "{} is at /{PATH}, where the translation dashboard goes",
                    site.pages[id].file
                ),
            )
            .with_help("give the page another name")
        })
        .collect()
}
