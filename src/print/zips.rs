//! The ZIPs of PDFs: one per language, one per practice of `practices.yaml`.
//!
//! With a cache, a ZIP is written straight to a file there, under a hash of its name and of
//! the cached PDFs it holds, and linked into the output like a PDF: a hundred practices' ZIPs
//! are most of a gigabyte, too much to hold, and an unchanged one need not be made again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use crate::config::LangId;
use crate::diagnostics::{Diagnostic, Stage};
use crate::site::Site;

use super::{Blob, Download, File, Printed, cache};

/// The folder under the print cache that holds ZIPs.
const FOLDER: &str = "zips";

pub struct Zips {
    dir: Option<PathBuf>,
    used: HashSet<String>,
}

impl Zips {
    pub fn new(cache: Option<&Path>) -> Zips {
        Zips {
            dir: cache.map(|c| c.join(FOLDER)),
            used: HashSet::new(),
        }
    }

    /// One ZIP per language of all its PDFs.
    pub fn per_language(&mut self, site: &Site, printed: &mut Printed) -> Vec<Diagnostic> {
        let index = index(printed);
        let mut per_language: BTreeMap<LangId, Vec<usize>> = BTreeMap::new();
        for (page, downloads) in &printed.downloads {
            let lang = site.pages[*page].lang;
            for download in downloads {
                if let Some(&i) = index.get(&download.path) {
                    per_language.entry(lang).or_default().push(i);
                }
            }
        }
        let mut diagnostics = Vec::new();
        for (lang, members) in per_language {
            let language = site.config.language(lang);
            let path = crate::paths::print_zip(language);
            match self.add(printed, members, path) {
                Ok(download) => printed.zips[lang] = Some(download),
                Err(d) => diagnostics.push(d),
            }
        }
        diagnostics
    }

    /// One ZIP per practice of all its own PDFs.
    pub fn per_practice(&mut self, site: &Site, printed: &mut Printed) -> Vec<Diagnostic> {
        let index = index(printed);
        let mut diagnostics = Vec::new();
        for (p, practice) in site.practices.iter().enumerate() {
            let members: Vec<usize> = printed.practices[p]
                .downloads
                .iter()
                .filter_map(|(_, d)| index.get(&d.path).copied())
                .collect();
            if members.is_empty() {
                continue;
            }
            let path = crate::paths::practice_zip(&practice.slug);
            match self.add(printed, members, path) {
                Ok(download) => printed.practices[p].zip = Some(download),
                Err(d) => diagnostics.push(d),
            }
        }
        diagnostics
    }

    /// Removes the ZIPs this build did not make or reuse.
    pub fn prune(&self) {
        if let Some(dir) = &self.dir {
            cache::prune(dir, &self.used);
        }
    }

    /// Adds a ZIP of the files `members` (indexes into `printed.files`) at `path`.
    fn add(
        &mut self,
        printed: &mut Printed,
        mut members: Vec<usize>,
        path: String,
    ) -> Result<Download, Diagnostic> {
        members.sort_by(|a, b| printed.files[*a].path.cmp(&printed.files[*b].path));
        let error = |err: &dyn std::fmt::Display| {
            Diagnostic::error(Stage::Print, format!("cannot make {path}: {err}"))
        };
        let (blob, size) = match self.cached_name(printed, &members, &path) {
            Some((key, file)) => {
                self.used.insert(key);
                if !file.is_file() {
                    write_atomically(&file, |out| zip(printed, &members, out))
                        .map_err(|e| error(&e))?;
                }
                let size = std::fs::metadata(&file).map_err(|e| error(&e))?.len();
                (Blob::Cached(file), size)
            }
            None => {
                let mut bytes = std::io::Cursor::new(Vec::new());
                zip(printed, &members, &mut bytes).map_err(|e| error(&e))?;
                let bytes = bytes.into_inner();
                let size = bytes.len() as u64;
                (Blob::Bytes(bytes), size)
            }
        };
        printed.files.push(File {
            path: path.clone(),
            blob,
        });
        Ok(Download {
            paper: "",
            path,
            size,
        })
    }

    /// The cache key and file of a ZIP whose members all come from the cache: its name and
    /// theirs, and their cache files (named by a hash of everything that went into them).
    fn cached_name(
        &self,
        printed: &Printed,
        members: &[usize],
        path: &str,
    ) -> Option<(String, PathBuf)> {
        let dir = self.dir.as_ref()?;
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"safe-surgeries zip 1\n");
        hasher.update(path.as_bytes());
        for &i in members {
            let file = &printed.files[i];
            let Blob::Cached(from) = &file.blob else {
                return None;
            };
            hasher.update(b"\n");
            hasher.update(file.path.as_bytes());
            hasher.update(b"\n");
            hasher.update(from.file_name()?.as_encoded_bytes());
        }
        let key = hasher.finalize().to_hex()[..32].to_owned();
        let file = dir.join(format!("{key}.zip"));
        Some((key, file))
    }
}

fn index(printed: &Printed) -> HashMap<String, usize> {
    printed
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.clone(), i))
        .collect()
}

/// Writes `path` through `write` into a file beside it, renamed into place only when whole.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> zip::result::ZipResult<()>,
) -> zip::result::ZipResult<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .map_err(zip::result::ZipError::from)
        .and_then(|mut file| {
            write(&mut file)?;
            file.sync_all()?;
            Ok(())
        })
        .and_then(|()| Ok(std::fs::rename(&tmp, path)?));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A ZIP of PDFs, stored rather than compressed (PDFs are compressed already), with a fixed
/// date so the same PDFs give the same bytes.
fn zip(printed: &Printed, members: &[usize], out: impl Write + Seek) -> zip::result::ZipResult<()> {
    let mut writer = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for &i in members {
        let file = &printed.files[i];
        let name = file.path.rsplit('/').next().unwrap_or(&file.path);
        writer.start_file(name, options)?;
        match &file.blob {
            Blob::Bytes(bytes) => writer.write_all(bytes)?,
            // Streamed, so a ZIP of a practice's 177 PDFs never sits in memory whole.
            Blob::Cached(from) => {
                std::io::copy(&mut std::fs::File::open(from)?, &mut writer)?;
            }
        }
    }
    writer.finish()?;
    Ok(())
}
