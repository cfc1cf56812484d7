//! Printable items: real posters, leaflets and cards from the repository's content, checked in
//! the PDFs themselves (page size, fonts, metadata, text), and fixture sites for the errors an
//! editor can make. Checks that read PDFs use poppler-utils and say so when it is missing.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use crate::common::*;

/// Languages the issue names, with the family each one's text must be set in.
const SCRIPTS: &[(&str, &str)] = &[
    ("en", "NotoSans"),
    ("ar", "NotoNaskhArabic"),
    ("ur", "NotoNastaliqUrdu"),
    ("bn", "NotoSansBengali"),
    ("ti", "NotoSansEthiopic"),
    ("zh-Hans", "NotoSansCJKsc"),
    // One CJK font serves both Chinese scripts: see `traditional_chinese_prints_in_its_own_forms`.
    ("zh-Hant", "NotoSansCJKsc"),
];

const A4: (f64, f64) = (595.276, 841.89);
const A3: (f64, f64) = (841.89, 1190.551);
const A5: (f64, f64) = (419.528, 595.276);

/// The repository's toolkit, built once for all tests of this file.
fn toolkit() -> &'static Output {
    &toolkit_build().1
}

/// The toolkit's build and what it said (its warnings include the layout check's).
fn toolkit_build() -> &'static (Run, Output) {
    static BUILT: OnceLock<(Run, Output)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = Site::repo_copy();
        let run = site.build();
        run.assert_ok();
        (run, site.output_for("https://safesurgeries.example/"))
    })
}

/// Output path of an item's PDF: `print/register-poster/register-poster-ar-a4.pdf`.
fn pdf_path(lang: &str, section: &str, slug: &str, paper: &str) -> String {
    let code = lang.to_ascii_lowercase();
    let prefix = if lang == "en" {
        String::new()
    } else {
        format!("{code}/")
    };
    format!("{prefix}{section}/{slug}/{slug}-{code}-{paper}.pdf")
}

/// A front matter value of a content file, as written.
fn front_value(file: &str, key: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .unwrap_or_else(|e| panic!("read {file}: {e}"));
    let front = text.split("---").nth(1).expect("front matter");
    let yaml: serde_yaml::Value = serde_yaml::from_str(front).expect("front matter parses");
    let mut value = &yaml;
    for part in key.split('.') {
        value = &value[part];
    }
    value
        .as_str()
        .unwrap_or_else(|| panic!("{file}: no {key}"))
        .to_owned()
}

fn content_file(lang: &str, section: &str, slug: &str) -> String {
    if lang == "en" {
        format!("content/{section}/{slug}.md")
    } else {
        format!("content/{section}/{slug}.{lang}.md")
    }
}

/// Runs a poppler tool, or says why the check is skipped when it is not installed.
fn poppler(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!(
            "{tool} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => {
            missing_tool(tool, "apt install poppler-utils");
            None
        }
    }
}

fn page_size(info: &str) -> (f64, f64) {
    let line = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .expect("pdfinfo prints the page size");
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

fn info_field<'a>(info: &'a str, field: &str) -> &'a str {
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .map_or("", str::trim)
}

fn assert_size(actual: (f64, f64), expected: (f64, f64), what: &str) {
    assert!(
        (actual.0 - expected.0).abs() < 0.5 && (actual.1 - expected.1).abs() < 0.5,
        "{what}: page is {actual:?} pt, expected {expected:?}"
    );
}

/// Letters, vowel signs and digits only: poppler's reading of bidi text moves brackets and
/// spaces around (it prints "(GP)" in Arabic as "()GP") and places Arabic's optional
/// diacritics (shadda, harakat) by position, which says nothing about the PDF.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| (c.is_alphanumeric() && !is_arabic_mark(*c)) || is_vowel_sign(*c))
        .collect()
}

