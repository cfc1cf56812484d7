//! A patient's phone, in headless Chromium (tests/browser/phone.mjs, run once for the binary):
//! the toolkit's first screen at 375 × 740, the language list without scripts, "Exit this
//! page" (Shift three times, the button, the back button), the offline copy opened from disk
//! and searched in Arabic and Chinese, and the patient pages printed to PDF from the browser.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::browser::{StaticServer, run_script, scripted_chromium};
use crate::common::*;
use serde_json::{Value, json};

/// The first screen's height: the header (with the language control) may take a fifth of it.
const SCREEN: f64 = 740.0;
const TAP: f64 = 44.0;
const EXIT_URL: &str = "https://www.bbc.co.uk/weather";

struct Phone {
    report: Value,
    /// Offline copies the build did not make.
    missing_copies: Vec<String>,
    out: Output,
    pdfs: PathBuf,
    // Kept alive: the site, its server and the unzipped copies.
    _site: Site,
    _server: StaticServer,
    _scratch: tempfile::TempDir,
}

/// The report of one run of phone.mjs over the toolkit, or none where a tool is missing
/// (which fails under CI=true).
fn phone() -> Option<&'static Phone> {
    static PHONE: OnceLock<Option<Phone>> = OnceLock::new();
    PHONE.get_or_init(run_phone).as_ref()
}

fn run_phone() -> Option<Phone> {
    let chromium = scripted_chromium()?;
    if !has_phone_fonts() {
        missing_tool("the Noto fonts", "apt install fonts-noto-core");
        return None;
    }
    let site = Site::repo_copy();
    let out = site.build_ok();
    let server = StaticServer::start(out.dir.clone());
    let scratch = tempfile::tempdir().unwrap();

    let header: Vec<String> = out
        .page_files()
        .into_iter()
        .filter(|f| !f.contains('/') || f.starts_with("ar/") || !is_language_prefixed(f))
        .chain(["ar/search/index.html".to_owned(), "404.html".to_owned()])
        .map(|f| format!("/{}", f.trim_end_matches("index.html")))
        .collect();
    let homes: Vec<String> = out
        .page_files()
        .into_iter()
        .filter(|f| f.matches('/').count() == 1 && is_language_prefixed(f))
        .map(|f| format!("/{}", f.trim_end_matches("index.html")))
        .collect();

    let mut offline = Vec::new();
    let mut missing_copies = Vec::new();
    for (lang, query) in [("ar", "هوية"), ("zh-hans", "身份证"), ("en", "passport")] {
        let zip_path = if lang == "en" {
            "offline/safe-surgeries-en.zip".to_owned()
        } else {
            format!("{lang}/offline/safe-surgeries-{lang}.zip")
        };
        if !out.exists(&zip_path) {
            missing_copies.push(zip_path);
            continue;
        }
        let folder = unzip(&out.path(&zip_path), &scratch.path().join(lang));
        offline.push(json!({
            "file": folder.join("search.html"),
            "query": query,
            "lang": lang,
        }));
    }

    let pdfs = scratch.path().join("pdf");
    std::fs::create_dir_all(&pdfs).unwrap();
    let print: Vec<Value> = out
        .page_files()
        .into_iter()
        .filter(|f| f.contains("patients/") && f.matches('/').count() >= 2)
        .filter(|f| !f.ends_with("patients/index.html"))
        .map(|f| {
            let name = f.trim_end_matches("/index.html").replace('/', "_");
            json!({
                "path": format!("/{}", f.trim_end_matches("index.html")),
                "pdf": pdfs.join(format!("{name}.pdf")),
            })
        })
        .collect();

    let request = json!({
        "chromium": chromium,
        "base": format!("http://127.0.0.1:{}", server.port),
        "header": header.iter().chain(&homes).collect::<Vec<_>>(),
        "menu": "/guidance/registration/",
        "exit": { "from": "/", "page": "/ar/patients/right-to-register/", "url": EXIT_URL },
        "offline": offline,
        "print": print,
    });
    let report = run_script("phone.mjs", &request);
    Some(Phone {
        report,
        missing_copies,
        out,
        pdfs,
        _site: site,
        _server: server,
        _scratch: scratch,
    })
}

fn is_language_prefixed(file: &str) -> bool {
    let first = file.split('/').next().unwrap_or("");
    !matches!(
        first,
        "guidance" | "patients" | "print" | "editors" | "search"
    ) && file.contains('/')
}

