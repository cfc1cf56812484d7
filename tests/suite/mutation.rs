//! A bounded, seeded mutation test over the real content: each case takes a real page of
//! `content/` (English or a translation, right-to-left ones, printable pages and print items),
//! mangles it (see `common/mutate.rs` for the operators and their sizes), builds a small site
//! around it with the release binary, and requires a clean outcome:
//!
//! - exit 0, or exit 1 with an `error` on stderr that names a file of the site;
//! - never a panic (exit 101), a signal, another exit code, or a build still running after the
//!   timeout;
//! - after a failed build, the output folder holds exactly what the last good build wrote.
//!
//! Each case's site has the real `site.yaml` (its languages cut to the ones the case's pages
//! are in) and the real theme, the case's pages, and stub pages for everything they link to:
//! a few files, which build in 20–50 ms (0.1–0.5 s when Typst lays out a changed PDF) where the
//! whole toolkit takes 0.7 s. Two builds run at a time on two cores, 47 cases a second
//! (2026-12-02): the default 2,500 cases take under a minute.
//!
//! A failure names the seed, the case, the mangled files and how they were mangled, and keeps
//! the case's site under `target/tmp/mutation/` to build with the binary by hand.
//!
//! Environment:
//! - `MUTATION_SEED`: the run's seed, decimal or `0x` hex, or `random` (default 0x5AFE_CA5E,
//!   fixed so that a run in CI fails or passes the same way every time);
//! - `MUTATION_CASES`: how many cases (default 2,500);
//! - `MUTATION_CASE`: run this one case only, to replay a failure;
//! - `MUTATION_JOBS`: builds at a time (default: the number of cores, at most 4);
//! - `MUTATION_TIMEOUT`: seconds before a build counts as hung (default 20);
//! - `MUTATION_SCALE`: multiplies the largest nesting depth (2,048) and repeat count (8,192);
//!   from 4 up, a printable page's text can pass 64 kB, where Typst's PDF writer (krilla)
//!   panicked;
//! - `MUTATION_TMPDIR`: where the sites go (default `/dev/shm` where there is one).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::mutate::{self, Limits, SplitMix};
use crate::common::{BIN, Output, copy_dir};

const DEFAULT_SEED: u64 = 0x5AFE_CA5E;
const DEFAULT_CASES: usize = 2500;
/// One case in this many builds its pages unchanged: the stubs and the cut `site.yaml` must
/// build, or every mutant would fail for the wrong reason.
const CONTROL_EVERY: usize = 25;
/// Failing cases whose site is kept for replay (each holds a copy of the theme).
const KEEP_SITES: usize = 10;

struct Settings {
    seed: u64,
    cases: Vec<usize>,
    jobs: usize,
    timeout: Duration,
    limits: Limits,
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim().replace('_', "");
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={value} is not a number")))
}

