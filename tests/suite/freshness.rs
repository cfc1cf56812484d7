//! Translation freshness: a translation records the hash of its English source (`source_hash:`),
//! goes stale when the source's text changes (and only then), shows readers a notice in its own
//! language linking the English page, and `translate mark-current` makes it current again.

use std::path::Path;

use crate::common::{Doc, Run, Site, run};
use safe_surgeries::freshness::{self, Freshness, State};

const EN: &str = "content/guidance/registration.md";
const AR: &str = "content/guidance/registration.ar.md";
const AR_PAGE: &str = "ar/guidance/registration/index.html";

/// The `freshness` fixture, with the real theme's notice partial in its theme.
fn site() -> Site {
    let site = Site::fixture("freshness");
    let partial =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials/stale.html");
    let target = site.path("themes/default/templates/partials/stale.html");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(&partial, &target).unwrap();
    // The fixture keeps no output of its own; a stray one from a manual run is no input.
    if site.path("output").exists() {
        site.remove("output");
    }
    site
}

fn translate(site: &Site, files: &[&str]) -> Run {
    let mut args = vec![
        "--root",
        site.root().to_str().unwrap(),
        "translate",
        "mark-current",
    ];
    args.extend(files);
    run(&args, &std::env::temp_dir())
}

fn page(site: &Site, rel: &str) -> Doc {
    site.build_ok().html(rel)
}

fn notice(doc: &Doc) -> Option<String> {
    doc.exists(".stale-notice")
        .then(|| doc.text(".stale-notice"))
}

/// The site as the library sees it, for [`Site::translations`](safe_surgeries::site::Site::translations).
fn load(root: &Path) -> safe_surgeries::site::Site {
    let config = safe_surgeries::config::Config::load(root).unwrap();
    let (strings, _) = safe_surgeries::i18n::Strings::load(root, &config);
    let (content, errors) = safe_surgeries::content::load(root, &config, false);
    assert!(
        errors.iter().all(|d| !d.is_error()),
        "{:?}",
        errors.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
    safe_surgeries::site::Site::resolve(root.to_owned(), config, strings, content).0
}

/// Each translation's file and state.
fn states(site: &Site) -> Vec<(String, State)> {
    let loaded = load(site.root());
    loaded
        .translations()
        .into_iter()
        .map(
            |Freshness {
                 page,
                 source,
                 state,
             }| {
                assert_eq!(loaded.pages[source].lang, loaded.config.default_language);
                (loaded.pages[page].file.clone(), state)
            },
        )
        .collect()
}

fn state_of(site: &Site, file: &str) -> State {
    states(site)
        .into_iter()
        .find(|(f, _)| f == file)
        .unwrap_or_else(|| panic!("{file} is not listed as a translation"))
        .1
}

#[test]
fn fixture_translations_start_current() {
    let site = site();
    let states = states(&site);
    let expect = [
        ("content/_index.ar.md", State::Unmarked),
        ("content/guidance/_index.ar.md", State::Current),
        ("content/guidance/interpreters.ar.md", State::Unmarked),
        (AR, State::Current),
    ];
    for (file, state) in expect {
        assert!(
            states.contains(&(file.to_owned(), state.clone())),
            "{file} should be {state:?}: {states:?}"
        );
    }
    assert_eq!(states.len(), 4, "only translations are listed: {states:?}");
    let out = site.build_ok();
    for rel in out.html_files() {
        assert!(notice(&out.html(&rel)).is_none(), "{rel} shows the notice");
    }
}

#[test]
fn editing_the_source_shows_the_notice_until_marked_current() {
    let site = site();
    site.replace(
        EN,
        "You do not need ID.",
        "You do not need ID or a passport.",
    )
    .replace(EN, "updated: 2026-01-10", "updated: 2026-03-02");
    assert_eq!(
        state_of(&site, AR),
        State::Stale {
            source_changed: Some("2026-03-02".into())
        }
    );

    let out = site.build_ok();
    let doc = out.html(AR_PAGE);
    let shown = notice(&doc).expect("the stale Arabic page shows the notice");
    let strings: serde_yaml::Value =
        serde_yaml::from_str(&site.read("themes/default/i18n/ar.yaml")).unwrap();
    assert!(
        shown.contains(strings["stale_notice"].as_str().unwrap()),
        "{shown}"
    );
    assert_eq!(doc.attr(".stale-notice", "role"), "note");
    assert_eq!(doc.attr(".stale-notice time", "datetime"), "2026-03-02");
    assert_eq!(doc.attr(".stale-notice time", "dir"), "ltr");
    assert_eq!(
        doc.attr(".stale-notice a", "href"),
        "/guidance/registration/"
    );
    assert_eq!(doc.attr(".stale-notice a", "hreflang"), "en");
    assert_eq!(
        doc.text(".stale-notice a"),
        strings["stale_original"].as_str().unwrap()
    );
    // The English page, and translations of other pages, say nothing.
    assert!(notice(&out.html("guidance/registration/index.html")).is_none());
    assert!(notice(&out.html("ar/guidance/index.html")).is_none());

    let before = site.read(AR);
    translate(&site, &[AR]).assert_ok();
    let after = site.read(AR);
    let changed = crate::common::changed_lines(&before, &after);
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "only the hash line changes: {changed:?}");
    assert!(changed[0].1.starts_with("source_hash: \""), "{changed:?}");
    assert_eq!(state_of(&site, AR), State::Current);
    assert!(notice(&page(&site, AR_PAGE)).is_none());

    // Marking a current translation again changes nothing.
    let run = translate(&site, &[AR]);
    run.assert_ok();
    assert!(run.stdout.contains("already"), "{run}");
    assert_eq!(site.read(AR), after);
}

