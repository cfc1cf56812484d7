//! What templates see. Values shared by many pages (listings, navigation, the site) are built
//! once as Tera values, whose lists and maps are reference-counted, so giving them to 20,000
//! pages costs a pointer copy each.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Value};

use crate::config::LangId;
use crate::content::TranslationStatus;
use crate::markdown::{Rendered, TocEntry};
use crate::print::Printed;
use crate::site::{PageId, Site};

mod print;

pub struct Shared {
    site: Value,
    languages: Value,
    /// Per language: the home page's subsections (`nav`).
    nav: Vec<Value>,
    feed_urls: Vec<String>,
    /// Per page: the short form used in listings, breadcrumbs and neighbours.
    summaries: Vec<Value>,
    /// Per version of a printable item: its preview and downloads, and the other languages'.
    print: HashMap<PageId, Value>,
    /// Per language: everything printable in it (`printables`) and its ZIP (`print_zip`).
    printables: Vec<Value>,
    print_zips: Vec<Value>,
    /// Every language's items and ZIP (`print_hub`), the same for every page.
    print_hub: Value,
    /// Per language: its offline copy's URL and size (`offline_zip`), where it has one.
    offline_zips: Vec<Value>,
    /// Digests of the parts above, for [`Shared::fingerprint`]: per language, of its
    /// [`Shared::base`] context; per page, of its summary.
    base_prints: Vec<blake3::Hash>,
    summary_prints: Vec<blake3::Hash>,
    /// Per section, a digest of its `pages`, and of those with its `subsections` (each with
    /// its own `pages`); for other pages, of nothing.
    pages_prints: Vec<blake3::Hash>,
    list_prints: Vec<blake3::Hash>,
}

#[derive(Serialize)]
struct SiteFields<'a> {
    title: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    default_language: &'a str,
    /// The page listing practices.yaml's practices, when there are any.
    practices_url: Option<String>,
    /// Where "Exit this page" goes.
    exit_url: &'a str,
    extra: &'a serde_yaml::Value,
}

#[derive(Serialize)]
struct LanguageFields<'a> {
    code: &'a str,
    name: &'a str,
    /// Its name in the default language, where site.yaml gives one.
    default_name: Option<&'a str>,
    dir: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    lang: &'a str,
    url: String,
    description: Option<&'a str>,
    date: Option<&'a str>,
    weight: Option<i64>,
    translation: Option<TranslationStatus>,
    /// In one of site.yaml's `staff_sections`: for the people who run the site.
    staff: bool,
    /// In one of site.yaml's `patient_sections`.
    patient: bool,
}

#[derive(Serialize)]
struct Translation<'a> {
    lang: &'a str,
    name: &'a str,
    dir: &'a str,
    url: String,
    permalink: String,
    current: bool,
    translation: Option<TranslationStatus>,
}

#[derive(Serialize)]
struct PageFields<'a> {
    title: &'a str,
    description: Option<&'a str>,
    date: Option<&'a str>,
    updated: Option<&'a str>,
    weight: Option<i64>,
    tags: &'a [String],
    extra: &'a serde_yaml::Value,
    draft: bool,
    translation: Option<TranslationStatus>,
    /// For a reviewed translation, the day it was checked (`translate review`).
    reviewed: Option<&'a str>,
    content: &'a str,
    toc: &'a [TocEntry],
    lang: &'a str,
    dir: &'a str,
    url: String,
    permalink: String,
    slug: &'a str,
    path: &'a str,
    /// See [`Summary::staff`]; pages that are not get "Exit this page".
    staff: bool,
    x_default: String,
    translations: Vec<Translation<'a>>,
    /// Every configured language in order, linking this page's version or, where there is
    /// none, that language's home page, so a switcher can say the page is not translated.
    all_languages: Vec<Switch<'a>>,
    /// For a translation whose source changed since it was marked current, the source, so the
    /// page can tell readers and link it; none otherwise (see [`crate::freshness`]).
    stale: Option<Stale<'a>>,
}

#[derive(Serialize)]
struct Stale<'a> {
    /// The day the source changed (`YYYY-MM-DD`), or none when its dates do not tell.
    since: Option<String>,
    /// How many of the page's parts changed in English, and how many it has, where its
    /// per-segment record tells (each changed paragraph is then shown with its English).
    changed: Option<usize>,
    total: Option<usize>,
    url: String,
    lang: &'a str,
    dir: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct Switch<'a> {
    lang: &'a str,
    name: &'a str,
    dir: &'a str,
    url: String,
    current: bool,
    translated: bool,
}