fn settings() -> Settings {
    let seed = match std::env::var("MUTATION_SEED").as_deref() {
        Ok("random") => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        _ => env_number("MUTATION_SEED").unwrap_or(DEFAULT_SEED),
    };
    let cases = match env_number("MUTATION_CASE") {
        Some(case) => vec![case as usize],
        None => (0..env_number("MUTATION_CASES").map_or(DEFAULT_CASES, |n| n as usize)).collect(),
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Settings {
        seed,
        jobs: env_number("MUTATION_JOBS").map_or(cores.min(4), |n| n.max(1) as usize),
        timeout: Duration::from_secs(env_number("MUTATION_TIMEOUT").unwrap_or(20)),
        limits: Limits::scaled(env_number("MUTATION_SCALE").unwrap_or(1) as usize),
        cases,
    }
}

// ---------------------------------------------------------------------------------------------
// The real content
// ---------------------------------------------------------------------------------------------

struct Page {
    /// `content/…`, `/`-separated.
    rel: String,
    bytes: Vec<u8>,
    /// `None` for the default language's pages.
    lang: Option<String>,
    /// The page this one translates (itself for an original).
    original: String,
}

struct Corpus {
    pages: Vec<Page>,
    site_yaml: String,
    /// Pages by kind, see [`KINDS`].
    kinds: Vec<Vec<usize>>,
}

/// The kinds of page a case starts from, with how often. A case costs about 30 ms of CPU, but
/// 85 ms for a print item and 165 ms for a printable patient page (Typst lays out each changed
/// PDF and its preview again), so those come up less.
const KINDS: [(&str, usize); 4] = [
    ("page in English", 47),
    ("translated page", 35),
    ("printable patient page", 6),
    ("print item", 12),
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load_corpus() -> Corpus {
    let site_yaml = fs::read_to_string(repo().join("site.yaml")).expect("read site.yaml");
    let config: serde_yaml::Value = serde_yaml::from_str(&site_yaml).expect("parse site.yaml");
    assert_eq!(config["default_language"].as_str(), Some("en"));
    let languages: BTreeSet<String> = config["languages"]
        .as_sequence()
        .expect("languages in site.yaml")
        .iter()
        .filter_map(|l| l["code"].as_str().map(str::to_owned))
        .collect();
    let mut files = Vec::new();
    collect_md(&repo().join("content"), "content", &mut files);
    files.sort();
    let pages: Vec<Page> = files
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(repo().join(&rel)).unwrap();
            let stem = rel.strip_suffix(".md").unwrap();
            let (lang, original) = match stem.rsplit_once('.') {
                Some((base, code)) if languages.contains(code) => {
                    (Some(code.to_owned()), format!("{base}.md"))
                }
                _ => (None, rel.clone()),
            };
            Page {
                rel,
                bytes,
                lang,
                original,
            }
        })
        .collect();
    let kinds = sort_into_kinds(&pages);
    for ((name, _), pages) in KINDS.iter().zip(&kinds) {
        assert!(!pages.is_empty(), "content/ has no {name}");
    }
    Corpus {
        pages,
        site_yaml,
        kinds,
    }
}

fn collect_md(dir: &Path, rel: &str, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{rel}/{name}");
        if entry.file_type().unwrap().is_dir() {
            collect_md(&entry.path(), &rel, out);
        } else if name.ends_with(".md") {
            out.push(rel);
        }
    }
}

fn sort_into_kinds(pages: &[Page]) -> Vec<Vec<usize>> {
    let printable: BTreeSet<&str> = pages
        .iter()
        .filter(|p| p.lang.is_none() && String::from_utf8_lossy(&p.bytes).contains("\nprint:"))
        .map(|p| p.rel.as_str())
        .collect();
    let mut kinds = vec![Vec::new(); KINDS.len()];
    for (i, page) in pages.iter().enumerate() {
        let kind = if page.rel.starts_with("content/print/") && printable.contains(&*page.original)
        {
            3
        } else if printable.contains(&*page.original) {
            2
        } else if page.lang.is_some() {
            1
        } else {
            0
        };
        kinds[kind].push(i);
    }
    kinds
}

impl Corpus {
    fn find(&self, rel: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.rel == rel)
    }

    fn translations_of(&self, original: &str) -> Vec<&Page> {
        self.pages
            .iter()
            .filter(|p| p.lang.is_some() && p.original == original)
            .collect()
    }

    /// `site.yaml` with only the default language and `keep` left in `languages:`.
    fn site_yaml(&self, keep: &BTreeSet<String>) -> String {
        let mut kept = 0;
        let text: Vec<&str> = self
            .site_yaml
            .lines()
            .filter(|line| match line.trim_start().strip_prefix("- { code: ") {
                Some(rest) => {
                    let code = rest.split([',', ' ', '}']).next().unwrap_or_default();
                    let keep = code == "en" || keep.contains(code);
                    kept += usize::from(keep);
                    keep
                }
                None => true,
            })
            .collect();
        assert_eq!(kept, 1 + keep.len(), "site.yaml's languages: {keep:?}");
        text.join("\n") + "\n"
    }
}

// ---------------------------------------------------------------------------------------------
// One case: which pages, how mangled
// ---------------------------------------------------------------------------------------------

struct Plan {
    kind: &'static str,
    /// Every file of the case's site but the theme: relative path and bytes.
    files: BTreeMap<String, Vec<u8>>,
    /// The mangled files, and how.
    mutated: Vec<(String, String)>,
    drafts: bool,
    control: bool,
}

impl Plan {
    fn describe(&self) -> String {
        if self.control {
            return format!("{} files unchanged", self.files.len());
        }
        self.mutated
            .iter()
            .map(|(rel, what)| format!("{rel}: {what}"))
            .collect::<Vec<_>>()
            .join("\n  ")
    }
}

