//! Helpers shared by the integration tests: temporary sites built from fixtures or written inline,
//! running the real binary, and reading what it wrote (files, HTML, XML).
//!
//! Every test builds its own site in its own temporary folder, so tests run in parallel.

#![allow(dead_code)]

pub mod browser;
pub mod live;
pub mod mutate;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// The binary under test, built by cargo for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_safe-surgeries");

/// `site.yaml` of a one-language site.
pub const SITE_EN: &str = "\
title: Test Site
base_url: https://example.org/
default_language: en
languages:
  - { code: en, name: English }
";

/// `site.yaml` of an English and Arabic site.
pub const SITE_EN_AR: &str = "\
title: Test Site
base_url: https://example.org/
default_language: en
languages:
  - { code: en, name: English }
  - { code: ar, name: العربية }
";

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// An interface string of the repository's default theme, whitespace collapsed.
pub fn theme_string(code: &str, key: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/default/i18n/{code}.yaml"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
    let value = yaml[key]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no string {key}", path.display()));
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines that differ between two versions of a file, paired, for files whose lines stay
/// in place.
pub fn changed_lines<'a>(before: &'a str, after: &'a str) -> Vec<(&'a str, &'a str)> {
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect()
}

/// Front matter plus body, as a Markdown file's text.
pub fn md(front_matter: &str, body: &str) -> String {
    format!("---\n{}\n---\n\n{}\n", front_matter.trim_end(), body)
}

// ---------------------------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------------------------

/// A site folder in a temporary directory, removed when dropped.
pub struct Site {
    /// Shared with the `Output`s of this site, so that they stay readable after the `Site` is
    /// dropped (`Site::fixture("x").build_ok()` returns a usable `Output`).
    dir: Arc<TempDir>,
}

impl Site {
    /// A site with nothing but the shared fixture theme in `themes/default/`.
    pub fn empty() -> Site {
        let dir = tempfile::Builder::new()
            .prefix("safe-surgeries-test-")
            .tempdir()
            .expect("create a temporary directory");
        let site = Site { dir: Arc::new(dir) };
        copy_dir(&fixtures_dir().join("_theme"), &site.path("themes/default"));
        site
    }

    /// A copy of `tests/fixtures/<name>/`, given the shared fixture theme unless it has its own.
    pub fn fixture(name: &str) -> Site {
        let src = fixtures_dir().join(name);
        assert!(src.is_dir(), "no fixture folder {}", src.display());
        let dir = tempfile::Builder::new()
            .prefix(&format!("safe-surgeries-{name}-"))
            .tempdir()
            .expect("create a temporary directory");
        copy_dir(&src, dir.path());
        let site = Site { dir: Arc::new(dir) };
        if !site.path("themes/default").exists() {
            copy_dir(&fixtures_dir().join("_theme"), &site.path("themes/default"));
        }
        site
    }

    /// A site with the given `site.yaml` and a home page for every language code listed in
    /// `home_languages` (the first one is the default language and gets `content/_index.md`).
    pub fn with_config(site_yaml: &str, home_languages: &[&str]) -> Site {
        let site = Site::empty();
        site.write("site.yaml", site_yaml);
        for (i, code) in home_languages.iter().enumerate() {
            let file = if i == 0 {
                "content/_index.md".to_string()
            } else {
                format!("content/_index.{code}.md")
            };
            site.write(&file, md(&format!("title: Home {code}"), "Welcome."));
        }
        site
    }

    /// A copy of the repository's own site (site.yaml, content, themes), to build without
    /// touching the repository.
    pub fn repo_copy() -> Site {
        let site = Site::empty();
        site.remove("themes");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::copy(root.join("site.yaml"), site.path("site.yaml")).expect("copy site.yaml");
        for dir in ["content", "themes", "i18n", "static"] {
            if root.join(dir).is_dir() {
                copy_dir(&root.join(dir), &site.path(dir));
            }
        }
        site
    }

