//! `cargo bench --bench build`: how long a full build of a big multilingual site takes, next to
//! how long it takes just to copy its output.
//!
//! 1. Generates a deterministic corpus (benches/corpus: 10 sections × 100 pages × 20 languages,
//!    plus the home and section indexes = 20,220 Markdown files, with the theme in benches/theme)
//!    into `$BENCH_DIR` (default `target/bench-corpus`), unless a corpus with the same stamp is
//!    already there.
//! 2. Runs `safe-surgeries build --root <corpus>` `$BENCH_RUNS` times (default 3) from an empty
//!    `output/`, timing each run and reading the child's peak resident memory from `wait4`.
//! 3. Times `cp -r <corpus>/output <copy>` as many times, `sync`ing first, as the floor any
//!    generator writing that many bytes and files has to pay.
//!
//! Environment: `BENCH_DIR`, `BENCH_RUNS`, `BENCH_PAGES_PER_SECTION` (default 100, for quick
//! trials), `BENCH_REGEN=1` (regenerate even when the stamp matches).

mod corpus;
#[allow(dead_code)] // this benchmark takes only the memory measure from it
mod stats;

use std::env;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{self, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_safe-surgeries");

fn main() {
    let runs = env_usize("BENCH_RUNS", 3).max(1);
    let cfg = corpus::Config {
        pages_per_section: env_usize("BENCH_PAGES_PER_SECTION", 100),
        ..corpus::Config::default()
    };
    let dir = bench_dir();

    println!("safe-surgeries build benchmark");
    println!("  binary:  {BINARY}");
    println!("  corpus:  {}", dir.display());
    println!("  machine: {}", machine());
    println!();

    prepare_corpus(&dir, &cfg);
    let output = dir.join("output");
    let log = dir.with_file_name(format!("{}-build.log", file_name(&dir)));

    // Builds and copies alternate, so that the disk's mood (this is a shared virtual disk whose
    // speed swings several-fold within minutes) weighs on both sides of the ratio alike.
    let scratch = tempfile::Builder::new()
        .prefix("bench-cp-")
        .tempdir_in(dir.parent().unwrap_or(Path::new(".")))
        .expect("cannot create a scratch folder beside the corpus for the cp runs");
    let copy = scratch.path().join("output");
    let mut build_times = Vec::with_capacity(runs);
    let mut cp_times = Vec::with_capacity(runs);
    let mut ratios = Vec::with_capacity(runs);
    let mut peak_rss_kib = 0u64;
    for run in 1..=runs {
        // Each side follows the deletion of its own previous tree: deleting costs this disk
        // (mounted with `discard`) more than writing, and it must not fall on one side only.
        remove_dir_if_exists(&output);
        sync();
        let (elapsed, rss) = timed_build(&dir, &log);
        peak_rss_kib = peak_rss_kib.max(rss);
        remove_dir_if_exists(&copy);
        sync();
        let start = Instant::now();
        let status = Command::new("cp")
            .arg("-r")
            .arg(&output)
            .arg(&copy)
            .status()
            .expect("cannot run cp");
        let copied = start.elapsed();
        if !status.success() {
            eprintln!(
                "error: cp -r {} {} failed: {status}",
                output.display(),
                copy.display()
            );
            let _ = fs::remove_dir_all(scratch.path());
            process::exit(1);
        }
        let ratio = secs(elapsed) / secs(copied).max(1e-9);
        println!(
            "run {run}/{runs}: build {:>8.3} s   cp -r {:>8.3} s   ratio {ratio:>5.2}   peak RSS {:>7.1} MB",
            secs(elapsed),
            secs(copied),
            rss as f64 / 1024.0
        );
        build_times.push(elapsed);
        cp_times.push(copied);
        ratios.push(ratio);
    }
    let (out_bytes, out_files, out_html) = tree_size(&output);
    remove_dir_if_exists(&copy);
    drop(scratch);
    ratios.sort_by(f64::total_cmp);

    let build = median(&mut build_times);
    let cp = median(&mut cp_times);
    let ratio = ratios[ratios.len() / 2];
    let mb = out_bytes as f64 / 1e6;
    let rss_mb = peak_rss_kib as f64 / 1024.0;
    let pages = cfg.pages();

    println!();
    println!("| measure                  | value |");
    println!("|--------------------------|-------|");
    println!(
        "| pages (Markdown files)   | {} ({} languages) |",
        group(pages),
        corpus::LANGS.len()
    );
    println!(
        "| output                   | {mb:.1} MB in {} files ({} HTML) |",
        group(out_files),
        group(out_html)
    );
    println!("| build, median of {runs:<2}      | {:.3} s |", secs(build));
    println!("| cp -r output, median     | {:.3} s |", secs(cp));
    println!("| build / cp, median of the runs' ratios | {ratio:.2}× |");
    println!("| peak RSS of the build    | {rss_mb:.1} MB |");
    println!();
    println!("README line:");
    println!(
        "Building the benchmark site ({} pages in {} languages, {} in {} files) takes {:.2} s \
         (median of {runs}), {ratio:.1}× the {:.2} s of `cp -r` on its output, with a peak RSS of \
         {rss_mb:.0} MB ({}; `cargo bench --bench build`).",
        group(pages),
        corpus::LANGS.len(),
        human_size(out_bytes),
        group(out_files),
        secs(build),
        secs(cp),
        machine()
    );
}

/// Makes sure `dir` holds a finished corpus with the current stamp, generating it if needed.
fn prepare_corpus(dir: &Path, cfg: &corpus::Config) {
    let stamp = corpus::stamp(cfg);
    let stamp_path = dir.join(corpus::STAMP_FILE);
    let regen = env::var("BENCH_REGEN").is_ok_and(|v| !v.is_empty() && v != "0");
    let found = fs::read_to_string(&stamp_path).ok();
    if !regen && found.as_deref() == Some(stamp.as_str()) {
        println!("corpus: up to date ({})", stamp.trim_end());
        return;
    }
    if dir.exists() {
        // Only ever delete a folder this bench made: it has our stamp (of any version).
        let ours = found
            .as_deref()
            .is_some_and(|s| s.starts_with("safe-surgeries bench corpus"));
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !ours && !empty {
            eprintln!(
                "error: {} exists and is not a bench corpus (no {} stamp); remove it or set BENCH_DIR",
                dir.display(),
                corpus::STAMP_FILE
            );
            process::exit(1);
        }
        println!("corpus: stale, regenerating");
        fs::remove_dir_all(dir)
            .unwrap_or_else(|e| fail(&format!("cannot remove {}", dir.display()), e));
    }

    // Generate beside the target and rename, so an interrupted run never leaves a half corpus
    // that looks finished.
    let staging = dir.with_file_name(format!("{}.generating", file_name(dir)));
    remove_dir_if_exists(&staging);
    let start = Instant::now();
    let summary = corpus::generate(&staging, cfg).unwrap_or_else(|e| {
        fail(
            &format!("cannot write the corpus into {}", staging.display()),
            e,
        )
    });
    fs::write(staging.join(corpus::STAMP_FILE), &stamp)
        .unwrap_or_else(|e| fail("cannot write the stamp", e));
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent)
            .unwrap_or_else(|e| fail(&format!("cannot create {}", parent.display()), e));
    }
    fs::rename(&staging, dir)
        .unwrap_or_else(|e| fail(&format!("cannot move the corpus to {}", dir.display()), e));
    println!(
        "corpus: generated {} Markdown files ({:.1} MB; {} files, {:.1} MB in all) in {:.1} s",
        group(summary.markdown_files),
        summary.markdown_bytes as f64 / 1e6,
        group(summary.files),
        summary.bytes as f64 / 1e6,
        secs(start.elapsed())
    );
}