/// The page a case starts from, and its kind: the first draws of a case's generator.
fn target<'a>(corpus: &'a Corpus, rng: &mut SplitMix) -> (usize, &'a Page) {
    let kind = pick_kind(rng);
    (kind, &corpus.pages[*rng.pick(&corpus.kinds[kind])])
}

/// The cases in the order the workers take them: grouped by the page they start from, because
/// a build keeps in its print cache only the items it used, and a case that follows one on the
/// same page then finds the PDFs it leaves unchanged already laid out.
fn order(settings: &Settings, corpus: &Corpus) -> Vec<usize> {
    let mut cases = settings.cases.clone();
    cases.sort_by_cached_key(|&case| {
        let mut rng = SplitMix::for_case(settings.seed, case as u64);
        (target(corpus, &mut rng).1.original.clone(), case)
    });
    cases
}

fn plan(corpus: &Corpus, rng: &mut SplitMix, limits: Limits, control: bool) -> Plan {
    let (kind, page) = target(corpus, rng);
    let mut pages = vec![page];
    if page.lang.is_some() {
        pages.extend(corpus.find(&page.original));
    } else if rng.percent(40) {
        let translations = corpus.translations_of(&page.rel);
        if !translations.is_empty() {
            pages.push(*rng.pick(&translations));
        }
    }
    // Rarely, as an item laid out beside the case's pages costs as much as the case.
    if rng.percent(5) {
        let item = &corpus.pages[*rng.pick(&corpus.kinds[3])];
        pages.push(item);
        pages.extend(corpus.find(&item.original));
    }
    let mut files = BTreeMap::new();
    for page in &pages {
        files.insert(page.rel.clone(), page.bytes.clone());
    }
    let languages = pages.iter().filter_map(|p| p.lang.clone()).collect();
    files.insert(
        "site.yaml".into(),
        corpus.site_yaml(&languages).into_bytes(),
    );
    add_stubs(&mut files);
    let mut mutated = Vec::new();
    if !control {
        let mut targets = vec![page.rel.clone()];
        if pages.len() > 1 && rng.percent(25) {
            targets.push(pages[1].rel.clone());
        }
        for rel in targets {
            let (bytes, what) = mutate::mutate(rng, limits, &files[&rel]);
            files.insert(rel.clone(), bytes);
            mutated.push((rel, what));
        }
    }
    Plan {
        kind: KINDS[kind].0,
        files,
        mutated,
        drafts: rng.percent(20),
        control,
    }
}

fn pick_kind(rng: &mut SplitMix) -> usize {
    let total: usize = KINDS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total);
    for (i, (_, weight)) in KINDS.iter().enumerate() {
        if roll < *weight {
            return i;
        }
        roll -= weight;
    }
    unreachable!()
}

/// Stub pages for the home page, every section, and every page the real files link to (with
/// `site.yaml`'s QR code target), each with the anchors that are linked to.
fn add_stubs(files: &mut BTreeMap<String, Vec<u8>>) {
    let mut stubs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    stubs.insert("content/_index.md".into(), BTreeSet::new());
    for (rel, bytes) in files.iter() {
        if let Some((dir, _)) = rel.rsplit_once('/').filter(|_| rel.starts_with("content/")) {
            stubs.entry(format!("{dir}/_index.md")).or_default();
        }
        for (target, anchor) in links(&String::from_utf8_lossy(bytes)) {
            let anchors = stubs.entry(target).or_default();
            anchors.extend(anchor);
        }
    }
    for (rel, anchors) in stubs {
        let headings: String = anchors
            .iter()
            .map(|a| format!("\n## Part {a} {{#{a}}}\n\nText.\n"))
            .collect();
        let stub = format!("---\ntitle: Stub\n---\n\nA page this case links to.\n{headings}");
        files.entry(rel).or_insert_with(|| stub.into_bytes());
    }
}