/// Unzips `zip` into `into`, returning the folder the ZIP holds (its one top folder).
fn unzip(zip: &Path, into: &Path) -> PathBuf {
    let file = std::fs::File::open(zip).unwrap_or_else(|e| panic!("{}: {e}", zip.display()));
    let mut archive = zip::ZipArchive::new(file).expect("a ZIP file");
    archive.extract(into).expect("unzip");
    let mut tops: Vec<PathBuf> = std::fs::read_dir(into)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(tops.len(), 1, "one folder at the top of {}", zip.display());
    tops.remove(0)
}

/// The pages are measured in the fonts phones have (Android's Noto, which the theme's font stacks
/// name first); a machine with only DejaVu lays text out much wider, and a header that fits a
/// phone fails there for the wrong reason.
fn has_phone_fonts() -> bool {
    Command::new("fc-list")
        .args([":", "family"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.split(',').any(|f| f == "Noto Sans"))
        })
}

fn f(value: &Value) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}

#[test]
fn the_header_takes_at_most_a_fifth_of_the_first_screen_on_every_page() {
    let Some(phone) = phone() else { return };
    let pages = phone.report["header"].as_array().unwrap();
    assert!(pages.len() > 60, "pages measured: {}", pages.len());
    for page in pages {
        let path = page["path"].as_str().unwrap();
        let bottom = f(&page["bottom"]);
        assert!(
            bottom <= SCREEN * 0.2,
            "{path}: the header reaches {bottom} px of the first {SCREEN}, more than a fifth"
        );
        assert_eq!(
            page["menu"], true,
            "{path}: one language control in the header"
        );
        assert_eq!(
            page["listVisible"], false,
            "{path}: the list of languages is behind the control"
        );
        for target in page["targets"].as_array().unwrap() {
            assert!(
                f(&target["height"]) >= TAP,
                "{path}: the header's tap target {} is {} px high",
                target["text"],
                target["height"]
            );
        }
        assert!(
            f(&page["scrollWidth320"]) <= 320.0,
            "{path} scrolls sideways at 320 px ({} px wide)",
            page["scrollWidth320"]
        );
    }
}

#[test]
fn a_table_too_wide_for_a_phone_scrolls_in_its_box_without_breaking_words() {
    let Some(phone) = phone() else { return };
    let pages = phone.report["header"].as_array().unwrap();
    let broken: Vec<String> = pages
        .iter()
        .flat_map(|page| {
            let path = page["path"].as_str().unwrap().to_owned();
            page["brokenWords320"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |w| format!("{path}: {w}"))
        })
        .collect();
    assert!(
        broken.is_empty(),
        "words in tables broken across lines at 320 px: {broken:#?}"
    );
    // The editors' page has wide tables of file names; its page itself stays 320 px wide (the
    // test above) and each table sits in a scroll box a keyboard can reach.
    let html = phone.out.read("editors/writing-for-this-site/index.html");
    let doc = scraper::Html::parse_document(&html);
    let tables = scraper::Selector::parse("main table").unwrap();
    let mut count = 0;
    for table in doc.select(&tables) {
        count += 1;
        let parent = scraper::ElementRef::wrap(table.parent().unwrap()).unwrap();
        let attr = |n| parent.value().attr(n).unwrap_or("");
        assert!(
            attr("class") == "table-scroll"
                && attr("tabindex") == "0"
                && !attr("aria-label").is_empty(),
            "a table outside a named, focusable scroll box: {}",
            parent.html().chars().take(120).collect::<String>()
        );
    }
    assert!(count >= 3, "tables on the editors' page: {count}");
    // An untranslated page and a translated one, left to right and right to left.
    for path in [
        "/guidance/registration/",
        "/patients/right-to-register/",
        "/ar/patients/right-to-register/",
        "/ar/search/",
    ] {
        assert!(
            pages.iter().any(|p| p["path"] == path),
            "{path} was measured"
        );
    }
}

#[test]
fn the_language_list_opens_without_scripts_with_big_tap_targets() {
    let Some(phone) = phone() else { return };
    let menu = &phone.report["menu"];
    assert_eq!(menu["open"], true, "the control opens with scripts off");
    let links = menu["links"].as_array().unwrap();
    assert_eq!(links.len(), 25, "every language is listed");
    for link in links {
        assert_eq!(link["visible"], true, "{} shows once open", link["lang"]);
        assert!(
            f(&link["height"]) >= TAP,
            "{}: {} px high",
            link["lang"],
            link["height"]
        );
    }
}

