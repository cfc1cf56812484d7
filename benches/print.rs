//! `cargo bench --bench print`: how long the toolkit's PDFs take, and the practices' packs.
//!
//! Copies the repository's site (its 25 languages, its posters, card, leaflet and language
//! chart) into a temporary folder and times the build's `print` stage (from `build
//! --report`): from an empty cache, when Typst lays out every PDF, and again with nothing
//! changed, when every PDF comes from the cache. Then it adds a `practices.yaml` of
//! `BENCH_PRACTICES` practices (default 100), each in every language, and times the build
//! that lays out their packs, the build after it with nothing changed, and the build after
//! one practice's phone number changed.
//!
//! Environment: `BENCH_RUNS` (default 3) for the shared items, `BENCH_PRACTICES`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod stats;

const BINARY: &str = env!("CARGO_BIN_EXE_safe-surgeries");

/// `count` made-up practices, each in every language, with `phone_of_first` for the first.
fn practices_yaml(count: usize, phone_of_first: &str) -> String {
    (0..count)
        .map(|i| {
            let phone = if i == 0 {
                phone_of_first.to_owned()
            } else {
                format!("0113 496 {i:04}")
            };
            format!(
                "- name: Practice number {i}\n  address: [{i} High Street, Leeds, LS1 1AA]\n  phone: {phone}\n  hours: Monday to Friday, 8am to 6.30pm\n"
            )
        })
        .collect()
}

/// How many files under `dir` end in `.pdf`, and their bytes.
fn pdfs_under(dir: &Path) -> (usize, u64) {
    let mut found = (0, 0);
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            let (n, bytes) = pdfs_under(&path);
            found = (found.0 + n, found.1 + bytes);
        } else if path.extension().is_some_and(|x| x == "pdf") {
            found = (
                found.0 + 1,
                found.1 + entry.metadata().map_or(0, |m| m.len()),
            );
        }
    }
    found
}

/// One build, as `build --report` tells it.
struct Built {
    /// The `print` stage's seconds.
    print: f64,
    /// The whole command's seconds.
    total: f64,
    /// The build's peak resident memory, in MB.
    peak_mb: f64,
    /// Its first line: pages and PDFs, laid out and unchanged.
    summary: String,
}

#[allow(clippy::zombie_processes)] // reaped by `wait4` in `wait_with_rusage`, not `Child::wait`
fn build(root: &Path) -> Built {
    let log_path = root.join("bench-build.log");
    let log = fs::File::create(&log_path).expect("create the build log");
    let started = Instant::now();
    let child = Command::new(BINARY)
        .args(["build", "--report", "--root"])
        .arg(root)
        .stdout(log.try_clone().expect("duplicate the log handle"))
        .stderr(log)
        .spawn()
        .expect("run safe-surgeries");
    let (status, peak_kib) =
        stats::wait_with_rusage(child.id() as libc::pid_t).expect("wait for the build");
    let total = started.elapsed().as_secs_f64();
    let log = fs::read_to_string(&log_path).unwrap_or_default();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build failed:\n{log}"
    );
    let print = log
        .lines()
        .find(|l| l.starts_with("Stages:"))
        .and_then(|l| {
            l.split(", ")
                .find_map(|s| s.trim_start_matches("Stages: ").strip_prefix("print "))
        })
        .and_then(|s| s.trim_end_matches(" s").parse().ok())
        .expect("--report prints the print stage");
    let summary = log
        .lines()
        .find(|l| l.starts_with("Built "))
        .unwrap_or_default()
        .to_owned();
    Built {
        print,
        total,
        peak_mb: peak_kib as f64 / 1024.0,
        summary,
    }
}

fn main() {
    let runs = stats::runs(3);
    let practices: usize = std::env::var("BENCH_PRACTICES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(100);
    let dir = tempfile::Builder::new()
        .prefix("bench-print-")
        .tempdir()
        .expect("temporary folder");
    let root: PathBuf = dir.path().to_owned();
    stats::copy_site(&root);
    println!("safe-surgeries print benchmark: the toolkit, {runs} runs");
    println!(
        "  cores: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let (mut cold, mut warm, mut peak) = (Vec::new(), Vec::new(), 0.0f64);
    for run in 1..=runs {
        let _ = fs::remove_dir_all(root.join(".cache"));
        let laid_out = build(&root);
        let cached = build(&root);
        println!(
            "  run {run}: all laid out {:.2} s (whole build {:.2} s, peak {:.0} MB), unchanged {:.3} s",
            laid_out.print, laid_out.total, laid_out.peak_mb, cached.print
        );
        if run == 1 {
            println!("    {}\n    {}", laid_out.summary, cached.summary);
        }
        peak = peak.max(laid_out.peak_mb);
        cold.push(laid_out.print);
        warm.push(cached.print);
    }
    let shared = pdfs_under(&root.join("output"));
    println!(
        "median print stage: {:.2} s with every PDF laid out, {:.3} s with nothing changed ({} PDFs, peak {peak:.0} MB)",
        stats::median(cold),
        stats::median(warm),
        shared.0
    );

    // The practices' packs, on top of the shared items (which stay cached).
    fs::write(
        root.join("practices.yaml"),
        practices_yaml(practices, "0113 496 0000"),
    )
    .expect("write practices.yaml");
    let laid_out = build(&root);
    let (packs, bytes) = pdfs_under(&root.join("output/practices"));
    println!(
        "{practices} practices × every language: {packs} PDFs, {:.0} MB",
        bytes as f64 / 1e6
    );
    println!("    {}", laid_out.summary);
    println!(
        "  laid out: print stage {:.1} s (whole build {:.1} s, peak {:.0} MB), {:.0} ms per PDF",
        laid_out.print,
        laid_out.total,
        laid_out.peak_mb,
        laid_out.print * 1000.0 / packs.max(1) as f64
    );
    let cached = build(&root);
    println!(
        "  nothing changed: print stage {:.2} s (whole build {:.2} s, peak {:.0} MB)",
        cached.print, cached.total, cached.peak_mb
    );
    fs::write(
        root.join("practices.yaml"),
        practices_yaml(practices, "0113 496 9999"),
    )
    .expect("write practices.yaml");
    let one = build(&root);
    println!(
        "  one practice's phone changed: print stage {:.2} s (whole build {:.2} s, peak {:.0} MB)",
        one.print, one.total, one.peak_mb
    );
    println!("    {}", one.summary);
}