pub fn value<T: Serialize>(fields: &T) -> Value {
    // Our field types (strings, numbers, YAML values with string keys) always serialise;
    // a YAML map with a non-text key is the one thing that could not, and then `none` is shown.
    Value::try_from_serializable(fields).unwrap_or_else(|_| Value::none())
}

fn list(shared: &Shared, ids: &[PageId]) -> Value {
    Value::from(
        ids.iter()
            .map(|id| shared.summaries[*id].clone())
            .collect::<Vec<_>>(),
    )
}

/// The `site` every template sees: site.yaml's title, addresses and `extra`.
fn site_value(site: &Site) -> Value {
    let config = &site.config;
    value(&SiteFields {
        title: &config.title,
        base_url: &config.base_url,
        base_path: &config.base_path,
        default_language: &config.language(config.default_language).code,
        practices_url: (!site.practices.is_empty()).then(|| config.url(crate::paths::PRACTICES)),
        exit_url: &config.exit_page.url,
        extra: &config.extra,
    })
}

/// The `languages` every template sees: each configured language with its home page's URL.
fn language_values(site: &Site) -> Value {
    Value::from(
        site.config
            .each_language()
            .map(|(id, l)| {
                value(&LanguageFields {
                    code: &l.code,
                    name: &l.name,
                    default_name: l.default_name.as_deref(),
                    dir: l.dir.as_str(),
                    url: site.home_url(id),
                })
            })
            .collect::<Vec<_>>(),
    )
}

/// Each page's summary, by page id: built once, then shared by every listing that has it.
fn summary_values(site: &Site) -> Vec<Value> {
    let config = &site.config;
    site.page_ids()
        .map(|id| (id, &site.pages[id]))
        .map(|(id, page)| {
            value(&Summary {
                title: &page.front.title,
                lang: &config.language(page.lang).code,
                url: site.url(id),
                description: page.front.description.as_deref(),
                date: page.front.date.as_ref().map(|d| d.as_str()),
                weight: page.front.weight,
                translation: page.front.translation,
                staff: site.is_staff(id),
                patient: site.is_for_patients(id),
            })
        })
        .collect()
}

impl Shared {
    pub fn new(site: &Site, printed: &Printed) -> Shared {
        let config = &site.config;
        let (print, printables) = print::print_values(site, printed);
        let print_zips = print::zip_values(site, printed);
        let print_hub = print::hub_value(site, &printables, &print_zips);
        let mut shared = Shared {
            print,
            printables,
            print_zips,
            print_hub,
            offline_zips: vec![Value::none(); config.languages.len()],
            site: site_value(site),
            languages: language_values(site),
            nav: Vec::new(),
            feed_urls: config
                .languages
                .iter()
                .map(|l| config.url(&crate::paths::feed(l)))
                .collect(),
            summaries: summary_values(site),
            base_prints: Vec::new(),
            summary_prints: Vec::new(),
            pages_prints: Vec::new(),
            list_prints: Vec::new(),
        };
        shared.nav = config
            .language_ids()
            .map(|lang| match site.home(lang) {
                Some(home) => list(&shared, &site.places[home].subsections),
                None => Value::from(Vec::<Value>::new()),
            })
            .collect();
        shared.digest_lists(site);
        shared.digest_bases(site);
        shared
    }

    /// Digests of each page's summary, and of each place's `pages` and of those with its
    /// `subsections`, so that a page's fingerprint changes when a listing it shows does.
    fn digest_lists(&mut self, site: &Site) {
        self.summary_prints = self
            .summaries
            .iter()
            .map(|summary| {
                let mut hasher = blake3::Hasher::new();
                digest(&mut hasher, summary);
                hasher.finalize()
            })
            .collect();
        let summary_prints = &self.summary_prints;
        let pages_print = |hasher: &mut blake3::Hasher, ids: &[PageId]| {
            // The length too, so that moving a page from one list to the next is a change.
            hasher.update(&(ids.len() as u64).to_le_bytes());
            for &p in ids {
                hasher.update(summary_prints[p].as_bytes());
            }
        };
        self.pages_prints = site
            .places
            .iter()
            .map(|place| {
                let mut hasher = blake3::Hasher::new();
                pages_print(&mut hasher, &place.pages);
                hasher.finalize()
            })
            .collect();
        self.list_prints = site
            .places
            .iter()
            .enumerate()
            .map(|(id, place)| {
                let mut hasher = blake3::Hasher::new();
                hasher.update(self.pages_prints[id].as_bytes());
                pages_print(&mut hasher, &place.subsections);
                for &section in &place.subsections {
                    pages_print(&mut hasher, &site.places[section].pages);
                }
                hasher.finalize()
            })
            .collect();
    }

