//! `cargo bench --bench serve`: how fast watch mode shows an edit, on the benchmark corpus
//! (10 sections × 100 pages × 20 languages, 20,220 pages; see benches/corpus).
//!
//! Generates the corpus into `$BENCH_SERVE_DIR` (default `target/bench-serve-corpus`), starts
//! `safe-surgeries serve` on it, listens to its live-reload events, and times, `$BENCH_RUNS`
//! times each (default 15):
//! 1. from saving one page's body to the event saying the rebuilt page is served (the file is
//!    replaced before the event is sent);
//! 2. the same for an edit of that page's title (front matter: the site is read again and the
//!    pages showing the title, about a hundred, rendered);
//! 3. the same for an edit of the section template, which 200 section pages use;
//! 4. the same for an edit of the page template, which every one of the 20,000 pages uses:
//!    until the open page is served (the listener names it), and until every page is.
//!
//! The edited files are restored at the end.

mod corpus;
#[path = "../tests/suite/common/live.rs"]
mod live;
mod stats;

use std::env;
use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_safe-surgeries");

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn prepare(dir: &Path, cfg: &corpus::Config) {
    let stamp = corpus::stamp(cfg);
    if fs::read_to_string(dir.join(corpus::STAMP_FILE))
        .ok()
        .as_deref()
        == Some(stamp.as_str())
    {
        return;
    }
    if dir.exists() {
        let ours = fs::read_to_string(dir.join(corpus::STAMP_FILE))
            .is_ok_and(|s| s.starts_with("safe-surgeries bench corpus"));
        assert!(ours, "{} exists and is not a bench corpus", dir.display());
        fs::remove_dir_all(dir).expect("remove the stale corpus");
    }
    println!("generating the corpus into {}", dir.display());
    corpus::generate(dir, cfg).expect("generate the corpus");
    fs::write(dir.join(corpus::STAMP_FILE), stamp).expect("stamp the corpus");
}

/// Edits `file` with `edit(original, run)` `runs` times and times each save until the event.
fn time_edits(
    rx: &Receiver<String>,
    file: &Path,
    runs: usize,
    edit: impl Fn(&str, usize) -> String,
) -> Vec<f64> {
    time_edits_until(rx, file, runs, &mut Vec::new(), edit)
}

/// As [`time_edits`], also timing until the rebuild's last event (a change to many pages
/// first announces the open page, then the rest), into `all`.
fn time_edits_until(
    rx: &Receiver<String>,
    file: &Path,
    runs: usize,
    all: &mut Vec<f64>,
    edit: impl Fn(&str, usize) -> String,
) -> Vec<f64> {
    let original = fs::read_to_string(file).expect("read the file to edit");
    let mut times = Vec::new();
    for run in 0..runs {
        while rx.try_recv().is_ok() {}
        let started = Instant::now();
        fs::write(file, edit(&original, run)).expect("save");
        let event = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("an event after the save");
        assert!(
            event.starts_with("event: built"),
            "the rebuild failed: {event}"
        );
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let mut last = event;
        while last.contains("\"more\":true") {
            last = rx
                .recv_timeout(Duration::from_secs(120))
                .expect("the rest of the rebuild");
        }
        all.push(started.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(150));
    }
    fs::write(file, original).expect("restore the file");
    let _ = rx.recv_timeout(Duration::from_secs(120));
    while rx.recv_timeout(Duration::from_millis(500)).is_ok() {}
    times
}

fn main() {
    let runs = stats::runs(15);
    let dir = env::var_os("BENCH_SERVE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench-serve-corpus"));
    let dir = env::current_dir().expect("current folder").join(dir);
    let cfg = corpus::Config::default();
    prepare(&dir, &cfg);

    let port = live::free_port();
    let started = Instant::now();
    let _server = Server(
        Command::new(BINARY)
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start serve"),
    );
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "safe-surgeries serve benchmark: {} pages, first build and start {:.1} s, {runs} runs each",
        cfg.pages(),
        started.elapsed().as_secs_f64()
    );

    let page = fs::read_dir(dir.join("content"))
        .expect("content")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .min()
        .and_then(|section| {
            fs::read_dir(section)
                .ok()?
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    name.ends_with(".md")
                        && !name.starts_with('_')
                        && name.matches('.').count() == 1
                })
                .min()
        })
        .expect("a page of the corpus");
    // The browser's view: the edited page is open, so watch mode renders it first.
    let url = page
        .strip_prefix(dir.join("content"))
        .ok()
        .and_then(|rel| rel.to_str())
        .and_then(|rel| rel.strip_suffix(".md"))
        .map(|rel| format!("/{}/", rel.replace('\\', "/")))
        .expect("the page's URL");
    let rx = live::events(port, &url);
    std::thread::sleep(Duration::from_millis(300));
    let body = time_edits(&rx, &page, runs, |text, run| {
        format!("{text}\nEdited, run {run}.\n")
    });
    println!(
        "  one page's body saved -> served: median {:.1} ms (min {:.1}, max {:.1})",
        stats::median(body.clone()),
        body.iter().copied().fold(f64::INFINITY, f64::min),
        body.iter().copied().fold(0.0, f64::max)
    );

    let title = time_edits(&rx, &page, runs.min(5), |text, run| {
        text.replacen("title: ", &format!("title: Run {run} "), 1)
    });
    println!(
        "  one page's title saved -> served (the pages showing it rendered): median {:.0} ms",
        stats::median(title)
    );

    let templates = dir.join("themes").join("bench").join("templates");
    let section = templates.join("section.html");
    let page_template = templates.join("page.html");
    for (name, file) in [
        ("section template (200 pages)", section),
        ("page template (20,000 pages)", page_template),
    ] {
        if !file.exists() {
            println!("  {name}: no such template in the bench theme");
            continue;
        }
        // Inside the block, so that every page using the template really changes.
        let mut all = Vec::new();
        let times = time_edits_until(&rx, &file, runs.min(5), &mut all, |text, run| {
            text.replace(
                "{%- endblock main %}",
                &format!("<!-- run {run} -->{{%- endblock main %}}"),
            )
        });
        println!(
            "  {name} saved -> open page served: median {:.0} ms; every page rewritten: median {:.0} ms",
            stats::median(times),
            stats::median(all)
        );
    }
}