/// Arabic diacritics count as alphabetic in Unicode, but are optional in the spelling.
fn is_arabic_mark(c: char) -> bool {
    matches!(c as u32, 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// Bengali and Gurmukhi vowel signs, which are part of the spelling.
fn is_vowel_sign(c: char) -> bool {
    matches!(c as u32, 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0A01..=0x0A03 | 0x0A3C..=0x0A51 | 0x0A70..=0x0A75)
}

fn pdf_text(path: &Path) -> Option<String> {
    poppler("pdftotext", &[path.to_str()?, "-"])
}

#[test]
fn posters_in_six_scripts_have_exact_size_embedded_fonts_title_and_headline_text() {
    let out = toolkit();
    for &(lang, family) in SCRIPTS {
        for (paper, size) in [("a4", A4), ("a3", A3)] {
            let rel = pdf_path(lang, "print", "register-poster", paper);
            let bytes = out.bytes(&rel);
            assert!(bytes.starts_with(b"%PDF-"), "{rel} is not a PDF");
            let path = out.path(&rel);
            let file = path.to_str().expect("UTF-8 path");
            let Some(info) = poppler("pdfinfo", &[file]) else {
                return;
            };
            let source = content_file(lang, "print", "register-poster");
            assert_size(page_size(&info), size, &rel);
            assert_eq!(
                info_field(&info, "Title"),
                front_value(&source, "title"),
                "{rel}: title metadata"
            );
            assert_eq!(info_field(&info, "Tagged"), "yes", "{rel}: tagged PDF");

            let fonts = poppler("pdffonts", &[file]).unwrap_or_default();
            let rows: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(!rows.is_empty(), "{rel}: no fonts listed\n{fonts}");
            for row in &rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                // name type... emb sub uni object gen: emb and sub are the 5th and 4th from the end.
                let n = cols.len();
                assert_eq!(cols[n - 5], "yes", "{rel}: font not embedded: {row}");
                assert_eq!(cols[n - 4], "yes", "{rel}: font not subset: {row}");
            }
            assert!(
                rows.iter().any(|r| r.contains(family)),
                "{rel}: the text is not set in {family}\n{fonts}"
            );

            let text = pdf_text(&path).unwrap_or_default();
            let headline = front_value(&source, "print.headline");
            if lang == "ur" {
                // Poppler orders glyphs by position, and Nastaliq's sloping baseline defeats
                // that; check every letter of the headline is there and the language is marked.
                let extracted = letters(&text);
                for c in letters(&headline).chars() {
                    assert!(
                        extracted.contains(c),
                        "{rel}: letter {c} of the headline is missing from the text"
                    );
                }
            } else {
                assert!(
                    letters(&text).contains(&letters(&headline)),
                    "{rel}: the headline {headline:?} is not in the text in reading order:\n{text}"
                );
            }
        }
    }
}

#[test]
fn pdfs_declare_their_language() {
    let out = toolkit();
    for &(lang, _) in SCRIPTS {
        let rel = pdf_path(lang, "print", "register-poster", "a4");
        let bytes = out.bytes(&rel);
        let primary = lang.split('-').next().unwrap_or(lang);
        // The tag Typst writes: the language, with the region where the site's code implies
        // one (`zh-Hans` is written `zh-CN`).
        let needles = [format!("/Lang ({primary})"), format!("/Lang ({primary}-")];
        let decompressed = Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable"])
            .arg(out.path(&rel))
            .arg("-")
            .output();
        let Ok(decompressed) = decompressed.map(|o| o.stdout) else {
            missing_tool("qpdf", "apt install qpdf");
            return;
        };
        let hay = if decompressed.is_empty() {
            bytes
        } else {
            decompressed
        };
        assert!(
            needles
                .iter()
                .any(|n| hay.windows(n.len()).any(|w| w == n.as_bytes())),
            "{rel}: no /Lang ({primary}…) in the document catalog"
        );
    }
}

#[test]
fn leaflets_come_in_a4_and_a5_and_cards_tile_an_a4_sheet() {
    let out = toolkit();
    for lang in ["en", "ar", "bn"] {
        for (paper, size) in [("a4", A4), ("a5", A5)] {
            let rel = pdf_path(lang, "patients", "right-to-register", paper);
            let Some(info) = poppler("pdfinfo", &[out.path(&rel).to_str().unwrap_or_default()])
            else {
                return;
            };
            assert_size(page_size(&info), size, &rel);
        }
        let card = pdf_path(lang, "print", "wallet-card", "a4");
        let path = out.path(&card);
        let Some(info) = poppler("pdfinfo", &[path.to_str().unwrap_or_default()]) else {
            return;
        };
        assert_size(page_size(&info), A4, &card);
        // In right-to-left text, poppler puts an embedded "(GP)" wherever it likes; count
        // the headline by its own script's letters.
        let own_script = |t: &str| -> String {
            letters(t)
                .chars()
                .filter(|c| lang == "en" || !c.is_ascii())
                .collect()
        };
        let text = letters(&pdf_text(&path).unwrap_or_default());
        let headline = own_script(&front_value(
            &content_file(lang, "print", "wallet-card"),
            "print.headline",
        ));
        let text = if lang == "en" {
            text
        } else {
            own_script(&text)
        };
        assert_eq!(
            text.matches(&headline).count(),
            10,
            "{card}: ten cards to a sheet, each with the headline"
        );
        if lang != "en" {
            let all = letters(&pdf_text(&path).unwrap_or_default());
            let english = letters(&front_value(
                "content/print/wallet-card.md",
                "print.headline",
            ));
            assert_eq!(
                all.matches(&english).count(),
                10,
                "{card}: each card repeats the English for reception staff"
            );
        }
    }
}

#[test]
fn every_item_prints_the_address_its_code_opens_and_a_practice_name_box() {
    let out = toolkit();
    for lang in ["en", "ar", "zh-Hans"] {
        let rel = pdf_path(lang, "print", "interpreter-poster", "a4");
        let Some(text) = pdf_text(&out.path(&rel)) else {
            return;
        };
        // The address printed is the page the code opens: the patient page.
        let prefix = if lang == "en" {
            String::new()
        } else {
            format!("{}/", lang.to_ascii_lowercase())
        };
        let short = format!("safesurgeries.example/{prefix}patients/right-to-register");
        let flat: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !('\u{200E}'..='\u{202E}').contains(c))
            .collect();
        assert!(
            flat.contains(&short),
            "{rel}: the short address {short} is not printed:\n{text}"
        );
        let label = theme_string(lang, "print_practice_name");
        assert!(
            letters(&text).contains(&letters(&label)),
            "{rel}: no {label:?} line"
        );
    }
}