/// Runs one build; returns its wall time and the child's peak RSS in KiB.
#[allow(clippy::zombie_processes)] // reaped by `wait4` in `wait_with_rusage`, not `Child::wait`
fn timed_build(root: &Path, log_path: &Path) -> (Duration, u64) {
    let log = fs::File::create(log_path)
        .unwrap_or_else(|e| fail(&format!("cannot create {}", log_path.display()), e));
    let log_err = log
        .try_clone()
        .expect("cannot duplicate the log file handle");
    let start = Instant::now();
    let child = Command::new(BINARY)
        .arg("build")
        .arg("--root")
        .arg(root)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .unwrap_or_else(|e| fail(&format!("cannot start {BINARY}"), e));
    let (status, rss_kib) = stats::wait_with_rusage(child.id() as libc::pid_t)
        .unwrap_or_else(|e| fail("wait4 on the build failed", e));
    let elapsed = start.elapsed();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        eprintln!(
            "error: the build failed ({}); end of {}:",
            describe_status(status),
            log_path.display()
        );
        eprintln!("{}", tail(log_path, 60));
        process::exit(1);
    }
    (elapsed, rss_kib)
}

fn describe_status(status: i32) -> String {
    if libc::WIFEXITED(status) {
        format!("exit code {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!("killed by signal {}", libc::WTERMSIG(status))
    } else {
        format!("wait status {status}")
    }
}

fn tail(path: &Path, lines: usize) -> String {
    let mut text = String::new();
    if let Ok(mut f) = fs::File::open(path) {
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = f.seek(SeekFrom::Start(len.saturating_sub(64 * 1024)));
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes);
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Total bytes, files and `.html` files under `root` (symlinks are not followed).
fn tree_size(root: &Path) -> (u64, usize, usize) {
    let (mut bytes, mut files, mut html) = (0u64, 0usize, 0usize);
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir)
            .unwrap_or_else(|e| fail(&format!("cannot list {}", dir.display()), e));
        for entry in entries {
            let entry =
                entry.unwrap_or_else(|e| fail(&format!("cannot list {}", dir.display()), e));
            let kind = entry.file_type().unwrap_or_else(|e| fail("cannot stat", e));
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                files += 1;
                bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
                if entry.file_name().to_string_lossy().ends_with(".html") {
                    html += 1;
                }
            }
        }
    }
    (bytes, files, html)
}