#[test]
fn the_date_is_unknown_when_updated_was_not_bumped() {
    let site = site();
    site.replace(EN, "Anyone in England", "Anyone in the UK");
    assert_eq!(
        state_of(&site, AR),
        State::Stale {
            source_changed: None
        }
    );
    let doc = page(&site, AR_PAGE);
    assert!(notice(&doc).is_some());
    assert!(!doc.exists(".stale-notice time"));
}

#[test]
fn title_and_description_changes_count() {
    let site = site();
    site.replace(
        EN,
        "description: How to register a new patient.",
        "description: How to register any new patient.",
    );
    assert!(matches!(state_of(&site, AR), State::Stale { .. }));
    let site = self::site();
    site.replace(
        EN,
        "title: Registering patients",
        "title: Registering a patient",
    );
    assert!(matches!(state_of(&site, AR), State::Stale { .. }));
}

#[test]
fn saving_the_source_differently_keeps_translations_current() {
    let site = site();
    let text = site.read(EN);
    // Keys reordered, quotes added, date and weight changed (not translated), CRLF line ends,
    // a byte-order mark, trailing spaces and blank lines at the end.
    let reordered = text
        .replace(
            "title: Registering patients\ndescription: How to register a new patient.\n",
            "description: \"How to register a new patient.\"\ntitle: 'Registering patients'\n",
        )
        .replace("weight: 1", "weight: 5")
        .replace("updated: 2026-01-10", "updated: 2026-02-01")
        .replace("with a GP.", "with a GP.   ");
    assert_ne!(reordered, text);
    let crlf = format!("\u{feff}{}\n\n\n", reordered).replace('\n', "\r\n");
    site.write(EN, crlf);
    assert_eq!(state_of(&site, AR), State::Current);
    assert!(notice(&page(&site, AR_PAGE)).is_none());
}

#[test]
fn drafts_go_stale_too_and_sections_show_the_notice() {
    let site = site();
    site.replace(
        "content/guidance/_index.md",
        "How to register patients.",
        "How to register patients and book interpreters.",
    )
    .replace(
        "content/guidance/_index.md",
        "updated: 2026-01-10",
        "updated: 2026-02-14",
    );
    assert_eq!(
        state_of(&site, "content/guidance/_index.ar.md"),
        State::Stale {
            source_changed: Some("2026-02-14".into())
        }
    );
    let doc = page(&site, "ar/guidance/index.html");
    assert!(notice(&doc).is_some());
    assert_eq!(doc.attr(".stale-notice a", "href"), "/guidance/");
}

