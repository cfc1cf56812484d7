//! The browser side of the tests: finding Chromium, and serving a built output folder over
//! HTTP as a plain static host would.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::percent_decode;

pub fn chromium() -> Option<PathBuf> {
    let installed = Path::new("/usr/bin/chromium");
    if installed.is_file() {
        return Some(installed.to_owned());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Chromium, once Node and the pinned packages of tests/browser/ are there (installed with
/// `npm ci` when missing); none where a tool is missing, which fails the test under CI=true.
pub fn scripted_chromium() -> Option<PathBuf> {
    let Some(chromium) = chromium() else {
        super::missing_tool("chromium", "apt install chromium");
        return None;
    };
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        super::missing_tool("node", "apt install nodejs");
        return None;
    }
    let installed = || {
        ["playwright-core", "axe-core"]
            .iter()
            .all(|p| browser_dir().join("node_modules").join(p).is_dir())
    };
    if !installed() {
        // Pinned in tests/browser/package-lock.json; playwright-core downloads no browser.
        let _ = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(browser_dir())
            .status();
    }
    if !installed() {
        super::missing_tool("playwright-core", "npm ci --prefix tests/browser");
        return None;
    }
    Some(chromium)
}

/// The path of a file the packages of tests/browser/ installed.
pub fn node_module_file(rel: &str) -> PathBuf {
    browser_dir().join("node_modules").join(rel)
}

/// Runs tests/browser/`script` with `request` (as a JSON file) and returns the JSON it prints.
pub fn run_script(script: &str, request: &serde_json::Value) -> serde_json::Value {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let request_file = scratch.path().join("request.json");
    std::fs::write(&request_file, request.to_string()).expect("write the request");
    let run = std::process::Command::new("node")
        .arg(browser_dir().join(script))
        .arg(&request_file)
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap_or_else(|e| panic!("{script} prints JSON: {e}"))
}

/// A static file server over a built output folder, as a plain web host serves the site,
/// stopped when dropped. (`serve` would do, but its live-reload script keeps an event stream
/// open, and Chromium's virtual time waits for open requests: `--dump-dom` would never come.)
pub struct StaticServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    std::thread::spawn(move || answer(stream, &root));
                }
            }
        });
        StaticServer { port, stop }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn answer(mut stream: TcpStream, root: &Path) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 2 => {}
            _ => break,
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let rel = path.trim_start_matches('/');
    let file = if rel.is_empty() || rel.ends_with('/') {
        root.join(rel).join("index.html")
    } else {
        root.join(rel)
    };
    let found = (!rel.split('/').any(|part| part == ".."))
        .then(|| std::fs::read(&file).ok())
        .flatten();
    let (status, body) = match found {
        Some(body) => ("200 OK", body),
        None => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "json" => "application/json",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}
