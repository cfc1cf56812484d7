//! `safe-surgeries serve`: build, serve `output/` on this computer, and rebuild on every save.
//!
//! The server serves the output folder on disk, not a copy in memory: what an editor sees is
//! byte for byte what `build` writes, the tests compare that folder with a clean build, and a
//! 20,000-page site does not need its 450 MB held in memory. Rebuilds write only files that
//! changed, each replaced whole, and a failed rebuild writes nothing: the last good site stays
//! served while the errors show over the page and in the terminal.

mod conn;
mod http;
mod live;
mod watch;

use std::collections::BTreeSet;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::build::{self, Built, Options};
use crate::diagnostics::{Diagnostic, Stage};
use crate::markdown;
use crate::output::{self, Written};
use crate::render;
use crate::site::PageId;
use crate::text::count;

pub struct Settings {
    pub root: PathBuf,
    pub drafts: bool,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
}

/// What a rebuild did, for the terminal and the browser.
struct Rebuilt {
    /// Output files written or removed.
    changed: Vec<String>,
    /// Pages rendered again.
    rendered: usize,
    how: &'static str,
    /// Page URLs announced as rebuilt before the rest was done.
    announced: Vec<String>,
}

struct Session {
    root: PathBuf,
    output: PathBuf,
    drafts: bool,
    /// The last good build, kept to render single pages again.
    built: Option<Built>,
    /// Whether the last rebuild failed (then only a full build may follow).
    failed: bool,
    hub: Arc<live::Hub>,
    /// Held while serving: a `build` meanwhile would swap the served tree away.
    lock: Arc<output::lock::Lock>,
}

pub fn run(settings: &Settings) -> Result<(), String> {
    let (mut session, server) = open(settings)?;
    // Watching from before the first build, so that a file saved while it runs, or as soon as
    // the first page is served, is rebuilt too.
    let mut watcher = watch::Watcher::new(&session.root)
        .map_err(|e| format!("cannot watch {}: {e}", session.root.display()))?;
    let started = Instant::now();
    match session.full_build() {
        Ok(rebuilt) => say(&format!(
            "Built {} ({} written) in {} ms",
            count(rebuilt.rendered, "page", "pages"),
            count(rebuilt.changed.len(), "file", "files"),
            started.elapsed().as_millis()
        )),
        Err(diagnostics) => report_failure(&session.hub, &diagnostics, &BTreeSet::new()),
    }
    let url = listen(settings, &session, server)?;
    if settings.open {
        open_browser(&url);
    }
    while let Some(changed) = watcher.next_batch() {
        session.on_change(&changed);
    }
    Ok(())
}

/// The session, holding the output's lock, and the port it will serve on: both taken before
/// the first build, which takes a while on a big site, so that a busy port or a running
/// `build` fails at once.
fn open(settings: &Settings) -> Result<(Session, std::net::TcpListener), String> {
    // Absolute, because file events name absolute paths.
    let site_root = settings.root.canonicalize().map_err(|e| {
        format!(
            "cannot open the site folder {}: {e}",
            settings.root.display()
        )
    })?;
    let output = site_root.join("output");
    let server = std::net::TcpListener::bind((settings.bind, settings.port)).map_err(|e| {
        format!(
            "cannot listen on {}:{}: {e} (is another server using the port? try --port)",
            settings.bind, settings.port
        )
    })?;
    let lock = output::lock::Lock::acquire(&output, output::lock::Holder::Serve).map_err(|e| {
        let (message, help) = e.explain(&output);
        format!("{message}: {help}")
    })?;
    let session = Session {
        root: site_root,
        output,
        drafts: settings.drafts,
        built: None,
        failed: false,
        hub: Arc::new(live::Hub::new()),
        lock: Arc::new(lock),
    };
    Ok((session, server))
}

