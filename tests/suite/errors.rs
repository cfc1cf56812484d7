//! Bad input: every content error exits with code 1 and prints `error:` with the
//! `file:line:col` of the real location (and, where there is one, the offending line); all errors
//! of a build are reported together; and a failed build leaves `output/` as it was.

use crate::common::*;

/// An English site with one extra file; returns the build's run.
fn build_with(rel: &str, text: impl AsRef<[u8]>) -> Run {
    let site = Site::en();
    site.write(rel, text);
    site.build()
}

// --- front matter -----------------------------------------------------------------------------

#[test]
fn bad_yaml_in_front_matter() {
    let run = build_with(
        "content/a.md",
        "---\ntitle: Hello\ndescription: a: b\n---\n\nBody.\n",
    );
    run.assert_content_error()
        .assert_location("content/a.md", 3);
    run.assert_stderr_contains("description: a: b");
}

#[test]
fn tab_used_for_indentation() {
    let run = build_with(
        "content/a.md",
        "---\ntitle: Hello\nextra:\n\tkey: value\n---\n\nBody.\n",
    );
    run.assert_content_error()
        .assert_location("content/a.md", 4);
}

#[test]
fn unclosed_front_matter() {
    let run = build_with(
        "content/a.md",
        "---\ntitle: Hello\n\nBody text that never closes the front matter.\n",
    );
    // The front matter opens on line 1 and is never closed.
    run.assert_content_error()
        .assert_location("content/a.md", 1);
}

#[test]
fn wrong_type_in_front_matter() {
    let run = build_with(
        "content/a.md",
        "---\ntitle: Hello\nweight: heavy\n---\n\nBody.\n",
    );
    run.assert_content_error()
        .assert_location("content/a.md", 3);
    run.assert_stderr_contains("weight: heavy");
}

#[test]
fn unknown_front_matter_key_lists_the_valid_ones() {
    let run = build_with(
        "content/a.md",
        "---\ntitle: Hello\ncolour: red\n---\n\nBody.\n",
    );
    run.assert_content_error()
        .assert_location("content/a.md", 3);
    run.assert_stderr_contains("colour");
    for valid in ["title", "weight", "slug", "translation"] {
        assert!(
            contains_word(&run.stderr, valid),
            "the valid key {valid:?} is not listed\n{run}"
        );
    }
}

#[test]
fn missing_title() {
    let run = build_with(
        "content/a.md",
        "---\ndescription: No title here\n---\n\nBody.\n",
    );
    // The front matter block (line 1) or its first line (2) are both fair locations.
    run.assert_content_error()
        .assert_location_any("content/a.md", &[1, 2]);
    assert!(
        contains_word(&run.stderr, "title"),
        "the message names `title`\n{run}"
    );
}

#[test]
fn error_lines_count_crlf_and_bom_files_correctly() {
    let run = build_with(
        "content/a.md",
        "\u{feff}---\r\ntitle: Hello\r\nweight: heavy\r\n---\r\n\r\nBody.\r\n",
    );
    run.assert_content_error()
        .assert_location("content/a.md", 3);
}

// --- files ------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_names_the_line() {
    let run = build_with(
        "content/a.md",
        b"---\ntitle: Hello\n---\n\nFine line.\nBad \xff\xfe bytes.\n",
    );
    run.assert_content_error()
        .assert_location("content/a.md", 6);
}

#[test]
fn duplicate_output_paths_name_both_files() {
    let site = Site::en();
    site.write("content/guidance/_index.md", md("title: Guidance", ""));
    site.write(
        "content/guidance/one.md",
        md("title: One\nslug: two", "One."),
    );
    site.write("content/guidance/two.md", md("title: Two", "Two."));
    let run = site.build();
    run.assert_content_error();
    run.assert_stderr_contains("guidance/one.md");
    run.assert_stderr_contains("guidance/two.md");
}

#[test]
fn unknown_language_suffix_names_the_configured_languages() {
    let site = Site::with_config(
        "title: Test
base_url: https://example.org/
default_language: en
languages:
  - { code: en, name: English }
  - { code: ar, name: العربية }
  - { code: zh-Hant, name: 繁體中文 }
",
        &["en"],
    );
    site.write("content/page.md", md("title: Page", ""));
    site.write("content/page.de.md", md("title: Seite", ""));
    let run = site.build();
    run.assert_content_error();
    run.assert_stderr_contains("page.de.md");
    let lower = run.stderr.to_lowercase();
    assert!(
        lower.contains("zh-hant"),
        "configured languages are not named\n{run}"
    );
    assert!(
        contains_word(&run.stderr, "en") && contains_word(&run.stderr, "ar"),
        "{run}"
    );
}

#[test]
fn language_shaped_suffixes_with_subtags_or_three_letters_are_errors_too() {
    for name in ["content/page.pt-BR.md", "content/v.old.md"] {
        let run = build_with(name, md("title: Page", ""));
        run.assert_content_error();
        run.assert_stderr_contains(name.trim_start_matches("content/"));
    }
}

// --- site.yaml --------------------------------------------------------------------------------

#[test]
fn unknown_site_yaml_key_lists_the_valid_ones() {
    let site = Site::en();
    site.write(
        "site.yaml",
        "title: Test\ncolour: blue\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - { code: en, name: English }\n",
    );
    let run = site.build();
    run.assert_content_error().assert_location("site.yaml", 2);
    for valid in ["base_url", "default_language", "languages"] {
        assert!(
            contains_word(&run.stderr, valid),
            "the valid key {valid:?} is not listed\n{run}"
        );
    }
}

