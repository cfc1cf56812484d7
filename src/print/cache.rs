//! Finished PDFs and previews, kept between builds under a hash of everything that went into
//! them, so that an unchanged item is linked into the output instead of laid out again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::inspect::Problem;

/// A cached item: its PDF, its preview with the preview's size, if it has one, and what the
/// layout check found in it (so that a warning does not vanish on the next build).
pub struct Hit {
    pub pdf: PathBuf,
    pub pdf_size: u64,
    pub png: Option<(PathBuf, u32, u32)>,
    pub problems: Vec<Problem>,
}

pub struct Entry {
    pdf: PathBuf,
    png: PathBuf,
}

impl Entry {
    pub fn new(dir: &Path, key: &str) -> Entry {
        Entry {
            pdf: dir.join(format!("{key}.pdf")),
            png: dir.join(format!("{key}.png")),
        }
    }

    fn png_size(&self) -> PathBuf {
        self.png.with_extension("size")
    }

    fn problems(&self) -> PathBuf {
        self.pdf.with_extension("problems.json")
    }

    pub fn get(&self, preview: bool) -> Option<Hit> {
        let pdf_size = std::fs::metadata(&self.pdf).ok()?.len();
        let png = if preview {
            let size = std::fs::read_to_string(self.png_size()).ok()?;
            let (w, h) = size.split_once(' ')?;
            std::fs::metadata(&self.png).ok()?;
            Some((self.png.clone(), w.parse().ok()?, h.parse().ok()?))
        } else {
            None
        };
        // Written before the PDF: an entry without it is from a build killed half-way.
        let problems = std::fs::read(self.problems()).ok()?;
        Some(Hit {
            pdf: self.pdf.clone(),
            pdf_size,
            png,
            problems: serde_json::from_slice(&problems).ok()?,
        })
    }

    /// Stores a finished item, and says where its PDF and preview now are when both were
    /// stored, so that the build need not hold their bytes until the output is written.
    pub fn put(
        &self,
        pdf: &[u8],
        png: Option<&(Vec<u8>, u32, u32)>,
        problems: &[Problem],
    ) -> Option<(PathBuf, Option<PathBuf>)> {
        let mut stored = store(
            &self.problems(),
            &serde_json::to_vec(problems).unwrap_or_default(),
        );
        stored &= store(&self.pdf, pdf);
        if let Some((png, w, h)) = png {
            stored &= store(&self.png, png);
            stored &= store(&self.png_size(), format!("{w} {h}").as_bytes());
        }
        stored.then(|| (self.pdf.clone(), png.map(|_| self.png.clone())))
    }
}

/// Writes a cache file whole or not at all: a build killed half-way must not leave a truncated
/// PDF to be reused. A cache that cannot be written only costs the next build time (and
/// memory in this one: the bytes are kept instead).
fn store(path: &Path, bytes: &[u8]) -> bool {
    static UNIQUE: AtomicUsize = AtomicUsize::new(0);
    let Some(dir) = path.parent() else {
        return false;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_err() || std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return false;
    }
    true
}

/// Removes entries this build did not use, so the cache holds one build's worth.
pub fn prune(dir: &Path, used: &HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let key = name.split('.').next().unwrap_or_default();
        if !used.contains(key) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
