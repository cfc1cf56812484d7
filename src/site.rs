//! The resolve stage: from loaded files to a site with URLs, translation groups and a section
//! tree. After [`Site::resolve`] nothing changes; render stages share it across threads.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::config::{Config, LangId};
use crate::content::{Asset, Content, Page, PageKind};
use crate::diagnostics::{Diagnostic, Stage};
use crate::i18n::Strings;
use crate::links;

pub use crate::content::PageId;
use crate::freshness::{self, Freshness};

/// Where a page sits: its URL and its neighbours. Indexed like [`Site::pages`].
#[derive(Debug, Clone, Default)]
pub struct Place {
    /// Output path under the site root, always ending in `/` (`ar/guidance/registration/`),
    /// empty for the default language's home page.
    pub path: String,
    pub slug: String,
    /// The enclosing section, in this language where it has one, else in the default language.
    /// `ancestors` follow the same rule one by one.
    pub parent: Option<PageId>,
    /// Sections from the home page down to the parent.
    pub ancestors: Vec<PageId>,
    /// For sections: pages and subsections in this language, in display order.
    pub pages: Vec<PageId>,
    pub subsections: Vec<PageId>,
    pub previous: Option<PageId>,
    pub next: Option<PageId>,
}

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub strings: Strings,
    pub pages: Vec<Page>,
    pub places: Vec<Place>,
    /// Per page: for a translation, whether it matches its source (see [`crate::freshness`]);
    /// worked out once here, where every source is hashed once, for templates and `check`.
    pub freshness: Vec<Option<freshness::State>>,
    /// Per page: for a stale translation with a per-segment record, what changed, paragraph
    /// by paragraph (set by the build after resolving, from `crate::translate`).
    pub changed_parts: Vec<Option<freshness::Parts>>,
    /// Translation groups: a page's key to its version in each language.
    pub groups: HashMap<String, Vec<Option<PageId>>>,
    /// Assets with their output paths.
    pub assets: Vec<(Asset, String)>,
    /// Redirect pages: output path and the page they point to.
    pub aliases: Vec<(String, PageId)>,
    /// Pages whose file had errors of its own, by key (see [`Content::failed`]).
    pub failed: BTreeMap<String, Vec<(LangId, String)>>,
    /// The practices of `practices.yaml`, each with its own print pack.
    pub practices: Vec<crate::practices::Practice>,
}

impl Site {
    pub fn resolve(
        root: PathBuf,
        config: Config,
        strings: Strings,
        content: Content,
    ) -> (Site, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let pages = content.pages;
        let languages = config.languages.len();
        let mut groups: HashMap<String, Vec<Option<PageId>>> = HashMap::new();
        for (id, page) in pages.iter().enumerate() {
            groups
                .entry(page.key.clone())
                .or_insert_with(|| vec![None; languages])[page.lang] = Some(PageId(id));
        }
        for (dir, file) in &content.folders_without_index {
            diagnostics.push(
                Diagnostic::warning(Stage::Content, format!("content/{dir}/ has pages but no _index.md"))
                    .at(file, None, 1, 1)
                    .with_help("its pages are listed under the section above it; add _index.md to make it a section"),
            );
        }
        // Without one, the site's own address finds nothing, even when translations of the home
        // page exist. A home page that failed to load has reported that already.
        let default = config.default_language;
        let has_home = groups
            .get("_index.md")
            .is_some_and(|v| v[default].is_some());
        let home_failed = content
            .failed
            .get("_index.md")
            .is_some_and(|f| f.iter().any(|(lang, _)| *lang == default));
        if !has_home && !home_failed {
            diagnostics.push(
                Diagnostic::error(Stage::Content, "the home page content/_index.md is missing")
                    .at("content/_index.md", None, 1, 1)
                    .with_help(format!(
                        "create content/_index.md with a title in its front matter; it is the \
                         page at the site's address, in {}",
                        config.language(default).name
                    )),
            );
        }

        let mut site = Site {
            freshness: Vec::new(),
            changed_parts: Vec::new(),
            root,
            places: vec![Place::default(); pages.len()],
            pages,
            groups,
            config,
            strings,
            assets: Vec::new(),
            aliases: Vec::new(),
            failed: content.failed,
            practices: Vec::new(),
        };
        site.assign_paths(&mut diagnostics);
        site.build_tree();
        site.place_assets(content.assets);
        site.check_unique_paths(&mut diagnostics);
        site.freshness = freshness::states(&site.pages, |page| site.source_of(page));
        (site, diagnostics)
    }

