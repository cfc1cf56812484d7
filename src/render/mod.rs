//! The render stage: Markdown for every page, then templates, streamed to the output as each
//! page finishes so the whole site is never held in memory.

pub mod feeds;
pub mod offline;
pub mod practices;
pub mod translations;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::assets::Stylesheet;
use crate::diagnostics::{Diagnostic, Stage};
use crate::markdown::{self, Rendered};
use crate::output::Sink;
use crate::print::{Blob, Printed};
use crate::site::{PageId, Site};
use crate::templates::Templates;
use crate::templates::context::Shared;

/// Renders every page's Markdown (but for pages `kept` already holds, as watch mode knows them
/// unchanged), then checks `#anchor`s of `@/` links against the target pages' heading ids
/// (known only once every page is rendered).
pub fn markdown(site: &Site, mut kept: Vec<Option<Rendered>>) -> (Vec<Rendered>, Vec<Diagnostic>) {
    kept.resize_with(site.pages.len(), || None);
    let results: Vec<(Rendered, Vec<Diagnostic>)> = kept
        .into_par_iter()
        .enumerate()
        .map(|(id, kept)| (PageId(id), kept))
        .map(|(id, kept)| match kept {
            Some(rendered) => (rendered, Vec::new()),
            None => crate::slow::watched(
                format!("rendering the Markdown of {}", site.pages[id].file),
                || markdown::render(site, id),
            ),
        })
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for (r, d) in results {
        rendered.push(r);
        diagnostics.extend(d);
    }
    for id in site.page_ids() {
        diagnostics.extend(broken_anchors(site, &rendered, id, &site.pages[id].source));
    }
    (rendered, diagnostics)
}

/// Links with an `#anchor` from page `id` (whose file text is `source`) to a heading that the
/// target page does not have.
pub fn broken_anchors(
    site: &Site,
    rendered: &[Rendered],
    id: PageId,
    source: &str,
) -> Vec<Diagnostic> {
    let page = &site.pages[id];
    let mut diagnostics = Vec::new();
    for anchor in &rendered[id].anchors {
        let Some(target_rendered) = rendered.get(anchor.target.index()) else {
            continue;
        };
        if target_rendered.ids.contains(&anchor.anchor) {
            continue;
        }
        let target = &site.pages[anchor.target];
        let known = crate::suggest::ranked(
            &anchor.anchor,
            target_rendered.ids.iter().map(String::as_str),
        );
        let help = if known.is_empty() {
            format!(
                "{} has no headings to link to; remove `#{}`",
                target.file, anchor.anchor
            )
        } else {
            let near = crate::suggest::nearest(&anchor.anchor, known.iter().copied())
                .map(|id| format!("did you mean `#{id}`? "))
                .unwrap_or_default();
            format!(
                "{near}the headings of {} have the ids, nearest first: {}",
                target.file,
                known.join(", ")
            )
        };
        diagnostics.push(
            Diagnostic::error(
                Stage::Links,
                format!(
                    "broken link: {} has no heading `#{}`",
                    target.file, anchor.anchor
                ),
            )
            .at(&page.file, Some(source), anchor.line, anchor.col)
            .with_help(help),
        );
    }
    diagnostics
}

/// Every page's template must exist; checked before rendering so each problem is reported
/// once, at the page that names the template.
pub fn check_templates(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    let mut missing = Vec::new();
    let mut reported_defaults = Vec::new();
    for (id, page) in site.pages.iter().enumerate() {
        let name = site.pages[id].template();
        if templates.has(name) {
            continue;
        }
        let available = templates.names().join(", ");
        if page.front.template.is_some() {
            // Partials and the base layout are pieces of pages, not templates a page can name.
            let pages: Vec<&str> = templates
                .names()
                .into_iter()
                .filter(|n| !n.starts_with("partials/") && *n != "base.html")
                .collect();
            missing.push(
                page.error_at_key(
                    Stage::Templates,
                    "template",
                    format!(
                        "there is no template `{name}` in themes/{}/templates/",
                        site.config.theme
                    ),
                )
                .with_help(format!(
                    "{}a page can use one of: {}",
                    crate::suggest::did_you_mean(name, pages.iter().copied()),
                    pages.join(", ")
                )),
            );
        } else if !reported_defaults.contains(&name) {
            reported_defaults.push(name);
            missing.push(
                Diagnostic::error(
                    Stage::Templates,
                    format!(
                        "the theme `{}` has no template `{name}`, needed by {} and others like it",
                        site.config.theme, page.file
                    ),
                )
                .with_help(format!(
                    "add themes/{}/templates/{name}; the theme has: {available}",
                    site.config.theme
                )),
            );
        }
    }
    missing
}