    /// Every configured language: code and output prefix (`""`, `ar/`, `zh-hans/`).
    pub fn languages(&self) -> Vec<(String, String)> {
        let config: serde_yaml::Value = serde_yaml::from_str(&self.read("site.yaml")).unwrap();
        let default = config["default_language"].as_str().unwrap().to_owned();
        config["languages"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|l| {
                let code = l["code"].as_str().unwrap().to_owned();
                let prefix = if code == default {
                    String::new()
                } else {
                    format!("{}/", code.to_ascii_lowercase())
                };
                (code, prefix)
            })
            .collect()
    }

    /// An English-only site with a home page.
    pub fn en() -> Site {
        Site::with_config(SITE_EN, &["en"])
    }

    /// An English and Arabic site with a home page in both.
    pub fn en_ar() -> Site {
        Site::with_config(SITE_EN_AR, &["en", "ar"])
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the site folder (`/`-separated relative path).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes a file into the site, creating folders as needed.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Site {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        self
    }

    /// Reads a file of the site (not of the output).
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Replaces `from` with `to` in a file of the site, which must contain it.
    pub fn replace(&self, rel: &str, from: &str, to: &str) -> &Site {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, text.replace(from, to))
    }

    pub fn remove(&self, rel: &str) -> &Site {
        let path = self.path(rel);
        if path.is_dir() {
            fs::remove_dir_all(&path).unwrap();
        } else {
            fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        }
        self
    }

    /// `safe-surgeries build --root <site>`.
    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// `safe-surgeries build --root <site> <extra…>`.
    pub fn build_with(&self, extra: &[&str]) -> Run {
        let mut args: Vec<&OsStr> = vec![OsStr::new("build"), OsStr::new("--root")];
        args.push(self.root().as_os_str());
        args.extend(extra.iter().map(OsStr::new));
        run(&args, &std::env::temp_dir())
    }

    /// Builds and asserts that the build succeeded.
    pub fn build_ok(&self) -> Output {
        self.build().assert_ok();
        self.output()
    }

    /// The default output folder, `<site>/output/`, for `base_url: https://example.org/`.
    pub fn output(&self) -> Output {
        self.output_for("https://example.org/")
    }

    /// The default output folder of a site built with the given `base_url`.
    pub fn output_for(&self, base_url: &str) -> Output {
        let mut out = Output::new(self.path("output"), base_url);
        out.keep = Some(Arc::clone(&self.dir));
        out
    }
}

/// Recursively copies `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

/// What one run of the binary did.
pub struct Run {
    pub args: String,
    /// `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args` in `cwd`, colours off, no input.
pub fn run<S: AsRef<OsStr>>(args: &[S], cwd: &Path) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("CLICOLOR", "0")
        .env("TERM", "dumb")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {BIN}: {e}"));
    Run {
        args: args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        code: out.status.code(),
        stdout: strip_ansi(&String::from_utf8_lossy(&out.stdout)),
        stderr: strip_ansi(&String::from_utf8_lossy(&out.stderr)),
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`safe-surgeries {}` exited with {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "unexpected exit code\n{self}");
        self
    }

    pub fn assert_ok(&self) -> &Run {
        self.assert_code(0)
    }

    /// A content error: exit code 1 and at least one `error:` on stderr.
    pub fn assert_content_error(&self) -> &Run {
        self.assert_code(1);
        assert!(
            self.stderr.contains("error:"),
            "no `error:` on stderr\n{self}"
        );
        self
    }

    /// stdout and stderr together.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    pub fn assert_stderr_contains(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{self}"
        );
        self
    }

    /// stderr names `<file>:<line>:<col>` (the path may be absolute or relative to the site).
    pub fn assert_location(&self, file: &str, line: usize) -> &Run {
        assert!(
            has_location(&self.stderr, file, line),
            "stderr lacks the location `{file}:{line}:<col>`\n{self}"
        );
        self
    }

    /// stderr names `<file>:<line>` (a column may follow, another digit may not).
    pub fn assert_line_mentioned(&self, file: &str, line: usize) -> &Run {
        let needle = format!("{file}:{line}");
        let found = self.stderr.match_indices(&needle).any(|(at, _)| {
            !self.stderr[at + needle.len()..].starts_with(|c: char| c.is_ascii_digit())
        });
        assert!(found, "stderr does not name `{file}:{line}`\n{self}");
        self
    }

    /// stderr names `<file>:<line>:<col>` for one of the given lines.
    pub fn assert_location_any(&self, file: &str, lines: &[usize]) -> &Run {
        assert!(
            lines.iter().any(|&l| has_location(&self.stderr, file, l)),
            "stderr lacks `{file}:<line>:<col>` for any line in {lines:?}\n{self}"
        );
        self
    }

    /// The distinct stderr lines that contain `error:`.
    pub fn error_lines(&self) -> BTreeSet<&str> {
        self.stderr
            .lines()
            .map(str::trim)
            .filter(|l| l.contains("error:"))
            .collect()
    }

    /// The distinct stderr lines that contain `warning:`.
    pub fn warning_lines(&self) -> BTreeSet<&str> {
        self.stderr
            .lines()
            .map(str::trim)
            .filter(|l| l.contains("warning:"))
            .collect()
    }
}

