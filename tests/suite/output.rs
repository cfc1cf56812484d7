//! The output folder on a bad day: builds killed at any moment, two builds at once, and
//! `--output` pointed at the wrong thing. `output/` must always be a whole site, the old one or
//! the new one, and nobody's files are deleted without `--force`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::*;

/// Every file under `dir` and a hash of its bytes; `None` when `dir` is missing.
fn fingerprint(dir: &Path) -> Option<Tree> {
    dir.exists().then(|| {
        relative_files(dir)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(dir.join(&f)).expect("readable");
                (f, blake3::hash(&bytes))
            })
            .collect()
    })
}

/// What is beside the output folder apart from the site's own files and the lock.
fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.root())
        .expect("readable")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with(".output.") && n != ".output.lock")
        .collect()
}

type Tree = BTreeMap<String, blake3::Hash>;

/// A copy of the real toolkit with its PDFs already laid out (by the first test to ask, once
/// per run), so that each build takes about a second rather than ten.
fn toolkit() -> Site {
    static CACHE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        let first = Site::repo_copy();
        first.build().assert_ok();
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("output-tests-print-cache");
        let _ = std::fs::remove_dir_all(&cache);
        copy_dir(&first.path(".cache"), &cache);
        cache
    });
    let site = Site::repo_copy();
    copy_dir(cache, &site.path(".cache"));
    site
}

/// The real toolkit, built once so that its PDFs are cached and later builds take about a
/// second. Its home page alternates between two versions, so that each build replaces one whole
/// site with another, and the test can tell which of the two `output/` holds.
struct Toggling {
    site: Site,
    trees: [Tree; 2],
    /// Which of the two `output/` holds.
    current: usize,
    /// How long the last of those builds took.
    took: Duration,
}

const VERSION_1: &str = "\nThis is version 1 of the output test.\n";

impl Toggling {
    fn new() -> Toggling {
        let site = toolkit();
        let mut trees = [Tree::new(), Tree::new()];
        let mut took = Duration::ZERO;
        for version in [1, 0] {
            Toggling::set(&site, version);
            let started = std::time::Instant::now();
            site.build().assert_ok();
            took = started.elapsed();
            trees[version] = fingerprint(&site.path("output")).expect("built");
        }
        assert_ne!(trees[0], trees[1], "the two versions differ");
        Toggling {
            site,
            trees,
            current: 0,
            took,
        }
    }

    fn set(site: &Site, version: usize) {
        let text = site.read("content/_index.md").replace(VERSION_1, "");
        site.write(
            "content/_index.md",
            if version == 1 { text + VERSION_1 } else { text },
        );
    }

    /// Sets the content to the version `output/` does not hold.
    fn next(&mut self) {
        Toggling::set(&self.site, 1 - self.current);
    }

