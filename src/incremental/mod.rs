//! Rebuilding after a change. A build for watch mode ends with a [`LastBuild`]: the site as
//! loaded, its rendered Markdown, what the output folder holds and digests of what each page
//! read. A batch of changed files is then classified as a [`Change`]: a few page bodies, some
//! templates, or anything else, which a build of everything handles (rendering again only the
//! pages whose digests moved). Every rebuild gives the output a clean build would.

mod apply;
pub use apply::page_urls;
pub mod fingerprints;
mod plan;

use std::collections::HashMap;
use std::sync::Arc;

use crate::markdown::Rendered;
use crate::output::Written;
use crate::site::{PageId, Site};
use crate::templates::{Templates, context::Shared};

use fingerprints::Fingerprints;

/// What the last good build left, to render any page again from.
pub struct LastBuild {
    site: Arc<Site>,
    templates: Templates,
    /// Stylesheet URLs by name, which templates are loaded with.
    css_urls: Arc<HashMap<String, String>>,
    shared: Shared,
    rendered: Vec<Rendered>,
    /// Every output file and a fingerprint of what it holds.
    written: Written,
    fingerprints: Fingerprints,
}

/// What a batch of changed files calls for.
pub enum Change {
    /// Only the bodies of these pages changed, their front matter byte for byte the same and
    /// nothing else reading them: these pages and their languages' search indexes render again.
    Bodies(Vec<Edit>),
    /// Only page templates changed: the pages whose template is, or uses, one of them render
    /// again with these templates.
    Templates {
        templates: Box<Templates>,
        pages: Vec<PageId>,
    },
    /// Anything else: a build of everything from the last one (see [`crate::build::rebuild`]).
    Full,
}

/// A page's new text.
pub struct Edit {
    id: PageId,
    text: String,
}

/// What a rebuild did, for the terminal and the browser.
pub struct Applied {
    /// Output files written or removed.
    pub changed: Vec<String>,
    /// Pages rendered again.
    pub rendered: usize,
    pub how: &'static str,
    /// Page URLs announced as rebuilt before the rest was done.
    pub announced: Vec<String>,
}

/// What a build for watch mode hands over, to be kept as its [`LastBuild`].
pub struct Kept {
    pub site: Arc<Site>,
    pub templates: Templates,
    pub css_urls: Arc<HashMap<String, String>>,
    pub shared: Shared,
    pub rendered: Vec<Rendered>,
    pub written: Written,
    /// See [`fingerprints::global`].
    pub global: blake3::Hash,
    /// Each page's context digest, in `site`'s order (see [`fingerprints::pages`]).
    pub pages: Vec<blake3::Hash>,
}

impl From<Kept> for LastBuild {
    fn from(kept: Kept) -> LastBuild {
        LastBuild {
            fingerprints: Fingerprints::new(&kept.site, kept.global, kept.pages),
            site: kept.site,
            templates: kept.templates,
            css_urls: kept.css_urls,
            shared: kept.shared,
            rendered: kept.rendered,
            written: kept.written,
        }
    }
}

impl LastBuild {
    pub fn site(&self) -> &Arc<Site> {
        &self.site
    }

    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// What the output folder holds, file by file.
    pub fn written(&self) -> &Written {
        &self.written
    }

    /// Whether page `id` of a new build, written to `path` with these digests, would render
    /// to what the output already holds.
    pub fn renders_alike(
        &self,
        global: blake3::Hash,
        path: &str,
        page: Option<&blake3::Hash>,
    ) -> bool {
        self.fingerprints.same(global, path, page)
    }

    /// The rendered Markdown a new build of `site` can keep: that of pages whose file is
    /// unchanged, when every page is where it was (same files, same URLs; links resolve
    /// alike) and the settings are the same. Empty when nothing can be kept.
    pub fn markdown_to_keep(&self, site: &Site) -> Vec<Option<Rendered>> {
        let before = &self.site;
        let same_places = fingerprints::settings(before) == fingerprints::settings(site)
            && before.pages.len() == site.pages.len()
            && site
                .pages
                .iter()
                .zip(&before.pages)
                .all(|(a, b)| a.file == b.file)
            && site
                .places
                .iter()
                .zip(&before.places)
                .all(|(a, b)| a.path == b.path);
        if !same_places {
            return Vec::new();
        }
        site.pages
            .iter()
            .zip(&before.pages)
            .zip(&self.rendered)
            .enumerate()
            .map(|(i, ((now, then), rendered))| {
                // A translation shows its changed parts' English, which an English edit changes.
                let same_parts = site.changed_parts.get(i) == before.changed_parts.get(i);
                (now.source == then.source && same_parts).then(|| rendered.clone())
            })
            .collect()
    }
}

impl Change {
    const BODIES: &'static str = "page bodies only";
    const TEMPLATES: &'static str = "templates only";

    /// How the terminal names it.
    pub fn how(&self) -> &'static str {
        match self {
            Change::Bodies(_) => Change::BODIES,
            Change::Templates { .. } => Change::TEMPLATES,
            Change::Full => "changed pages",
        }
    }
}
