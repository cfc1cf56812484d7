//! Carrying out a quick [`Change`] on the last build: render the pages it touches, write
//! those whose bytes differ through the output stage, and keep the last build in step.

use std::path::Path;

use super::{Applied, Change, Edit, LastBuild};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Rendered};
use crate::output::{InPlace, Sink, Target};
use crate::render;
use crate::site::{PageId, Site};
use crate::templates::Templates;

impl LastBuild {
    /// Renders the edited pages again, checks the anchors from and into them, and writes
    /// them with their languages' search indexes. On an error nothing is written and the last
    /// build is as it was.
    pub fn apply_bodies(
        &mut self,
        edits: Vec<Edit>,
        output: &Path,
    ) -> Result<Applied, Vec<Diagnostic>> {
        let site = std::sync::Arc::clone(&self.site);
        let mut diagnostics = Vec::new();
        let mut fresh = Vec::new();
        for Edit { id, text } in &edits {
            let (rendered, found) = markdown::render_text(&site, *id, text);
            diagnostics.extend(found);
            fresh.push((*id, rendered));
        }
        let mut previous: Vec<(PageId, Rendered)> = Vec::new();
        for (id, r) in fresh {
            previous.push((id, std::mem::replace(&mut self.rendered[id], r)));
        }
        let edited: Vec<PageId> = edits.iter().map(|e| e.id).collect();
        diagnostics.extend(anchors_around(&site, &self.rendered, &edits));
        let mut files = Vec::new();
        if !diagnostics.iter().any(Diagnostic::is_error) {
            for &id in &edited {
                match render::page(&site, &self.templates, &self.shared, id, &self.rendered[id]) {
                    Ok(html) => files.push((render::page_path(&site, id), html)),
                    Err(d) => diagnostics.push(d),
                }
            }
            // The search index of each edited page's language holds the page's text.
            if crate::search::enabled(&self.templates) {
                let langs = edited.iter().map(|&id| site.pages[id].lang);
                files.extend(crate::search::indexes(&site, &self.rendered, langs));
            }
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            for (id, r) in previous {
                self.rendered[id] = r;
            }
            return Err(diagnostics);
        }
        let changed = self.write(output, files)?;
        for &id in &edited {
            let print = self.shared.fingerprint(&site, id, &self.rendered[id]);
            self.fingerprints
                .set_page(render::page_path(&site, id), print);
        }
        Ok(Applied {
            changed,
            rendered: edited.len(),
            how: Change::BODIES,
            announced: Vec::new(),
        })
    }

    /// Renders `pages` again with the changed `templates`: those open in a browser (`viewed`,
    /// as URL paths) first, which `announce` is told of before the rest are done, as Hugo's
    /// fast render mode does (which leaves the rest stale; here they follow at once, so the
    /// output stays what a build makes).
    pub fn apply_templates(
        &mut self,
        templates: Box<Templates>,
        pages: Vec<PageId>,
        output: &Path,
        viewed: &[String],
        announce: &mut dyn FnMut(&[String]),
    ) -> Result<Applied, Vec<Diagnostic>> {
        let site = std::sync::Arc::clone(&self.site);
        let base = &site.config.base_path;
        let viewed: Vec<String> = viewed
            .iter()
            .filter_map(|page| crate::paths::file_of_url(base, page))
            .collect();
        let (first, rest): (Vec<PageId>, Vec<PageId>) = pages
            .iter()
            .partition(|&&id| viewed.contains(&render::page_path(&site, id)));
        let mut changed = Vec::new();
        let mut announced = Vec::new();
        for (group, last) in [(first, false), (rest, true)] {
            if group.is_empty() {
                continue;
            }
            let files = render_pages(&site, &templates, self, &group)?;
            let group_changed = self.write(output, files)?;
            if !last && !group_changed.is_empty() {
                announced = page_urls(base, &group_changed);
                announce(&announced);
            }
            changed.extend(group_changed);
        }
        self.fingerprints.set_global(super::fingerprints::global(
            &site,
            &templates,
            &self.css_urls,
        ));
        self.templates = *templates;
        Ok(Applied {
            changed,
            rendered: pages.len(),
            how: Change::TEMPLATES,
            announced,
        })
    }

    /// Writes the files whose bytes differ from what the output holds, through the output
    /// stage, each replaced whole; gives their paths. After an error (of [`Stage::Output`])
    /// some may be written and others not, and this record no longer says what the output
    /// holds: the caller starts again from a build of everything.
    ///
    /// [`Stage::Output`]: crate::diagnostics::Stage::Output
    fn write(
        &mut self,
        output: &Path,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<Vec<String>, Vec<Diagnostic>> {
        let target = Box::new(InPlace::some_files(
            output,
            std::mem::take(&mut self.written),
        ));
        let mut errors = Vec::new();
        for (path, bytes) in &files {
            if let Err(err) = target.write(path, bytes) {
                errors.push(crate::output::write_error(path, &err));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        match target.finish() {
            Ok(finished) => {
                self.written = finished.written;
                Ok(finished.changed)
            }
            Err(err) => Err(vec![err.diagnostic(output)]),
        }
    }
}

/// The anchors of the edited pages, and of every page linking into them, checked against the
/// new text.
fn anchors_around(site: &Site, rendered: &[Rendered], edits: &[Edit]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for Edit { id, text } in edits {
        diagnostics.extend(render::broken_anchors(site, rendered, *id, text));
    }
    let edited = |id: PageId| edits.iter().any(|e| e.id == id);
    for (from, r) in site.page_ids().zip(rendered) {
        if !edited(from) && r.anchors.iter().any(|a| edited(a.target)) {
            diagnostics.extend(render::broken_anchors(
                site,
                rendered,
                from,
                &site.pages[from].source,
            ));
        }
    }
    diagnostics
}

/// Pages `ids` rendered with `templates`: their output paths and HTML.
fn render_pages(
    site: &Site,
    templates: &Templates,
    last: &LastBuild,
    ids: &[PageId],
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let pages: Vec<Result<(String, Vec<u8>), Diagnostic>> = ids
        .par_iter()
        .map(|&id| {
            render::page(site, templates, &last.shared, id, &last.rendered[id])
                .map(|html| (render::page_path(site, id), html))
        })
        .collect();
    let (ok, failed): (Vec<_>, Vec<_>) = pages.into_iter().partition(Result::is_ok);
    if !failed.is_empty() {
        return Err(failed.into_iter().filter_map(Result::err).collect());
    }
    Ok(ok.into_iter().filter_map(Result::ok).collect())
}

/// URL paths of changed page files, as a browser's address bar shows them.
pub fn page_urls(base: &str, changed: &[String]) -> Vec<String> {
    changed
        .iter()
        .map(|path| format!("{base}{}", crate::paths::folder_of_page(path)))
        .collect()
}
