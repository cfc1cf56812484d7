//! `safe-surgeries new page` and `new translation`: files that build, never an overwrite, and
//! errors that name the file and say what to do.

use std::process::{Command, Stdio};

use crate::common::{BIN, Run, Site, md};
use safe_surgeries::freshness::State;

/// 2026-01-01T00:00:00Z, standing for the clock.
const NEW_YEAR: &str = "1767225600";

/// An English and Arabic site with a guidance section and one page.
fn site() -> Site {
    let site = Site::en_ar();
    site.write(
        "content/guidance/_index.md",
        md("title: Guidance", "For practices."),
    );
    site.write(
        "content/guidance/registration.md",
        md(
            "title: Registering patients\ndescription: How to register.\nupdated: 2025-12-01\naliases: [/old/registration/]",
            "Anyone can register.",
        ),
    );
    site.write("content/print/_index.md", md("title: Print", "Posters."));
    site
}

/// Runs `safe-surgeries --root <site> <args>` with the clock at [`NEW_YEAR`].
fn run(site: &Site, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("--root")
        .arg(site.root())
        .args(args)
        .current_dir(std::env::temp_dir())
        .env("SOURCE_DATE_EPOCH", NEW_YEAR)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        args: args.join(" "),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_says(run: &Run, needles: &[&str]) {
    run.assert_content_error();
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "stderr lacks {needle:?}\n{run}"
        );
    }
    assert!(run.stderr.contains("help:"), "no help\n{run}");
    assert!(!run.stderr.contains("panicked"), "{run}");
}

#[test]
fn new_page_creates_a_page_that_builds() {
    let site = site();
    let made = run(&site, &["new", "page", "guidance/registering-patients"]);
    made.assert_ok();
    assert!(
        made.stdout
            .contains("content/guidance/registering-patients.md"),
        "{made}"
    );
    let text = site.read("content/guidance/registering-patients.md");
    assert!(
        text.starts_with("---\ntitle: Registering patients\n"),
        "{text}"
    );
    assert!(text.contains("\ndate: 2026-01-01\n"), "{text}");
    assert!(text.contains("\ndescription:\n"), "{text}");
    let doc = site
        .build_ok()
        .html("guidance/registering-patients/index.html");
    assert_eq!(doc.text("h1"), "Registering patients");
}

#[test]
fn new_page_is_dated_today_without_a_fixed_clock() {
    let site = site();
    crate::common::run(
        &[
            "--root",
            site.root().to_str().unwrap(),
            "new",
            "page",
            "print/nhs-111",
        ],
        &std::env::temp_dir(),
    )
    .assert_ok();
    let text = site.read("content/print/nhs-111.md");
    let date = text.lines().find_map(|l| l.strip_prefix("date: ")).unwrap();
    let b = date.as_bytes();
    assert!(
        date.len() == 10 && b[4] == b'-' && b[7] == b'-' && date[..4] >= *"2025",
        "{date}"
    );
    site.build_ok();
}

#[test]
fn new_page_never_overwrites() {
    let site = site();
    let before = site.read("content/guidance/registration.md");
    let again = run(&site, &["new", "page", "guidance/registration"]);
    assert_says(
        &again,
        &["content/guidance/registration.md", "already exists"],
    );
    assert_eq!(site.read("content/guidance/registration.md"), before);
    // Made twice: the second time is refused and the first file kept.
    run(&site, &["new", "page", "guidance/interpreters"]).assert_ok();
    site.write("content/guidance/interpreters.md", "edited");
    assert_says(
        &run(&site, &["new", "page", "guidance/interpreters"]),
        &["already exists"],
    );
    assert_eq!(site.read("content/guidance/interpreters.md"), "edited");
}

#[test]
fn new_page_rejects_bad_names() {
    let site = site();
    for bad in [
        "guidance/Registering_Patients",
        "guidance/registration.ar",
        "guidance/two words",
        "guidance/-edge",
        "guidance/index",
    ] {
        let run = run(&site, &["new", "page", bad]);
        assert_says(&run, &["cannot be a page's name", "lowercase letters"]);
    }
    assert!(!site.path("content/guidance/index.md").exists());
}

#[test]
fn new_page_names_the_sections_that_exist() {
    let site = site();
    let missing = run(&site, &["new", "page", "advice/registering"]);
    assert_says(&missing, &["content/advice/", "guidance, print"]);
    assert!(!site.path("content/advice").exists());
    let no_section = run(&site, &["new", "page", "registering"]);
    assert_says(&no_section, &["<section>/<slug>", "guidance"]);
    site.write("content/loose/page.md", md("title: Loose", ""));
    let not_section = run(&site, &["new", "page", "loose/other"]);
    assert_says(
        &not_section,
        &["content/loose/ is not a section", "_index.md"],
    );
    let outside = run(&site, &["new", "page", "../escape"]);
    assert_says(&outside, &["no section"]);
}