/// The `@/…md` links in `text`, as `content/…` files (a translation's link as its original's)
/// and the anchor after `#`, if any. Links in code are found too: a stub too many does no harm.
fn links(text: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("@/") {
        let rest = &text[at + 2..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "()[]<>\"'`,".contains(c))
            .unwrap_or(rest.len());
        let (path, anchor) = match rest[..end].split_once('#') {
            Some((path, anchor)) => (path, Some(anchor.to_owned())),
            None => (&rest[..end], None),
        };
        let Some(stem) = path.strip_suffix(".md") else {
            continue;
        };
        let stem = match stem.rsplit_once('.') {
            Some((base, suffix)) if !suffix.contains('/') => base,
            _ => stem,
        };
        let anchor = anchor.filter(|a| !a.is_empty() && a.chars().all(is_id_char));
        found.push((format!("content/{stem}.md"), anchor));
    }
    found
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

/// Where the workers' sites go: memory where there is a tmpfs, because on disk a build of a
/// few pages spends more time waiting for writes (0.06 s) than working (0.02 s).
fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    match std::env::var_os("MUTATION_TMPDIR") {
        Some(dir) => PathBuf::from(dir),
        None if shm.is_dir() && tempfile::tempdir_in(shm).is_ok() => shm.to_path_buf(),
        None => std::env::temp_dir(),
    }
}

/// A site folder (the theme copied in once) and an output folder beside it, reused from case to
/// case: the print cache in the site spares Typst the items a case leaves unchanged.
struct Worker {
    dir: tempfile::TempDir,
    /// What the output's folder held after the last successful build.
    previous: BTreeMap<String, Vec<u8>>,
}

impl Worker {
    fn new(corpus: &Corpus, settings: &Settings) -> Worker {
        let dir = tempfile::Builder::new()
            .prefix("safe-surgeries-mutation-")
            .tempdir_in(scratch())
            .expect("create a temporary directory");
        copy_dir(&repo().join("themes"), &dir.path().join("site/themes"));
        fs::create_dir_all(dir.path().join("build")).unwrap();
        let mut worker = Worker {
            dir,
            previous: BTreeMap::new(),
        };
        // A first good build, so that the failures after it have an output to leave alone.
        let baseline = plan(corpus, &mut SplitMix(0), settings.limits, true);
        worker.write(&baseline);
        let run = build(&worker, false, settings.timeout);
        let verdict = verdict(&baseline, &run, &mut worker);
        assert!(
            verdict.is_none() && run.code == Some(0),
            "the unchanged site of {} does not build: {verdict:?}\n{}",
            baseline.describe(),
            run.stderr
        );
        worker
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// The folder holding the output folder, `out/`, and whatever a build leaves beside it.
    fn build_dir(&self) -> PathBuf {
        self.dir.path().join("build")
    }

    fn write(&self, plan: &Plan) {
        let content = self.site().join("content");
        if content.exists() {
            fs::remove_dir_all(&content).unwrap();
        }
        for (rel, bytes) in &plan.files {
            let path = self.site().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, bytes).unwrap();
        }
    }

    /// Everything in the build folder but the output's lock file, which stays (removing it
    /// would race another build) and holds the last build's process id.
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = Output::new(self.build_dir(), "https://example.org/").snapshot();
        files.remove(".out.lock");
        files
    }

    /// After a crash: whatever the crash left is the output the next cases compare with, so
    /// that one crash is reported once.
    fn reset(&mut self) {
        for entry in fs::read_dir(self.build_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n != "out") {
                let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
            }
        }
        self.previous = self.snapshot();
    }
}

struct Finished {
    code: Option<i32>,
    signal: Option<i32>,
    hung: bool,
    stderr: String,
    took: Duration,
}

/// `safe-surgeries build` of the worker's site, killed after `timeout`.
fn build(worker: &Worker, drafts: bool, timeout: Duration) -> Finished {
    let log = worker.dir.path().join("stderr.txt");
    let mut command = Command::new(BIN);
    command
        .arg("build")
        .arg("--root")
        .arg(worker.site())
        .arg("--output")
        .arg(worker.build_dir().join("out"));
    if drafts {
        command.arg("--drafts");
    }
    command
        .current_dir(worker.dir.path())
        .env("NO_COLOR", "1")
        .env("CLICOLOR", "0")
        .env("TERM", "dumb")
        .env("RUST_BACKTRACE", "0")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&log).unwrap());
    let started = Instant::now();
    let mut child = command.spawn().unwrap_or_else(|e| panic!("run {BIN}: {e}"));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let stderr = fs::read(&log).unwrap_or_default();
    Finished {
        code: status.and_then(|s| s.code()),
        signal: status.and_then(signal_of),
        hung: status.is_none(),
        stderr: crate::common::strip_ansi(&String::from_utf8_lossy(&stderr)),
        took: started.elapsed(),
    }
}

