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

use crate::build::{self, Options};
use crate::diagnostics::{Diagnostic, Stage};
use crate::incremental::{self, Applied, Change, LastBuild};
use crate::output;
use crate::text::count;

pub struct Settings {
    pub root: PathBuf,
    pub drafts: bool,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
}

struct Session {
    root: PathBuf,
    output: PathBuf,
    drafts: bool,
    /// The last good build, kept to render single pages again.
    last: Option<LastBuild>,
    /// Whether the last rebuild failed (then only a full build may follow).
    failed: bool,
    hub: Arc<live::Hub>,
    /// Held while serving: a `build` meanwhile would swap the served tree away.
    lock: output::lock::Lock,
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
        last: None,
        failed: false,
        hub: Arc::new(live::Hub::new()),
        lock,
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
    let base_path = session.last.as_ref().map_or_else(
        || "/".to_owned(),
        |last| last.site().config.base_path.clone(),
    );

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
            ..Options::default()
        }
    }

    fn rebuild(&mut self, changed: &BTreeSet<String>) -> Result<Applied, Vec<Diagnostic>> {
        // After a failure the files behind it may still be broken: only a build that reads
        // everything can say whether they are fixed.
        let result = match self.last.as_mut().filter(|_| !self.failed) {
            None => return self.full_build(),
            Some(last) => match last.plan(&self.root, changed) {
                Ok(Change::Full) => return self.full_build(),
                Ok(Change::Bodies(edits)) => last.apply_bodies(edits, &self.output),
                Ok(Change::Templates { templates, pages }) => {
                    let sheets = stylesheets(last);
                    let hub = Arc::clone(&self.hub);
                    last.apply_templates(
                        templates,
                        pages,
                        &self.output,
                        &hub.viewed(),
                        &mut |urls| hub.built(urls, &sheets, true),
                    )
                }
                Err(diagnostics) => Err(diagnostics),
            },
        };
        self.failed = result.is_err();
        if let Err(diagnostics) = &result {
            self.forget_if_written(diagnostics);
        }
        result
    }

    /// A build of everything, which renders again only the pages whose inputs changed since
    /// the last good build (all of them the first time), and replaces only files that differ.
    fn full_build(&mut self) -> Result<Applied, Vec<Diagnostic>> {
        let outcome = match &self.last {
            Some(last) => build::rebuild(&self.options(), &self.lock, last),
            None => build::build_kept(&self.options(), Some(&self.lock)),
        };
        let (Some(summary), Some(last)) = (outcome.summary, outcome.last) else {
            self.failed = true;
            self.forget_if_written(&outcome.diagnostics);
            return Err(outcome.diagnostics);
        };
        let how = if self.last.is_some() {
            Change::Full.how()
        } else {
            "full build"
        };
        self.last = Some(last);
        self.failed = false;
        Ok(Applied {
            changed: summary.changed,
            rendered: summary.pages_rendered,
            how,
            announced: Vec::new(),
        })
    }

    /// A write that failed halfway leaves files the last build does not know of: the next
    /// build starts afresh rather than trust its record of the output.
    fn forget_if_written(&mut self, diagnostics: &[Diagnostic]) {
        if diagnostics.iter().any(|d| d.stage == Stage::Output) {
            self.last = None;
        }
    }

    /// Rebuilds for a batch of changed files, says how it went and tells the browsers.
    fn on_change(&mut self, changed: &BTreeSet<String>) {
        let started = Instant::now();
        let changed = self.sources_among(changed);
        if changed.is_empty() {
            return;
        }
        let css_only = self
            .last
            .as_ref()
            .is_some_and(|last| watch::is_only_stylesheets(&changed, &last.site().config.theme));
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

    /// The changed paths that matter: a file that came and went before the rebuild (an
    /// editor's or `sed -i`'s temporary file, under `content/` or among the templates) was
    /// never a page, an asset or a template, and a removed stylesheet or string file elsewhere
    /// still calls for a full build.
    fn sources_among(&self, changed: &BTreeSet<String>) -> BTreeSet<String> {
        let Some(last) = &self.last else {
            return changed.clone();
        };
        let site = last.site();
        let templates = format!(
            "{}/",
            crate::paths::theme_folder(&site.config.theme, crate::paths::ThemeFolder::Templates)
        );
        let was_read = |rel: &str| {
            if rel.starts_with("content/") {
                site.pages.iter().any(|p| p.file == rel)
                    || site
                        .assets
                        .iter()
                        .any(|(a, _)| a.source == self.root.join(rel))
            } else if let Some(name) = rel.strip_prefix(&templates) {
                last.templates().file_of(name).is_some()
            } else {
                true
            }
        };
        changed
            .iter()
            .filter(|rel| self.root.join(rel).exists() || was_read(rel))
            .cloned()
            .collect()
    }

    /// The stylesheets of the current build, by name, as URLs.
    fn stylesheets(&self) -> Vec<(String, String)> {
        self.last.as_ref().map(stylesheets).unwrap_or_default()
    }

    /// URL paths of changed output files, as a browser's address bar shows them.
    fn page_urls(&self, changed: &[String]) -> Vec<String> {
        let base = self
            .last
            .as_ref()
            .map_or("/", |last| last.site().config.base_path.as_str());
        incremental::page_urls(base, changed)
    }
}

fn stylesheets(last: &LastBuild) -> Vec<(String, String)> {
    last.written()
        .keys()
        .filter_map(|path| {
            let file = path.strip_prefix("css/")?;
            let name = file.strip_suffix(".css")?.rsplit_once('.')?.0;
            Some((name.to_owned(), last.site().config.url(path)))
        })
        .collect()
}