#[test]
fn item_pages_offer_previews_and_labelled_downloads_whose_sizes_match() {
    let out = toolkit();
    let doc = out.html("ar/print/register-poster/index.html");
    let preview = doc.one(".print img.print-preview");
    let src = preview.value().attr("src").unwrap_or_default();
    let png = out.bytes(src.trim_start_matches('/'));
    assert!(png.starts_with(b"\x89PNG"), "{src} is not a PNG");
    assert!(
        !preview.value().attr("alt").unwrap_or_default().is_empty(),
        "the preview has alt text"
    );

    let links = doc.select(".print .downloads a");
    assert_eq!(links.len(), 2, "A4 and A3 downloads");
    for link in links {
        let href = link.value().attr("href").unwrap_or_default();
        let size = out.bytes(href.trim_start_matches('/')).len() as u64;
        let label: String = link.text().collect();
        let kb = format!("{} KB", size.div_ceil(1000));
        assert!(
            label.contains(&kb),
            "{href}: label {label:?} does not give its size {kb}"
        );
        assert!(label.starts_with("تنزيل"), "label in Arabic: {label:?}");
    }
    // The other languages, each labelled in its own language.
    let polish = doc.one(".downloads-languages li[lang=\"pl\"]");
    let label: String = polish
        .select(&sel("ul ul a"))
        .next()
        .map(|a| a.text().collect())
        .unwrap_or_default();
    assert!(
        label.starts_with(&theme_string("pl", "download_pdf")[..6]),
        "Polish label: {label:?}"
    );
}

#[test]
fn print_pack_lists_the_language_items_and_its_zip_holds_every_pdf() {
    let out = toolkit();
    let doc = out.html("bn/print/index.html");
    let items: Vec<String> = doc.attrs(".print-pack .print-card h2 a", "href");
    assert!(
        items.len() >= 4,
        "posters, card and leaflet in Bengali: {items:?}"
    );
    assert!(
        items.iter().all(|h| h.starts_with("/bn/")),
        "only Bengali items: {items:?}"
    );
    let zip_href = doc.attr(".download-all a", "href");
    let bytes = out.bytes(zip_href.trim_start_matches('/'));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP file");
    let mut names: Vec<String> = (0..archive.len())
        .map(|i| {
            archive
                .by_index(i)
                .map(|f| f.name().to_owned())
                .unwrap_or_default()
        })
        .collect();
    names.sort();
    let mut expected: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| f.starts_with("bn/") && f.ends_with(".pdf"))
        .filter_map(|f| f.rsplit('/').next().map(str::to_owned))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}

// ---------------------------------------------------------------------------------------------
// Fixture sites
// ---------------------------------------------------------------------------------------------

/// A two-language site using the repository's theme, with one poster.
fn poster_site(site_extra: &str, headline: &str) -> Site {
    let site = Site::empty();
    site.remove("themes");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &site.path("themes/default"),
    );
    site.write("site.yaml", format!("{SITE_EN_AR}{site_extra}"));
    site.write("content/_index.md", md("title: Home", "Welcome."));
    site.write("content/_index.ar.md", md("title: الرئيسية", "أهلاً."));
    site.write(
        "content/print/poster.md",
        md(
            &format!(
                "title: A poster\ndate: 2026-01-02\nprint:\n  template: poster\n  formats: [A4]\n  headline: \"{headline}\"\n  points:\n    - One point.\n  action: Ask at reception."
            ),
            "About this poster.",
        ),
    );
    site
}

#[test]
fn a_character_no_font_has_stops_the_build_naming_file_language_and_character() {
    let site = poster_site("print:\n  system_fonts: false\n", "Welcome ☃ here");
    let run = site.build();
    run.assert_content_error();
    run.assert_location("content/print/poster.md", 7);
    run.assert_stderr_contains("U+2603");
    run.assert_stderr_contains("English");
    run.assert_stderr_contains("fonts.yaml");
    assert!(
        !site.path("output").exists(),
        "nothing is written when a PDF would show tofu"
    );
}

#[test]
fn typst_markup_in_content_is_printed_as_text() {
    let site = poster_site("", "#set page(width: 1cm) *not bold* $x$");
    let out = site.build_ok();
    let path = out.path("print/poster/poster-en-a4.pdf");
    let Some(text) = pdf_text(&path) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("#set page(width: 1cm) *not bold* $x$"),
        "{text}"
    );
    if let Some(info) = poppler("pdfinfo", &[path.to_str().unwrap_or_default()]) {
        assert_size(page_size(&info), A4, "the poster keeps its paper size");
    }
}

