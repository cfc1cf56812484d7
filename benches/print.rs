//! `cargo bench --bench print`: how long the toolkit's PDFs take, for 20 languages × 5 items.
//!
//! Builds a site from the repository's theme and printable items (posters, wallet card and
//! leaflet, plus a copy of the poster as a fifth item) in 20 languages: the toolkit's 13, with
//! their translations, and 7 more (fr es pt tr sq ru vi) given the English text. Each run
//! times the `print` stage (from `build --report`) twice: from an empty cache, when Typst lays
//! out every PDF, and again with nothing changed, when every PDF comes from the cache.
//!
//! Environment: `BENCH_RUNS` (default 5).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod stats;

const BINARY: &str = env!("CARGO_BIN_EXE_safe-surgeries");

const EXTRA_LANGUAGES: &[(&str, &str)] = &[
    ("fr", "Français"),
    ("es", "Español"),
    ("pt", "Português"),
    ("tr", "Türkçe"),
    ("sq", "Shqip"),
    ("ru", "Русский"),
    ("vi", "Tiếng Việt"),
];

/// The printable items: the folder under content/, the file's slug, and the slug in the corpus.
const ITEMS: &[(&str, &str, &str)] = &[
    ("print", "register-poster", "register-poster"),
    ("print", "interpreter-poster", "interpreter-poster"),
    ("print", "wallet-card", "wallet-card"),
    ("patients", "right-to-register", "right-to-register"),
    ("print", "register-poster", "register-poster-copy"),
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The repository's language codes, from site.yaml, in order.
fn repo_languages() -> Vec<(String, String)> {
    let text = fs::read_to_string(repo().join("site.yaml")).expect("read site.yaml");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("parse site.yaml");
    yaml["languages"]
        .as_sequence()
        .expect("languages")
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap_or_default().to_owned(),
                l["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn make_site(root: &Path) -> usize {
    copy_dir(&repo().join("themes"), &root.join("themes"));
    let mut languages = repo_languages();
    languages.extend(
        EXTRA_LANGUAGES
            .iter()
            .map(|(c, n)| (c.to_string(), n.to_string())),
    );
    let mut yaml = String::from(
        "title: Safe Surgeries\nbase_url: https://safesurgeries.example/\ndefault_language: en\nlanguages:\n",
    );
    for (code, name) in &languages {
        yaml.push_str(&format!("  - {{ code: {code}, name: \"{name}\" }}\n"));
    }
    fs::write(root.join("site.yaml"), yaml).expect("write site.yaml");
    let content = root.join("content");
    for (i, (code, _)) in languages.iter().enumerate() {
        let suffix = if i == 0 {
            String::new()
        } else {
            format!(".{code}")
        };
        fs::create_dir_all(content.join("print")).expect("create content");
        fs::write(
            content.join(format!("_index{suffix}.md")),
            "---\ntitle: Home\n---\n",
        )
        .expect("write home");
        for (folder, slug, target) in ITEMS {
            let source = repo().join("content").join(folder);
            let own = source.join(format!("{slug}{suffix}.md"));
            let from = if own.exists() {
                own
            } else {
                source.join(format!("{slug}.md"))
            };
            let dir = content.join(folder);
            fs::create_dir_all(&dir).expect("create section");
            fs::copy(&from, dir.join(format!("{target}{suffix}.md"))).expect("copy item");
        }
    }
    languages.len()
}

/// The `print` stage's seconds and the PDF counts, from `build --report`.
fn build(root: &Path) -> (f64, f64, String) {
    let started = Instant::now();
    let out = Command::new(BINARY)
        .args(["build", "--report", "--root"])
        .arg(root)
        .output()
        .expect("run safe-surgeries");
    let total = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "build failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let print = stdout
        .lines()
        .find(|l| l.starts_with("Stages:"))
        .and_then(|l| {
            l.split(", ")
                .find_map(|s| s.trim_start_matches("Stages: ").strip_prefix("print "))
        })
        .and_then(|s| s.trim_end_matches(" s").parse().ok())
        .expect("--report prints the print stage");
    let summary = stdout.lines().next().unwrap_or_default().to_owned();
    (print, total, summary)
}

fn main() {
    let runs = stats::runs(5);
    let dir = tempfile::Builder::new()
        .prefix("bench-print-")
        .tempdir()
        .expect("temporary folder");
    let root: PathBuf = dir.path().to_owned();
    let languages = make_site(&root);
    println!(
        "safe-surgeries print benchmark: {languages} languages × {} items, {runs} runs",
        ITEMS.len()
    );
    println!(
        "  cores: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let _ = fs::remove_dir_all(root.join(".cache"));
        let (print, total, summary) = build(&root);
        let (cached, _, cached_summary) = build(&root);
        println!(
            "  run {run}: all laid out {print:.2} s (whole build {total:.2} s), unchanged {cached:.3} s"
        );
        if run == 1 {
            println!("    {summary}\n    {cached_summary}");
        }
        cold.push(print);
        warm.push(cached);
    }
    println!(
        "median print stage: {:.2} s with every PDF laid out, {:.3} s with nothing changed",
        stats::median(cold),
        stats::median(warm)
    );
}