    fn digest_bases(&mut self, site: &Site) {
        self.base_prints = site
            .config
            .language_ids()
            .map(|lang| {
                let mut hasher = blake3::Hasher::new();
                digest(&mut hasher, &self.base_parts(site, lang));
                hasher.finalize()
            })
            .collect();
    }

    /// Gives each language's pages its offline copy (made from pages rendered with this
    /// context, so known only after it): (language, URL, size in bytes).
    pub fn set_offline_zips(&mut self, site: &Site, zips: &[(LangId, String, u64)]) {
        #[derive(Serialize)]
        struct OfflineZip<'a> {
            url: &'a str,
            size: String,
        }
        for (lang, url, bytes) in zips {
            self.offline_zips[*lang] = value(&OfflineZip {
                url,
                size: print::isolated(crate::print::human_size(*bytes)),
            });
        }
        self.digest_bases(site);
    }

    /// The context common to every template of one language (the 404 page needs only this).
    pub fn base(&self, site: &Site, lang: LangId) -> Context {
        let mut context = Context::new();
        for (name, part) in self.base_parts(site, lang) {
            context.insert_value(name, part);
        }
        context
    }

    fn base_parts(&self, site: &Site, lang: LangId) -> [(&'static str, Value); 11] {
        let language = site.config.language(lang);
        [
            ("site", self.site.clone()),
            ("languages", self.languages.clone()),
            ("lang", Value::from(language.code.as_str())),
            ("dir", Value::from(language.dir.as_str())),
            ("feed_url", Value::from(self.feed_urls[lang].as_str())),
            ("nav", self.nav[lang].clone()),
            ("printables", self.printables[lang].clone()),
            ("print_zip", self.print_zips[lang].clone()),
            ("print_hub", self.print_hub.clone()),
            ("offline_zip", self.offline_zips[lang].clone()),
            // Where the theme's search page is, in this language (when it has one).
            (
                "search_url",
                Value::from(
                    site.config
                        .url(&crate::paths::search_folder(site.config.language(lang))),
                ),
            ),
        ]
    }

    /// The full context for rendering page `id` (a page or a section).
    pub fn page(&self, site: &Site, id: PageId, rendered: &Rendered) -> Context {
        let page = &site.pages[id];
        let mut map = value(&fields(site, id, rendered))
            .into_map()
            .unwrap_or_default();
        let summary = |p: Option<PageId>| p.map_or_else(Value::none, |p| self.summaries[p].clone());
        let lists = Lists::of(site, id);
        map.insert("ancestors".into(), list(self, lists.ancestors));
        map.insert("previous".into(), summary(lists.previous));
        map.insert("next".into(), summary(lists.next));
        map.insert("siblings".into(), list(self, lists.siblings));
        map.insert(
            "print".into(),
            self.print.get(&id).cloned().unwrap_or_else(Value::none),
        );
        let name = if let Some((pages, subsections)) = lists.section {
            map.insert("pages".into(), list(self, pages));
            map.insert(
                "subsections".into(),
                Value::from(
                    subsections
                        .iter()
                        .map(|&section| {
                            let mut map = self.summaries[section]
                                .clone()
                                .into_map()
                                .unwrap_or_default();
                            map.insert("pages".into(), list(self, &site.places[section].pages));
                            Value::from(map)
                        })
                        .collect::<Vec<_>>(),
                ),
            );
            "section"
        } else {
            "page"
        };
        let mut context = self.base(site, page.lang);
        context.insert_value(name, Value::from(map));
        context
    }

    /// A digest of everything [`Shared::page`] puts in page `id`'s context, read from the same
    /// pieces: two builds giving a page the same fingerprint, with the same templates, render
    /// it to the same bytes, so watch mode renders again only the pages whose fingerprint moved.
    pub fn fingerprint(&self, site: &Site, id: PageId, rendered: &Rendered) -> blake3::Hash {
        let mut hasher = blake3::Hasher::new();
        hasher.update(site.pages[id].template().as_bytes());
        hasher.update(self.base_prints[site.pages[id].lang].as_bytes());
        // The text through its digest: hashing every page's HTML again would cost more than
        // the rest together.
        let mut own = fields(site, id, rendered);
        own.content = "";
        own.toc = &[];
        digest(&mut hasher, &own);
        hasher.update(&rendered.digest);
        let lists = Lists::of(site, id);
        for p in lists
            .ancestors
            .iter()
            .chain(&lists.previous)
            .chain(&lists.next)
        {
            hasher.update(self.summary_prints[*p].as_bytes());
        }
        hasher.update(&(lists.ancestors.len() as u64).to_le_bytes());
        hasher.update(&[
            u8::from(lists.previous.is_some()),
            u8::from(lists.next.is_some()),
        ]);
        // Siblings are the parent's pages, whose digest each section keeps once.
        match site.places[id].parent {
            Some(parent) => hasher.update(self.pages_prints[parent].as_bytes()),
            None => hasher.update(&[0]),
        };
        if lists.section.is_some() {
            hasher.update(self.list_prints[id].as_bytes());
        }
        if let Some(print) = self.print.get(&id) {
            digest(&mut hasher, print);
        }
        hasher.finalize()
    }
}

