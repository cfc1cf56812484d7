//! The write stage: everything goes into a staging folder beside `output/`, which replaces
//! `output/` only when the whole build succeeded. A failed build leaves `output/` as it was.

pub mod claim;
pub mod lock;
pub mod swap;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Where rendered files go. A trait so that a later in-memory server can take the same
/// stream of files.
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
    fn copy(&self, path: &str, from: &Path) -> io::Result<()>;
    /// Like `copy`, for files that never change once written (cached PDFs): a hard link
    /// where the disk allows, which costs no copying.
    fn link(&self, path: &str, from: &Path) -> io::Result<()> {
        self.copy(path, from)
    }
    /// Keeps the file the output already holds at `path` as this build's, unwritten; false
    /// when it cannot (a fresh tree, or no such file), and then the file must be written.
    fn keep(&self, _path: &str) -> bool {
        false
    }
}

/// A file of the output that could not be written.
/// Worded without the path, which goes in a note, so that one cause met writing every file is
/// one error.
pub fn write_error(path: &str, err: &std::io::Error) -> crate::diagnostics::Diagnostic {
    let reason = match err.kind() {
        std::io::ErrorKind::StorageFull => "the disk is full".to_owned(),
        _ => err.to_string(),
    };
    crate::diagnostics::Diagnostic::error(
        crate::diagnostics::Stage::Output,
        format!("cannot write into the output folder: {reason}"),
    )
    .with_help("check there is free disk space and that the output folder is writable")
    .while_writing(path)
}

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    /// What each written file holds (a hash of its bytes, or of the source a copy came from),
    /// when recording: watch mode compares builds with it to know which pages changed.
    record: Option<Mutex<Written>>,
}

/// Output paths and a fingerprint of what each holds.
pub type Written = HashMap<String, blake3::Hash>;

/// Where a build writes: a fresh staging tree swapped in at the end (`build`), or the output
/// folder itself, changed file by file (`serve`, which must not rewrite 20,000 unchanged
/// pages). Either way nothing in `output/` changes unless the whole build succeeded.
pub trait Target: Sink {
    /// Makes the written tree the output.
    fn finish(self: Box<Self>) -> Result<Finished, NotFinished>;
}

/// A build's output in place.
pub struct Finished {
    /// Every file's fingerprint.
    pub written: Written,
    /// The paths that changed (all of them for a staging tree).
    pub changed: Vec<String>,
    /// The old tree, when it could not be removed: the output is the new one all the same.
    pub left_behind: Option<(PathBuf, io::Error)>,
}

/// Why the output could not be put in place, and what the output folder holds now.
#[derive(Debug)]
pub enum NotFinished {
    /// The old site, as it was.
    Unchanged(io::Error),
    /// Some files replaced in place, others not (`serve`; its next build writes them all).
    Partly(io::Error),
    /// No output folder; the old site is at `kept`, and the next build puts it back.
    Missing { error: io::Error, kept: PathBuf },
}

/// What a build did to the output folder, for its last message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum State {
    /// Untouched (or, with `keep_going`, the build's throwaway folder).
    #[default]
    AsItWas,
    Replaced,
    /// `serve` replaced some pages and not others.
    PartlyUpdated,
    /// Gone, with the last whole site at this path.
    Missing(PathBuf),
}

impl NotFinished {
    pub fn state(&self) -> State {
        match self {
            NotFinished::Unchanged(_) => State::AsItWas,
            NotFinished::Partly(_) => State::PartlyUpdated,
            NotFinished::Missing { kept, .. } => State::Missing(kept.clone()),
        }
    }

    /// The error for the editor: what could not be replaced, and why.
    pub fn diagnostic(&self, output: &Path) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic::error(
            crate::diagnostics::Stage::Output,
            format!("cannot replace {}: {}", output.display(), self.error()),
        )
        .with_help("close any program using files in the output folder and build again")
    }

    pub fn error(&self) -> &io::Error {
        match self {
            NotFinished::Unchanged(e) | NotFinished::Partly(e) => e,
            NotFinished::Missing { error, .. } => error,
        }
    }
}

impl Target for Staging {
    fn finish(self: Box<Self>) -> Result<Finished, NotFinished> {
        let written = self.written();
        let left_behind = self.commit()?;
        let mut changed: Vec<String> = written.keys().cloned().collect();
        changed.sort();
        Ok(Finished {
            written,
            changed,
            left_behind,
        })
    }
}

/// A file waiting to replace its old version in the output.
enum Pending {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

/// Writes into the output folder in place: files whose fingerprint differs from what the
/// folder holds are kept in memory (or as the path to copy) until `finish`, which replaces each
/// whole and, for a whole build, removes files the build no longer makes.
pub struct InPlace {
    target: PathBuf,
    previous: Written,
    written: Mutex<Written>,
    pending: Mutex<Vec<(String, Pending)>>,
    /// Whether what is written is the whole site (a build), or some files of it (watch mode
    /// rendering a few pages again), when every file not written stays as it is.
    whole: bool,
}

impl InPlace {
    /// For a build of the whole site, over the output `previous` records.
    pub fn new(target: &Path, previous: Written) -> InPlace {
        InPlace {
            target: target.to_owned(),
            previous,
            written: Mutex::new(HashMap::new()),
            pending: Mutex::new(Vec::new()),
            whole: true,
        }
    }