#[cfg(unix)]
fn signal_of(status: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_: std::process::ExitStatus) -> Option<i32> {
    None
}

/// Why a case failed, or `None` when its build ended cleanly.
fn verdict(plan: &Plan, run: &Finished, worker: &mut Worker) -> Option<String> {
    if run.hung {
        return Some(format!(
            "hang: killed after {:.1} s",
            run.took.as_secs_f64()
        ));
    }
    if let Some(signal) = run.signal {
        return Some(format!("killed by signal {signal}"));
    }
    let panicked = run.stderr.lines().any(|l| l.contains("panicked at"));
    if run.code == Some(101) || panicked {
        return Some(format!("panic (exit {:?})", run.code));
    }
    match run.code {
        Some(0) => {
            worker.previous = worker.snapshot();
            let stray: Vec<&String> = worker
                .previous
                .keys()
                .filter(|f| !f.starts_with("out/"))
                .collect();
            match (worker.previous.contains_key("out/index.html"), &stray[..]) {
                (false, _) => Some("exit 0 without out/index.html".into()),
                (true, [first, ..]) => Some(format!("exit 0 left {first} beside the output")),
                (true, []) => None,
            }
        }
        Some(1) if plan.control => Some("exit 1: the unchanged site does not build".into()),
        Some(1) => {
            let names_file = error_messages(&run.stderr)
                .iter()
                .any(|m| plan.files.keys().any(|f| m.contains(f.as_str())));
            if !names_file {
                return Some("exit 1 without an `error` that names a file".into());
            }
            let now = worker.snapshot();
            (now != worker.previous).then(|| {
                format!(
                    "the failed build changed the output: {}",
                    differences(&worker.previous, &now)
                )
            })
        }
        code => Some(format!("exit code {code:?}")),
    }
}

/// Each error on stderr with the lines under it (its location, the quoted line, its help).
fn error_messages(stderr: &str) -> Vec<String> {
    let mut messages: Vec<String> = Vec::new();
    let mut in_error = false;
    for line in stderr.lines() {
        if line.starts_with("error") {
            messages.push(String::new());
            in_error = true;
        } else if line.starts_with("warning") {
            in_error = false;
        }
        if let Some(message) = messages.last_mut().filter(|_| in_error) {
            message.push_str(line);
            message.push('\n');
        }
    }
    messages
}

fn differences(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> String {
    let files: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let changed: Vec<String> = files
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .map(|f| match (before.contains_key(f), after.contains_key(f)) {
            (true, true) => format!("{f} changed"),
            (true, false) => format!("{f} removed"),
            _ => format!("{f} added"),
        })
        .collect();
    let more = changed.len().saturating_sub(5);
    let mut text = changed.into_iter().take(5).collect::<Vec<_>>().join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

struct CaseResult {
    case: usize,
    kind: &'static str,
    code: Option<i32>,
    control: bool,
    took: Duration,
    what: String,
}

/// Lines for the person running the tests, shown even when the test passes (cargo test keeps
/// only what `print!` writes).
fn say(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

#[test]
fn mangled_real_pages_build_or_fail_cleanly() {
    let settings = settings();
    let corpus = load_corpus();
    say(&format!(
        "mutation test: seed {:#x}, {} cases, {} at a time, timeout {} s, {:?} \
         (MUTATION_SEED, MUTATION_CASES, MUTATION_CASE, MUTATION_JOBS, MUTATION_TIMEOUT, \
         MUTATION_SCALE)",
        settings.seed,
        settings.cases.len(),
        settings.jobs,
        settings.timeout.as_secs(),
        settings.limits
    ));
    let cases = order(&settings, &corpus);
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let failures = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..settings.jobs.min(settings.cases.len()) {
            scope.spawn(|| work(&settings, &corpus, &cases, &next, &results, &failures));
        }
    });
    let results = results.into_inner().unwrap();
    say(&summary(&results, started.elapsed()));
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        results.len(),
        failures.join("\n\n")
    );
    // The mutations must reach both ends, or this test would prove little.
    let mutants = results.iter().filter(|r| !r.control);
    let built = mutants.clone().filter(|r| r.code == Some(0)).count();
    let refused = mutants.count() - built;
    if results.len() >= 100 {
        let tenth = results.len() / 10;
        assert!(
            built >= tenth && refused >= tenth,
            "built {built}, refused {refused}"
        );
    }
}