/// Whether `text` contains `<…file>:<line>:<digits>`.
pub fn has_location(text: &str, file: &str, line: usize) -> bool {
    let needle = format!("{file}:{line}:");
    text.match_indices(&needle).any(|(at, _)| {
        let before_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-' && c != '.');
        let col_ok = text[at + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
        before_ok && col_ok
    })
}

/// Whether `text` contains `word` with no letter, digit, `-` or `_` on either side.
pub fn contains_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(at, _)| {
        text[..at].chars().next_back().is_none_or(|c| !is_word(c))
            && text[at + word.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_word(c))
    })
}

pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The output folder
// ---------------------------------------------------------------------------------------------

/// A built site's output folder and the `base_url` it was built with.
pub struct Output {
    pub dir: PathBuf,
    /// Absolute, ends in `/`.
    pub base_url: String,
    /// `/` or `/toolkit/`.
    pub base_path: String,
    /// Keeps the temporary site folder alive while the output is read.
    keep: Option<Arc<TempDir>>,
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

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// A parsed HTML file.
pub struct Doc {
    pub name: String,
    pub html: Html,
}

impl Doc {
    pub fn parse(name: &str, text: &str) -> Doc {
        Doc {
            name: name.to_string(),
            html: Html::parse_document(text),
        }
    }

    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&sel(css)).collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.select(css).len()
    }

    pub fn exists(&self, css: &str) -> bool {
        self.count(css) > 0
    }

    /// The only element matching `css`.
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "{}: expected exactly one `{css}`, found {}",
            self.name,
            found.len()
        );
        found[0]
    }

    /// The values of `attr` on every element matching `css` (elements without it are skipped).
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.attr(attr))
            .map(str::to_string)
            .collect()
    }

    /// `attr` of the only element matching `css`.
    pub fn attr(&self, css: &str, attr: &str) -> String {
        self.one(css)
            .attr(attr)
            .unwrap_or_else(|| panic!("{}: `{css}` has no {attr}", self.name))
            .to_string()
    }

    /// Whitespace-collapsed text of the only element matching `css`.
    pub fn text(&self, css: &str) -> String {
        text_of(self.one(css))
    }

    /// Whitespace-collapsed texts of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).into_iter().map(text_of).collect()
    }

    /// `lang` and `dir` of `<html>`.
    pub fn lang_dir(&self) -> (String, String) {
        let html = self.one("html");
        (
            html.attr("lang").unwrap_or_default().to_string(),
            html.attr("dir").unwrap_or_default().to_string(),
        )
    }

    /// Every `id` in the page, percent-decoded.
    pub fn ids(&self) -> Vec<String> {
        self.attrs("[id]", "id")
            .iter()
            .map(|i| percent_decode(i))
            .collect()
    }

    pub fn has_id(&self, id: &str) -> bool {
        let id = percent_decode(id);
        self.ids().contains(&id)
    }

    /// `(hreflang lower-cased, href)` of every `<link rel="alternate" hreflang>`.
    pub fn hreflangs(&self) -> BTreeSet<(String, String)> {
        self.select(r#"head link[rel="alternate"][hreflang]"#)
            .iter()
            .map(|e| {
                (
                    e.attr("hreflang").unwrap().to_ascii_lowercase(),
                    e.attr("href").unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// `(href, text)` of the links matching `css`.
    pub fn links(&self, css: &str) -> Vec<(String, String)> {
        self.select(css)
            .into_iter()
            .map(|e| (e.attr("href").unwrap_or_default().to_string(), text_of(e)))
            .collect()
    }

    /// The `href` of the only link in `.content` whose text is `text`.
    pub fn content_link(&self, text: &str) -> String {
        let found: Vec<_> = self
            .links(".content a")
            .into_iter()
            .filter(|(_, t)| t == text)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{}: expected one `.content a` with text {text:?}, found {found:?}",
            self.name
        );
        found[0].0.clone()
    }

    /// `(element name, url)` of every `href` and `src` in the page.
    pub fn urls(&self) -> Vec<(String, String)> {
        let mut urls = Vec::new();
        for e in self.select("[href], [src]") {
            for attr in ["href", "src"] {
                if let Some(v) = e.attr(attr) {
                    urls.push((e.value().name().to_string(), v.trim().to_string()));
                }
            }
        }
        urls
    }
}

/// Text of an element with runs of whitespace collapsed and the ends trimmed.
pub fn text_of(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// XML (sitemap, feeds): just enough to read what the tests need
// ---------------------------------------------------------------------------------------------

/// The text of every `<tag>…</tag>` (entities `&amp;` etc. decoded).
pub fn xml_texts(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        rest = &rest[start + open.len()..];
        let Some(end) = rest.find(&close) else { break };
        out.push(xml_unescape(rest[..end].trim()));
        rest = &rest[end + close.len()..];
    }
    out
}

/// The blocks `<tag>…</tag>` (or `<tag …>…</tag>`), each as raw text.
pub fn xml_blocks<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = find_tag(&xml[from..], tag).map(|s| s + from) {
        let Some(len) = xml[start..].find(&close) else {
            break;
        };
        out.push(&xml[start..start + len + close.len()]);
        from = start + len + close.len();
    }
    out
}

/// The attributes of every `<tag …>` element.
pub fn xml_elements(xml: &str, tag: &str) -> Vec<BTreeMap<String, String>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = find_tag(&xml[from..], tag).map(|s| s + from) {
        let inner_start = start + 1 + tag.len();
        let end = xml[inner_start..]
            .find('>')
            .map_or(xml.len(), |e| e + inner_start);
        out.push(parse_attrs(&xml[inner_start..end]));
        from = end;
    }
    out
}

/// Position of `<tag` followed by whitespace, `>` or `/`.
fn find_tag(xml: &str, tag: &str) -> Option<usize> {
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(i) = xml[from..].find(&open) {
        let at = from + i;
        match xml[at + open.len()..].chars().next() {
            Some(c) if c.is_whitespace() || c == '>' || c == '/' => return Some(at),
            _ => from = at + open.len(),
        }
    }
    None
}

fn parse_attrs(s: &str) -> BTreeMap<String, String> {
    let mut attrs = BTreeMap::new();
    let mut rest = s.trim_start();
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(end) = after[1..].find(quote) else {
            break;
        };
        attrs.insert(name, xml_unescape(&after[1..1 + end]));
        rest = after[end + 2..].trim_start();
    }
    attrs
}

pub fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The hrefs of every entry of an Atom feed (`<link href>` inside `<entry>`, or its `<id>`).
pub fn feed_entry_links(feed: &str) -> Vec<String> {
    xml_blocks(feed, "entry")
        .into_iter()
        .map(|entry| {
            xml_elements(entry, "link")
                .into_iter()
                .find(|a| a.get("rel").is_none_or(|r| r == "alternate"))
                .and_then(|a| a.get("href").cloned())
                .or_else(|| xml_texts(entry, "id").into_iter().next())
                .unwrap_or_default()
        })
        .collect()
}

/// A test needs `tool`, which this machine lacks. Under CI (`CI=true`), which installs every tool
/// the tests use in `.ci/run`, that is a failure: a skipped check must not pass for a green one.
/// Elsewhere the test says why it skips.
pub fn missing_tool(tool: &str, install: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !ci,
        "{tool} is needed by this test and is not installed ({install}); .ci/run installs it"
    );
    eprintln!("skipping: {tool} is not installed ({install})");
}