#[test]
fn new_translation_starts_as_a_current_draft() {
    let site = site();
    let made = run(
        &site,
        &[
            "new",
            "translation",
            "content/guidance/registration.md",
            "AR",
        ],
    );
    made.assert_ok();
    assert!(
        made.stdout.contains("content/guidance/registration.ar.md"),
        "{made}"
    );
    let source = site.read("content/guidance/registration.md");
    let copy = site.read("content/guidance/registration.ar.md");
    assert!(copy.contains("\ntranslation: draft\n"), "{copy}");
    assert!(copy.contains("\nsource_hash: \""), "{copy}");
    // The old address stays with the English page, or both would claim it.
    assert!(!copy.contains("aliases"), "{copy}");
    for line in source.lines().filter(|l| !l.starts_with("aliases")) {
        assert!(copy.lines().any(|c| c == line), "the copy lacks {line:?}");
    }

    let out = site.build_ok();
    let doc = out.html("ar/guidance/registration/index.html");
    assert_eq!(doc.lang_dir(), ("ar".into(), "rtl".into()));

    let root = site.root();
    let config = safe_surgeries::config::Config::load(root).unwrap();
    let (strings, _) = safe_surgeries::i18n::Strings::load(root, &config);
    let (content, _) = safe_surgeries::content::load(root, &config, false);
    let loaded = safe_surgeries::site::Site::resolve(root.to_owned(), config, strings, content).0;
    let states: Vec<(String, State)> = loaded
        .translations()
        .into_iter()
        .map(|f| (loaded.pages[f.page].file.clone(), f.state))
        .collect();
    assert!(
        states.contains(&("content/guidance/registration.ar.md".into(), State::Current)),
        "{states:?}"
    );

    // A second time, the translation exists.
    assert_says(
        &run(
            &site,
            &[
                "new",
                "translation",
                "content/guidance/registration.md",
                "ar",
            ],
        ),
        &["content/guidance/registration.ar.md", "already exists"],
    );
    assert_eq!(site.read("content/guidance/registration.ar.md"), copy);
}

#[test]
fn new_translation_of_a_section_and_by_content_path() {
    let site = site();
    run(&site, &["new", "translation", "guidance/_index.md", "ar"]).assert_ok();
    assert!(site.path("content/guidance/_index.ar.md").is_file());
    site.build_ok().html("ar/guidance/index.html");
}

#[test]
fn new_translation_errors_list_what_to_use() {
    let site = site();
    let file = "content/guidance/registration.md";
    let unknown = run(&site, &["new", "translation", file, "de"]);
    assert_says(&unknown, &["`de` is not one of the site's languages", "ar"]);
    let default = run(&site, &["new", "translation", file, "en"]);
    assert_says(&default, &["default language", "ar"]);
    site.write(
        "content/guidance/charging.ar.md",
        md("title: الرسوم", "نص."),
    );
    let of_translation = run(
        &site,
        &[
            "new",
            "translation",
            "content/guidance/charging.ar.md",
            "ar",
        ],
    );
    assert_says(&of_translation, &["is itself a translation", "charging.md"]);
    let missing = run(
        &site,
        &["new", "translation", "content/guidance/nothing.md", "ar"],
    );
    assert_says(&missing, &["content/guidance/nothing.md", "does not exist"]);
    assert!(!site.path("content/guidance/registration.de.md").exists());
    assert!(!site.path("content/guidance/registration.en.md").exists());
}

#[test]
fn new_translation_of_a_printable_item_leaves_its_layout_to_the_source() {
    let site = site();
    site.write(
        "content/print/poster.md",
        md(
            "title: Poster\nprint:\n  template: poster\n  formats:\n    - A4\n    - A3\n  headline: You can register\n  points: [No ID needed.]",
            "Put it up.",
        ),
    );
    site.write(
        "content/print/leaflet.md",
        md(
            "title: Leaflet\nprint:\n  template: leaflet\n  formats: [A4, A5]",
            "The text.",
        ),
    );
    run(
        &site,
        &["new", "translation", "content/print/poster.md", "ar"],
    )
    .assert_ok();
    run(
        &site,
        &["new", "translation", "content/print/leaflet.md", "ar"],
    )
    .assert_ok();
    let poster = site.read("content/print/poster.ar.md");
    assert!(
        poster.contains("print:\n  headline: You can register\n  points: [No ID needed.]\n"),
        "{poster}"
    );
    assert!(
        !poster.contains("template") && !poster.contains("formats"),
        "{poster}"
    );
    let leaflet = site.read("content/print/leaflet.ar.md");
    assert!(!leaflet.contains("print"), "{leaflet}");
    assert!(leaflet.contains("translation: draft\n"), "{leaflet}");
}