    /// The version of the page `key` in `lang`, or else in the nearest language of its fallback
    /// chain that has one (a Dari reader gets the Farsi page before the English one).
    pub fn find(&self, key: &str, lang: LangId) -> Option<PageId> {
        let versions = self.groups.get(key)?;
        versions[lang].or_else(|| {
            self.config
                .language(lang)
                .fallbacks
                .iter()
                .find_map(|&other| versions[other])
        })
    }

    /// The file that failed to load and so left a link in `lang` (or, with `explicit`, to that
    /// language only) with no page: the one the link would have reached.
    pub fn failed_file(&self, key: &str, lang: LangId, explicit: bool) -> Option<&str> {
        let failed = self.failed.get(key)?;
        let failed_in = |l: LangId| {
            failed
                .iter()
                .find(|(failed_lang, _)| *failed_lang == l)
                .map(|(_, file)| file.as_str())
        };
        if explicit {
            return failed_in(lang);
        }
        std::iter::once(lang)
            .chain(self.config.language(lang).fallbacks.iter().copied())
            .find_map(failed_in)
    }

    /// Every page's id, in the order pages were loaded.
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> + use<> {
        (0..self.pages.len()).map(PageId)
    }

    pub fn versions(&self, id: PageId) -> &[Option<PageId>] {
        self.groups
            .get(&self.pages[id].key)
            .map_or(&[], Vec::as_slice)
    }