#[test]
fn missing_site_yaml_is_an_error() {
    let site = Site::empty();
    site.write("content/_index.md", md("title: Home", ""));
    let run = site.build();
    assert!(matches!(run.code, Some(1) | Some(2)), "{run}");
    run.assert_stderr_contains("site.yaml");
}

// --- templates --------------------------------------------------------------------------------

#[test]
fn missing_template_names_it_and_the_front_matter_line() {
    let run = build_with(
        "content/a.md",
        "---\ntitle: Hello\ntemplate: nope.html\n---\n\nBody.\n",
    );
    run.assert_content_error()
        .assert_location("content/a.md", 3);
    run.assert_stderr_contains("nope.html");
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let site = Site::en();
    site.write("content/a.md", md("title: Hello", "Body."));
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title | }}</h1>\n{% endblock main %}\n",
    );
    let run = site.build();
    run.assert_content_error().assert_location("page.html", 3);
}

// --- links ------------------------------------------------------------------------------------

#[test]
fn broken_at_link_names_the_line() {
    let run = build_with(
        "content/a.md",
        "---\ntitle: A\n---\n\nSee [nowhere](@/nope.md).\n",
    );
    run.assert_content_error()
        .assert_location("content/a.md", 5);
    run.assert_stderr_contains("nope.md");
}

#[test]
fn broken_anchor_names_the_line() {
    let site = Site::en();
    site.write("content/b.md", md("title: B", "## Real heading"));
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n\nFine [link](@/b.md#real-heading).\n\nBad [link](@/b.md#missing).\n",
    );
    let run = site.build();
    run.assert_content_error()
        .assert_location("content/a.md", 7);
    run.assert_stderr_contains("missing");
    assert!(
        !has_location(&run.stderr, "content/a.md", 5),
        "the good link is reported\n{run}"
    );
}

#[test]
fn a_misspelt_link_or_anchor_gets_a_did_you_mean() {
    let site = Site::en();
    site.write(
        "content/guidance/_index.md",
        md("title: Guidance", "[Reception](@/guidance/reception.md)"),
    );
    site.write(
        "content/guidance/reception.md",
        md(
            "title: Reception",
            "## What to say

## Sources",
        ),
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n\nSee [reception](@/guidance/recepton.md).\n\n\
         And [what to say](@/guidance/reception.md#what-to-sya).\n",
    );
    let run = site.build();
    run.assert_content_error()
        .assert_location("content/a.md", 5)
        .assert_location("content/a.md", 7);
    run.assert_stderr_contains("did you mean `@/guidance/reception.md`?");
    run.assert_stderr_contains("did you mean `#what-to-say`?");
    run.assert_stderr_contains("nearest first: what-to-say, sources");
}

#[test]
fn a_misspelt_key_gets_a_did_you_mean() {
    let site = Site::en();
    site.write("content/a.md", "---\ntitle: A\ndescripton: Words.\n---\n");
    site.replace(
        "site.yaml",
        "default_language: en",
        "default_language: en\nexit_pages: {}",
    );
    let run = site.build();
    run.assert_code(1);
    run.assert_stderr_contains("did you mean `exit_page`?");
    let site = Site::en();
    site.write("content/a.md", "---\ntitle: A\ndescripton: Words.\n---\n");
    let run = site.build();
    run.assert_content_error()
        .assert_location("content/a.md", 3);
    run.assert_stderr_contains("did you mean `description`?");
}

#[test]
fn every_broken_link_in_a_file_is_reported() {
    let run = build_with(
        "content/a.md",
        "---\ntitle: A\n---\n\n[one](@/nope-1.md)\n\nText.\n\n[two](@/nope-2.md)\n",
    );
    run.assert_content_error();
    run.assert_location("content/a.md", 5)
        .assert_location("content/a.md", 9);
}

// --- many errors at once ----------------------------------------------------------------------

#[test]
fn all_errors_are_reported_together() {
    let site = Site::en();
    site.write("content/a.md", "---\ntitle: A\ndescription: a: b\n---\n");
    site.write("content/b.md", "---\ntitle: B\nweight: heavy\n---\n");
    site.write("content/c.md", "---\ntitle: C\ncolour: red\n---\n");
    let run = site.build();
    run.assert_content_error();
    run.assert_location("content/a.md", 3)
        .assert_location("content/b.md", 3)
        .assert_location("content/c.md", 3);
    assert!(
        run.error_lines().len() >= 3,
        "expected at least 3 distinct `error:` lines\n{run}"
    );
}

// --- output/ after a failed build -------------------------------------------------------------

#[test]
fn failed_build_leaves_output_untouched() {
    let site = Site::en();
    site.write("content/a.md", md("title: A", "Good."));
    let out = site.build_ok();
    out.assert_exists("a/index.html");
    site.write("output/marker.txt", "from the first build\n");
    let before = out.snapshot();

    site.write("content/a.md", "---\ntitle: A\nweight: heavy\n---\n");
    site.write("content/b.md", md("title: B", "New page."));
    site.build().assert_content_error();

    let after = out.snapshot();
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "output/ files changed after a failed build"
    );
    for (file, bytes) in &before {
        assert!(after[file] == *bytes, "{file} changed after a failed build");
    }
    // No staging folder is left behind in the output folder itself.
    assert!(out.files().iter().all(|f| !f.contains(".output.staging")));
}

#[test]
fn successful_build_replaces_output() {
    let site = Site::en();
    site.write("content/a.md", md("title: A", "Good."));
    let out = site.build_ok();
    site.write("output/stale.txt", "left from an old build\n");
    site.remove("content/a.md");
    site.build().assert_ok();
    out.assert_missing("stale.txt");
    out.assert_missing("a/index.html");
    out.assert_exists("index.html");
}