/// Serves the output on `server` from a thread of its own; gives the site's address.
fn listen(
    settings: &Settings,
    session: &Session,
    server: std::net::TcpListener,
) -> Result<String, String> {
    std::fs::create_dir_all(&session.output)
        .map_err(|e| format!("cannot create {}: {e}", session.output.display()))?;
    let root = session
        .output
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", session.output.display()))?;
    let base_path = session
        .built
        .as_ref()
        .map_or_else(|| "/".to_owned(), |b| b.site.config.base_path.clone());

    let address = server.local_addr().map_or_else(
        |_| format!("{}:{}", settings.bind, settings.port),
        |a| a.to_string(),
    );
    let url = format!("http://{address}{base_path}");
    if !settings.bind.is_loopback() {
        say(&format!(
            "Warning: serving on {} makes the site, drafts included, visible to other computers on the network.",
            settings.bind
        ));
    }
    say(&format!(
        "Serving {url} (Ctrl+C to stop); watching for changes"
    ));
    let context = Arc::new(http::Context {
        root,
        base_path,
        hub: Arc::clone(&session.hub),
    });
    std::thread::spawn(move || {
        conn::accept(
            &server,
            Arc::new(move |request, connection| http::handle(request, connection, &context)),
        );
    });
    Ok(url)
}

fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Shows the problems in the terminal and over the open pages, those in the files just saved
/// first: that is the editor's latest mistake, and what they are looking at.
fn report_failure(hub: &live::Hub, diagnostics: &[Diagnostic], edited: &BTreeSet<String>) {
    // Every way a rebuild fails ends here, so each is sorted and folded as a build's are.
    let diagnostics: Vec<Diagnostic> = diagnostics
        .iter()
        .cloned()
        .collect::<crate::diagnostics::Diagnostics>()
        .into_sorted();
    let diagnostics = diagnostics.as_slice();
    let in_edited = |d: &&Diagnostic| d.span.as_ref().is_some_and(|s| edited.contains(&s.file));
    let text: Vec<String> = diagnostics
        .iter()
        .filter(in_edited)
        .chain(diagnostics.iter().filter(|d| !in_edited(d)))
        .map(ToString::to_string)
        .collect();
    let text = text.join("\n");
    say(&text);
    hub.failed(text);
}

/// "content/guidance/registration.md changed", or "3 files changed".
fn describe(changed: &BTreeSet<String>) -> String {
    match changed.len() {
        1 => format!(
            "{} changed",
            changed.iter().next().map_or("", String::as_str)
        ),
        n => format!("{} changed", count(n, "file", "files")),
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        say(&format!("Could not open a browser; open {url} yourself."));
    }
}

impl Session {
    fn options(&self) -> Options {
        Options {
            root: self.root.clone(),
            output: Some(self.output.clone()),
            drafts: self.drafts,
            print_bleed_mm: None,
            keep: true,
            in_place: None,
            keep_going: false,
            force: false,
            lock: Some(Arc::clone(&self.lock)),
        }
    }

    fn rebuild(&mut self, changed: &BTreeSet<String>) -> Result<Rebuilt, Vec<Diagnostic>> {
        // After a failure the files behind it may still be broken: only a build that reads
        // everything can say whether they are fixed.
        if !self.failed {
            let quick = match self.bodies_only(changed) {
                Some(result) => Some(result),
                None => self.templates_only(changed),
            };
            if let Some(result) = quick {
                self.failed = result.is_err();
                return result;
            }
        }
        self.full_build()
    }