    /// Page `id`'s version in each language, with the language, in site.yaml's order.
    pub fn versions_by_language(
        &self,
        id: PageId,
    ) -> impl Iterator<Item = (LangId, Option<PageId>)> + '_ {
        self.versions(id)
            .iter()
            .enumerate()
            .map(|(lang, version)| (LangId(lang), *version))
    }

    /// The default language's version of a translation; `None` for a page in the default
    /// language, or one whose default-language version is missing.
    pub fn source_of(&self, page: PageId) -> Option<PageId> {
        let default = self.config.default_language;
        if self.pages[page].lang == default {
            return None;
        }
        self.versions(page).get(default.index()).copied().flatten()
    }

    /// Whether translation `page` matches its source, or `None` when it is not a translation.
    pub fn translation_state(&self, page: PageId) -> Option<Freshness> {
        let state = self.freshness.get(page.index())?.clone()?;
        Some(Freshness {
            page,
            source: self.source_of(page)?,
            state,
        })
    }

    /// Every translation (a page not in the default language whose default-language version
    /// exists), in page order, with its state. Drafts are included: a draft can be out of date
    /// too.
    pub fn translations(&self) -> Vec<Freshness> {
        self.page_ids()
            .filter_map(|id| self.translation_state(id))
            .collect()
    }

    pub fn url(&self, id: PageId) -> String {
        self.config.url(&self.places[id].path)
    }

    pub fn permalink(&self, id: PageId) -> String {
        self.config.permalink(&self.places[id].path)
    }

    /// The home page of `lang` (or the default language's).
    pub fn home(&self, lang: LangId) -> Option<PageId> {
        self.find("_index.md", lang)
    }

    /// The URL of `lang`'s home page: its own, the nearest one along its fallback chain, or (with
    /// no home page at all, itself an error) the language's root.
    pub fn home_url(&self, lang: LangId) -> String {
        self.home(lang).map_or_else(
            || self.config.url(&self.config.language(lang).prefix),
            |h| self.url(h),
        )
    }

    /// Whether page `id` is in (or is) one of the sections `sections` names, as site.yaml
    /// names them: folders under content/, such as `editors` or `guidance/forms`.
    pub fn in_sections(&self, id: PageId, sections: &[String]) -> bool {
        let key = &self.pages[id].key;
        sections.iter().any(|section| {
            key.strip_prefix(section.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// For the people who run the site (site.yaml's `staff_sections`).
    pub fn is_staff(&self, id: PageId) -> bool {
        self.in_sections(id, &self.config.staff_sections)
    }

    /// Written for patients (site.yaml's `patient_sections`).
    pub fn is_for_patients(&self, id: PageId) -> bool {
        self.in_sections(id, &self.config.patient_sections)
    }

    fn assign_paths(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        let default = self.config.default_language;
        for id in self.page_ids() {
            let page = &self.pages[id];
            let prefix = &self.config.language(page.lang).prefix;
            let dir = if page.dir.is_empty() {
                String::new()
            } else {
                format!("{}/", page.dir)
            };
            let (path, slug) = match page.kind {
                PageKind::Section => {
                    let slug = page.dir.rsplit('/').next().unwrap_or("").to_owned();
                    (format!("{prefix}{dir}"), slug)
                }
                PageKind::Page => {
                    // A translation without its own slug follows the default language's, so
                    // all versions of a page share one path.
                    let inherited = self.groups[&page.key][default]
                        .and_then(|d| self.pages[d].front.slug.clone());
                    let slug = page
                        .front
                        .slug
                        .clone()
                        .or(inherited)
                        .unwrap_or_else(|| page.file_slug.clone());
                    if let Err(problem) = links::check_slug(&slug) {
                        diagnostics.push(
                            page.error_at_key(
                                Stage::Content,
                                "slug",
                                format!("the slug `{slug}` {problem}"),
                            )
                            .with_help(
                                "use letters, digits and hyphens, such as registering-without-id",
                            ),
                        );
                    }
                    (format!("{prefix}{dir}{slug}/"), slug)
                }
            };
            self.places[id].path = path;
            self.places[id].slug = slug;
            for alias in &page.front.aliases {
                match crate::paths::alias_file(alias) {
                    Ok(path) => self.aliases.push((path, id)),
                    Err(problem) => diagnostics.push(
                        page.error_at_key(Stage::Content, "aliases", format!("the alias `{alias}` {problem}"))
                            .with_help("write the old address as a path from the site root, such as /old/page/"),
                    ),
                }
            }
        }
    }

    /// The section a page or section belongs to: the nearest folder above it with `_index.md`.
    fn parent_key(&self, page: &Page) -> Option<String> {
        let mut dir = match page.kind {
            PageKind::Page => Some(page.dir.as_str()),
            PageKind::Section if page.dir.is_empty() => None,
            PageKind::Section => Some(page.dir.rsplit_once('/').map_or("", |(d, _)| d)),
        };
        while let Some(d) = dir {
            let key = if d.is_empty() {
                "_index.md".to_owned()
            } else {
                format!("{d}/_index.md")
            };
            if self.groups.contains_key(&key) {
                return Some(key);
            }
            dir = if d.is_empty() {
                None
            } else {
                Some(d.rsplit_once('/').map_or("", |(p, _)| p))
            };
        }
        None
    }

    /// The keys of the sections above a page, from the home page down.
    fn ancestor_keys(&self, page: &Page) -> Vec<String> {
        let mut keys = Vec::new();
        let mut cursor = self.parent_key(page);
        while let Some(key) = cursor {
            if keys.contains(&key) {
                break;
            }
            let section = self.groups[&key].iter().flatten().next().copied();
            cursor = section.and_then(|s| self.parent_key(&self.pages[s]));
            keys.push(key);
        }
        keys.reverse();
        keys
    }

    fn build_tree(&mut self) {
        let default = self.config.default_language;
        for id in self.page_ids() {
            let lang = self.pages[id].lang;
            // Each ancestor in the page's language where it has one: an Arabic page in an
            // untranslated section still has the Arabic home page above it.
            let ancestors: Vec<PageId> = self
                .ancestor_keys(&self.pages[id])
                .iter()
                .filter_map(|key| self.find(key, lang))
                .collect();
            let parent = ancestors.last().copied();
            self.places[id].parent = parent;
            self.places[id].ancestors = ancestors;
            let Some(parent) = parent else { continue };
            match self.pages[id].kind {
                PageKind::Page if self.pages[parent].lang == lang => {
                    self.places[parent].pages.push(id)
                }
                PageKind::Page => {}
                PageKind::Section => {
                    // A section lists its subsections in its own language, or in the default
                    // language where they have no translation, so navigation never hides one.
                    let parent_key = self.pages[parent].key.clone();
                    for version in self.groups[&parent_key].clone().into_iter().flatten() {
                        let plang = self.pages[version].lang;
                        let listed = if plang == lang {
                            true
                        } else {
                            lang == default && self.groups[&self.pages[id].key][plang].is_none()
                        };
                        if listed {
                            self.places[version].subsections.push(id);
                        }
                    }
                }
            }
        }
        let order = |pages: &[Page], a: &PageId, b: &PageId| {
            let (a, b) = (&pages[*a], &pages[*b]);
            (
                a.front.weight.unwrap_or(i64::MAX),
                a.front.title.to_lowercase(),
                &a.key,
            )
                .cmp(&(
                    b.front.weight.unwrap_or(i64::MAX),
                    b.front.title.to_lowercase(),
                    &b.key,
                ))
        };
        for id in self.page_ids() {
            let mut children = std::mem::take(&mut self.places[id].pages);
            children.sort_by(|a, b| order(&self.pages, a, b));
            for (i, &child) in children.iter().enumerate() {
                self.places[child].previous = i.checked_sub(1).map(|j| children[j]);
                self.places[child].next = children.get(i + 1).copied();
            }
            self.places[id].pages = children;
            let mut subsections = std::mem::take(&mut self.places[id].subsections);
            subsections.sort_by(|a, b| order(&self.pages, a, b));
            subsections.dedup();
            self.places[id].subsections = subsections;
        }
    }

    fn place_assets(&mut self, assets: Vec<Asset>) {
        for asset in assets {
            let path = match &asset.bundle_key {
                Some(key) => match self.groups.get(key).and_then(|v| {
                    v[self.config.default_language].or_else(|| v.iter().flatten().next().copied())
                }) {
                    Some(page) => format!("{}{}", self.places[page].path, asset.bundle_rel),
                    // The bundle's pages are all drafts: nothing links to its assets.
                    None => continue,
                },
                None => asset.rel.clone(),
            };
            self.assets.push((asset, path));
        }
    }

    /// The file each page, alias and asset is written to must be unique.
    fn check_unique_paths(&self, diagnostics: &mut Vec<Diagnostic>) {
        let mut owners: HashMap<String, String> = HashMap::new();
        let mut claim = |file: String, owner: String, diagnostic: &dyn Fn(&str) -> Diagnostic| {
            if let Some(first) = owners.get(&file) {
                diagnostics.push(diagnostic(first));
            } else {
                owners.insert(file, owner);
            }
        };
        for (id, page) in self.pages.iter().enumerate() {
            let path = &self.places[id].path;
            let line_key = if page.front.slug.is_some() {
                "slug"
            } else {
                "title"
            };
            claim(crate::paths::page_file(path), page.file.clone(), &|first| {
                page.error_at_key(
                    Stage::Content,
                    line_key,
                    format!(
                        "{} and {first} would both be published at /{path}",
                        page.file
                    ),
                )
                .with_help("give one of them a different `slug:` or file name")
            });
        }
        for (path, id) in &self.aliases {
            let page = &self.pages[*id];
            claim(path.clone(), page.file.clone(), &|first| {
                page.error_at_key(
                    Stage::Content,
                    "aliases",
                    format!(
                        "the alias /{path} of {} is already taken by {first}",
                        page.file
                    ),
                )
                .with_help("remove the alias, or change the other page's address")
            });
        }
        for (asset, path) in &self.assets {
            claim(path.clone(), format!("content/{}", asset.rel), &|first| {
                Diagnostic::error(
                    Stage::Content,
                    format!(
                        "content/{} and {first} would both be published at /{path}",
                        asset.rel
                    ),
                )
                .at(&format!("content/{}", asset.rel), None, 1, 1)
                .with_help("rename one of the two files")
            });
        }
    }
}
