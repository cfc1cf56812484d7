//! Which kind of [`Change`] a batch of changed files is. Each quick kind is taken only where
//! nothing but what it renders again can differ; anything in doubt is [`Change::Full`].

use std::collections::BTreeSet;
use std::path::Path;

use super::{Change, Edit, LastBuild};
use crate::diagnostics::{Diagnostic, Stage};
use crate::render;
use crate::site::PageId;

impl LastBuild {
    /// What the files `changed` (relative to the site folder `root`) call for. Errors when
    /// changed templates do not load: nothing can be rendered with them.
    pub fn plan(&self, root: &Path, changed: &BTreeSet<String>) -> Result<Change, Vec<Diagnostic>> {
        if let Some(edits) = self.bodies_only(root, changed) {
            return Ok(Change::Bodies(edits));
        }
        Ok(self.templates_only(root, changed)?.unwrap_or(Change::Full))
    }

    /// The edits, where only the bodies of existing, non-printable pages changed (their
    /// front matter byte for byte the same): then nothing but those pages can differ.
    fn bodies_only(&self, root: &Path, changed: &BTreeSet<String>) -> Option<Vec<Edit>> {
        let site = &self.site;
        let mut edits = Vec::new();
        for rel in changed {
            let id = PageId(site.pages.iter().position(|p| &p.file == rel)?);
            let page = &site.pages[id];
            let original = site.versions(id)[site.config.default_language].unwrap_or(id);
            if page.front.print.is_some() || site.pages[original].front.print.is_some() {
                return None;
            }
            // Home and patient pages are in their language's offline copy, which a full
            // build makes again.
            if site.is_for_patients(id) || site.home(page.lang) == Some(id) {
                return None;
            }
            // A translation records the hash of its source's body: an edit of a source may
            // make its translations show (or stop showing) that they are out of date.
            let has_marked_translations = site
                .versions(id)
                .iter()
                .flatten()
                .any(|&v| v != id && site.pages[v].front.source_hash.is_some());
            if id == original && has_marked_translations {
                return None;
            }
            let bytes = std::fs::read(root.join(rel)).ok()?;
            let text = crate::source::decode(&bytes, rel, Stage::Content).ok()?;
            // A full build replaces control characters, and warns about them.
            if crate::source::has_controls(&text) {
                return None;
            }
            let front = page.source.as_bytes().get(..page.body_offset)?;
            if text.as_bytes().get(..page.body_offset) != Some(front) {
                return None;
            }
            edits.push(Edit { id, text });
        }
        Some(edits)
    }

    /// Where only page templates changed: the templates loaded again and the pages whose
    /// template is, or uses, a changed one. `None` when anything else changed (a stylesheet,
    /// a removed template, the 404 page's or the search page's template).
    fn templates_only(
        &self,
        root: &Path,
        changed: &BTreeSet<String>,
    ) -> Result<Option<Change>, Vec<Diagnostic>> {
        let site = &self.site;
        let prefix = format!(
            "{}/",
            crate::paths::theme_folder(&site.config.theme, crate::paths::ThemeFolder::Templates)
        );
        let mut names = Vec::new();
        for rel in changed {
            let Some(name) = rel.strip_prefix(&prefix) else {
                return Ok(None);
            };
            if !root.join(rel).is_file() {
                return Ok(None);
            }
            names.push(name.to_owned());
        }
        let templates = crate::templates::load(site, &self.css_urls)?;
        let missing = render::check_templates(site, &templates);
        if !missing.is_empty() {
            return Err(missing);
        }
        let affected = templates.users_of(&names);
        if affected.contains("404.html") || affected.contains(crate::search::TEMPLATE) {
            return Ok(None);
        }
        let pages: Vec<PageId> = site
            .page_ids()
            .filter(|&id| affected.contains(site.pages[id].template()))
            .collect();
        Ok(Some(Change::Templates {
            templates: Box::new(templates),
            pages,
        }))
    }
}