#[test]
fn shift_three_times_or_the_button_leaves_without_a_way_back() {
    let Some(phone) = phone() else { return };
    let exit = &phone.report["exit"];
    for how in ["shift", "button"] {
        let left = &exit[how];
        assert!(
            left["at"].as_str().unwrap().starts_with(EXIT_URL),
            "{how}: the browser is at {} rather than the exit site",
            left["at"]
        );
        assert_eq!(
            left["after"], left["before"],
            "{how}: leaving added a history entry"
        );
        assert!(
            !left["back"].as_str().unwrap().contains("/patients/"),
            "{how}: the back button returns to the page left, {}",
            left["back"]
        );
        assert_eq!(
            left["fetchedEarly"], false,
            "{how}: the exit site was fetched before anyone pressed anything"
        );
    }
    assert_eq!(
        exit["shift"]["said"].as_str(),
        Some(theme_string("ar", "exit_page_press_one").as_str()),
        "screen readers hear how many presses are left, in Arabic"
    );
    assert!(
        exit["typing"]
            .as_str()
            .unwrap()
            .ends_with("/ar/patients/right-to-register/"),
        "capital letters typed with Shift do not leave: {}",
        exit["typing"]
    );
    let plain = &exit["withoutScripts"];
    assert_eq!(plain["href"].as_str(), Some(EXIT_URL));
    assert_eq!(plain["visible"], true);
    assert!(
        plain["rel"].as_str().unwrap().contains("noreferrer"),
        "the exit site is not told where the reader came from"
    );
}

#[test]
fn the_offline_copy_works_from_disk_and_finds_pages_in_arabic_and_chinese() {
    let Some(phone) = phone() else { return };
    assert_eq!(phone.missing_copies, Vec::<String>::new(), "offline copies");
    for copy in phone.report["offline"].as_array().unwrap() {
        let found = copy["found"].as_array().unwrap();
        assert!(
            !found.is_empty(),
            "searching {} in {} found nothing",
            copy["query"],
            copy["file"]
        );
        let opened = &copy["opened"];
        assert!(
            opened["url"].as_str().unwrap().starts_with("file://"),
            "the first result opens from disk: {}",
            opened["url"]
        );
        assert_eq!(opened["styled"], true, "the page has its stylesheet");
    }
    assert_eq!(
        phone.report["offlineRequests"],
        json!([]),
        "the copy asks nothing of any server"
    );
    // Fonts travel with the languages that need them.
    let ur = phone.out.path("ur/offline/safe-surgeries-ur.zip");
    let names: Vec<String> = zip::ZipArchive::new(std::fs::File::open(ur).unwrap())
        .unwrap()
        .file_names()
        .map(str::to_owned)
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.ends_with("fonts/NotoNastaliqUrdu-Regular.woff2")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.ends_with("fonts/OFL.txt")));
    assert!(!names.iter().any(|n| n.contains("Ethiopic")), "{names:?}");
}

#[test]
fn each_patient_page_prints_on_one_or_two_a4_sheets_with_its_address() {
    let Some(phone) = phone() else { return };
    let Some(pages) = pdf_pages_tool() else {
        missing_tool("pdfinfo", "apt install poppler-utils");
        return;
    };
    let mut printed = 0;
    for entry in std::fs::read_dir(&phone.pdfs).unwrap().flatten() {
        let pdf = entry.path();
        let count = pages(&pdf);
        assert!(
            (1..=2).contains(&count),
            "{} prints on {count} sheets",
            pdf.display()
        );
        let text = pdf_text(&pdf);
        let name = pdf.file_stem().unwrap().to_string_lossy().replace('_', "/");
        let html = phone.out.read(&format!("{name}/index.html"));
        let address = canonical(&html);
        assert!(
            text.replace(char::is_whitespace, "").contains(&address),
            "{}: the printed page starts with its address {address}",
            pdf.display()
        );
        assert!(
            !text.contains(".pdf"),
            "{}: download links are not printed",
            pdf.display()
        );
        printed += 1;
    }
    assert_eq!(printed, 50, "two patient pages in 25 languages");
}

/// The page's own address, as its `<link rel="canonical">` gives it.
fn canonical(html: &str) -> String {
    let tag = html
        .split("<link rel=\"canonical\" href=\"")
        .nth(1)
        .expect("a canonical link");
    tag[..tag.find('"').unwrap()].to_owned()
}

fn pdf_pages_tool() -> Option<impl Fn(&Path) -> usize> {
    Command::new("pdfinfo").arg("-v").output().ok()?;
    Some(|pdf: &Path| {
        let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
        String::from_utf8_lossy(&info.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    })
}

fn pdf_text(pdf: &Path) -> String {
    let run = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&run.stdout).into_owned()
}
