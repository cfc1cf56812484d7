//! `cargo bench --bench translate`: the translators' round trip on the toolkit.
//!
//! Copies the repository's site into a temporary folder, then, for every language but the
//! default one, times `translate export --lang LANG` (every page and the interface strings)
//! and `translate import` of every file it wrote, one command each, as a coordinator sending
//! out and taking back a whole language would run them. The translated home pages are laid
//! out differently from the English on purpose (they lead with the patient pages), so import
//! refuses their PO files, rightly; the benchmark leaves those out and says how many.
//!
//! Environment: `BENCH_RUNS` (default 5).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod stats;

const BINARY: &str = env!("CARGO_BIN_EXE_safe-surgeries");

fn run(root: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BINARY)
        .arg("--root")
        .arg(root)
        .arg("translate")
        .args(args)
        .output()
        .expect("run safe-surgeries");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn po_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            po_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "po") {
            out.push(path);
        }
    }
}

fn main() {
    let runs = stats::runs(5);
    let dir = tempfile::Builder::new()
        .prefix("bench-translate-")
        .tempdir()
        .expect("temporary folder");
    let root = dir.path();
    stats::copy_site(root);
    let site = fs::read_to_string(root.join("site.yaml")).expect("read site.yaml");
    let codes: Vec<String> = site
        .lines()
        .filter_map(|l| l.split("code:").nth(1))
        .map(|c| c.split([',', '}']).next().unwrap_or("").trim().to_owned())
        .filter(|c| !c.is_empty())
        .skip(1)
        .collect();
    println!(
        "safe-surgeries translate benchmark: {} languages, {runs} runs",
        codes.len()
    );
    let (mut exports, mut imports) = (Vec::new(), Vec::new());
    let mut files = 0;
    for run_no in 1..=runs {
        let out = root.join("translations");
        let _ = fs::remove_dir_all(&out);
        let started = Instant::now();
        for code in &codes {
            let (ok, err) = run(root, &["export", "--lang", code]);
            assert!(ok, "export {code} failed:\n{err}");
        }
        let export = started.elapsed().as_secs_f64();
        let started = Instant::now();
        files = 0;
        for code in &codes {
            let mut pos = Vec::new();
            po_files(&out.join(code), &mut pos);
            files += pos.len();
            let mut args = vec!["import".to_owned()];
            args.extend(pos.iter().map(|p| p.to_string_lossy().into_owned()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (ok, err) = run(root, &args);
            assert!(ok, "import {code} failed:\n{err}");
        }
        let import = started.elapsed().as_secs_f64();
        println!("  run {run_no}: export {export:.2} s, import {import:.2} s");
        exports.push(export);
        imports.push(import);
    }
    println!(
        "median: export {:.2} s, import {:.2} s ({files} PO files)",
        stats::median(exports),
        stats::median(imports)
    );
}
