//! Bounded work for every input (issue 16): the campaign's crashes and hangs each give one error
//! at the file and line, naming the limit, quickly; a panic inside the PDF maker fails that
//! item, not the build; and a slow item is named while it runs.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::*;

/// A site with the real theme and one leaflet whose body is `body`.
fn leaflet_site(body: &str) -> Site {
    let site = Site::empty();
    site.remove("themes");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &site.path("themes/default"),
    );
    site.write("site.yaml", SITE_EN);
    site.write("content/_index.md", md("title: Home", "Welcome."));
    site.write(
        "content/print/leaflet.md",
        md(
            "title: A leaflet\ndate: 2026-01-02\nprint:\n  template: leaflet\n  formats: [A4]",
            body,
        ),
    );
    site
}

/// Builds, and asserts it ended by itself within `seconds`.
fn build_within(site: &Site, seconds: u64) -> Run {
    let started = Instant::now();
    let run = site.build();
    assert!(
        started.elapsed() < Duration::from_secs(seconds),
        "took {:?}\n{run}",
        started.elapsed()
    );
    run
}

/// Builds with one of the faults of `src/fault.rs`; gives the exit code and stderr.
fn build_with_fault(site: &Site, fault: &str) -> (Option<i32>, String) {
    let out = std::process::Command::new(BIN)
        .args(["build", "--root"])
        .arg(site.root())
        .env("SAFE_SURGERIES_TEST_FAULT", fault)
        .output()
        .expect("ran");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_printable_page_of_one_long_word_is_an_error_at_its_line_not_a_crash() {
    // The campaign's reproducer: the PDF writer panicked ("byte index 65535 is not a char
    // boundary") and took the process down.
    let site = leaflet_site(&"é".repeat(32_768));
    let run = build_within(&site, 60);
    run.assert_content_error()
        .assert_location("content/print/leaflet.md", 9)
        .assert_stderr_contains("a line may be at most 20,000");
    assert!(
        run.stderr.lines().all(|l| l.chars().count() < 300),
        "the long line is quoted as a window\n{run}"
    );
}

#[test]
fn front_matter_nested_a_hundred_thousand_deep_is_refused_at_once() {
    let site = Site::with_config(SITE_EN, &["en"]);
    // One level a line, as no line may be longer than 20,000 characters: the campaign's one
    // line of 100,000 levels is refused by that limit.
    let deep = format!("{} 1\n{}", " {a:\n".repeat(100_000), " }\n".repeat(100_000));
    site.write(
        "content/deep.md",
        format!("---\ntitle: Deep\nextra:\n{deep}---\n\nText.\n"),
    );
    build_within(&site, 10)
        .assert_content_error()
        .assert_location("content/deep.md", 4 + 64)
        .assert_stderr_contains("nested more than 64 levels deep");
}

#[test]
fn anchors_that_would_expand_into_millions_of_values_are_explained() {
    let site = Site::with_config(SITE_EN, &["en"]);
    let mut yaml = String::from("title: Laughs\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{previous}"); 9].join(", ");
        yaml.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    site.write("content/laughs.md", format!("---\n{yaml}---\n\nText.\n"));
    build_within(&site, 10)
        .assert_content_error()
        .assert_stderr_contains("content/laughs.md")
        .assert_stderr_contains("expand into millions of values");
}

#[test]
fn raw_html_nested_fifty_thousand_deep_is_refused_at_its_line() {
    // The campaign's hangs from nested HTML: html5ever's tree builder, in the sanitiser, does
    // work for each tag in proportion to the elements open, so 50,000 `<ul><li>` ran past 60 s.
    let site = Site::with_config(SITE_EN, &["en"]);
    site.write(
        "content/lists.md",
        md(
            "title: Lists",
            &format!("Text.\n\n{}", "<ul><li>\n".repeat(50_000)),
        ),
    );
    build_within(&site, 20)
        .assert_content_error()
        // Front matter and a blank line, "Text." and a blank line, then the 257th list.
        .assert_location("content/lists.md", 4 + 2 + 257)
        .assert_stderr_contains("raw HTML nests more than 256 elements deep");
}

#[test]
fn thousands_of_removed_tags_give_twenty_warnings_and_one_count() {
    // 15,000 warnings, each placed by a scan of the file, took 12 s to say.
    let site = Site::with_config(SITE_EN, &["en"]);
    site.write(
        "content/forms.md",
        md("title: Forms", &"<select>a</select>\n\n".repeat(5_000)),
    );
    let run = build_within(&site, 20);
    run.assert_ok();
    let removed = run.stderr.matches("removed <select>").count()
        + run.stderr.matches("removed `<select>`").count();
    assert_eq!(removed, 20, "{}", run.stderr);
    run.assert_stderr_contains("and 4,980 more warnings like the ones above in this file");
}

#[test]
fn a_page_of_five_megabytes_on_one_line_is_refused_quickly() {
    let site = leaflet_site("Text.");
    site.write(
        "content/print/stars.md",
        md(
            "title: Stars\nprint:\n  template: poster\n  headline: H",
            &"*".repeat(5 << 20),
        ),
    );
    build_within(&site, 20)
        .assert_content_error()
        .assert_location("content/print/stars.md", 1)
        .assert_stderr_contains("a page may be at most 1 MB");
}

#[test]
fn a_printed_headline_longer_than_any_poster_holds_is_refused_at_its_line() {
    let site = leaflet_site("Text.");
    site.write(
        "content/print/poster.md",
        md(
            &format!(
                "title: P\nprint:\n  template: poster\n  headline: {}",
                "Register here. ".repeat(100)
            ),
            "About.",
        ),
    );
    build_within(&site, 60)
        .assert_content_error()
        .assert_location("content/print/poster.md", 5)
        .assert_stderr_contains("at most 1,000");
}

#[test]
fn a_panic_while_printing_fails_that_item_and_names_its_file() {
    let (code, stderr) = build_with_fault(&leaflet_site("Text."), "panic-in-print");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the A4 leaflet in English could not be made")
            && stderr.contains("--> content/print/leaflet.md:"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked at"), "no crash report\n{stderr}");
}

#[test]
fn a_slow_item_is_named_while_it_runs() {
    let (code, stderr) = build_with_fault(&leaflet_site("Text."), "slow-print");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("note: still laying out the A4 leaflet of content/print/leaflet.md after"),
        "{stderr}"
    );
}

#[test]
fn translations_of_a_page_no_longer_printable_name_their_original() {
    let site = leaflet_site("Text.");
    site.write("site.yaml", SITE_EN_AR);
    site.write("content/_index.ar.md", md("title: الرئيسية", "أهلاً."));
    site.write(
        "content/print/leaflet.ar.md",
        md("title: نشرة\nprint:\n  headline: عنوان", "نص."),
    );
    site.write("content/print/leaflet.md", md("title: A leaflet", "Text."));
    site.build()
        .assert_content_error()
        .assert_location("content/print/leaflet.ar.md", 3)
        .assert_stderr_contains("its original content/print/leaflet.md has none");
}