    /// For writing some files again: the rest of `previous` is kept, and `finish` records it
    /// with them.
    pub fn some_files(target: &Path, previous: Written) -> InPlace {
        InPlace {
            whole: false,
            ..InPlace::new(target, previous)
        }
    }

    fn offer(&self, path: &str, hash: blake3::Hash, file: impl FnOnce() -> Pending) {
        locked(&self.written).insert(path.to_owned(), hash);
        if self.previous.get(path) != Some(&hash) {
            locked(&self.pending).push((path.to_owned(), file()));
        }
    }
}

impl Sink for InPlace {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.offer(path, blake3::hash(bytes), || Pending::Bytes(bytes.to_vec()));
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        self.offer(path, source_fingerprint(from), || {
            Pending::Copy(from.to_owned())
        });
        Ok(())
    }

    fn keep(&self, path: &str) -> bool {
        let Some(&hash) = self.previous.get(path) else {
            return false;
        };
        locked(&self.written).insert(path.to_owned(), hash);
        true
    }
}

impl Target for InPlace {
    fn finish(self: Box<Self>) -> Result<Finished, NotFinished> {
        self.replace_all().map_err(NotFinished::Partly)
    }
}

impl InPlace {
    fn replace_all(self) -> io::Result<Finished> {
        use rayon::prelude::*;
        let written = self
            .written
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let pending = self
            .pending
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let target = &self.target;
        pending.par_iter().try_for_each(|(path, file)| match file {
            Pending::Bytes(bytes) => replace_file(target, path, bytes),
            Pending::Copy(from) => {
                std::fs::read(from).and_then(|bytes| replace_file(target, path, &bytes))
            }
        })?;
        let mut changed: Vec<String> = pending.into_iter().map(|(path, _)| path).collect();
        if !self.whole {
            let mut all = self.previous;
            all.extend(written);
            changed.sort();
            return Ok(Finished {
                written: all,
                changed,
                left_behind: None,
            });
        }
        for gone in self.previous.keys().filter(|p| !written.contains_key(*p)) {
            match std::fs::remove_file(target.join(gone)) {
                Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
                _ => changed.push(gone.clone()),
            }
            remove_empty_parents(target, gone);
        }
        changed.sort();
        Ok(Finished {
            written,
            changed,
            left_behind: None,
        })
    }
}

/// Removes the folders above a removed file that it leaves empty, up to the output folder.
fn remove_empty_parents(target: &Path, path: &str) {
    let mut dir = Path::new(path).parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        if std::fs::remove_dir(target.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// A hidden file or folder beside `target`, such as `.output.lock`.
fn sibling_named(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{tag}"))
}

/// One of this process's own, such as `.output.staging-1234`.
fn sibling(target: &Path, tag: &str) -> PathBuf {
    sibling_named(target, &format!("{tag}-{}", std::process::id()))
}

impl Staging {
    /// A staging tree beside `target`. Call it holding the output's [`lock::Lock`], after
    /// [`swap::recover`].
    pub fn create(target: &Path) -> io::Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let dir = sibling(target, "staging");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_owned(),
            committed: false,
            record: None,
        })
    }

    /// Records a fingerprint of every file written from now on.
    pub fn recording(mut self) -> Staging {
        self.record = Some(Mutex::new(HashMap::new()));
        self
    }

    /// The fingerprints recorded so far.
    pub fn written(&self) -> Written {
        self.record
            .as_ref()
            .map(|record| locked(record).clone())
            .unwrap_or_default()
    }

    fn note(&self, path: &str, fingerprint: impl FnOnce() -> blake3::Hash) {
        if let Some(record) = &self.record {
            let hash = fingerprint();
            locked(record).insert(path.to_owned(), hash);
        }
    }

    fn full(&self, path: &str) -> PathBuf {
        self.dir.join(path)
    }

    /// Replaces the target with the staged tree (see [`swap`]), then removes the old tree;
    /// gives the old tree back when it could not be removed.
    pub fn commit(mut self) -> Result<Option<(PathBuf, io::Error)>, NotFinished> {
        let old = swap::swap(&self.dir, &self.target).map_err(|err| match err {
            swap::SwapError::Unchanged(err) => NotFinished::Unchanged(err),
            swap::SwapError::Missing { error, kept } => NotFinished::Missing { error, kept },
        })?;
        self.committed = true;
        Ok(old.and_then(|old| swap::remove_old(&old).err().map(|err| (old, err))))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A copied file's fingerprint: where it came from, its size and time, not its bytes (which
/// may be large PDFs or fonts).
fn source_fingerprint(from: &Path) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(from.to_string_lossy().as_bytes());
    if let Ok(meta) = std::fs::metadata(from) {
        hasher.update(&meta.len().to_le_bytes());
        if let Ok(modified) = meta.modified()
            && let Ok(since) = modified.duration_since(std::time::UNIX_EPOCH)
        {
            hasher.update(&since.as_nanos().to_le_bytes());
        }
    }
    hasher.finalize()
}