#[test]
fn unmarked_translations_show_no_notice_and_can_be_marked() {
    let site = site();
    let file = "content/guidance/interpreters.ar.md";
    assert_eq!(state_of(&site, file), State::Unmarked);
    assert!(notice(&page(&site, "ar/guidance/interpreters/index.html")).is_none());
    translate(&site, &[file]).assert_ok();
    assert_eq!(state_of(&site, file), State::Current);
    // The draft stays a draft.
    assert!(site.read(file).contains("translation: draft\n"));
}

#[test]
fn mark_current_keeps_every_other_byte() {
    let site = site();
    let file = "content/guidance/interpreters.ar.md";
    let original = format!("\u{feff}{}", site.read(file).replace('\n', "\r\n"));
    site.write(file, &original);
    translate(&site, &[file]).assert_ok();
    let marked = site.read(file);
    let loaded = load(site.root());
    let source = loaded
        .pages
        .iter()
        .position(|p| p.file == "content/guidance/interpreters.md")
        .unwrap();
    let hash = freshness::page_hash(&loaded.pages[source]);
    let expected = original.replace(
        "translation: draft\r\n---",
        &format!("translation: draft\r\nsource_hash: \"{hash}\"\r\n---"),
    );
    assert_eq!(marked, expected);
}

#[test]
fn mark_current_names_the_file_and_what_to_do() {
    let site = site();
    site.write(
        "content/guidance/orphan.ar.md",
        crate::common::md("title: يتيم", "نص."),
    );
    let cases = [
        (EN, "is not a translation"),
        ("content/guidance/missing.ar.md", "does not exist"),
        ("content/guidance/orphan.ar.md", "has no English source"),
    ];
    for (file, says) in cases {
        let run = translate(&site, &[file]);
        run.assert_content_error();
        assert!(run.stderr.contains(says), "{run}");
        let name = file.rsplit('/').next().unwrap();
        assert!(run.stderr.contains(name), "the error names the file\n{run}");
        assert!(
            run.stderr.contains("help:"),
            "the error says what to do\n{run}"
        );
        assert!(!run.stderr.contains("panicked"), "{run}");
    }
    // One bad file among good ones: nothing is written.
    site.replace(EN, "You do not need ID.", "You need nothing.");
    let before = site.read(AR);
    translate(&site, &[AR, EN]).assert_content_error();
    assert_eq!(site.read(AR), before);
    // The source's own errors are reported against it.
    site.write(EN, "---\ntitle: [unclosed\n---\n");
    let run = translate(&site, &[AR]);
    run.assert_content_error();
    assert!(run.stderr.contains("registration.md"), "{run}");
}

#[test]
fn every_template_of_the_real_theme_shows_readers_an_out_of_date_translation() {
    // One English source per page template of the theme: home (index.html), a section
    // (section.html), a page (page.html) and the print pack (print-pack.html).
    let sources = [
        ("content/_index.md", "ar/index.html"),
        ("content/patients/_index.md", "ar/patients/index.html"),
        (
            "content/patients/right-to-register.md",
            "ar/patients/right-to-register/index.html",
        ),
        ("content/print/_index.md", "ar/print/index.html"),
    ];
    let site = Site::repo_copy();
    let out = site.build_ok();
    for (_, arabic) in sources {
        assert_eq!(
            out.html(arabic).count(".stale-notice"),
            0,
            "{arabic} starts current"
        );
    }
    for (english, _) in sources {
        let text = site.read(english);
        site.write(english, format!("{text}\nA sentence added in English.\n"));
    }
    let out = site.build_ok();
    for (_, arabic) in sources {
        let doc = out.html(arabic);
        assert_eq!(doc.count(".stale-notice"), 1, "{arabic} shows the notice");
        assert_eq!(
            doc.count(".stale-notice a[hreflang=\"en\"]"),
            1,
            "{arabic} links the English"
        );
    }
}