/// The pages whose summaries page `id`'s context lists.
struct Lists<'a> {
    ancestors: &'a [PageId],
    previous: Option<PageId>,
    next: Option<PageId>,
    siblings: &'a [PageId],
    /// For sections: their pages and subsections.
    section: Option<(&'a [PageId], &'a [PageId])>,
}

impl<'a> Lists<'a> {
    fn of(site: &'a Site, id: PageId) -> Lists<'a> {
        let place = &site.places[id];
        Lists {
            ancestors: &place.ancestors,
            previous: place.previous,
            next: place.next,
            siblings: place
                .parent
                .map_or(&[][..], |p| site.places[p].pages.as_slice()),
            section: site.pages[id]
                .is_section()
                .then_some((place.pages.as_slice(), place.subsections.as_slice())),
        }
    }
}

/// Feeds a value's JSON form to a hasher. Values that cannot be serialised (see [`value`])
/// feed nothing, as they render as `none`.
fn digest<T: Serialize + ?Sized>(hasher: &mut blake3::Hasher, fields: &T) {
    let _ = serde_json::to_writer(hasher, fields);
}

/// Page `id`'s own fields.
fn fields<'a>(site: &'a Site, id: PageId, rendered: &'a Rendered) -> PageFields<'a> {
    let page = &site.pages[id];
    let place = &site.places[id];
    let config = &site.config;
    let language = config.language(page.lang);
    let versions = site.versions(id);
    let x_default =
        versions[config.default_language].map_or_else(|| site.permalink(id), |d| site.permalink(d));
    let translations = site
        .versions_by_language(id)
        .filter_map(|(lang, v)| v.map(|v| (lang, v)))
        .map(|(lang, v)| {
            let l = config.language(lang);
            Translation {
                lang: &l.code,
                name: &l.name,
                dir: l.dir.as_str(),
                url: site.url(v),
                permalink: site.permalink(v),
                current: v == id,
                translation: site.pages[v].front.translation,
            }
        })
        .collect();
    let all_languages = site
        .versions_by_language(id)
        .map(|(lang, version)| {
            let l = config.language(lang);
            let url = match version {
                Some(v) => site.url(v),
                None => site.home_url(lang),
            };
            Switch {
                lang: &l.code,
                name: &l.name,
                dir: l.dir.as_str(),
                url,
                current: version == Some(id),
                translated: version.is_some(),
            }
        })
        .collect();
    PageFields {
        title: &page.front.title,
        description: page.front.description.as_deref(),
        date: page.front.date.as_ref().map(|d| d.as_str()),
        updated: page.front.updated.as_ref().map(|d| d.as_str()),
        weight: page.front.weight,
        tags: &page.front.tags,
        extra: &page.front.extra,
        draft: page.front.draft,
        translation: page.front.translation,
        reviewed: page.front.reviewed.as_ref().map(|d| d.as_str()),
        content: &rendered.html,
        toc: &rendered.toc,
        lang: &language.code,
        dir: language.dir.as_str(),
        url: site.url(id),
        permalink: site.permalink(id),
        slug: &place.slug,
        path: &page.key,
        staff: site.is_staff(id),
        x_default,
        translations,
        all_languages,
        stale: stale(site, id),
    }
}

fn stale(site: &Site, id: PageId) -> Option<Stale<'_>> {
    // Only a recorded hash can be out of date: skip hashing the source for the rest.
    site.pages[id].front.source_hash.as_ref()?;
    let freshness = site.translation_state(id)?;
    let crate::freshness::State::Stale { source_changed } = freshness.state else {
        return None;
    };
    let source = &site.pages[freshness.source];
    let language = site.config.language(source.lang);
    let parts = site.changed_parts.get(id.index()).and_then(Option::as_ref);
    Some(Stale {
        since: source_changed,
        changed: parts.map(|p| p.changed),
        total: parts.map(|p| p.total),
        url: site.url(freshness.source),
        lang: &language.code,
        dir: language.dir.as_str(),
        title: &source.front.title,
    })
}