/// Renders and writes every page, except those `unchanged` says the output already holds as
/// they would render (watch mode's shortcut). Gives the pages per language and how many were
/// rendered.
pub fn pages(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    rendered: &[Rendered],
    sink: &dyn Sink,
    unchanged: &(dyn Fn(PageId, &str) -> bool + Sync),
) -> (Vec<usize>, usize, Vec<Diagnostic>) {
    let outcomes: Vec<Result<bool, Box<(Diagnostic, PageId)>>> = rendered
        .par_iter()
        .enumerate()
        .map(|(id, rendered)| (PageId(id), rendered))
        .map(|(id, rendered)| {
            let path = page_path(site, id);
            if unchanged(id, &path) && sink.keep(&path) {
                return Ok(false);
            }
            let html =
                page(site, templates, shared, id, rendered).map_err(|d| Box::new((d, id)))?;
            sink.write(&path, &html)
                .map(|()| true)
                .map_err(|err| Box::new((crate::output::write_error(&path, &err), id)))
        })
        .collect();
    let mut per_language = vec![0; site.config.languages.len()];
    let mut count = 0;
    let mut failures: Vec<(Diagnostic, PageId)> = Vec::new();
    for (id, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Ok(fresh) => {
                per_language[site.pages[id].lang] += 1;
                count += usize::from(fresh);
            }
            Err(failure) => failures.push(*failure),
        }
    }
    (per_language, count, group_failures(site, failures))
}

/// Where page `id` is written, relative to the output folder.
pub fn page_path(site: &Site, id: PageId) -> String {
    crate::paths::page_file(&site.places[id].path)
}

/// One page's HTML, from its rendered Markdown.
pub fn page(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    id: PageId,
    rendered: &Rendered,
) -> Result<Vec<u8>, Diagnostic> {
    let context = shared.page(site, id, rendered);
    let mut html = Vec::with_capacity(32 * 1024);
    templates.render(site.pages[id].template(), &context, &mut html)?;
    Ok(html)
}

/// One template mistake fails every page using it: report it once, naming the first page and
/// how many others.
fn group_failures(site: &Site, failures: Vec<(Diagnostic, PageId)>) -> Vec<Diagnostic> {
    let mut groups: Vec<(Diagnostic, PageId, usize)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (diagnostic, id) in failures {
        let key = diagnostic.to_string();
        match index.get(&key) {
            Some(&i) => groups[i].2 += 1,
            None => {
                index.insert(key, groups.len());
                groups.push((diagnostic, id, 1));
            }
        }
    }
    groups
        .into_iter()
        .map(|(diagnostic, id, count)| {
            let others = match count {
                1 => String::new(),
                n => format!(
                    " and {}",
                    crate::text::count(n - 1, "other page", "other pages")
                ),
            };
            diagnostic.with_note(format!(
                "met while rendering {}{others}",
                site.pages[id].file
            ))
        })
        .collect()
}

/// Everything that is not a page: stylesheets, static files and content assets, the 404 page,
/// aliases, feeds, sitemap and robots.txt.
pub fn site_files(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    sheets: &[Stylesheet],
    statics: &[(String, std::path::PathBuf)],
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    // One 404 page per language, at its prefix; the default language's, at the root, is the
    // one every host serves, so it says it in every language.
    let mut not_found = Vec::with_capacity(site.config.languages.len());
    for lang in site.config.language_ids() {
        let html = if templates.has("404.html") {
            let mut html = Vec::new();
            if let Err(d) = templates.render("404.html", &shared.base(site, lang), &mut html) {
                return vec![d];
            }
            html
        } else if lang == site.config.default_language {
            feeds::plain_404(site).into_bytes()
        } else {
            continue;
        };
        not_found.push((crate::paths::not_found(site.config.language(lang)), html));
    }
    let mut diagnostics = Vec::new();
    let mut write = |path: &str, bytes: &[u8]| {
        if let Err(err) = sink.write(path, bytes) {
            diagnostics.push(crate::output::write_error(path, &err));
        }
    };
    for sheet in sheets {
        write(&sheet.path, &sheet.bytes);
    }
    for (path, html) in &not_found {
        write(path, html);
    }
    for (path, target) in &site.aliases {
        write(path, feeds::redirect(site, *target).as_bytes());
    }
    for lang in site.config.language_ids() {
        let path = crate::paths::feed(site.config.language(lang));
        write(&path, feeds::atom(site, lang).as_bytes());
    }
    write("sitemap.xml", feeds::sitemap(site).as_bytes());
    write("robots.txt", feeds::robots(site).as_bytes());

    // Content files win over static files at the same path: they are the site's own.
    let mut copies: HashMap<&str, &std::path::Path> = statics
        .iter()
        .map(|(path, from)| (path.as_str(), from.as_path()))
        .collect();
    copies.extend(
        site.assets
            .iter()
            .map(|(asset, path)| (path.as_str(), asset.source.as_path())),
    );
    let copy_errors: Vec<Diagnostic> = copies
        .into_par_iter()
        .filter_map(|(path, from)| {
            sink.copy(path, from)
                .err()
                .map(|err| crate::output::write_error(path, &err))
        })
        .collect();
    diagnostics.extend(copy_errors);
    diagnostics
}

/// The PDFs, previews and ZIPs the print stage made; those reused from the cache are linked,
/// not copied.
pub fn print_files(printed: &Printed, sink: &dyn Sink) -> Vec<Diagnostic> {
    printed
        .files
        .par_iter()
        .filter_map(|file| {
            let result = match &file.blob {
                Blob::Bytes(bytes) => sink.write(&file.path, bytes),
                Blob::Cached(from) => sink.link(&file.path, from),
            };
            result
                .err()
                .map(|err| crate::output::write_error(&file.path, &err))
        })
        .collect()
}