    /// A build of everything, which renders again only the pages whose inputs changed since
    /// the last good build (all of them the first time), and replaces only files that differ.
    fn full_build(&mut self) -> Result<Rebuilt, Vec<Diagnostic>> {
        let outcome = match &self.built {
            Some(previous) => build::rebuild(&self.options(), previous),
            None => build::build(&self.options()),
        };
        let (Some(_), Some(built)) = (outcome.summary, outcome.built) else {
            self.failed = true;
            // A write that failed halfway leaves files the last build does not know of: the
            // next build starts afresh rather than trust its record of the output.
            if outcome.diagnostics.iter().any(|d| d.stage == Stage::Output) {
                self.built = None;
            }
            return Err(outcome.diagnostics);
        };
        let how = if self.built.is_some() {
            "changed pages"
        } else {
            "full build"
        };
        let rebuilt = Rebuilt {
            changed: built.changed.clone(),
            rendered: built.pages_rendered,
            how,
            announced: Vec::new(),
        };
        self.built = Some(built);
        self.failed = false;
        Ok(rebuilt)
    }

    /// Where only the bodies of existing, non-printable pages changed (their front matter
    /// byte for byte the same), nothing but those pages can differ: render just them again.
    /// `None` when the change is of any other kind.
    fn bodies_only(
        &mut self,
        changed: &BTreeSet<String>,
    ) -> Option<Result<Rebuilt, Vec<Diagnostic>>> {
        let built = self.built.as_mut()?;
        let site = Arc::clone(&built.site);
        let mut edits: Vec<(PageId, String)> = Vec::new();
        for rel in changed {
            let id = site.pages.iter().position(|p| &p.file == rel)?;
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
            let bytes = std::fs::read(self.root.join(rel)).ok()?;
            let text = crate::source::decode(&bytes, rel, Stage::Content).ok()?;
            // A full build replaces control characters, and warns about them.
            if crate::source::has_controls(&text) {
                return None;
            }
            let front = page.source.as_bytes().get(..page.body_offset)?;
            if text.as_bytes().get(..page.body_offset) != Some(front) {
                return None;
            }
            edits.push((id, text));
        }
        let mut diagnostics = Vec::new();
        let mut fresh = Vec::new();
        for (id, text) in &edits {
            let (rendered, found) = markdown::render_text(&site, *id, text);
            diagnostics.extend(found);
            fresh.push((*id, rendered));
        }
        // Anchors: from the edited pages, and from every page into them.
        let mut rendered = std::mem::take(&mut built.rendered);
        let mut previous = Vec::new();
        for (id, r) in fresh {
            previous.push((id, std::mem::replace(&mut rendered[id], r)));
        }
        for (id, text) in &edits {
            diagnostics.extend(render::broken_anchors(&site, &rendered, *id, text));
        }
        let edited: Vec<PageId> = edits.iter().map(|(id, _)| *id).collect();
        for (from, r) in rendered.iter().enumerate() {
            if !edited.contains(&from) && r.anchors.iter().any(|a| edited.contains(&a.target)) {
                diagnostics.extend(render::broken_anchors(
                    &site,
                    &rendered,
                    from,
                    &site.pages[from].source,
                ));
            }
        }
        let mut pages = Vec::new();
        if !diagnostics.iter().any(Diagnostic::is_error) {
            for &id in &edited {
                match render::page(&site, &built.templates, &built.shared, id, &rendered[id]) {
                    Ok(html) => pages.push((render::page_path(&site, id), html)),
                    Err(d) => diagnostics.push(d),
                }
            }
            // The search index of each edited page's language holds the page's text.
            if crate::search::enabled(&built.templates) {
                let langs = edited.iter().map(|&id| site.pages[id].lang);
                pages.extend(crate::search::indexes(&site, &rendered, langs));
            }
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            for (id, r) in previous {
                rendered[id] = r;
            }
            built.rendered = rendered;
            return Some(Err(diagnostics));
        }
        built.rendered = rendered;
        Some(
            write_changed(&self.output, &mut built.written, pages).map(|changed| {
                for &id in &edited {
                    let print = built.shared.fingerprint(&site, id, &built.rendered[id]);
                    built
                        .fingerprints
                        .insert(render::page_path(&site, id), print);
                }
                Rebuilt {
                    changed,
                    rendered: edited.len(),
                    how: "page bodies only",
                    announced: Vec::new(),
                }
            }),
        )
    }

