//! One writer per output folder. Two builds of a site at once used to delete each other's
//! staging trees and swap in half a site; now each holds an OS file lock on a file beside
//! `output/` while it writes. The OS releases it when the process ends, however it ends, so a
//! killed build never leaves the folder locked.

use std::fs::{File, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Who holds the lock: a build waits for another build to finish, but nothing waits for
/// `serve`, which holds it until it is stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Build,
    Serve,
}

impl Holder {
    fn word(self) -> &'static str {
        match self {
            Holder::Build => "build",
            Holder::Serve => "serve",
        }
    }
}

/// Held while this process writes the output folder.
#[derive(Debug)]
pub struct Lock {
    target: PathBuf,
    /// Kept open: closing the file would release the lock.
    _file: File,
    /// How long this process waited for another build, and that build's process id.
    pub waited: Option<(Duration, Option<u32>)>,
}

#[derive(Debug)]
pub enum LockError {
    /// `serve` (or, for `serve`, another `serve`) is using the folder.
    Busy {
        holder: Holder,
        pid: Option<u32>,
    },
    Io(io::Error),
}

/// The lock file for `target`: beside it, since the folder itself is swapped whole.
pub fn lock_path(target: &Path) -> PathBuf {
    super::sibling_named(target, "lock")
}

impl Lock {
    pub fn acquire(target: &Path, me: Holder) -> Result<Lock, LockError> {
        let path = lock_path(target);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(LockError::Io)?;
        }
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(LockError::Io)?;
        let mut waited = None;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::Error(err)) => return Err(LockError::Io(err)),
            Err(TryLockError::WouldBlock) => {
                let (holder, pid) = read_holder(&mut file);
                if holder == Holder::Serve || me == Holder::Serve && holder == me {
                    return Err(LockError::Busy { holder, pid });
                }
                let started = Instant::now();
                file.lock().map_err(LockError::Io)?;
                waited = Some((started.elapsed(), pid));
            }
        }
        // Who holds it, for the message another process gives while this one writes.
        let mine = format!("{} {}\n", me.word(), std::process::id());
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(mine.as_bytes()))
            .map_err(LockError::Io)?;
        Ok(Lock {
            target: target.to_owned(),
            _file: file,
            waited,
        })
    }

    /// Whether this lock is the one for `target`.
    pub fn covers(&self, target: &Path) -> bool {
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
        absolute(&self.target) == absolute(target)
    }
}

/// What the holder wrote in the file; a holder that has not written yet is taken for a build,
/// which is worth waiting for.
fn read_holder(file: &mut File) -> (Holder, Option<u32>) {
    let mut text = String::new();
    let _ = file.rewind().and_then(|()| file.read_to_string(&mut text));
    let mut words = text.split_whitespace();
    let holder = match words.next() {
        Some("serve") => Holder::Serve,
        _ => Holder::Build,
    };
    (holder, words.next().and_then(|w| w.parse().ok()))
}

impl LockError {
    /// The editor's message: who is using the folder and what to do.
    pub fn explain(&self, target: &Path) -> (String, &'static str) {
        match self {
            LockError::Busy { holder, pid } => {
                let process = pid.map_or_else(String::new, |p| format!(" (process {p})"));
                let message = format!(
                    "{} is in use by `safe-surgeries {}`{process}",
                    target.display(),
                    holder.word()
                );
                let help = match holder {
                    Holder::Serve => {
                        "stop `serve` with Ctrl+C first, or build into another folder with \
                         --output"
                    }
                    Holder::Build => "wait for that build to finish, then run this again",
                };
                (message, help)
            }
            LockError::Io(err) => (
                format!(
                    "cannot lock {} for writing: {err}",
                    lock_path(target).display()
                ),
                "check that the folder above the output folder exists and is writable",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_serve_is_refused_and_the_lock_goes_with_its_holder() {
        let dir = tempfile::tempdir().expect("a folder");
        let target = dir.path().join("output");
        let first = Lock::acquire(&target, Holder::Serve).expect("locked");
        match Lock::acquire(&target, Holder::Build) {
            Err(LockError::Busy { holder, pid }) => {
                assert_eq!(holder, Holder::Serve);
                assert_eq!(pid, Some(std::process::id()));
            }
            other => panic!("expected busy, got {other:?}"),
        }
        drop(first);
        let second = Lock::acquire(&target, Holder::Build).expect("free again");
        assert!(second.waited.is_none());
        assert!(second.covers(&target));
    }

    #[test]
    fn a_build_waits_for_another_build() {
        let dir = tempfile::tempdir().expect("a folder");
        let target = dir.path().join("output");
        let first = Lock::acquire(&target, Holder::Build).expect("locked");
        let waiter = {
            let target = target.clone();
            std::thread::spawn(move || Lock::acquire(&target, Holder::Build).map(|l| l.waited))
        };
        std::thread::sleep(Duration::from_millis(200));
        drop(first);
        let waited = waiter.join().expect("no panic").expect("locked after");
        let (how_long, pid) = waited.expect("it waited");
        assert!(how_long >= Duration::from_millis(100), "{how_long:?}");
        assert_eq!(pid, Some(std::process::id()));
    }
}
