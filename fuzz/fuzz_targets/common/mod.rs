//! The site the building targets share: the repository's `site.yaml` cut to English and
//! Arabic, its theme, a home page and pages to link to; made once per process, in memory where
//! there is a tmpfs. Every target but `front_matter` writes its page files into it.

// Each target uses part of this module.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use safe_surgeries::build::{self, Options};
use safe_surgeries::config::Config;
use safe_surgeries::i18n::Strings;
use safe_surgeries::{content, render};

pub struct Site {
    root: PathBuf,
    output: PathBuf,
    /// Keeps the folder for the life of the process.
    _dir: tempfile::TempDir,
}

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let parent = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = tempfile::Builder::new()
            .prefix("safe-surgeries-fuzz-")
            .tempdir_in(parent)
            .expect("create a temporary directory");
        let root = dir.path().join("site");
        copy_dir(&repo().join("themes"), &root.join("themes"));
        let config = fs::read_to_string(repo().join("site.yaml")).expect("read site.yaml");
        let config: String = config
            .lines()
            .filter(|l| {
                let code = l.trim_start().strip_prefix("- { code: ");
                code.is_none_or(|c| c.starts_with("en,") || c.starts_with("ar,"))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        fs::write(root.join("site.yaml"), config).unwrap();
        Site {
            output: dir.path().join("out"),
            root,
            _dir: dir,
        }
    })
}

/// The pages every build has, so that the fuzzed page's links and the QR codes have targets.
const FIXED: [(&str, &str); 5] = [
    ("content/_index.md", "---\ntitle: Home\n---\n\nWelcome.\n"),
    (
        "content/guidance/_index.md",
        "---\ntitle: Guidance\n---\n\nPages.\n",
    ),
    (
        "content/patients/_index.md",
        "---\ntitle: Patients\n---\n\nPages.\n",
    ),
    (
        "content/patients/right-to-register.md",
        "---\ntitle: Your right\n---\n\n## Interpreters {#interpreters}\n\nText.\n",
    ),
    (
        "content/guidance/other.md",
        "---\ntitle: Other\n---\n\n## How {#how}\n\nText.\n",
    ),
];

/// Writes the fixed pages and `pages` into the site's `content/`.
fn write(site: &Site, pages: &[(&str, Vec<u8>)]) {
    let content = site.root.join("content");
    let _ = fs::remove_dir_all(&content);
    let fixed = FIXED.iter().map(|(r, t)| (*r, t.as_bytes()));
    for (rel, text) in fixed.chain(pages.iter().map(|(r, t)| (*r, t.as_slice()))) {
        let path = site.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// Builds the site with `pages` added, and formats every message as the build would.
pub fn build(site: &Site, pages: &[(&str, Vec<u8>)]) {
    write(site, pages);
    let outcome = build::build(&Options {
        root: site.root.clone(),
        output: Some(site.output.clone()),
        ..Options::default()
    });
    for diagnostic in &outcome.diagnostics {
        let _ = diagnostic.to_string();
    }
    if let Some(summary) = &outcome.summary {
        let _ = summary.line();
    }
}

/// The build's first stages in-process, as `build::build` runs them: load, resolve and
/// Markdown, then, when `print` and nothing failed so far, the PDFs (a build stops there on an
/// error too). It skips the stylesheets, templates and the writing of files, which do not
/// depend on a page, so that a run takes a fraction of a build's time.
pub fn load_and_render(site: &Site, pages: &[(&str, Vec<u8>)], print: bool) {
    write(site, pages);
    let root = &site.root;
    let config = Config::load(root).expect("the fuzz site's site.yaml loads");
    let (strings, mut diagnostics) = Strings::load(root, &config);
    let (content, errors) = content::load(root, &config, false);
    diagnostics.extend(errors);
    let (site, errors) =
        safe_surgeries::site::Site::resolve(root.clone(), config, strings, content);
    diagnostics.extend(errors);
    let (rendered, errors) = render::markdown(&site, Vec::new());
    diagnostics.extend(errors);
    if print && !diagnostics.iter().any(|d| d.is_error()) {
        let (_, errors) = safe_surgeries::print::render(&site, &rendered, &Default::default());
        diagnostics.extend(errors);
    }
    for diagnostic in &diagnostics {
        let _ = diagnostic.to_string();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}
