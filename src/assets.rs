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
    let dir_rel = crate::paths::theme_folder(&config.theme, crate::paths::ThemeFolder::Css);
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
                let css = format!("{}{css}", site_address_rule(config));
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

/// `--site-address`, the site's origin as a CSS string, for every stylesheet: a page printed from
/// the browser writes each link's address out after it, and the theme's links are paths from
/// the root (`/guidance/…`), which mean nothing on paper without it.
fn site_address_rule(config: &Config) -> String {
    let quoted: String = config
        .origin()
        .chars()
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!(":root{{--site-address:\"{quoted}\"}}")
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
        root.join(crate::paths::theme_folder(
            &config.theme,
            crate::paths::ThemeFolder::Static,
        )),
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

/// The font files a stylesheet makes each language's pages load: for every rule whose selector
/// names a language (`:root:lang(ur)`) and whose declarations name a family of one of the
/// sheet's `@font-face` rules, that face's files, as output paths (`fonts/….woff2`).
/// What the offline copies include and the page-weight budget counts.
pub fn fonts_by_language(sheet: &Stylesheet) -> HashMap<String, Vec<String>> {
    use lightningcss::rules::CssRule;
    use lightningcss::rules::font_face::{FontFaceProperty, Source};
    use lightningcss::traits::ToCss;

    let mut by_language: HashMap<String, Vec<String>> = HashMap::new();
    let Ok(css) = std::str::from_utf8(&sheet.bytes) else {
        return by_language;
    };
    let Ok(parsed) = lightningcss::stylesheet::StyleSheet::parse(css, ParserOptions::default())
    else {
        return by_language;
    };
    let unquoted = |text: String| text.trim_matches(['"', '\'']).to_ascii_lowercase();
    // Relative to the stylesheet's own folder, as browsers resolve them.
    let folder = sheet.path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut faces: Vec<(String, Vec<String>)> = Vec::new();
    let mut rules: Vec<(String, String)> = Vec::new();
    for rule in &parsed.rules.0 {
        match rule {
            CssRule::FontFace(face) => {
                let mut family = None;
                let mut files = Vec::new();
                for property in &face.properties {
                    match property {
                        FontFaceProperty::FontFamily(f) => {
                            family = f
                                .to_css_string(PrinterOptions::default())
                                .ok()
                                .map(unquoted);
                        }
                        FontFaceProperty::Source(sources) => {
                            files.extend(sources.iter().filter_map(|s| match s {
                                Source::Url(u) => Some(join_relative(folder, &u.url.url)),
                                Source::Local(_) => None,
                            }));
                        }
                        _ => {}
                    }
                }
                if let Some(family) = family {
                    faces.push((family, files));
                }
            }
            CssRule::Style(style) => {
                let selectors = style
                    .selectors
                    .to_css_string(PrinterOptions::default())
                    .unwrap_or_default();
                let declarations = style
                    .declarations
                    .to_css_string(PrinterOptions::default())
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                rules.push((selectors, declarations));
            }
            _ => {}
        }
    }
    for (selectors, declarations) in &rules {
        // The language of the page, in the rule's first compound: `:root:lang(ur) :lang(ar)`
        // is about Arabic names inside an Urdu page, so Urdu pages load its fonts.
        for lang in compounds_first(selectors).split(":lang(").skip(1) {
            let Some(code) = lang.split(')').next() else {
                continue;
            };
            for (family, files) in &faces {
                if declarations.contains(family.as_str()) {
                    let entry = by_language.entry(code.to_owned()).or_default();
                    for file in files {
                        if !entry.contains(file) {
                            entry.push(file.clone());
                        }
                    }
                }
            }
        }
    }
    by_language
}

/// The first compound selector of each selector in a list (`:root:lang(ur)` of
/// `:root:lang(ur) :not(:lang(ur))`), joined: what the rule's subject element must be, outside
/// any combinator. Parentheses are skipped over, so `:is(:lang(a), :lang(b))` stays whole.
fn compounds_first(selectors: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_first = true;
    for c in selectors.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                in_first = true;
                out.push(' ');
                continue;
            }
            ' ' | '>' | '~' | '+' if depth == 0 => in_first = false,
            _ => {}
        }
        if in_first {
            out.push(c);
        }
    }
    out
}

/// The fonts a page in language `code` loads: those of its rules' `:lang()`, which match the
/// code and any code it starts (`zh` for `zh-Hant`).
pub fn fonts_for(by_language: &HashMap<String, Vec<String>>, code: &str) -> Vec<String> {
    let code = code.to_ascii_lowercase();
    let mut files: Vec<String> = by_language
        .iter()
        .filter(|(lang, _)| {
            let lang = lang.to_ascii_lowercase();
            code == lang || code.starts_with(&format!("{lang}-"))
        })
        .flat_map(|(_, files)| files.iter().cloned())
        .collect();
    files.sort();
    files.dedup();
    files
}

/// `relative` (`../fonts/a.woff2`) resolved against `folder` (`css`), as an output path.
fn join_relative(folder: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_are_found_for_the_languages_that_name_them() {
        let css = r#"@font-face{font-family:"Noto Sans X";src:local("Noto Sans X"),url("../fonts/X.woff2") format("woff2")}
:root:is(:lang(ti),:lang(am)){--font:"Noto Sans X",sans-serif}
:root:lang(ur) :not(:lang(ur)){--font:"Noto Sans X"}
:root:lang(fr){--font:system-ui}
:root:lang(fr) :lang(pa){--font:"Noto Sans X"}"#;
        let sheet = Stylesheet {
            name: "main".into(),
            path: "css/main.0.css".into(),
            bytes: css.as_bytes().to_vec(),
        };
        let fonts = fonts_by_language(&sheet);
        assert_eq!(fonts.get("ti"), Some(&vec!["fonts/X.woff2".to_owned()]));
        assert_eq!(fonts.get("am"), Some(&vec!["fonts/X.woff2".to_owned()]));
        // Text in other languages inside an Urdu page is on that page.
        assert_eq!(fonts.get("ur"), Some(&vec!["fonts/X.woff2".to_owned()]));
        // A rule for Punjabi names inside French pages is about French pages, not Punjabi ones.
        assert_eq!(fonts.get("pa"), None);
        assert_eq!(fonts.get("fr"), Some(&vec!["fonts/X.woff2".to_owned()]));
    }
}
