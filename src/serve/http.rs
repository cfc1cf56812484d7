//! Answers one HTTP request from the output folder: only files inside it, with their content
//! types, the theme's 404 page for anything else, and the live-reload script in every page.

use std::path::{Component, Path, PathBuf};

use super::conn::{Connection, Reply, Request};
use super::live::{self, Hub};
use crate::text::percent_decode;

pub struct Context {
    /// The output folder, resolved (symlinks and all) once at start.
    pub root: PathBuf,
    pub base_path: String,
    pub hub: std::sync::Arc<Hub>,
}

pub fn handle(request: Request, connection: Connection, context: &Context) {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        connection.reply(&text(405, "only GET and HEAD are served\n"));
        return;
    }
    let url = request.target;
    let path = url.split(['?', '#']).next().unwrap_or("/").to_owned();
    if path == live::EVENTS_URL {
        let page = url
            .split_once("?page=")
            .and_then(|(_, page)| percent_decode(page.split(['&', '#']).next().unwrap_or("")))
            .unwrap_or_default();
        if let Some((_slot, mut stream)) = connection.long_lived() {
            let rx = context.hub.listen(page);
            let _ = live::stream(&rx, &mut stream);
        }
        return;
    }
    let response = if let Some(rest) = path.strip_prefix(live::PREFIX) {
        match rest {
            "live.js" => asset(live::SCRIPT, "text/javascript; charset=utf-8"),
            "live.css" => asset(live::STYLE, "text/css; charset=utf-8"),
            _ => not_found(&path, context),
        }
    } else {
        file_response(&path, context)
    };
    connection.reply(&response);
}

fn reply(status: u16, body: Vec<u8>, content_type: &str) -> Reply {
    Reply {
        status,
        headers: vec![
            ("Content-Type", content_type.to_owned()),
            // Editors reload to see changes: nothing may come from a cache.
            ("Cache-Control", "no-store".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
        ],
        body,
    }
}

fn text(status: u16, body: &str) -> Reply {
    reply(
        status,
        body.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}

fn asset(body: &str, content_type: &str) -> Reply {
    reply(200, body.as_bytes().to_vec(), content_type)
}

/// The file a URL path names, if it is inside the output folder, and whether the path named
/// a folder (whose `index.html` it is).
pub fn resolve(root: &Path, base_path: &str, url_path: &str) -> Option<(PathBuf, bool)> {
    let relative = crate::paths::file_of_url(base_path, url_path)?;
    let mut path = root.to_path_buf();
    for component in Path::new(&relative).components() {
        match component {
            Component::Normal(part) => path.push(part),
            // A root or a drive letter (`C:` on Windows): never outside the output.
            _ => return None,
        }
    }
    let folder = path.is_dir();
    if folder {
        path.push(crate::paths::INDEX);
    }
    // Symlinks could still lead out: compare where the file really is.
    let real = path.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some((real, folder))
}

fn file_response(url_path: &str, context: &Context) -> Reply {
    let Some((file, folder)) = resolve(&context.root, &context.base_path, url_path) else {
        return not_found(url_path, context);
    };
    // A folder asked for without its slash: send the browser to the slash, so that relative
    // links in the page resolve as they will on the real server.
    if folder && !url_path.ends_with('/') {
        let mut response = reply(301, Vec::new(), "text/plain; charset=utf-8");
        response.headers.push(("Location", format!("{url_path}/")));
        return response;
    }
    match std::fs::read(&file) {
        Ok(bytes) => {
            let content_type = content_type(&file);
            let body = if content_type.starts_with("text/html") {
                with_live_script(bytes)
            } else {
                bytes
            };
            reply(200, body, content_type)
        }
        Err(_) => not_found(url_path, context),
    }
}

/// The 404 page of the language whose prefix `url_path` starts with (`/ar/…` gets
/// `ar/404.html`), or else the root one, which says it in every language.
fn not_found(url_path: &str, context: &Context) -> Reply {
    let language_page = url_path
        .strip_prefix(context.base_path.as_str())
        .and_then(|rest| rest.split_once('/'))
        .map(|(prefix, _)| prefix)
        .filter(|prefix| !prefix.is_empty() && !prefix.starts_with('.'))
        .map(|prefix| context.root.join(prefix).join("404.html"))
        .filter(|page| page.is_file());
    let page = language_page.unwrap_or_else(|| context.root.join("404.html"));
    match std::fs::read(page) {
        Ok(page) => reply(404, with_live_script(page), "text/html; charset=utf-8"),
        Err(_) => text(404, "Not found\n"),
    }
}

/// The page with the live-reload script added before `</head>` (or at the end).
pub fn with_live_script(mut html: Vec<u8>) -> Vec<u8> {
    let tag = live::TAG.as_bytes();
    match find(&html, b"</head>") {
        Some(at) => {
            html.splice(at..at, tag.iter().copied());
        }
        None => html.extend_from_slice(tag),
    }
    html
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path().join("out");
        std::fs::create_dir_all(root.join("ar/page"))?;
        std::fs::write(root.join("ar/page/index.html"), "x")?;
        std::fs::write(dir.path().join("secret.txt"), "secret")?;
        let root = root.canonicalize()?;
        assert!(resolve(&root, "/", "/ar/page/").is_some());
        assert!(resolve(&root, "/", "/%61r/page/index.html").is_some());
        for bad in [
            "/../secret.txt",
            "/ar/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/ar/%00",
            "/%zz",
        ] {
            assert!(resolve(&root, "/", bad).is_none(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))?;
            assert!(resolve(&root, "/", "/link.txt").is_none(), "a symlink out");
        }
        Ok(())
    }

    #[test]
    fn the_script_goes_into_the_head() {
        let html =
            with_live_script(b"<html><head><title>x</title></head><body></body></html>".to_vec());
        let text = String::from_utf8(html).unwrap_or_default();
        assert!(text.contains(&format!("{}</head>", live::TAG)));
    }
}
