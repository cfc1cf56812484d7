//! Sites for a test: built from fixtures or written inline, each in its own temporary folder.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tempfile::TempDir;

use super::*;

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
