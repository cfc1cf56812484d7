//! Digests of what a page's rendering reads, compared across builds: a page whose digests are
//! those of the last build renders to the bytes the output already holds.

use std::collections::HashMap;

use crate::markdown::Rendered;
use crate::render;
use crate::site::{PageId, Site};
use crate::templates::{Templates, context::Shared};

/// The last build's digests: per page's output path, of its context; and of everything
/// rendering reads beyond it.
pub(super) struct Fingerprints {
    global: blake3::Hash,
    pages: HashMap<String, blake3::Hash>,
}

impl Fingerprints {
    /// From a build's digests, page by page in `site`'s order.
    pub(super) fn new(site: &Site, global: blake3::Hash, pages: Vec<blake3::Hash>) -> Fingerprints {
        Fingerprints {
            global,
            pages: site
                .page_ids()
                .map(|id| render::page_path(site, id))
                .zip(pages)
                .collect(),
        }
    }

    /// Whether a page written to `path`, with these digests, renders as it did.
    pub(super) fn same(
        &self,
        global: blake3::Hash,
        path: &str,
        page: Option<&blake3::Hash>,
    ) -> bool {
        self.global == global && page.is_some() && self.pages.get(path) == page
    }

    pub(super) fn set_page(&mut self, path: String, page: blake3::Hash) {
        self.pages.insert(path, page);
    }

    pub(super) fn set_global(&mut self, global: blake3::Hash) {
        self.global = global;
    }
}

/// Every page's context digest (see [`Shared::fingerprint`]), in `site`'s order.
pub fn pages(site: &Site, shared: &Shared, rendered: &[Rendered]) -> Vec<blake3::Hash> {
    use rayon::prelude::*;
    (0..site.pages.len())
        .into_par_iter()
        .map(PageId)
        .map(|id| shared.fingerprint(site, id, &rendered[id]))
        .collect()
}

/// A digest of everything page rendering reads besides the page's own context.
pub fn global(
    site: &Site,
    templates: &Templates,
    css_urls: &HashMap<String, String>,
) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(templates.fingerprint(site, css_urls).as_bytes());
    hasher.update(settings(site).as_bytes());
    hasher.finalize()
}

/// A digest of the configuration and interface strings, which Markdown reads too. The
/// configuration's debug form lists every setting in file order, which is all it needs here.
pub(super) fn settings(site: &Site) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(site.strings.digest().as_bytes());
    hasher.update(format!("{:?}", site.config).as_bytes());
    hasher.finalize()
}
