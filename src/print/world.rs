//! What Typst sees while laying out one item: the theme's print templates, held in memory, and
//! two virtual files made for the item, `/data.json` and `/qr.svg`. Nothing else on the disk
//! is reachable, so a template cannot read a file it was not given.

use std::collections::HashMap;
use std::path::Path;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::diagnostics::{Diagnostic, Stage};

pub const DATA: &str = "/data.json";
pub const QR: &str = "/qr.svg";
/// Where templates find site.yaml's `print.logo`, by its kind of image.
pub fn logo_path(extension: &str) -> String {
    format!("/logo.{extension}")
}

/// A file id for a path from the print folder's root. Ids are interned for the life of the
/// process and limited in number, so the same few paths are reused for every item.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// The theme's `print/` folder (fonts aside), read once and shared by every item.
pub struct PrintTemplates {
    /// Sources by id, and the path an editor knows each by.
    sources: HashMap<FileId, (Source, String)>,
    /// Other files templates may load (images, data), by id.
    files: HashMap<FileId, Bytes>,
    pub library: LazyHash<Library>,
    /// Hashes every file, so a cached PDF is reused only with the same templates.
    pub fingerprint: blake3::Hash,
}

impl PrintTemplates {
    pub fn load(root: &Path, print_dir: &Path) -> (PrintTemplates, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        let mut hasher = blake3::Hasher::new();
        let fonts = print_dir.join("fonts");
        // Notes for people (README.md) are not the templates' business, nor the cache's.
        let (entries, read_errors) = super::read_theme_files(root, print_dir, |e| {
            e.path() != fonts && e.path().extension().is_none_or(|x| x != "md")
        });
        diagnostics.extend(read_errors);
        for super::ThemeFile { path, shown, bytes } in entries {
            let Some(id) = path
                .strip_prefix(print_dir)
                .ok()
                .and_then(|rel| file_id(&format!("/{}", rel.to_string_lossy().replace('\\', "/"))))
            else {
                continue;
            };
            hasher.update(shown.as_bytes());
            hasher.update(&bytes);
            if path.extension().is_some_and(|x| x == "typ") {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        sources.insert(id, (Source::new(id, text), shown));
                    }
                    Err(_) => diagnostics.push(
                        Diagnostic::error(Stage::Print, format!("{shown} is not UTF-8 text"))
                            .with_help("save the template as UTF-8"),
                    ),
                }
            } else {
                files.insert(id, Bytes::new(bytes));
            }
        }
        let templates = PrintTemplates {
            sources,
            files,
            library: LazyHash::new(Library::default()),
            fingerprint: hasher.finalize(),
        };
        (templates, diagnostics)
    }

    /// Makes a file from outside the theme (the site's logo) readable by templates at `path`.
    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>) {
        let Some(id) = file_id(path) else {
            return;
        };
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.fingerprint.as_bytes());
        hasher.update(path.as_bytes());
        hasher.update(&bytes);
        self.fingerprint = hasher.finalize();
        self.files.insert(id, Bytes::new(bytes));
    }

    /// Whether the theme has `<name>.typ`.
    pub fn has(&self, name: &str) -> bool {
        file_id(&format!("/{name}.typ")).is_some_and(|id| self.sources.contains_key(&id))
    }

    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .sources
            .values()
            .map(|(_, shown)| {
                shown
                    .rsplit('/')
                    .next()
                    .unwrap_or(shown)
                    .trim_end_matches(".typ")
                    .to_owned()
            })
            .filter(|n| !n.starts_with('_'))
            .collect();
        names.sort();
        names
    }

    /// The source and the path an editor knows it by, for error messages.
    pub fn source(&self, id: FileId) -> Option<&(Source, String)> {
        self.sources.get(&id)
    }
}

pub struct ItemWorld<'a> {
    pub templates: &'a PrintTemplates,
    pub book: &'a LazyHash<FontBook>,
    pub fonts: &'a typst_kit::fonts::FontStore,
    pub main: FileId,
    pub data: Bytes,
    pub qr: Bytes,
}

impl ItemWorld<'_> {
    fn virtual_file(&self, id: FileId) -> Option<Bytes> {
        let path = id.get().vpath().get_with_slash();
        match path {
            DATA => Some(self.data.clone()),
            QR => Some(self.qr.clone()),
            _ => None,
        }
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_without_slash().into())
}

impl World for ItemWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.templates.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.templates
            .sources
            .get(&id)
            .map(|(source, _)| source.clone())
            .ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.virtual_file(id) {
            return Ok(bytes);
        }
        if let Some((source, _)) = self.templates.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.templates
            .files
            .get(&id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    /// No clock: the same input must give the same bytes.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
