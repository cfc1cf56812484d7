//! Putting a finished tree in place of `output/` so that, whatever moment the process is killed
//! at, `output/` is a whole site: the old one or the new one, never none and never a mix.
//!
//! On Linux both trees change places in one system call (`renameat2` with `RENAME_EXCHANGE`).
//! Elsewhere, or on a file system without it, the old tree is moved aside before the new one is
//! moved in; a build killed between the two leaves no `output/`, so the next build (under the
//! lock) puts the old tree back before anything else.

use std::io;
use std::path::{Path, PathBuf};

use super::sibling;
use crate::fault;

/// How a swap went wrong, and so what `output/` holds now.
#[derive(Debug)]
pub enum SwapError {
    /// Nothing changed: `output/` is the old site.
    Unchanged(io::Error),
    /// The old site was moved aside and could not be moved back: `output/` is missing and the
    /// old site is at `kept`.
    Missing { error: io::Error, kept: PathBuf },
}

/// Swaps `staged` in for `target`; gives the path now holding the old tree, to be removed.
pub fn swap(staged: &Path, target: &Path) -> Result<Option<PathBuf>, SwapError> {
    fault::kill_at("before-swap");
    match std::fs::symlink_metadata(target) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return std::fs::rename(staged, target)
                .map(|()| None)
                .map_err(SwapError::Unchanged);
        }
        Err(err) => return Err(SwapError::Unchanged(err)),
        Ok(_) => {}
    }
    if !fault::is_set("no-exchange") {
        match exchange(staged, target) {
            Ok(()) => {
                fault::kill_at("after-exchange");
                return Ok(Some(staged.to_owned()));
            }
            Err(err) if !unsupported(&err) => return Err(SwapError::Unchanged(err)),
            Err(_) => {}
        }
    }
    let old = sibling(target, "old");
    std::fs::rename(target, &old).map_err(SwapError::Unchanged)?;
    fault::kill_at("after-aside");
    match std::fs::rename(staged, target) {
        Ok(()) => Ok(Some(old)),
        Err(error) => match std::fs::rename(&old, target) {
            Ok(()) => Err(SwapError::Unchanged(error)),
            Err(_) => Err(SwapError::Missing { error, kept: old }),
        },
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The kernel or the file system cannot exchange (old kernels, some network file systems).
fn unsupported(err: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        let raw = err.raw_os_error();
        [
            rustix::io::Errno::INVAL,
            rustix::io::Errno::NOSYS,
            rustix::io::Errno::OPNOTSUPP,
        ]
        .iter()
        .any(|e| raw == Some(e.raw_os_error()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        err.kind() == io::ErrorKind::Unsupported
    }
}

/// The old tree (or, given `--force`, the file) that `output/` replaced.
pub fn remove_old(old: &Path) -> io::Result<()> {
    if fault::is_set("keep-old") {
        return Err(io::Error::other("kept by SAFE_SURGERIES_TEST_FAULT"));
    }
    if std::fs::symlink_metadata(old)?.is_dir() {
        // Unlinking waits on the disk, not the CPU: many threads overlap the waits.
        match rayon::ThreadPoolBuilder::new().num_threads(16).build() {
            Ok(pool) => pool.install(|| super::remove_tree(old)),
            Err(_) => super::remove_tree(old),
        }
    } else {
        std::fs::remove_file(old)
    }
}

/// What an earlier, killed build left beside `target`, put right under the lock: a missing
/// `output/` gets back the newest old tree moved aside for it; other leftovers are removed.
/// Gives the tree put back, if any.
pub fn recover(target: &Path) -> io::Result<Option<PathBuf>> {
    let mut olds = Vec::new();
    let mut rest = Vec::new();
    for (path, kind) in leftovers(target)? {
        match kind {
            Leftover::Old => olds.push(path),
            Leftover::Staging => rest.push(path),
        }
    }
    let mut restored = None;
    if matches!(std::fs::symlink_metadata(target), Err(e) if e.kind() == io::ErrorKind::NotFound) {
        olds.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        if let Some(newest) = olds.pop() {
            std::fs::rename(&newest, target)?;
            restored = Some(newest);
        }
    }
    for path in olds.into_iter().chain(rest) {
        // A leftover that cannot go now is tried again by the next build.
        let _ = remove_old(&path);
    }
    Ok(restored)
}

enum Leftover {
    /// An old `output/` moved aside (and, after a killed exchange, a staging tree holding it).
    Old,
    Staging,
}

fn leftovers(target: &Path) -> io::Result<Vec<(PathBuf, Leftover)>> {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(Vec::new());
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let entries = match std::fs::read_dir(parent) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        other => other?,
    };
    let (old, staging) = (format!(".{name}.old-"), format!(".{name}.staging-"));
    Ok(entries
        .flatten()
        .filter_map(|entry| {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let kind = if file_name.starts_with(&old) {
                Leftover::Old
            } else if file_name.starts_with(&staging) {
                Leftover::Staging
            } else {
                return None;
            };
            Some((entry.path(), kind))
        })
        .collect())
}