/// The record behind `mutex`, even after a thread panicked holding it. Each use of these
/// locks is one insert or push, which a panic elsewhere cannot leave half done. Treating a
/// poisoned record as empty would be worse: `finish` would take every file that is not in
/// it for one to remove.
fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes a file of the output in place, whole or not at all (watch mode updates a served
/// tree: a reader must never get half a page).
pub fn replace_file(root: &Path, path: &str, bytes: &[u8]) -> io::Result<()> {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = full.with_file_name(format!(
        ".{}.tmp-{}",
        full.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &full).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Removes a folder tree, folders in parallel: on this project's disks unlinking 20,000 small
/// files one after another took three times as long as with 16 threads (6 s against 2 s).
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.into_par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.note(path, || blake3::hash(bytes));
        let full = self.full(path);
        // Pages each have a folder of their own (pretty URLs), new in a fresh staging tree:
        // make it first rather than fail to open the file and retry.
        if path.ends_with("/index.html")
            && let Some(parent) = full.parent()
        {
            match std::fs::create_dir(parent) {
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    std::fs::create_dir_all(parent)?
                }
                _ => {}
            }
        }
        match std::fs::write(&full, bytes) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&full, bytes)
            }
            other => other,
        }
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        self.note(path, || source_fingerprint(from));
        let full = self.full(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, &full).map(|_| ())
    }

    fn link(&self, path: &str, from: &Path) -> io::Result<()> {
        self.note(path, || source_fingerprint(from));
        let full = self.full(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::hard_link(from, &full).or_else(|_| std::fs::copy(from, &full).map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_poisoned_by_a_panic_still_keeps_the_files_it_holds() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("output");
        std::fs::create_dir(&target)?;
        std::fs::write(target.join("kept.html"), "kept")?;
        std::fs::write(target.join("same.html"), "same")?;
        let previous: Written = [
            ("kept.html".to_owned(), blake3::hash(b"kept")),
            ("same.html".to_owned(), blake3::hash(b"same")),
        ]
        .into();
        let in_place = InPlace::new(&target, previous);
        in_place.write("same.html", b"same")?;
        // A thread that panics while holding the record (as a render thread would on a bug).
        std::thread::scope(|scope| {
            let panicked = scope
                .spawn(|| {
                    let _held = in_place.written.lock();
                    panic!("a render thread's bug");
                })
                .join();
            assert!(panicked.is_err());
        });
        assert!(in_place.written.is_poisoned());
        assert!(
            in_place.keep("kept.html"),
            "the file is kept as this build's"
        );
        let finished = Box::new(in_place)
            .finish()
            .map_err(|_| io::Error::other("not finished"))?;
        assert!(
            target.join("kept.html").is_file(),
            "a kept file is never removed"
        );
        assert!(target.join("same.html").is_file());
        assert_eq!(finished.written.len(), 2);
        Ok(())
    }

    #[test]
    fn writing_some_files_in_place_keeps_every_other_and_records_them_all() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("output");
        std::fs::create_dir(&target)?;
        for (name, text) in [("a.html", "a"), ("b.html", "b"), ("c.html", "c")] {
            std::fs::write(target.join(name), text)?;
        }
        let previous: Written = [("a.html", "a"), ("b.html", "b"), ("c.html", "c")]
            .into_iter()
            .map(|(name, text)| (name.to_owned(), blake3::hash(text.as_bytes())))
            .collect();
        let some = Box::new(InPlace::some_files(&target, previous));
        some.write("a.html", b"a again")?;
        some.write("b.html", b"b")?;
        let finished = some
            .finish()
            .map_err(|_| io::Error::other("not finished"))?;
        assert_eq!(finished.changed, ["a.html"], "only what differs is written");
        assert_eq!(std::fs::read_to_string(target.join("a.html"))?, "a again");
        assert_eq!(
            std::fs::read_to_string(target.join("c.html"))?,
            "c",
            "a file not written this time is left as it was"
        );
        assert_eq!(finished.written.len(), 3);
        assert_eq!(finished.written["a.html"], blake3::hash(b"a again"));
        assert_eq!(finished.written["c.html"], blake3::hash(b"c"));
        Ok(())
    }

    #[test]
    fn commit_replaces_and_drop_discards() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("output");
        std::fs::create_dir(&target)?;
        std::fs::write(target.join("old.txt"), "old")?;

        let staging = Staging::create(&target)?;
        staging.write("a/b/index.html", b"new")?;
        drop(staging);
        assert!(
            target.join("old.txt").exists(),
            "a dropped build must not touch output/"
        );

        let staging = Staging::create(&target)?;
        staging.write("a/b/index.html", b"new")?;
        assert!(staging.commit().expect("swapped").is_none());
        assert!(!target.join("old.txt").exists());
        assert_eq!(std::fs::read(target.join("a/b/index.html"))?, b"new");
        let leftovers = std::fs::read_dir(tmp.path())?.count();
        assert_eq!(leftovers, 1, "only output/ remains");
        Ok(())
    }
}