#[test]
fn same_input_gives_the_same_bytes_and_unchanged_items_are_not_laid_out_again() {
    let site = poster_site("", "Same every time");
    site.build().assert_ok();
    let first = site.output().bytes("print/poster/poster-en-a4.pdf");
    std::fs::remove_dir_all(site.path(".cache")).expect("remove the cache");
    let fresh = site.build();
    fresh.assert_ok();
    assert!(
        fresh.stdout.contains("(1 laid out, 0 unchanged)"),
        "{fresh}"
    );
    assert_eq!(
        first,
        site.output().bytes("print/poster/poster-en-a4.pdf"),
        "a rebuild from scratch gives the same bytes"
    );

    let again = site.build();
    assert!(
        again.stdout.contains("(0 laid out, 1 unchanged)"),
        "{again}"
    );
    assert_eq!(first, site.output().bytes("print/poster/poster-en-a4.pdf"));

    site.write(
        "content/print/poster.md",
        site.read("content/print/poster.md")
            .replace("One point.", "Another point."),
    );
    let changed = site.build();
    assert!(
        changed.stdout.contains("(1 laid out, 0 unchanged)"),
        "{changed}"
    );
    assert_ne!(first, site.output().bytes("print/poster/poster-en-a4.pdf"));
}

#[test]
fn bleed_adds_paper_around_the_trimmed_page() {
    let site = poster_site("", "With bleed");
    let out = {
        site.build_with(&["--print-bleed", "3mm"]).assert_ok();
        site.output()
    };
    let path = out.path("print/poster/poster-en-a4.pdf");
    let Some(info) = poppler("pdfinfo", &["-box", path.to_str().unwrap_or_default()]) else {
        return;
    };
    let boxed = |name: &str| -> Vec<f64> {
        info.lines()
            .find(|l| l.starts_with(name))
            .map(|l| {
                l.split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let trim = boxed("TrimBox:");
    let media = boxed("MediaBox:");
    assert_eq!(trim.len(), 4, "a TrimBox\n{info}");
    assert!(
        (trim[2] - trim[0] - A4.0).abs() < 0.5 && (trim[3] - trim[1] - A4.1).abs() < 0.5,
        "trimmed to A4: {trim:?}"
    );
    assert!(
        media[2] - media[0] > A4.0 + 16.0,
        "paper around the trim for bleed and marks: {media:?}"
    );

    let bad = site.build_with(&["--print-bleed", "three"]);
    bad.assert_code(2);
}

#[test]
fn a_broken_print_template_is_reported_at_its_line() {
    let site = poster_site("", "Fine");
    let template = site.read("themes/default/print/poster.typ");
    site.write(
        "themes/default/print/poster.typ",
        format!("{template}\n#undefined-function()\n"),
    );
    let line = site
        .read("themes/default/print/poster.typ")
        .lines()
        .position(|l| l.contains("undefined-function"))
        .map(|i| i + 1)
        .unwrap_or_default();
    let run = site.build();
    run.assert_content_error();
    run.assert_location("themes/default/print/poster.typ", line);
}

#[test]
fn unknown_template_or_paper_is_an_error_at_the_key() {
    let site = poster_site("", "x");
    site.write(
        "content/print/other.md",
        md(
            "title: Other\nprint:\n  template: flyer\n  formats: [A4]",
            "",
        ),
    );
    site.write(
        "content/print/third.md",
        md(
            "title: Third\nprint:\n  template: poster\n  formats: [B5]",
            "",
        ),
    );
    let run = site.build();
    run.assert_content_error();
    run.assert_location("content/print/other.md", 4);
    run.assert_stderr_contains("poster");
    run.assert_location("content/print/third.md", 5);
    run.assert_stderr_contains("A3, A4 or A5");
}

#[test]
fn pdf_ua_can_be_asked_for() {
    let site = poster_site("print:\n  standards: [ua-1]\n", "Accessible");
    let out = site.build_ok();
    let path = out.path("print/poster/poster-en-a4.pdf");
    let Some(meta) = poppler("pdfinfo", &["-meta", path.to_str().unwrap_or_default()]) else {
        return;
    };
    assert!(
        meta.contains("pdfuaid"),
        "PDF/UA identification in the XMP metadata:\n{meta}"
    );

    let site = poster_site("print:\n  standards: [ua-9]\n", "x");
    site.build()
        .assert_content_error()
        .assert_stderr_contains("ua-1 or a-2a");
}

#[test]
fn an_unknown_pdf_standard_is_an_error_at_its_own_line() {
    let settings = "print:\n  standards:\n    - ua-1\n    - a-3b\n";
    let site = poster_site(settings, "x");
    // The line of `- a-3b` in site.yaml, after the languages the fixture starts with.
    let line = SITE_EN_AR.lines().count() + 4;
    site.build()
        .assert_content_error()
        .assert_stderr_contains("`a-3b` is not a PDF standard")
        .assert_location("site.yaml", line)
        .assert_stderr_contains("ua-1 or a-2a");
}

#[test]
fn a_poster_too_long_to_read_is_the_editors_error_at_its_print_block() {
    // Under the 1,000 characters a printed text may have, and still more than a poster holds.
    let long = ["Words that go on and on"; 35].join(" ");
    let site = poster_site("", &long);
    let run = site.build();
    run.assert_content_error();
    run.assert_stderr_contains("shorten the headline or the points");
    run.assert_location("content/print/poster.md", 4);
}

#[test]
fn print_settings_of_the_wrong_shape_name_what_was_expected() {
    let site = poster_site("", "Fine");
    site.write("content/print/other.md", md("title: Other\nprint: 5", ""));
    let run = site.build();
    run.assert_content_error();
    run.assert_location("content/print/other.md", 3);
    run.assert_stderr_contains("print settings (template, formats, headline, points, action)");
}

/// The top of page 1 of a PDF (where a poster's headline and points are) as PNG bytes, from
/// poppler's `pdftoppm`; `None` where it is missing.
fn top_of_page(pdf: &Path) -> Option<Vec<u8>> {
    let prefix = pdf.with_extension("top");
    let prefix = prefix.to_str().unwrap_or_default();
    let pdf = pdf.to_str().unwrap_or_default();
    // 50 dpi: an A4 page is 584 pixels high; the top 230 hold the headline and the points.
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-y",
            "0",
            "-H",
            "230",
            "-singlefile",
            pdf,
            prefix,
        ],
    )?;
    Some(std::fs::read(format!("{prefix}.png")).expect("pdftoppm wrote its PNG"))
}

#[test]
fn traditional_chinese_prints_in_its_own_forms() {
    // The same characters in both scripts: Noto Sans CJK draws 令, 直, 骨 and 角 differently for
    // Taiwan. Everything above the QR code is the same text in the same layout, so the two
    // renderings differ only if the Traditional one uses the Taiwanese forms.
    let site = poster_site("", "Forms");
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{yaml}  - {{ code: zh-Hans, name: 简体中文 }}\n  - {{ code: zh-Hant, name: 繁體中文 }}\n"),
    );
    for lang in ["zh-Hans", "zh-Hant"] {
        site.write(
            &format!("content/_index.{lang}.md"),
            md("title: 首頁", "首頁。"),
        );
        site.write(
            &format!("content/print/poster.{lang}.md"),
            md(
                "title: 令直骨角\nprint:\n  headline: 令直骨角\n  points:\n    - 令直骨角。\n  action: 令直骨角。",
                "令直骨角。",
            ),
        );
    }
    let out = site.build_ok();
    let Some(simplified) = top_of_page(&out.path("zh-hans/print/poster/poster-zh-hans-a4.pdf"))
    else {
        return;
    };
    let Some(traditional) = top_of_page(&out.path("zh-hant/print/poster/poster-zh-hant-a4.pdf"))
    else {
        return;
    };
    assert_ne!(
        simplified, traditional,
        "the Traditional Chinese poster draws its characters as the Simplified one does"
    );
}

