//! Watching the site's sources with notify, turning a burst of events (an editor's save, a
//! `git checkout`) into one batch of changed paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

/// The folders and files of a site whose changes mean a rebuild.
pub fn watched() -> impl Iterator<Item = &'static str> {
    crate::paths::SOURCE_FILES
        .into_iter()
        .chain(crate::paths::SOURCE_FOLDERS)
}

/// How long the sources must be quiet before a rebuild starts, and the longest a burst may
/// hold it back.
const QUIET: Duration = Duration::from_millis(25);
const LONGEST: Duration = Duration::from_millis(1000);

pub struct Watcher {
    root: PathBuf,
    rx: Receiver<notify::Result<notify::Event>>,
    // Kept alive: dropping it stops the events.
    _watcher: notify::RecommendedWatcher,
}

impl Watcher {
    pub fn new(root: &Path) -> notify::Result<Watcher> {
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        // The site folder itself only for its files (site.yaml) and for folders created later
        // (a new `static/`); the output and caches beside it are filtered out below.
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in watched() {
            let path = root.join(dir);
            if path.is_dir() {
                watcher.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watcher {
            root: root.to_owned(),
            rx,
            _watcher: watcher,
        })
    }

    /// Waits for changes and returns them, relative to the site folder, once the sources have
    /// been quiet for a moment. `None` when the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<BTreeSet<String>> {
        let mut changed = BTreeSet::new();
        let mut started: Option<Instant> = None;
        loop {
            let wait = match started {
                None => Duration::from_secs(3600),
                Some(at) => QUIET.min(LONGEST.saturating_sub(at.elapsed())),
            };
            match self.rx.recv_timeout(wait) {
                Ok(Ok(event)) if changes_content(&event.kind) => {
                    for path in event.paths {
                        if let Some(rel) = self.relevant(&path) {
                            changed.insert(rel);
                            started.get_or_insert_with(Instant::now);
                        }
                    }
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    if started.is_some() {
                        return Some(changed);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// The path relative to the site folder, if it is a source (not the output, a cache or an
    /// editor's swap file).
    fn relevant(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let text = rel.to_string_lossy().replace('\\', "/");
        let first = text.split('/').next().unwrap_or_default();
        if !watched().any(|w| w == first) {
            return None;
        }
        let name = text.rsplit('/').next().unwrap_or_default();
        let editor_noise = name.starts_with(".#")
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913";
        (!editor_noise).then_some(text)
    }
}

/// Creating, writing, renaming and removing change a site; opening and reading (which the
/// build itself does) do not.
fn changes_content(kind: &EventKind) -> bool {
    use notify::event::ModifyKind;
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Any
    )
}

/// Whether a batch touched nothing but the theme's stylesheets (applied without a reload).
pub fn is_only_stylesheets(changed: &BTreeSet<String>, theme: &str) -> bool {
    let css = format!(
        "{}/",
        crate::paths::theme_folder(theme, crate::paths::ThemeFolder::Css)
    );
    !changed.is_empty() && changed.iter().all(|p| p.starts_with(&css))
}