    /// What `output/` holds, against the site it held and the one the content now makes.
    fn state(&mut self) -> &'static str {
        let now = fingerprint(&self.site.path("output"));
        let (old, new) = (self.current, 1 - self.current);
        match now {
            None => "no output folder",
            Some(t) if t == self.trees[old] => "the old site",
            Some(t) if t == self.trees[new] => {
                self.current = new;
                "the new site"
            }
            Some(_) => "a mix of the two, or part of one",
        }
    }

    fn build_with_fault(&self, fault: &str) -> std::process::Output {
        Command::new(BIN)
            .args(["build", "--root"])
            .arg(self.site.root())
            .env("SAFE_SURGERIES_TEST_FAULT", fault)
            .stdin(Stdio::null())
            .output()
            .expect("run the build")
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one_whole() {
    let mut toggling = Toggling::new();
    // Spread over the whole build, the swap at its end included, in a shuffled order.
    let mut seen = BTreeMap::new();
    let steps = 16;
    for step in 0..steps {
        toggling.next();
        let at = (step * 7 % steps) as f64 + 0.5;
        let delay = toggling.took.mul_f64(1.2 * at / steps as f64);
        let mut child = Command::new(BIN)
            .args(["build", "--root"])
            .arg(toggling.site.root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the build");
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().expect("ended");
        let state = toggling.state();
        assert!(
            state.starts_with("the "),
            "killed after {delay:?} ({status}): output/ is {state}"
        );
        *seen.entry(state).or_insert(0) += 1;
    }
    eprintln!("after the kills output/ was: {seen:?}");
    toggling.site.build().assert_ok();
    assert_eq!(leftovers(&toggling.site), Vec::<String>::new());
}

#[test]
fn a_build_killed_between_the_steps_of_the_swap_leaves_a_whole_site() {
    let mut toggling = Toggling::new();

    toggling.next();
    let killed = toggling.build_with_fault("kill-before-swap");
    assert_ne!(killed.status.code(), Some(0), "{killed:?}");
    assert_eq!(toggling.state(), "the old site");

    toggling.build_with_fault("kill-after-exchange");
    assert_eq!(toggling.state(), "the new site");
    assert!(
        !leftovers(&toggling.site).is_empty(),
        "the old tree is left beside it"
    );

    // Without an atomic exchange (other systems), a kill between the two renames leaves no
    // output/; the next build puts the old site back first, even when it fails itself.
    toggling.next();
    toggling.build_with_fault("no-exchange,kill-after-aside");
    assert_eq!(toggling.state(), "no output folder");
    toggling
        .site
        .write("content/guidance/broken.md", "---\ntitle: [unclosed\n---\n");
    toggling
        .site
        .build()
        .assert_content_error()
        .assert_stderr_contains("was missing after a build was stopped part way")
        .assert_stderr_contains("output/ was left as it was");
    assert_eq!(toggling.state(), "the old site");
    toggling.site.remove("content/guidance/broken.md");
    toggling.site.build().assert_ok();
    assert_eq!(toggling.state(), "the new site");
    assert_eq!(leftovers(&toggling.site), Vec::<String>::new());
}

#[test]
fn an_old_site_that_cannot_be_removed_is_a_warning_and_the_new_site_is_in_place() {
    let mut toggling = Toggling::new();
    toggling.next();
    let run = toggling.build_with_fault("keep-old");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("holds the new site, but the old one in"),
        "{stderr}"
    );
    assert!(!stderr.contains("left as it was"), "{stderr}");
    assert_eq!(toggling.state(), "the new site");
    toggling.site.build().assert_ok();
    assert_eq!(leftovers(&toggling.site), Vec::<String>::new());
}

#[test]
fn two_builds_at_once_each_swap_in_a_whole_site() {
    let site = toolkit();
    site.write(
        "content/guidance/unfinished.md",
        md("title: Unfinished\ndraft: true", "Not yet."),
    );
    let mut trees = Vec::new();
    for extra in [&[][..], &["--drafts"][..]] {
        site.build_with(extra).assert_ok();
        trees.push(fingerprint(&site.path("output")).expect("built"));
    }
    assert_ne!(trees[0], trees[1], "a draft makes a different site");
    let start = |drafts: bool| {
        let mut command = Command::new(BIN);
        command.args(["build", "--root"]).arg(site.root());
        if drafts {
            command.arg("--drafts");
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start")
    };
    // The second starts a little later each time, so that its start meets each stage of the
    // first, its writing and its swap included.
    for trial in 0..8 {
        let first = start(trial % 2 == 0);
        std::thread::sleep(Duration::from_millis(60 * trial as u64));
        let second = start(trial % 2 == 1);
        for child in [first, second] {
            let out = child.wait_with_output().expect("ended");
            assert_eq!(
                out.status.code(),
                Some(0),
                "trial {trial}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let now = fingerprint(&site.path("output")).expect("an output folder");
        assert!(
            trees.contains(&now),
            "trial {trial}: output/ is neither whole site"
        );
        assert_eq!(leftovers(&site), Vec::<String>::new());
    }
}

#[test]
fn output_refuses_a_file_or_a_folder_of_other_files_unless_forced() {
    let site = Site::with_config(SITE_EN, &["en"]);
    let config = site.read("site.yaml");

    let run = site.build_with(&["--output", &site.path("site.yaml").to_string_lossy()]);
    run.assert_content_error()
        .assert_stderr_contains("is a file, not a folder")
        .assert_stderr_contains("--force");
    assert_eq!(site.read("site.yaml"), config, "the file is as it was");

    let mine = site.path("public");
    site.write("public/notes.txt", "my notes");
    let public = mine.to_string_lossy().into_owned();
    site.build_with(&["--output", &public])
        .assert_content_error()
        .assert_stderr_contains("holds files this tool did not make (such as notes.txt)");
    assert_eq!(site.read("public/notes.txt"), "my notes");

    site.build_with(&["--output", &public, "--force"])
        .assert_ok();
    assert!(!site.path("public/notes.txt").exists());
    assert!(site.path("public/index.html").is_file());
    // Now the folder is the tool's own: no --force needed.
    site.build_with(&["--output", &public]).assert_ok();

    let empty = site.path("empty");
    std::fs::create_dir(&empty).expect("made");
    site.build_with(&["--output", &empty.to_string_lossy()])
        .assert_ok();
    assert!(empty.join("index.html").is_file());
}
