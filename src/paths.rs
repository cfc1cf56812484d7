//! Where things are: the site's source folders, the theme's folders, and every file of the
//! output by what it holds, with the one mapping from a URL of the site to its output file
//! that `serve` and `check` both use. Output paths are relative to the output folder and use
//! `/` on every system.

use crate::config::Language;

/// The site's own folders, which a build reads and never writes into.
pub const SOURCE_FOLDERS: [&str; 4] = ["content", "themes", "static", "i18n"];

/// The site's settings files beside its folders.
pub const SOURCE_FILES: [&str; 2] = ["site.yaml", "practices.yaml"];

/// The file a folder's URL serves.
pub const INDEX: &str = "index.html";

/// The folders of a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeFolder {
    Templates,
    Css,
    I18n,
    Print,
    Static,
}

/// A folder of the theme `theme`, from the site folder: `themes/default/templates`.
pub fn theme_folder(theme: &str, folder: ThemeFolder) -> String {
    let name = match folder {
        ThemeFolder::Templates => "templates",
        ThemeFolder::Css => "css",
        ThemeFolder::I18n => "i18n",
        ThemeFolder::Print => "print",
        ThemeFolder::Static => "static",
    };
    format!("themes/{theme}/{name}")
}

/// The theme's interface strings in language `code`: `themes/default/i18n/ar.yaml`.
pub fn theme_strings(theme: &str, code: &str) -> String {
    format!("{}/{code}.yaml", theme_folder(theme, ThemeFolder::I18n))
}

/// The HTML file of a page whose place is `place` (`ar/guidance/`, or empty for the home page).
pub fn page_file(place: &str) -> String {
    format!("{place}{INDEX}")
}

/// The URL path a page's HTML file is reached by: its folder, `ar/guidance/` for
/// `ar/guidance/index.html`.
pub fn folder_of_page(file: &str) -> &str {
    file.strip_suffix(INDEX).unwrap_or(file)
}

/// The file an alias redirect is written to: `/old/page/` -> `old/page/index.html`,
/// `/old.html` -> `old.html`. `Err` with the reason when the alias cannot be a file of the site.
pub fn alias_file(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty() {
        return Err("points at the home page, which already exists");
    }
    if trimmed.contains("://") || trimmed.split('/').any(|s| s == ".." || s == ".") {
        return Err("must be a path inside the site");
    }
    if trimmed.ends_with(".html") {
        Ok(trimmed.to_owned())
    } else {
        Ok(page_file(&format!("{}/", trimmed.trim_end_matches('/'))))
    }
}

/// Language `language`'s search page folder: `ar/search/`.
pub fn search_folder(language: &Language) -> String {
    format!("{}search/", language.prefix)
}

/// Language `language`'s search index: `ar/search/index.json`.
pub fn search_index(language: &Language) -> String {
    format!("{}index.json", search_folder(language))
}

/// Language `language`'s Atom feed: `ar/atom.xml`.
pub fn feed(language: &Language) -> String {
    format!("{}atom.xml", language.prefix)
}

/// Language `language`'s "page not found" page: `ar/404.html`.
pub fn not_found(language: &Language) -> String {
    format!("{}404.html", language.prefix)
}

/// The folder of the practices' pages: `practices/`.
pub const PRACTICES: &str = "practices/";

/// A practice's page and its own PDFs: `practices/riverside/`.
pub fn practice_folder(slug: &str) -> String {
    format!("{PRACTICES}{slug}/")
}

/// A printed item's files without their extension (`.pdf`, and `.png` for its preview), in
/// `folder` (the item's page's, or a practice's): `patients/card/card-ar-a6`.
pub fn print_stem(folder: &str, item_slug: &str, language: &Language, paper: &str) -> String {
    let code = language.code.to_ascii_lowercase();
    format!("{folder}{item_slug}-{code}-{}", paper.to_ascii_lowercase())
}

/// The ZIP of every printed item in `language`: `ar/downloads/safe-surgeries-ar.zip`.
pub fn print_zip(language: &Language) -> String {
    let code = language.code.to_ascii_lowercase();
    format!("{}downloads/safe-surgeries-{code}.zip", language.prefix)
}

/// The ZIP of a practice's own PDFs: `practices/riverside/riverside.zip`.
pub fn practice_zip(slug: &str) -> String {
    format!("{}{slug}.zip", practice_folder(slug))
}

/// Language `language`'s offline copy, a ZIP named `name`: `ar/offline/<name>.zip`.
pub fn offline_zip(language: &Language, name: &str) -> String {
    format!("{}offline/{name}.zip", language.prefix)
}

/// The output file a root-relative URL path names, as a browser would ask for it: escapes
/// decoded, `.` and `..` resolved as a browser resolves them (never above the site's folder),
/// and a folder (`/ar/guidance/`, or the site's own address) meaning its `index.html`. `None`
/// when the path is outside `base_path` or its escapes are not UTF-8. A name without its
/// final `/` is given as it is: only the output knows whether it is a folder.
pub fn file_of_url(base_path: &str, url_path: &str) -> Option<String> {
    file_of_decoded(base_path, &crate::text::percent_decode(url_path)?)
}

/// [`file_of_url`] for a path whose escapes are already decoded (or, where they were not
/// UTF-8, left as written).
pub fn file_of_decoded(base_path: &str, path: &str) -> Option<String> {
    let inside = match path.strip_prefix(base_path) {
        Some(inside) => inside,
        // The site's address without its final slash (`/toolkit`) is its home page.
        None if !path.is_empty() && path == base_path.trim_end_matches('/') => "",
        None => return None,
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in inside.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let mut path = parts.join("/");
    let folder = inside.is_empty() || inside.ends_with('/');
    if folder {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(INDEX);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_name_files_inside_the_site() {
        assert_eq!(alias_file("/old/page/"), Ok("old/page/index.html".into()));
        assert_eq!(alias_file("/old/page"), Ok("old/page/index.html".into()));
        assert_eq!(alias_file("old.html"), Ok("old.html".into()));
        assert!(alias_file("/../etc").is_err());
        assert!(alias_file("https://elsewhere.example/").is_err());
        assert!(alias_file("/").is_err());
    }

    #[test]
    fn urls_name_output_files() {
        let file = |base, url| file_of_url(base, url);
        assert_eq!(file("/", "/").as_deref(), Some("index.html"));
        assert_eq!(
            file("/", "/ar/page/").as_deref(),
            Some("ar/page/index.html")
        );
        assert_eq!(file("/", "/%61r/a.css").as_deref(), Some("ar/a.css"));
        assert_eq!(file("/", "/ar/page").as_deref(), Some("ar/page"));
        assert_eq!(file("/t/", "/t").as_deref(), Some("index.html"));
        assert_eq!(file("/t/", "/t/ar/").as_deref(), Some("ar/index.html"));
        assert_eq!(file("/t/", "/other/"), None);
        assert_eq!(file("/", "/%zz"), None);
        // No path at all (a listener with no page open) is no file.
        assert_eq!(file("/", ""), None);
        assert_eq!(file("/t/", ""), None);
        // Dot segments never climb out of the site's folder.
        assert_eq!(file("/", "/../secret.txt").as_deref(), Some("secret.txt"));
        assert_eq!(file("/t/", "/t/a/../../b").as_deref(), Some("b"));
        assert_eq!(file("/", "/%2e%2e/x").as_deref(), Some("x"));
        assert_eq!(file("/", "/a/./b/../c/").as_deref(), Some("a/c/index.html"));
    }
}
