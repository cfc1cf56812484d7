//! Language fallback: a language without a text shows the nearest language of its CLDR chain
//! (`fa-AF` → `fa` → `en`), never one in another script (`zh-Hant` never shows `zh-Hans`), for
//! interface strings and for `@/` links to untranslated pages; and `check` names the files a new
//! language needs.

use crate::common::*;
use serde_json::Value;

const SITE: &str = "title: T\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  \
                    - { code: en, name: English }\n  - { code: fa, name: فارسی }\n  \
                    - { code: fa-AF, name: دری }\n  - { code: zh-Hans, name: 简体中文 }\n  \
                    - { code: zh-Hant, name: 繁體中文 }\n";

/// The five homes, an English page with a Farsi version only, and string tables for fa and
/// zh-Hans (none for fa-AF and zh-Hant).
fn site() -> Site {
    let site = Site::with_config(SITE, &["en", "fa", "fa-AF", "zh-Hans", "zh-Hant"]);
    site.write(
        "themes/default/i18n/fa.yaml",
        "skip_link: رفتن به محتوا\nfooter_note: ساخته شده برای مطب‌ها\n",
    );
    site.write(
        "themes/default/i18n/zh-Hans.yaml",
        "skip_link: 跳到内容\nfooter_note: 为全科诊所制作\n",
    );
    site.write(
        "content/guide/_index.md",
        md("title: Guide\ndescription: The guide.", "Read on."),
    );
    site.write(
        "content/guide/rights.md",
        md("title: Rights\ndescription: Rights.", "Your rights."),
    );
    site.write(
        "content/guide/rights.fa.md",
        md("title: حقوق\ndescription: حقوق.", "حقوق شما."),
    );
    site.write(
        "content/guide/about.md",
        md(
            "title: About\ndescription: About.",
            "See [your rights](@/guide/rights.md).",
        ),
    );
    site.write(
        "content/guide/about.fa-AF.md",
        md(
            "title: درباره\ndescription: درباره.",
            "[حقوق شما](@/guide/rights.md) را ببینید.",
        ),
    );
    site.write(
        "content/guide/about.zh-Hant.md",
        md(
            "title: 關於\ndescription: 關於。",
            "請看[您的權利](@/guide/rights.md)。",
        ),
    );
    site
}

#[test]
fn a_regional_variety_shows_its_language_strings_before_the_default_ones() {
    let out = site().build_ok();
    let dari = out.html("fa-af/index.html");
    assert_eq!(dari.text(".skip-link"), "رفتن به محتوا");
    assert_eq!(dari.text(".footer-note"), "ساخته شده برای مطب‌ها");
    // A key Farsi lacks comes from English, the end of every chain.
    let farsi = out.html("fa/index.html");
    assert_eq!(farsi.text(".skip-link"), "رفتن به محتوا");
}

#[test]
fn traditional_chinese_never_shows_simplified_strings() {
    let out = site().build_ok();
    let traditional = out.html("zh-hant/index.html");
    assert_eq!(traditional.text(".skip-link"), "Skip to content");
    assert_eq!(traditional.text(".footer-note"), "Made for GP practices");
    let simplified = out.html("zh-hans/index.html");
    assert_eq!(simplified.text(".skip-link"), "跳到内容");
}

#[test]
fn links_to_an_untranslated_page_go_to_the_nearest_language_that_has_it() {
    let out = site().build_ok();
    let dari = out.html("fa-af/guide/about/index.html");
    assert_eq!(dari.attrs(".content a", "href"), ["/fa/guide/rights/"]);
    // Traditional Chinese skips the Farsi and Simplified versions: English is its next language.
    let traditional = out.html("zh-hant/guide/about/index.html");
    assert_eq!(traditional.attrs(".content a", "href"), ["/guide/rights/"]);
}

/// The language entry of `code` in `check --format json`.
fn check_language(site: &Site, code: &str) -> Value {
    let run = run(&["check", "--format", "json"], site.root());
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("check printed no JSON ({e}):\n{run}"));
    report["languages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["code"] == code)
        .cloned()
        .unwrap_or_else(|| panic!("no {code} in {report:#}"))
}

fn to_do(language: &Value) -> Vec<String> {
    language["to_do"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn check_names_the_strings_file_to_create_for_a_new_language() {
    let site = site();
    let traditional = check_language(&site, "zh-Hant");
    assert!(
        traditional["missing_strings"]
            .as_array()
            .is_some_and(|m| m.iter().any(|k| k == "skip_link")),
        "{traditional:#}"
    );
    let to_do = to_do(&traditional);
    assert!(
        to_do.iter().any(
            |line| line.contains("create themes/default/i18n/zh-Hant.yaml")
                && line.contains("themes/default/i18n/en.yaml")
        ),
        "{to_do:#?}"
    );
}

#[test]
fn check_says_which_language_a_variety_borrows_from_and_where_to_word_its_own() {
    let site = site();
    let dari = check_language(&site, "fa-AF");
    assert!(
        !dari["missing_strings"]
            .as_array()
            .is_some_and(|m| m.iter().any(|k| k == "skip_link")),
        "a string Farsi has is not missing for Dari: {dari:#}"
    );
    let inherited: Vec<(&str, &str)> = dari["inherited_strings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| Some((i["key"].as_str()?, i["from"].as_str()?)))
        .collect();
    assert!(inherited.contains(&("skip_link", "fa")), "{inherited:?}");
    assert!(
        to_do(&dari)
            .iter()
            .any(|l| l.contains("shown in fa")
                && l.contains("create themes/default/i18n/fa-AF.yaml")),
        "{dari:#}"
    );
}

#[test]
fn check_points_a_language_without_a_home_page_to_the_file_to_create() {
    let site = site();
    site.remove("content/_index.fa-AF.md");
    let dari = check_language(&site, "fa-AF");
    let to_do = to_do(&dari);
    assert!(
        to_do
            .iter()
            .any(|line| line.contains("land on the fa home page")
                && line.contains("content/_index.fa-AF.md")
                && line.contains("new translation content/_index.md fa-AF")),
        "{to_do:#?}"
    );
    let out = site.build_ok();
    // Its readers meet the Farsi home page, the nearest there is.
    let doc = out.html("fa-af/guide/about/index.html");
    let home = doc.attrs("nav.breadcrumbs a", "href");
    assert_eq!(home.first().map(String::as_str), Some("/fa/"), "{home:?}");
}