fn work(
    settings: &Settings,
    corpus: &Corpus,
    cases: &[usize],
    next: &AtomicUsize,
    results: &Mutex<Vec<CaseResult>>,
    failures: &Mutex<Vec<String>>,
) {
    let mut worker = Worker::new(corpus, settings);
    while let Some(&case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
        let mut rng = SplitMix::for_case(settings.seed, case as u64);
        let plan = plan(corpus, &mut rng, settings.limits, case % CONTROL_EVERY == 0);
        worker.write(&plan);
        let run = build(&worker, plan.drafts, settings.timeout);
        if let Some(why) = verdict(&plan, &run, &mut worker) {
            let mut failures = failures.lock().unwrap();
            let keep = failures.len() < KEEP_SITES;
            failures.push(failure_report(
                settings, case, &plan, &run, &why, &worker, keep,
            ));
            drop(failures);
            worker.reset();
        }
        results.lock().unwrap().push(CaseResult {
            case,
            kind: plan.kind,
            code: run.code,
            control: plan.control,
            took: run.took,
            what: plan.describe(),
        });
    }
}

/// What failed and how to replay it: from the seed and case number, or by building the kept
/// site with the binary.
fn failure_report(
    settings: &Settings,
    case: usize,
    plan: &Plan,
    run: &Finished,
    why: &str,
    worker: &Worker,
    keep: bool,
) -> String {
    let seed = settings.seed;
    let drafts = if plan.drafts { " --drafts" } else { "" };
    let mut report = format!(
        "seed {seed:#x} case {case} ({}, {:.2} s): {why}\n  {}\n  replay: MUTATION_SEED={seed:#x} \
         MUTATION_CASE={case} cargo test --release --test suite mutation::",
        plan.kind,
        run.took.as_secs_f64(),
        plan.describe()
    );
    if keep {
        let kept =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mutation/{seed:#x}-{case}"));
        let _ = fs::remove_dir_all(&kept);
        copy_dir(&worker.site().join("content"), &kept.join("content"));
        copy_dir(&worker.site().join("themes"), &kept.join("themes"));
        fs::copy(worker.site().join("site.yaml"), kept.join("site.yaml")).unwrap();
        report.push_str(&format!(
            "\n  or: {BIN} build --root {} --output /tmp/mutation-out{drafts}",
            kept.display()
        ));
    }
    // A panic message quotes the text it choked on: a line can be 100 kB.
    let stderr: Vec<String> = run
        .stderr
        .lines()
        .filter(|l| !l.is_empty())
        .take(12)
        .map(|l| match l.char_indices().nth(300) {
            Some((at, _)) => format!("{}…", &l[..at]),
            None => l.to_owned(),
        })
        .collect();
    report.push_str(&format!("\n  stderr:\n    {}", stderr.join("\n    ")));
    report
}

fn summary(results: &[CaseResult], elapsed: Duration) -> String {
    let built = results.iter().filter(|r| r.code == Some(0)).count();
    let mut text = format!(
        "mutation test: {} cases in {:.1} s, {:.1} cases/s: {built} built, {} refused",
        results.len(),
        elapsed.as_secs_f64(),
        results.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        results.len() - built
    );
    for (kind, _) in KINDS {
        let times: Vec<f64> = results
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.took.as_secs_f64())
            .collect();
        if times.is_empty() {
            continue;
        }
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        text.push_str(&format!(
            "\n  {kind}: {} cases, {mean:.3} s each",
            times.len()
        ));
    }
    let mut slowest: Vec<&CaseResult> = results.iter().collect();
    slowest.sort_by_key(|r| std::cmp::Reverse(r.took));
    for r in slowest.into_iter().take(3) {
        text.push_str(&format!(
            "\n  slow: case {} ({:.2} s, exit {:?}): {}",
            r.case,
            r.took.as_secs_f64(),
            r.code,
            r.what
        ));
    }
    text
}