    /// Where only page templates changed: load the templates again and render the pages whose
    /// template is, or uses, a changed one. `None` when anything else changed (a stylesheet, a
    /// removed template, the 404 page's template: a full build handles those).
    fn templates_only(
        &mut self,
        changed: &BTreeSet<String>,
    ) -> Option<Result<Rebuilt, Vec<Diagnostic>>> {
        let built = self.built.as_mut()?;
        let site = Arc::clone(&built.site);
        let prefix = format!(
            "{}/",
            crate::paths::theme_folder(&site.config.theme, crate::paths::ThemeFolder::Templates)
        );
        let mut names = Vec::new();
        for rel in changed {
            let name = rel.strip_prefix(&prefix)?;
            if !self.root.join(rel).is_file() {
                return None;
            }
            names.push(name.to_owned());
        }
        let templates = match crate::templates::load(&site, &built.css_urls) {
            Ok(templates) => templates,
            Err(errors) => return Some(Err(errors)),
        };
        let missing = render::check_templates(&site, &templates);
        if !missing.is_empty() {
            return Some(Err(missing));
        }
        let affected = templates.users_of(&names);
        if affected.contains("404.html") || affected.contains(crate::search::TEMPLATE) {
            return None;
        }
        let ids: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| affected.contains(site.pages[id].template()))
            .collect();
        // Many pages to render: those open in a browser first, so the editor sees the change
        // before the rest are done, as Hugo's fast render mode does (which leaves the rest
        // stale; here they follow at once, so the output stays what a build makes).
        let viewed: Vec<String> = self
            .hub
            .viewed()
            .iter()
            .filter_map(|page| crate::paths::file_of_url(&site.config.base_path, page))
            .collect();
        let (first, rest): (Vec<PageId>, Vec<PageId>) = ids
            .iter()
            .partition(|&&id| viewed.contains(&render::page_path(&site, id)));
        let mut changed = Vec::new();
        let mut announced = Vec::new();
        for (group, last) in [(first, false), (rest, true)] {
            if group.is_empty() {
                continue;
            }
            let written = render_and_write(
                &site,
                &templates,
                &built.shared,
                &built.rendered,
                &group,
                &self.output,
                &mut built.written,
            );
            let group_changed = match written {
                Ok(group_changed) => group_changed,
                Err(diagnostics) => return Some(Err(diagnostics)),
            };
            if !last && !group_changed.is_empty() {
                announced = page_urls(&site.config.base_path, &group_changed);
                self.hub.built(&announced, &stylesheets(built), true);
            }
            changed.extend(group_changed);
        }
        built.global_fingerprint = build::global_fingerprint(&site, &templates, &built.css_urls);
        built.templates = templates;
        Some(Ok(Rebuilt {
            changed,
            rendered: ids.len(),
            how: "templates only",
            announced,
        }))
    }

    /// Rebuilds for a batch of changed files, says how it went and tells the browsers.
    fn on_change(&mut self, changed: &BTreeSet<String>) {
        let started = Instant::now();
        let changed = self.sources_among(changed);
        if changed.is_empty() {
            return;
        }
        let css_only = self
            .built
            .as_ref()
            .is_some_and(|b| watch::is_only_stylesheets(&changed, &b.site.config.theme));
        let outcome = self.rebuild(&changed);
        let took = started.elapsed().as_millis();
        let what = describe(&changed);
        match outcome {
            Ok(rebuilt) => {
                say(&format!(
                    "{what}: {} ({} rendered, {} changed) in {took} ms",
                    rebuilt.how,
                    count(rebuilt.rendered, "page", "pages"),
                    count(rebuilt.changed.len(), "file", "files")
                ));
                let sheets = self.stylesheets();
                let pages = if css_only {
                    Vec::new()
                } else {
                    let mut pages = self.page_urls(&rebuilt.changed);
                    // Pages already told to reload (see `templates_only`) are not told twice.
                    pages.retain(|page| !rebuilt.announced.contains(page));
                    pages
                };
                self.hub.built(&pages, &sheets, false);
            }
            Err(diagnostics) => {
                say(&format!(
                    "{what}: the build failed in {took} ms; the last good site is still served"
                ));
                report_failure(&self.hub, &diagnostics, &changed);
            }
        }
    }

    /// The changed paths that matter: an editor's temporary files under `content/` (created
    /// and gone before the rebuild, such as `sed -i`'s) were never pages or assets.
    fn sources_among(&self, changed: &BTreeSet<String>) -> BTreeSet<String> {
        let Some(built) = &self.built else {
            return changed.clone();
        };
        changed
            .iter()
            .filter(|rel| {
                !rel.starts_with("content/")
                    || self.root.join(rel).exists()
                    || built.site.pages.iter().any(|p| &&p.file == rel)
                    || built
                        .site
                        .assets
                        .iter()
                        .any(|(a, _)| a.source == self.root.join(rel))
            })
            .cloned()
            .collect()
    }

    /// The stylesheets of the current build, by name, as URLs.
    fn stylesheets(&self) -> Vec<(String, String)> {
        self.built.as_ref().map(stylesheets).unwrap_or_default()
    }

    /// URL paths of changed output files, as a browser's address bar shows them.
    fn page_urls(&self, changed: &[String]) -> Vec<String> {
        let base = self
            .built
            .as_ref()
            .map_or("/", |b| b.site.config.base_path.as_str());
        page_urls(base, changed)
    }
}

