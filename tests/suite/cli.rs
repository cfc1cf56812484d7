//! The command line: help, version, exit codes, `--root`, `--output`, the build summary and
//! `--report`.

use crate::common::*;

#[test]
fn help_exits_0_and_describes_build() {
    let run = run(&["--help"], &std::env::temp_dir());
    run.assert_ok();
    assert!(run.stdout.contains("build"), "{run}");
    let run = crate::common::run(&["build", "--help"], &std::env::temp_dir());
    run.assert_ok();
    for flag in ["--root", "--output", "--drafts", "--report"] {
        assert!(
            run.stdout.contains(flag),
            "`build --help` lacks {flag}\n{run}"
        );
    }
}

#[test]
fn version_exits_0_and_prints_the_version() {
    let run = run(&["--version"], &std::env::temp_dir());
    run.assert_ok();
    assert!(run.stdout.contains(env!("CARGO_PKG_VERSION")), "{run}");
}

#[test]
fn unknown_flag_exits_2() {
    let site = Site::en();
    let run = site.build_with(&["--frobnicate"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--frobnicate"), "{run}");
    // Nothing was built.
    assert!(!site.path("output").exists());

    run_code(&["--frobnicate"], 2);
    run_code(&["publish"], 2);
}

fn run_code(args: &[&str], code: i32) {
    crate::common::run(args, &std::env::temp_dir()).assert_code(code);
}

#[test]
fn root_defaults_to_the_current_folder() {
    let site = Site::en();
    run(&["build"], site.root()).assert_ok();
    site.output().assert_exists("index.html");
}

#[test]
fn output_flag_writes_elsewhere() {
    let site = Site::en();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("public");
    site.build_with(&["--output", target.to_str().unwrap()])
        .assert_ok();
    let out = Output::new(target, "https://example.org/");
    assert_eq!(out.html("index.html").text("h1.page-title"), "Home en");
    assert!(
        !site.path("output").exists(),
        "the default output/ was written too"
    );
}

#[test]
fn build_prints_a_one_line_summary_with_pages_per_language() {
    let site = Site::en_ar();
    site.write("content/a.md", md("title: A", ""));
    site.write("content/b.md", md("title: B", ""));
    site.write("content/a.ar.md", md("title: أ", ""));
    let run = site.build();
    run.assert_ok();
    let output = run.all_output();
    let summary: Vec<&str> = output
        .lines()
        .filter(|l| {
            contains_word(l, "en")
                && contains_word(l, "ar")
                && l.chars().any(|c| c.is_ascii_digit())
        })
        .map(str::trim)
        .collect();
    assert_eq!(
        summary.len(),
        1,
        "expected one summary line naming en and ar with counts\n{run}"
    );
}

#[test]
fn report_lists_missing_pages_draft_translations_and_missing_strings() {
    let site = Site::fixture("i18n");
    let plain = site.build();
    plain.assert_ok();
    assert!(
        !plain.all_output().contains("footer_note"),
        "the report is printed without --report\n{plain}"
    );

    let run = site.build_with(&["--report"]);
    run.assert_ok();
    let report = run.all_output();
    // no-id.md exists only in English.
    assert!(
        report.contains("no-id"),
        "missing translation not listed\n{run}"
    );
    // registration.fr.md has `translation: draft`.
    assert!(
        report.contains("registration"),
        "draft translation not listed\n{run}"
    );
    // The theme's ar.yaml lacks footer_note.
    assert!(
        report.contains("footer_note"),
        "missing interface string not listed\n{run}"
    );
    // The report goes per language.
    for lang in ["ar", "fr"] {
        assert!(
            contains_word(&report, lang),
            "language {lang} not in the report\n{run}"
        );
    }
    // The report does not replace the build.
    site.output()
        .assert_exists("ar/guidance/registration/index.html");
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    // `safe-surgeries build --report | head -1`: the reader leaves before the report is written.
    let site = Site::fixture("i18n");
    let mut child = std::process::Command::new(BIN)
        .args(["build", "--report"])
        .current_dir(site.root())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the build");
    drop(child.stdout.take());
    let status = child.wait().expect("wait for the build");
    assert_eq!(
        status.code(),
        Some(0),
        "a reader closing the pipe must not fail the build"
    );
}

#[test]
fn commands_find_the_site_from_any_folder_inside_it() {
    let site = Site::en();
    site.write("content/guide/_index.md", md("title: Guide", "Words."));
    let inside = site.path("content/guide");
    run(&["build"], &inside).assert_ok();
    assert!(
        site.path("output/index.html").is_file(),
        "built into the site's own output/, not content/guide/output"
    );
    assert!(!inside.join("output").exists());
    // check reads the same site: it names its files from the site folder.
    let checked = run(&["check"], &inside);
    assert!(
        checked
            .stdout
            .contains("content/guide/_index.md has no description"),
        "{checked}"
    );
}

#[test]
fn outside_any_site_commands_say_what_is_missing_and_exit_2() {
    let nowhere = tempfile::tempdir().unwrap();
    for command in [&["build"][..], &["check"], &["translate", "status"]] {
        let run = run(command, nowhere.path());
        run.assert_code(2);
        assert!(
            run.stderr.contains("there is no site.yaml in")
                && run.stderr.contains("or in any folder above it")
                && run.stderr.contains("--root"),
            "{run}"
        );
    }
}

#[test]
fn counts_of_one_read_as_one() {
    let site = Site::en();
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains("Built 1 page in 1 language (en 1)")
            || run.stdout.contains("Built 1 page in 1 language (en 1)"),
        "{run}"
    );
}

#[test]
fn a_port_that_is_not_a_number_says_what_to_write() {
    let site = Site::en();
    let run = run(&["serve", "--port", "abc"], site.root());
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("write a port number from 1 to 65535, such as 1111"),
        "{run}"
    );
    assert!(!run.stderr.contains("invalid digit"), "{run}");
}
