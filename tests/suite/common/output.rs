//! The output folder a build wrote: its files and what changed between two builds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tempfile::TempDir;

use super::*;

/// A built site's output folder and the `base_url` it was built with.
pub struct Output {
    pub dir: PathBuf,
    /// Absolute, ends in `/`.
    pub base_url: String,
    /// `/` or `/toolkit/`.
    pub base_path: String,
    /// Keeps the temporary site folder alive while the output is read.
    pub(super) keep: Option<Arc<TempDir>>,
}

impl Output {
    pub fn new(dir: PathBuf, base_url: &str) -> Output {
        assert!(base_url.ends_with('/'));
        let after_scheme = base_url
            .split_once("://")
            .map_or(base_url, |(_, rest)| rest);
        let base_path = after_scheme
            .find('/')
            .map_or("/", |i| &after_scheme[i..])
            .to_string();
        Output {
            dir,
            base_url: base_url.to_string(),
            base_path,
            keep: None,
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).is_file()
    }

    pub fn assert_exists(&self, rel: &str) {
        assert!(
            self.exists(rel),
            "output lacks {rel}; it has:\n{}",
            self.listing()
        );
    }

    pub fn assert_missing(&self, rel: &str) {
        assert!(!self.path(rel).exists(), "output should not have {rel}");
    }

    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        self.assert_exists(rel);
        fs::read(self.path(rel)).unwrap()
    }

    pub fn read(&self, rel: &str) -> String {
        String::from_utf8(self.bytes(rel)).unwrap_or_else(|_| panic!("{rel} is not UTF-8"))
    }

    pub fn html(&self, rel: &str) -> Doc {
        Doc::parse(rel, &self.read(rel))
    }

    /// Every file, as sorted `/`-separated paths relative to the output folder.
    pub fn files(&self) -> Vec<String> {
        relative_files(&self.dir)
    }

    pub fn html_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    /// The rendered pages: every `…/index.html` (so not `404.html`).
    pub fn page_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f == "index.html" || f.ends_with("/index.html"))
            .collect()
    }

    pub fn listing(&self) -> String {
        self.files().join("\n")
    }

    /// Every file with its bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.files()
            .into_iter()
            .map(|f| {
                let bytes = fs::read(self.path(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    }

    /// The permalink of an output page file: `ar/x/index.html` → `<base_url>ar/x/`.
    pub fn permalink_of(&self, file: &str) -> String {
        format!(
            "{}{}",
            self.base_url,
            file.strip_suffix("index.html").unwrap_or(file)
        )
    }

    /// The output file a root-relative URL path (with the base path) is served from, or `None`
    /// when the path is outside the base path. Fragment and query are dropped.
    pub fn file_for_url(&self, url: &str) -> Option<String> {
        let url = url.split(['#', '?']).next().unwrap();
        let url = if let Some(rest) = url.strip_prefix(self.base_url.as_str()) {
            format!("{}{rest}", self.base_path)
        } else {
            url.to_string()
        };
        let rel = url.strip_prefix(self.base_path.as_str())?;
        let rel = percent_decode(rel);
        if rel.is_empty() || rel.ends_with('/') {
            Some(format!("{rel}index.html"))
        } else if self.path(&rel).is_dir() {
            Some(format!("{rel}/index.html"))
        } else {
            Some(rel)
        }
    }

    /// Asserts that there are pages and that `broken_internal_links` finds nothing.
    pub fn assert_internal_links_resolve(&self) {
        assert!(
            !self.page_files().is_empty(),
            "no pages in output/:\n{}",
            self.listing()
        );
        let problems = self.broken_internal_links();
        assert!(
            problems.is_empty(),
            "broken internal links:\n{}",
            problems.join("\n")
        );
    }

    /// Checks every internal URL of every HTML file: `href`/`src` that are root-relative,
    /// relative or start with `base_url` must carry the base path and name a file of the output,
    /// and their `#fragment` an `id` in the target page. Returns the problems found.
    pub fn broken_internal_links(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut docs: BTreeMap<String, Doc> = BTreeMap::new();
        for file in self.html_files() {
            docs.insert(file.clone(), self.html(&file));
        }
        for (file, doc) in &docs {
            let page_dir = format!(
                "{}{}",
                self.base_path,
                file.rsplit_once('/').map_or("", |(d, _)| d)
            );
            let page_dir = if page_dir.ends_with('/') {
                page_dir
            } else {
                format!("{page_dir}/")
            };
            for (element, url) in doc.urls() {
                if url.is_empty() || is_external(&url, &self.base_url) {
                    continue;
                }
                let (target, fragment) = match url.split_once('#') {
                    Some((t, f)) => (t.to_string(), Some(percent_decode(f))),
                    None => (url.clone(), None),
                };
                let target_file = if target.is_empty() {
                    Some(file.clone())
                } else if target.starts_with('/') || target.starts_with(&self.base_url) {
                    if !target.starts_with(&self.base_path) && !target.starts_with(&self.base_url) {
                        problems.push(format!(
                            "{file}: <{element}> {url:?} lacks the base path {}",
                            self.base_path
                        ));
                        continue;
                    }
                    self.file_for_url(&target)
                } else {
                    self.file_for_url(&normalize_path(&format!("{page_dir}{target}")))
                };
                let Some(target_file) = target_file else {
                    problems.push(format!("{file}: <{element}> {url:?} is outside the site"));
                    continue;
                };
                if !self.exists(&target_file) {
                    problems.push(format!(
                        "{file}: <{element}> {url:?} → missing {target_file}"
                    ));
                    continue;
                }
                if let (Some(fragment), Some(target_doc)) = (fragment, docs.get(&target_file))
                    && !fragment.is_empty()
                    && !target_doc.has_id(&fragment)
                {
                    problems.push(format!(
                        "{file}: <{element}> {url:?} → no id {fragment:?} in {target_file}"
                    ));
                }
            }
        }
        problems
    }
}

/// Every file under `dir` (none when it is not a folder), relative with `/`, sorted.
pub fn relative_files(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    if dir.is_dir() {
        collect_files(dir, dir, &mut files);
    }
    files.sort();
    files
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            collect_files(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap();
            let rel: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(rel.join("/"));
        }
    }
}

/// Absolute URLs to other sites, `mailto:` and the like. URLs under the site's own `base_url`
/// are internal.
pub fn is_external(url: &str, base_url: &str) -> bool {
    if url.starts_with(base_url) {
        return false;
    }
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !url[..colon].contains('/')
        }
        None => false,
    }
}

/// Resolves `.` and `..` segments of a `/`-separated path.
pub fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Decodes `%XX` escapes (as UTF-8); leaves anything else as it is.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