fn stylesheets(built: &Built) -> Vec<(String, String)> {
    built
        .written
        .keys()
        .filter_map(|path| {
            let file = path.strip_prefix("css/")?;
            let name = file.strip_suffix(".css")?.rsplit_once('.')?.0;
            Some((name.to_owned(), built.site.config.url(path)))
        })
        .collect()
}

fn page_urls(base: &str, changed: &[String]) -> Vec<String> {
    changed
        .iter()
        .map(|path| format!("{base}{}", crate::paths::folder_of_page(path)))
        .collect()
}

/// Renders pages `ids` and writes those whose bytes differ from what the output holds.
fn render_and_write(
    site: &crate::site::Site,
    templates: &crate::templates::Templates,
    shared: &crate::templates::context::Shared,
    rendered: &[markdown::Rendered],
    ids: &[PageId],
    output: &std::path::Path,
    written: &mut Written,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let pages: Vec<Result<(String, Vec<u8>), Diagnostic>> = ids
        .par_iter()
        .map(|&id| {
            render::page(site, templates, shared, id, &rendered[id])
                .map(|html| (render::page_path(site, id), html))
        })
        .collect();
    let mut htmls = Vec::with_capacity(pages.len());
    let mut diagnostics = Vec::new();
    for page in pages {
        match page {
            Ok(p) => htmls.push(p),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    write_changed(output, written, htmls)
}

/// Writes the pages whose bytes differ from what the output holds; gives their paths.
fn write_changed(
    output: &std::path::Path,
    written: &mut Written,
    pages: Vec<(String, Vec<u8>)>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let changed: Vec<(String, blake3::Hash, Vec<u8>)> = pages
        .into_par_iter()
        .filter_map(|(path, html)| {
            let hash = blake3::hash(&html);
            (written.get(&path) != Some(&hash)).then_some((path, hash, html))
        })
        .collect();
    let errors: Vec<Diagnostic> = changed
        .par_iter()
        .filter_map(|(path, _, html)| {
            output::replace_file(output, path, html)
                .err()
                .map(|err| crate::output::write_error(path, &err))
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(changed
        .into_iter()
        .map(|(path, hash, _)| {
            written.insert(path.clone(), hash);
            path
        })
        .collect())
}
