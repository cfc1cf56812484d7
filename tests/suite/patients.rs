//! What the toolkit gives patients, read from the built files: each language's home page (its
//! patient pages first, English-only pages marked), "Exit this page", "Send this page", a 404
//! page per language, the offline copies' links, and `check`'s page-weight budget. The same
//! things in a browser are in tests/suite/phone.rs.

use crate::common::*;

fn toolkit() -> (Site, Output) {
    let site = Site::repo_copy();
    let out = site.build_ok();
    (site, out)
}

#[test]
fn a_translated_home_page_leads_with_its_patient_pages_and_marks_english_ones() {
    let (_site, out) = toolkit();
    let doc = out.html("ar/index.html");
    let first = doc.attrs("main .cards a", "href");
    assert_eq!(
        first,
        [
            "/ar/patients/right-to-register/",
            "/ar/patients/your-information/"
        ],
        "the patient pages in Arabic come first"
    );
    let english = doc.select(".other-language a");
    assert!(!english.is_empty(), "guidance in English is listed after");
    for a in &english {
        assert_eq!(a.attr("lang"), Some("en"), "{:?}", a.attr("href"));
        assert_eq!(a.attr("hreflang"), Some("en"), "{:?}", a.attr("href"));
    }
    assert!(
        doc.texts(".other-language .in-english")
            .iter()
            .all(|t| t.contains(&theme_string("ar", "in_english"))),
        "each is marked \"in English\" in Arabic"
    );
    // The editors' pages: from the footer only, on every home page.
    for home in ["index.html", "ar/index.html", "zh-hans/index.html"] {
        let doc = out.html(home);
        let outside_footer: Vec<String> = doc
            .attrs("header a, main a", "href")
            .into_iter()
            .filter(|h| h.starts_with("/editors/"))
            .collect();
        assert!(outside_footer.is_empty(), "{home}: {outside_footer:?}");
        assert!(
            doc.attrs("footer a", "href")
                .contains(&"/editors/".to_owned()),
            "{home}: the footer links the editors' section"
        );
    }
}

#[test]
fn exit_this_page_is_on_pages_for_readers_and_not_on_the_editors_pages() {
    let (_site, out) = toolkit();
    for page in [
        "index.html",
        "ar/index.html",
        "ar/patients/right-to-register/index.html",
        "guidance/registration/index.html",
        "ti/search/index.html",
        "404.html",
    ] {
        let doc = out.html(page);
        assert_eq!(
            doc.attr(".exit-this-page-button", "href"),
            "https://www.bbc.co.uk/weather",
            "{page}"
        );
        let (lang, _) = doc.lang_dir();
        let code = if lang == "zh-Hans" { "zh-Hans" } else { &lang };
        assert!(
            doc.text(".exit-this-page-button")
                .contains(&theme_string(code, "exit_page")),
            "{page}: in the page's language"
        );
    }
    assert!(
        !out.html("editors/index.html")
            .exists(".exit-this-page-button"),
        "the editors' pages have no exit button"
    );
}

#[test]
fn the_exit_destination_must_be_another_site() {
    let site = Site::en();
    site.replace(
        "site.yaml",
        "default_language: en",
        "default_language: en\nexit_page:\n  url: /somewhere",
    );
    let run = site.build();
    run.assert_content_error();
    run.assert_stderr_contains(
        "exit_page url `/somewhere` is not the full address of another site",
    );
    let site = Site::en();
    site.replace(
        "site.yaml",
        "default_language: en",
        "default_language: en\nexit_page:\n  url: https://news.example.org/",
    );
    site.build().assert_ok();
}

#[test]
fn send_this_page_carries_the_address_and_nothing_else() {
    let (_site, out) = toolkit();
    let doc = out.html("ar/patients/right-to-register/index.html");
    let hrefs = doc.attrs(".share a", "href");
    let address = "https%3A%2F%2Fsafesurgeries.example%2Far%2Fpatients%2Fright-to-register%2F";
    assert_eq!(
        hrefs,
        [
            format!("sms:?&body={address}"),
            format!("https://wa.me/?text={address}")
        ]
    );
    // Nothing from those services is loaded with the page.
    assert!(
        doc.urls()
            .iter()
            .all(|(element, url)| element == "a" || !url.contains("wa.me")),
        "only links name WhatsApp"
    );
}

#[test]
fn each_language_has_a_404_page_and_the_root_one_says_it_in_every_language() {
    let (site, out) = toolkit();
    let root = out.html("404.html");
    for (code, prefix) in site.languages() {
        let title = theme_string(&code, "not_found_title");
        if prefix.is_empty() {
            assert_eq!(root.text("h1"), title);
            continue;
        }
        let doc = out.html(&format!("{prefix}404.html"));
        assert_eq!(doc.lang_dir().0, code, "{prefix}404.html is in {code}");
        assert_eq!(doc.text("h1"), title);
        assert!(
            root.select(&format!(".not-found-languages li[lang=\"{code}\"]"))
                .first()
                .is_some_and(|li| li.text().collect::<String>().contains(&title)),
            "the root 404 page says it in {code}"
        );
    }
}

#[test]
fn the_offline_copy_links_its_own_pages_by_file_and_the_rest_by_full_address() {
    let (_site, out) = toolkit();
    let file = std::fs::File::open(out.path("ar/offline/safe-surgeries-ar.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    for page in [
        "index.html",
        "patients-right-to-register.html",
        "search.html",
        "search-index.js",
    ] {
        assert!(
            names.contains(&format!("safe-surgeries-ar/{page}")),
            "{page} in {names:?}"
        );
    }
    let mut html = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("safe-surgeries-ar/index.html").unwrap(),
        &mut html,
    )
    .unwrap();
    let doc = Doc::parse("index.html", &html);
    for (_, url) in doc.urls() {
        let local = !url.contains(':') && !url.starts_with('#');
        if local {
            let path = url.split(['#', '?']).next().unwrap();
            assert!(
                names.contains(&format!("safe-surgeries-ar/{path}")),
                "{url} is not in the copy"
            );
        } else {
            assert!(!url.starts_with('/'), "{url} leads nowhere from a disk");
        }
    }
    assert!(doc.exists(".offline-notice"), "the copy says it is one");
    assert!(!doc.exists(".offline"), "and offers no copy of itself");
    // The online home page offers it, with its size.
    let online = out.html("ar/index.html");
    assert_eq!(
        online.attr(".offline a", "href"),
        "/ar/offline/safe-surgeries-ar.zip"
    );
}

#[test]
fn check_warns_of_pages_and_fonts_over_the_weight_budget() {
    let site = Site::repo_copy();
    let today = run(&["check"], site.root());
    today.assert_ok();
    assert!(
        !today.all_output().contains("over the budget"),
        "today's pages meet the default budget"
    );
    site.replace(
        "site.yaml",
        "  sources_required: [guidance]",
        "  sources_required: [guidance]\n  budget: { page_kb: 50, fonts_kb: 200 }",
    );
    // Warnings: listed, and failing only under --deny warnings.
    let checked = run(&["check"], site.root());
    checked.assert_ok();
    let report = checked.all_output();
    assert!(report.contains("over the budget of 50 kB"), "{report}");
    assert!(
        report.contains("pages in ur load 229 kB of fonts"),
        "{report}"
    );
}
