//! Stylesheets (bundled and minified with lightningcss, named by content hash) and static files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lightningcss::bundler::{Bundler, FileProvider};
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions};
use lightningcss::targets::{Browsers, Features, Targets};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Stage};

/// A file to write: its output path and bytes.
pub struct Stylesheet {
    /// Entry point name without `.css` (`main`), as templates ask for it.
    pub name: String,
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Browsers of cheap phones a few years old. Logical properties (`margin-inline-start`) are
/// kept as written: every target supports them, and they are what makes right-to-left layouts
/// mirror without a second stylesheet.
fn targets() -> Targets {
    let version = |major: u32, minor: u32| Some((major << 16) | (minor << 8));
    Targets {
        browsers: Some(Browsers {
            android: version(100, 0),
            chrome: version(90, 0),
            edge: version(90, 0),
            firefox: version(88, 0),
            ios_saf: version(14, 5),
            safari: version(14, 1),
            samsung: version(15, 0),
            opera: version(76, 0),
            ie: None,
        }),
        include: Features::empty(),
        exclude: Features::LogicalProperties,
    }
}

/// Bundles each `themes/<theme>/css/*.css` (not in subfolders: those are for `@import`).
pub fn stylesheets(root: &Path, config: &Config) -> (Vec<Stylesheet>, Vec<Diagnostic>) {
    let dir_rel = format!("themes/{}/css", config.theme);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root.join(&dir_rel))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "css"))
        .collect();
    entries.sort();
    let mut sheets = Vec::new();
    let mut diagnostics = Vec::new();
    for entry in entries {
        let name = entry
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match bundle(&entry) {
            Ok(css) => {
                let hash = blake3::hash(css.as_bytes()).to_hex();
                sheets.push(Stylesheet {
                    path: format!("css/{name}.{}.css", &hash[..10]),
                    name,
                    bytes: css.into_bytes(),
                });
            }
            Err((message, location)) => {
                let mut d = Diagnostic::error(
                    Stage::Assets,
                    format!("cannot build the stylesheet {name}.css: {message}"),
                )
                .with_help("fix the CSS at this place");
                if let Some((file, line, col)) = location {
                    let rel = crate::text::shown_path(root, Path::new(&file));
                    let source = std::fs::read_to_string(&file).ok();
                    d = d.at(&rel, source.as_deref(), line, col);
                }
                diagnostics.push(d);
            }
        }
    }
    (sheets, diagnostics)
}

type Located = (String, Option<(String, usize, usize)>);

fn bundle(entry: &Path) -> Result<String, Located> {
    let fs = FileProvider::new();
    let mut bundler = Bundler::new(&fs, None, ParserOptions::default());
    let located = |message: String, loc: Option<lightningcss::error::ErrorLocation>| {
        (
            message,
            loc.map(|l| (l.filename, l.line as usize + 1, l.column as usize)),
        )
    };
    let mut sheet = bundler
        .bundle(entry)
        .map_err(|e| located(e.kind.to_string(), e.loc))?;
    sheet
        .minify(MinifyOptions {
            targets: targets(),
            ..MinifyOptions::default()
        })
        .map_err(|e| located(e.kind.to_string(), e.loc))?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets: targets(),
            ..PrinterOptions::default()
        })
        .map_err(|e| located(e.kind.to_string(), e.loc))?;
    Ok(printed.code)
}

pub fn stylesheet_urls(config: &Config, sheets: &[Stylesheet]) -> HashMap<String, String> {
    sheets
        .iter()
        .map(|s| (s.name.clone(), config.url(&s.path)))
        .collect()
}

/// Files under the theme's `static/` and then the site's `static/` (which wins), as
/// (output path, source file).
pub fn static_files(root: &Path, config: &Config) -> Vec<(String, PathBuf)> {
    let mut files: HashMap<String, PathBuf> = HashMap::new();
    for dir in [
        root.join("themes").join(&config.theme).join("static"),
        root.join("static"),
    ] {
        for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            if let Ok(rel) = entry.path().strip_prefix(&dir) {
                files.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    entry.path().to_owned(),
                );
            }
        }
    }
    let mut files: Vec<_> = files.into_iter().collect();
    files.sort();
    files
}