/// The addresses the QR codes on a PDF's pages decode to, read with poppler and zbar; `None`
/// where those tools are missing.
fn decoded_codes(pdf: &Path, dpi: u32) -> Option<std::collections::BTreeSet<String>> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            &dpi.to_string(),
            pdf.to_str().unwrap_or_default(),
            prefix.to_str().unwrap_or_default(),
        ],
    )?;
    let mut codes = std::collections::BTreeSet::new();
    for page in std::fs::read_dir(dir.path())
        .expect("pdftoppm's pages")
        .flatten()
    {
        let out = Command::new("zbarimg")
            .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
            .arg(page.path())
            .output();
        let Ok(out) = out else {
            missing_tool("zbarimg", "apt install zbar-tools");
            return None;
        };
        codes.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_owned),
        );
    }
    Some(codes)
}

#[test]
fn every_pdf_is_laid_out_cleanly_and_its_code_opens_the_patient_page() {
    let (run, out) = toolkit_build();
    // The build's layout check reads every PDF's lines from Typst's frames.
    for problem in ["run into each other", "past the edge of the paper"] {
        let found: Vec<&str> = run.stderr.lines().filter(|l| l.contains(problem)).collect();
        assert!(
            found.is_empty(),
            "text that {problem}:\n{}",
            found.join("\n")
        );
    }
    let pdfs: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".pdf"))
        .collect();
    assert!(pdfs.len() >= 25 * 7, "{} PDFs", pdfs.len());
    let failures = std::sync::Mutex::new(Vec::new());
    let chunks: Vec<&[String]> = pdfs.chunks(pdfs.len().div_ceil(4)).collect();
    std::thread::scope(|scope| {
        for chunk in chunks {
            let failures = &failures;
            scope.spawn(move || {
                for rel in chunk {
                    // `fa-af/print/wallet-card/wallet-card-fa-af-a4.pdf`: language first.
                    let lang = rel
                        .split('/')
                        .next()
                        .filter(|l| !matches!(*l, "print" | "patients"));
                    let prefix = lang.map_or(String::new(), |l| format!("{l}/"));
                    let mut expected = format!(
                        "https://safesurgeries.example/{prefix}patients/right-to-register/"
                    );
                    if rel.contains("interpreter-poster") {
                        expected.push_str("#interpreters");
                    }
                    let dpi = if rel.contains("wallet-card") {
                        220
                    } else {
                        110
                    };
                    let Some(codes) = decoded_codes(&out.path(rel), dpi) else {
                        return;
                    };
                    // The language chart is in every language at once: no one page to open.
                    if rel.contains("language-chart") && codes.is_empty() {
                        continue;
                    }
                    if codes.len() != 1 || !codes.contains(&expected) {
                        failures
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(format!("{rel}: codes {codes:?}, expected {expected}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_layout_check_finds_lines_that_run_into_each_other() {
    // Descenders (g, p, y) above capitals: lines set with no leading collide.
    let site = poster_site(
        "",
        "Everybody gets help quickly; joyfully, happily, gladly. Typists Yield Quality Prints",
    );
    let poster = site.read("themes/default/print/poster.typ");
    let tight = poster.replace("leading: lead(0.7em)", "leading: 0em");
    assert_ne!(
        tight, poster,
        "the poster template sets its leading as the test expects"
    );
    site.write("themes/default/print/poster.typ", tight);
    let run = site.build();
    run.assert_ok();
    run.assert_stderr_contains("two lines of text run into each other");
    run.assert_location("content/print/poster.md", 4);
}

/// Fills the practice's fields of `pdf` with pypdf, as a practice's PDF reader would, and
/// flattens them into the page with qpdf; the text of the result, from poppler. `None` where
/// a tool is missing.
fn filled_text(pdf: &Path, values: &[(&str, &str)]) -> Option<(String, usize)> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let filled = dir.path().join("filled.pdf");
    let flat = dir.path().join("flat.pdf");
    let values: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
        .collect();
    let script = "import json, sys\n\
        from pypdf import PdfReader, PdfWriter\n\
        reader = PdfReader(sys.argv[1])\n\
        writer = PdfWriter(clone_from=reader)\n\
        widgets = sum(1 for p in writer.pages for a in (p.get('/Annots') or []) if a.get_object().get('/Subtype') == '/Widget')\n\
        for page in writer.pages:\n\
        \u{20}   writer.update_page_form_field_values(page, json.loads(sys.argv[3]), auto_regenerate=False)\n\
        writer.set_need_appearances_writer(True)\n\
        writer.write(sys.argv[2])\n\
        print(widgets)\n";
    let run = Command::new("python3")
        .args(["-c", script])
        .arg(pdf)
        .arg(&filled)
        .arg(serde_json::Value::Object(values).to_string())
        .output();
    let run = match run {
        Ok(run) if run.status.success() => run,
        Ok(run) => {
            let stderr = String::from_utf8_lossy(&run.stderr);
            if stderr.contains("No module named 'pypdf'") {
                missing_tool("pypdf", "pip install pypdf");
                return None;
            }
            panic!("pypdf could not fill {}: {stderr}", pdf.display());
        }
        Err(_) => {
            missing_tool("python3", "apt install python3");
            return None;
        }
    };
    let widgets: usize = String::from_utf8_lossy(&run.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    let qpdf = Command::new("qpdf")
        .args(["--generate-appearances", "--flatten-annotations=all"])
        .arg(&filled)
        .arg(&flat)
        .status();
    match qpdf {
        Ok(status) => assert!(status.success(), "qpdf could not flatten the filled form"),
        Err(_) => {
            missing_tool("qpdf", "apt install qpdf");
            return None;
        }
    }
    Some((pdf_text(&flat)?, widgets))
}

#[test]
fn a_practice_types_its_details_into_every_item_and_prints_them() {
    let out = toolkit();
    let values = [
        ("practice_name", "Riverside Medical Practice"),
        ("practice_address", "1 High Street, Leeds LS1 1AA"),
        ("practice_phone", "0113 496 0000"),
    ];
    for (rel, widgets) in [
        (pdf_path("en", "print", "register-poster", "a4"), 3),
        (pdf_path("ar", "print", "interpreter-poster", "a3"), 3),
        (
            pdf_path("zh-Hant", "patients", "right-to-register", "a5"),
            3,
        ),
        // Ten cards to a sheet, each with the three fields: one value fills all ten.
        (pdf_path("ur", "print", "wallet-card", "a4"), 30),
    ] {
        let Some((text, found)) = filled_text(&out.path(&rel), &values) else {
            return;
        };
        assert_eq!(found, widgets, "{rel}: fillable boxes");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for (_, value) in values {
            let times = flat.matches(value).count();
            assert_eq!(
                times,
                widgets / 3,
                "{rel}: {value:?} printed {times} times:\n{text}"
            );
        }
    }
}

#[test]
fn print_typography_holds_in_every_language() {
    // tests/pdf_layout.py reads where every line, bullet and QR code of every PDF was drawn.
    let out = toolkit();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdf_layout.py");
    let run = match Command::new("python3").arg(&script).arg(&out.dir).output() {
        Ok(run) => run,
        Err(_) => return missing_tool("python3", "apt install python3"),
    };
    let report = String::from_utf8_lossy(&run.stdout);
    match run.status.code() {
        Some(0) => {}
        Some(3) => missing_tool("PyMuPDF", "pip install pymupdf"),
        _ => panic!(
            "{}\n{report}{}",
            "the printed typography fails:",
            String::from_utf8_lossy(&run.stderr)
        ),
    }
}

/// Adds an Arabic translation of `poster_site`'s poster.
fn with_arabic_poster(site: &Site) -> &Site {
    site.write(
        "content/print/poster.ar.md",
        md(
            "title: ملصق\nprint:\n  headline: سجّل هنا\n  points:\n    - نقطة واحدة.",
            "عن هذا الملصق.",
        ),
    )
}

/// The site.yaml of `poster_site`, at an address that is not a placeholder.
const REAL_ADDRESS: &str = "https://posters.nhs-surgeries.uk/";

#[test]
fn a_placeholder_address_warns_and_every_pdf_says_it_is_a_sample() {
    let sample = theme_string("en", "print_sample");
    let site = poster_site("", "Register here");
    let built = site.build();
    built.assert_ok();
    built.assert_location("site.yaml", 2);
    built.assert_stderr_contains("example address");
    let text = pdf_text(&site.path("output/print/poster/poster-en-a4.pdf"));
    let Some(text) = text else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&sample), "no sample note in:\n{text}");
    // For a release, the warning fails the check; otherwise it is only listed.
    site.write(
        "content/_index.md",
        md(
            "title: Home\ndescription: The home page.",
            "See [the poster](@/print/poster.md).",
        ),
    );
    site.write(
        "content/_index.ar.md",
        md("title: الرئيسية\ndescription: الصفحة الرئيسية.", "أهلاً."),
    );
    site.replace(
        "content/print/poster.md",
        "title: A poster\n",
        "title: A poster\ndescription: A poster.\n",
    );
    let check = run(&["check"], site.root());
    check.assert_ok();
    assert!(check.all_output().contains("example address"), "{check}");
    let check = run(&["check", "--deny", "warnings"], site.root());
    check.assert_code(1);
    assert!(check.all_output().contains("example address"), "{check}");

    site.replace("site.yaml", "https://example.org/", REAL_ADDRESS);
    let built = site.build();
    built.assert_ok();
    assert!(!built.stderr.contains("example address"), "{built}");
    let text = pdf_text(&site.path("output/print/poster/poster-en-a4.pdf")).unwrap_or_default();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        !flat.contains(&sample),
        "a real address is not a sample:\n{text}"
    );
    assert!(flat.contains("posters.nhs-surgeries.uk/"), "{text}");
}

/// A tiny PNG (8 × 4 pixels, the brand's blue).
const LOGO_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x3c, 0xaf, 0xe9,
    0xa7, 0x00, 0x00, 0x00, 0x14, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xe4, 0xf6, 0xcf, 0x61,
    0xc0, 0x06, 0x98, 0x18, 0x70, 0x00, 0xd2, 0x25, 0x00, 0x4d, 0x5f, 0x00, 0xce, 0xa2, 0xc5, 0x68,
    0x23, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
fn the_owner_and_the_logo_of_site_yaml_are_printed() {
    let site = poster_site(
        "print:\n  owner: Leeds Migrant Health Network\n  logo: static/logo.png\n",
        "Register here",
    );
    site.write("static/logo.png", LOGO_PNG);
    with_arabic_poster(&site);
    site.build().assert_ok();
    for lang in ["en", "ar"] {
        let pdf = site.path(&format!(
            "output/{}",
            pdf_path(lang, "print", "poster", "a4")
        ));
        let Some(images) = poppler("pdfimages", &["-list", pdf.to_str().unwrap_or_default()])
        else {
            return;
        };
        // The QR code is drawn, not an image: the one image is the logo, at its pixel size.
        let rows: Vec<&str> = images.lines().skip(2).collect();
        assert_eq!(rows.len(), 1, "{lang}: images\n{images}");
        let cells: Vec<&str> = rows[0].split_whitespace().collect();
        assert_eq!(
            (cells[3], cells[4]),
            ("8", "4"),
            "{lang}: the logo\n{images}"
        );
    }
    let text = pdf_text(&site.path("output/print/poster/poster-en-a4.pdf")).unwrap_or_default();
    assert!(
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("Leeds Migrant Health Network"),
        "{text}"
    );

    site.remove("static/logo.png");
    let run = site.build();
    run.assert_content_error();
    run.assert_stderr_contains("static/logo.png");
    run.assert_location("site.yaml", 9);
}

#[test]
fn a_practice_in_practices_yaml_gets_its_own_pack_with_its_details_printed() {
    let site = poster_site("", "Register here");
    site.write(
        "practices.yaml",
        "- name: Oak Lane Surgery\n  address: [2 Oak Lane, Bradford, BD1 2AB]\n  phone: 01274 000 000\n  languages: [ar]\n",
    );
    with_arabic_poster(&site);
    site.write(
        "content/print/_index.md",
        md("title: Print\ntemplate: print-pack.html", "Posters."),
    );
    let out = site.build_ok();
    let index = out.html("practices/index.html");
    assert_eq!(
        index.attr(".practices a", "href"),
        "/practices/oak-lane-surgery/"
    );
    let page = out.html("practices/oak-lane-surgery/index.html");
    let pdf = "practices/oak-lane-surgery/poster-ar-a4.pdf";
    let links: Vec<String> = page
        .select("a[download]")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(links.contains(&format!("/{pdf}")), "{links:?}");
    out.assert_exists(pdf);
    out.assert_missing("practices/oak-lane-surgery/poster-en-a4.pdf");
    // The shared print page leads staff to the practices' packs.
    let print = out.html("print/index.html");
    assert!(
        print.select("a[href='/practices/']").len() == 1,
        "no link to /practices/ on the print page"
    );
    // The ZIP holds the practice's PDF.
    let zip_href = page.attr(".download-all a", "href");
    let bytes = out.bytes(zip_href.trim_start_matches('/'));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP file");
    assert!(
        archive.by_name("poster-ar-a4.pdf").is_ok(),
        "the ZIP lacks the poster"
    );
    let Some(text) = pdf_text(&out.path(pdf)) else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for detail in ["Oak Lane Surgery", "2 Oak Lane", "BD1 2AB", "01274 000 000"] {
        assert!(flat.contains(detail), "{detail:?} not printed:\n{text}");
    }
}

#[test]
fn mistakes_in_practices_yaml_name_the_entry_line() {
    let site = poster_site("", "Register here");
    site.write(
        "practices.yaml",
        "- name: Oak Lane Surgery\n  address: 2 Oak Lane\n  languages: [ar, xx]\n- name: Elm Road\n  address: []\n",
    );
    let run = site.build();
    run.assert_content_error();
    run.assert_stderr_contains("`xx`, which is not a language of the site");
    run.assert_location("practices.yaml", 1);
    run.assert_stderr_contains("\"Elm Road\" has an empty address");
    run.assert_location("practices.yaml", 4);

    site.write(
        "practices.yaml",
        "- name: Oak Lane Surgery\n  adress: 2 Oak Lane\n",
    );
    let run = site.build();
    run.assert_content_error();
    run.assert_stderr_contains("adress");
    run.assert_location("practices.yaml", 2);
}

#[test]
fn the_print_hub_labels_every_language_in_english_and_its_own_script() {
    let out = toolkit();
    let doc = out.html("print/index.html");
    let rows = doc.select(".print-hub tbody tr");
    assert_eq!(rows.len(), 25, "a row per language");
    let labels: Vec<String> = doc
        .select(".print-hub tbody th")
        .iter()
        .map(|th| th.text().collect::<String>())
        .collect();
    for label in [
        "Farsi – فارسی",
        "Pashto – پښتو",
        "Dari – دری",
        "Tigrinya – ትግርኛ",
    ] {
        assert!(
            labels.iter().any(|l| l.starts_with(label)),
            "no row labelled {label}: {labels:?}"
        );
    }
    // Every language's every PDF, and its ZIP, from this one page.
    let links: Vec<String> = doc
        .select(".print-hub a[download]")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    let pdfs = out
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".pdf"))
        .count();
    assert_eq!(links.iter().filter(|l| l.ends_with(".pdf")).count(), pdfs);
    assert_eq!(links.iter().filter(|l| l.ends_with(".zip")).count(), 25);
    for link in &links {
        out.assert_exists(link.trim_start_matches('/'));
    }
}

#[test]
fn the_language_chart_has_a_row_for_each_language_in_its_own_script() {
    let out = toolkit();
    let pdf = out.path("print/language-chart/language-chart-en-a4.pdf");
    let Some(text) = pdf_text(&pdf) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for lang in [
        "pl", "ro", "uk", "ru", "fr", "es", "pt", "tr", "sq", "so", "kmr", "vi",
    ] {
        let row = theme_string(lang, "print_chart_row");
        assert!(flat.contains(&row), "{lang}: no row {row:?} in\n{text}");
    }
    for name in [
        "Arabic",
        "Urdu",
        "Bengali",
        "Tigrinya",
        "Chinese (Traditional)",
    ] {
        assert!(flat.contains(name), "no English name {name}");
    }
    let Some(fonts) = poppler("pdffonts", &[pdf.to_str().unwrap_or_default()]) else {
        return;
    };
    for family in [
        "NotoNaskhArabic",
        "NotoNastaliqUrdu",
        "NotoSansBengali",
        "NotoSansGurmukhi",
        "NotoSansEthiopic",
        "NotoSansCJK",
    ] {
        assert!(fonts.contains(family), "{family} not embedded:\n{fonts}");
    }
}