fn bench_dir() -> PathBuf {
    let dir = match env::var_os("BENCH_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from("target/bench-corpus"),
    };
    // cargo runs benches from the package root; make the path absolute for the child and the logs.
    if dir.is_absolute() {
        dir
    } else {
        env::current_dir()
            .expect("cannot read the current folder")
            .join(dir)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bench-corpus".into())
}

fn remove_dir_if_exists(path: &Path) {
    match fs::remove_dir_all(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => fail(&format!("cannot remove {}", path.display()), e),
    }
}

fn sync() {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    let n = times.len();
    if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// "850 MB" or "1.95 GB" (decimal units, like `du --si`).
fn human_size(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb < 1000.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{:.2} GB", mb / 1000.0)
    }
}

/// 20220 → "20,220".
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn env_usize(name: &str, default: usize) -> usize {
    match env::var(name) {
        Ok(v) if !v.trim().is_empty() => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("error: {name}={v:?} is not a whole number");
            process::exit(2);
        }),
        _ => default,
    }
}

/// "AMD EPYC 7B13, 2 threads" from /proc/cpuinfo, or just the thread count.
fn machine() -> String {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let cpu = fs::read_to_string("/proc/cpuinfo").ok().and_then(|info| {
        info.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
    });
    match cpu {
        Some(cpu) => format!("{cpu}, {threads} threads"),
        None => format!("{threads} threads"),
    }
}

fn fail(what: &str, err: io::Error) -> ! {
    eprintln!("error: {what}: {err}");
    process::exit(1);
}
