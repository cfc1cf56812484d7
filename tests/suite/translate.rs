//! The translators' round trip: `translate export` writes PO files that gettext and
//! translate-toolkit accept, a PO file edited with a third-party library (polib) imports into
//! the page a translator would have written, an English edit shows as exactly one fuzzy
//! segment with its old English, damaged links are refused with the PO file's line, interface
//! strings round-trip, and a review survives only an import that changed nothing.

use std::process::Command;

use crate::common::{Run, Site, run};

const EN: &str = "content/guidance/registration.md";
const AR: &str = "content/guidance/registration.ar.md";
const PO: &str = "translations/ar/guidance/registration.po";

const PAGE: &str = "---
title: Registering patients
description: Anyone in England can register.
date: 2026-01-05
weight: 2
---

Anyone can register with a GP practice. See [the form](@/guidance/registration.md#forms)
and ask for `HC1` if needed.

## Forms {#forms}

- No proof of address
- No ID

| Document | Needed |
|---|---|
| Passport | No |

## Sources {.sources}

- NHS England, [*Guidance*](https://example.org/pgm), 2025. Checked 1 December 2026.
";

/// What a translator types, per segment id.
const ARABIC: &[(&str, &str)] = &[
    ("title", "تسجيل المرضى"),
    ("description", "يمكن لأي شخص في إنجلترا التسجيل."),
    (
        "top/p1",
        "يمكن لأي شخص التسجيل لدى عيادة. انظر [الاستمارة](@/guidance/registration.md#forms) واطلب `HC1` عند الحاجة.",
    ),
    ("forms/h", "الاستمارات"),
    ("forms/li1", "لا حاجة لإثبات العنوان"),
    ("forms/li2", "لا حاجة للهوية"),
    ("forms/td1", "الوثيقة"),
    ("forms/td2", "مطلوبة"),
    ("forms/td3", "جواز السفر"),
    ("forms/td4", "لا"),
    ("sources/h", "المصادر"),
];

/// The page a translator writing by hand would have written.
const EXPECTED: &str = "---
date: 2026-01-05
weight: 2
translation: draft
title: \"تسجيل المرضى\"
description: \"يمكن لأي شخص في إنجلترا التسجيل.\"
source_hash: \"HASH\"
---

يمكن لأي شخص التسجيل لدى عيادة. انظر [الاستمارة](@/guidance/registration.md#forms) واطلب `HC1` عند الحاجة.

## الاستمارات {#forms}

- لا حاجة لإثبات العنوان
- لا حاجة للهوية

| الوثيقة | مطلوبة |
|---|---|
| جواز السفر | لا |

## المصادر {#sources .sources}

<div lang=\"en\" dir=\"ltr\">

- NHS England, [*Guidance*](https://example.org/pgm), 2025. Checked 1 December 2026.

</div>
";

fn site() -> Site {
    let site = Site::with_config(crate::common::SITE_EN_AR, &["en", "ar"]);
    site.write(EN, PAGE);
    translate(&site, &["mark-current", "content/_index.ar.md"]).assert_ok();
    site
}

fn translate(site: &Site, args: &[&str]) -> Run {
    let mut all = vec!["--root", site.root().to_str().unwrap(), "translate"];
    all.extend(args);
    run(&all, &std::env::temp_dir())
}

/// Whether `tool` runs; under CI a missing tool fails the test.
fn have(tool: &str, args: &[&str], install: &str) -> bool {
    let ok = Command::new(tool)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        crate::common::missing_tool(tool, install);
    }
    ok
}

fn have_polib() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import polib"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        crate::common::missing_tool("polib (Python)", "pip install polib");
    }
    ok
}

/// Runs a Python script with polib on the PO file `po` of `site`, returning its stdout.
fn polib(site: &Site, po: &str, script: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import json, sys, polib\npo = polib.pofile(sys.argv[1])\n{script}"
        ))
        .arg(site.path(po))
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Fills in `translations` (id → text) with polib, as Poedit would, and saves the file.
fn fill(site: &Site, po: &str, translations: &[(&str, &str)]) {
    let map: std::collections::BTreeMap<&str, &str> = translations.iter().copied().collect();
    let json = serde_json::to_string(&map).unwrap();
    polib(
        site,
        po,
        &format!(
            "t = json.loads({json:?})\nfor e in po:\n    if e.msgctxt in t:\n        e.msgstr = t[e.msgctxt]\n        if 'fuzzy' in e.flags: e.flags.remove('fuzzy')\npo.save()"
        ),
    );
}

/// The line of the `msgstr` of the entry with context `id` in a PO file's text.
fn msgstr_line(po: &str, id: &str) -> usize {
    let lines: Vec<&str> = po.lines().collect();
    let context = format!("msgctxt \"{id}\"");
    let at = lines
        .iter()
        .position(|l| *l == context)
        .unwrap_or_else(|| panic!("no entry {id} in\n{po}"));
    at + lines[at..]
        .iter()
        .position(|l| l.starts_with("msgstr"))
        .unwrap_or_else(|| panic!("entry {id} has no msgstr"))
        + 1
}

/// Exports the page, translates it all as [`ARABIC`] and imports it.
fn translated(site: &Site) {
    translate(site, &["export", "--lang", "ar", EN]).assert_ok();
    fill(site, PO, ARABIC);
    translate(site, &["import", PO]).assert_ok();
}

fn source_hash(site: &Site) -> String {
    translate(site, &["mark-current", AR]).assert_ok();
    let text = site.read(AR);
    let line = text
        .lines()
        .find(|l| l.starts_with("source_hash:"))
        .expect("mark-current writes source_hash");
    line["source_hash:".len()..]
        .trim()
        .trim_matches('"')
        .to_owned()
}

#[test]
fn export_then_import_gives_the_page_a_translator_would_write() {
    if !have_polib() || !have("msgfmt", &["--version"], "apt install gettext") {
        return;
    }
    let site = site();
    translate(&site, &["export", "--lang", "ar"]).assert_ok();
    for po in [PO, "translations/ar/_index.po"] {
        let out = Command::new("msgfmt")
            .args(["--check", "-o", "/dev/null"])
            .arg(site.path(po))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "msgfmt --check {po}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let ids = polib(&site, PO, "print(json.dumps([e.msgctxt for e in po]))");
    let ids: Vec<String> = serde_json::from_str(&ids).unwrap();
    let expected: Vec<&str> = ARABIC.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, expected, "the segments and their ids");

    // Untranslated, it makes no Arabic page (which would be English labelled as Arabic).
    let untranslated = translate(&site, &["import", PO]);
    untranslated.assert_ok();
    assert!(
        untranslated
            .stdout
            .contains("0 of 11 segments are translated"),
        "{untranslated}"
    );
    assert!(!site.path(AR).exists());

    fill(&site, PO, ARABIC);
    let imported = translate(&site, &["import", PO]);
    imported.assert_ok();
    assert!(
        imported.stdout.contains("the page is marked current"),
        "{imported}"
    );
    let written = site.read(AR);
    let hash = source_hash(&site);
    assert_eq!(written, EXPECTED.replace("HASH", &hash));

    // The site builds it, with the English heading's id and the sources marked English.
    let out = site.build_ok();
    let doc = out.html("ar/guidance/registration/index.html");
    assert_eq!(doc.text("h2#forms"), "الاستمارات");
    assert!(doc.exists("div[lang=en][dir=ltr] a[href='https://example.org/pgm']"));

    // A second export gives every segment its translation, none fuzzy.
    translate(&site, &["export", "--lang", "ar", EN]).assert_ok();
    let state = polib(
        &site,
        PO,
        "print(len(po.translated_entries()), len(po.fuzzy_entries()), len(po.untranslated_entries()))",
    );
    assert_eq!(state.trim(), format!("{} 0 0", ARABIC.len()));
}

#[test]
fn one_english_edit_gives_one_fuzzy_segment_with_the_old_english() {
    if !have_polib() {
        return;
    }
    let site = site();
    translated(&site);

    site.replace(EN, "- No ID\n", "- No ID or passport\n");
    // An edit elsewhere, in another section, and a new paragraph.
    site.replace(EN, "## Sources", "Ask us.\n\n## Sources");
    translate(&site, &["export", "--lang", "ar", EN]).assert_ok();
    let fuzzy = polib(
        &site,
        PO,
        "print(json.dumps([[e.msgctxt, e.previous_msgid, e.msgid, e.msgstr] for e in po.fuzzy_entries()]))",
    );
    let fuzzy: Vec<Vec<String>> = serde_json::from_str(&fuzzy).unwrap();
    assert_eq!(
        fuzzy,
        [["forms/li2", "No ID", "No ID or passport", "لا حاجة للهوية"]],
        "exactly the edited item is fuzzy, with the English it was translated from"
    );
    let counts = polib(
        &site,
        PO,
        "print(len(po.translated_entries()), len(po.untranslated_entries()))",
    );
    assert_eq!(counts.trim(), format!("{} 1", ARABIC.len() - 1));

    let status = translate(&site, &["status", "--format", "json"]);
    status.assert_ok();
    let json: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let stale = &json["languages"][0]["stale"][0];
    assert_eq!(stale["file"], AR);
    assert_eq!(stale["changed"][0]["id"], "forms/li2");
    assert_eq!(stale["changed"][0]["then"], "No ID");
    assert_eq!(stale["changed"][0]["now"], "No ID or passport");
    assert_eq!(stale["untranslated"], 1);
    translate(&site, &["status", "--fail-on", "stale"]).assert_code(1);
    translate(&site, &["status", "--fail-on", "draft"]).assert_code(1);

    // The translator updates the item; the page is current again.
    fill(
        &site,
        PO,
        &[
            ("forms/li2", "لا حاجة للهوية أو جواز السفر"),
            ("forms/p1", "اسألنا."),
        ],
    );
    translate(&site, &["import", PO]).assert_ok();
    translate(&site, &["status", "--fail-on", "stale"]).assert_ok();
}

#[test]
fn a_translation_that_changes_a_link_is_refused_with_its_line() {
    if !have_polib() {
        return;
    }
    let site = site();
    translate(&site, &["export", "--lang", "ar", EN]).assert_ok();
    let mut damaged: Vec<(&str, &str)> = ARABIC.to_vec();
    damaged[2].1 = "انظر [الاستمارة](@/guidance/registration.md#form) و`HC1`.";
    fill(&site, PO, &damaged);
    let line = msgstr_line(&site.read(PO), "top/p1");
    let refused = translate(&site, &["import", PO]);
    refused.assert_code(1);
    assert!(
        refused.stderr.contains(&format!("{PO}:{line}"))
            || refused.stderr.contains(&format!("registration.po:{line}")),
        "names the msgstr's line {line}\n{refused}"
    );
    refused.assert_stderr_contains("@/guidance/registration.md#forms");
    assert!(!site.path(AR).exists(), "nothing was written");
    assert!(!site.path("content/.translations").exists());
}

#[test]
fn interface_strings_round_trip() {
    if !have_polib() {
        return;
    }
    let site = site();
    translate(&site, &["export", "--lang", "ar"]).assert_ok();
    let po = "translations/ar/interface.po";
    let english = polib(
        &site,
        po,
        "print(json.dumps({e.msgctxt: [e.msgid, e.msgstr] for e in po}))",
    );
    let english: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_str(&english).unwrap();
    let key = english
        .iter()
        .find(|(_, v)| v[1].is_empty())
        .map(|(k, _)| k.clone())
        .expect("the fixture's Arabic misses a string");
    let translated = english
        .iter()
        .find(|(_, v)| !v[1].is_empty())
        .map(|(k, _)| k.clone())
        .expect("the fixture's Arabic has strings");
    fill(&site, po, &[(&key, "نص جديد"), (&translated, "نص معدل")]);
    translate(&site, &["import", po]).assert_ok();
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&site.read("themes/default/i18n/ar.yaml")).unwrap();
    assert_eq!(
        yaml[key.as_str()].as_str(),
        Some("نص جديد"),
        "a missing string added"
    );
    assert_eq!(
        yaml[translated.as_str()].as_str(),
        Some("نص معدل"),
        "a string changed"
    );
    // The file's other lines, comments included, are as they were.
    assert!(
        site.read("themes/default/i18n/ar.yaml")
            .starts_with("# footer_note is missing")
    );
}

#[test]
fn a_hand_made_translation_is_never_replaced_by_an_import() {
    let site = site();
    // Laid out differently from the English: one paragraph of its own.
    site.write(
        AR,
        "---\ntitle: تسجيل المرضى\ntranslation: draft\n---\n\nفقرة كتبها مترجم بنفسه.\n",
    );
    translate(&site, &["export", "--lang", "ar", EN]).assert_ok();
    // Sent back as it was, it is skipped, and the other files still import.
    let skipped = translate(&site, &["import", PO]);
    skipped.assert_ok();
    assert!(skipped.stdout.contains("nothing imported"), "{skipped}");
    let before = site.read(AR);
    // With a translation changed, it is refused, naming the paragraph it would lose.
    if have_polib() {
        fill(&site, PO, &[("forms/h", "الاستمارات")]);
        let refused = translate(&site, &["import", PO]);
        refused.assert_code(1);
        refused.assert_location(AR, 6);
        assert_eq!(site.read(AR), before);
    }
}

#[test]
fn an_import_changes_only_the_lines_of_what_changed() {
    if !have_polib() {
        return;
    }
    let site = site();
    translated(&site);
    // The translator's own line breaks, as a hand-made translation has them.
    let wrapped = "يمكن لأي شخص التسجيل لدى عيادة. انظر [الاستمارة](@/guidance/registration.md#forms)\nواطلب `HC1` عند الحاجة.";
    site.replace(
        AR,
        "يمكن لأي شخص التسجيل لدى عيادة. انظر [الاستمارة](@/guidance/registration.md#forms) واطلب `HC1` عند الحاجة.",
        wrapped,
    );
    translate(&site, &["export", "--lang", "ar", EN]).assert_ok();
    fill(&site, PO, &[("forms/li1", "لا يلزم إثبات العنوان")]);
    let before = site.read(AR);
    translate(&site, &["import", PO]).assert_ok();
    let after = site.read(AR);
    let changed = crate::common::changed_lines(&before, &after);
    assert_eq!(
        changed,
        [("- لا حاجة لإثبات العنوان", "- لا يلزم إثبات العنوان")],
        "only the item's line"
    );
    assert!(after.contains(wrapped));
}

#[test]
fn a_review_survives_only_an_import_that_changed_nothing() {
    if !have_polib() {
        return;
    }
    let site = site();
    translated(&site);
    let reviewed = translate(&site, &["review", AR, "--by", "Amal"]);
    reviewed.assert_ok();
    let front = site.read(AR);
    assert!(front.contains("translation: reviewed"), "{front}");
    assert!(front.contains("reviewer: \"Amal\""), "{front}");
    assert!(
        front.lines().any(|l| l.starts_with("reviewed: 20")),
        "{front}"
    );

    translate(&site, &["import", PO]).assert_ok();
    assert!(site.read(AR).contains("translation: reviewed"));

    fill(&site, PO, &[("forms/li1", "لا يلزم إثبات العنوان")]);
    translate(&site, &["import", PO]).assert_ok();
    let after = site.read(AR);
    assert!(after.contains("translation: draft"), "{after}");
    assert!(!after.contains("reviewer:"), "{after}");
}

#[test]
fn translate_toolkit_reads_what_export_writes() {
    if !have_polib() || !have("po2xliff", &["--version"], "pip install translate-toolkit") {
        return;
    }
    let site = site();
    translate(&site, &["export", "--lang", "ar", EN]).assert_ok();
    fill(&site, PO, ARABIC);
    let dir = site.path("translations/ar/guidance");
    let xlf = dir.join("registration.xlf");
    let back_rel = "translations/round-trip/ar/guidance/registration.po";
    let back = site.path(back_rel);
    std::fs::create_dir_all(back.parent().unwrap()).unwrap();
    for (tool, from, to) in [
        ("po2xliff", site.path(PO), xlf.clone()),
        ("xliff2po", xlf.clone(), back.clone()),
    ] {
        let out = Command::new(tool).arg(&from).arg(&to).output().unwrap();
        assert!(
            out.status.success(),
            "{tool}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let checked = Command::new("pofilter")
        .args([
            "--test=xmltags",
            "--test=untranslated",
            "--test=doublespacing",
        ])
        .arg(site.path(PO))
        .arg(dir.join("filtered.po"))
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "pofilter: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let filtered = std::fs::read_to_string(dir.join("filtered.po")).unwrap_or_default();
    assert!(
        !filtered.contains("msgctxt"),
        "pofilter found problems:\n{filtered}"
    );
    // What comes back from XLIFF imports into the same page.
    translate(&site, &["import", back_rel]).assert_ok();
    let hash = source_hash(&site);
    assert_eq!(site.read(AR), EXPECTED.replace("HASH", &hash));
}

/// Fills XLIFF targets as a CAT tool does: the source's codes copied, the words between them
/// translated. `translations` maps a unit's id to its texts, one more than it has codes.
fn fill_xliff(site: &Site, xlf: &str, translations: &[(&str, Vec<&str>)]) {
    let map: std::collections::BTreeMap<&str, &Vec<&str>> =
        translations.iter().map(|(k, v)| (*k, v)).collect();
    let script = r#"
import copy, json, sys, xml.etree.ElementTree as ET
ns = {'x': 'urn:oasis:names:tc:xliff:document:1.2'}
ET.register_namespace('', ns['x'])
tree = ET.parse(sys.argv[1])
wanted = json.loads(sys.argv[2])
for unit in tree.iterfind('.//x:trans-unit', ns):
    parts = wanted.get(unit.get('id'))
    if parts is None:
        continue
    source, target = unit.find('x:source', ns), unit.find('x:target', ns)
    target.clear()
    target.set('state', 'translated')
    for child in source:
        code = copy.deepcopy(child)
        code.tail = None
        target.append(code)
    assert len(parts) == len(target) + 1, (unit.get('id'), len(target))
    target.text = parts[0]
    for code, text in zip(target, parts[1:]):
        code.tail = text
tree.write(sys.argv[1], encoding='UTF-8', xml_declaration=True)
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(site.path(xlf))
        .arg(serde_json::to_string(&map).unwrap())
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn xliff_keeps_links_and_code_as_tags_and_imports_into_the_same_page() {
    if !have("python3", &["--version"], "apt install python3") {
        return;
    }
    let site = site();
    translate(&site, &["export", "--lang", "ar", "--format", "xliff", EN]).assert_ok();
    let xlf = "translations/ar/guidance/registration.xlf";
    let text = site.read(xlf);
    assert!(
        text.contains(
            "<bpt id=\"1\">[</bpt>the form<ept id=\"1\">](@/guidance/registration.md#forms)</ept>"
        ),
        "the link is a pair of codes around its words:\n{text}"
    );
    assert!(text.contains("<ph id=\"2\">`HC1`</ph>"), "{text}");
    let mut units: Vec<(&str, Vec<&str>)> = ARABIC
        .iter()
        .filter(|(id, _)| *id != "top/p1")
        .map(|(id, t)| (*id, vec![*t]))
        .collect();
    units.push((
        "top/p1",
        vec![
            "يمكن لأي شخص التسجيل لدى عيادة. انظر ",
            "الاستمارة",
            " واطلب ",
            " عند الحاجة.",
        ],
    ));
    fill_xliff(&site, xlf, &units);
    translate(&site, &["import", xlf]).assert_ok();
    let hash = source_hash(&site);
    assert_eq!(site.read(AR), EXPECTED.replace("HASH", &hash));

    // A tool that lost the link's closing code is refused at the target's line.
    translate(&site, &["export", "--lang", "ar", "--format", "xliff", EN]).assert_ok();
    let exported = site.read(xlf);
    let unit = exported.find("id=\"top/p1\"").unwrap();
    let target = unit + exported[unit..].find("<target").unwrap();
    let line = exported[..target].matches('\n').count() + 1;
    let end = target + exported[target..].find("</target>").unwrap();
    let damaged_target = exported[target..end].replacen(
        "<ept id=\"1\">](@/guidance/registration.md#forms)</ept>",
        "",
        1,
    );
    assert_ne!(damaged_target, exported[target..end]);
    site.write(
        xlf,
        format!(
            "{}{}{}",
            &exported[..target],
            damaged_target,
            &exported[end..]
        ),
    );
    let before = site.read(AR);
    let refused = translate(&site, &["import", xlf]);
    refused.assert_code(1);
    refused.assert_line_mentioned(xlf, line);
    assert_eq!(site.read(AR), before, "nothing was written");
}

/// The fixture site with the real theme, whose pages show the notices.
fn site_with_real_theme() -> Site {
    let site = site();
    site.remove("themes/default");
    crate::common::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &site.path("themes/default"),
    );
    site
}

#[test]
fn a_reader_of_a_partly_stale_page_sees_each_changed_part_with_its_english() {
    if !have_polib() {
        return;
    }
    let site = site_with_real_theme();
    translated(&site);
    let page = "ar/guidance/registration/index.html";
    let doc = site.build_ok().html(page);
    assert!(!doc.exists(".stale-notice") && !doc.exists(".changed-part"));

    site.replace(EN, "- No ID\n", "- No ID or passport\n");
    site.replace(
        EN,
        "date: 2026-01-05\n",
        "date: 2026-01-05\nupdated: 2026-12-01\n",
    );
    let doc = site.build_ok().html(page);
    assert_eq!(doc.count("aside.changed-part"), 1, "one part changed");
    assert_eq!(
        doc.text("li aside.changed-part p.changed-part-english[lang=en][dir=ltr]"),
        "No ID or passport"
    );
    assert!(
        doc.texts("li")
            .iter()
            .any(|t| t.starts_with("لا حاجة للهوية") && t.contains("No ID or passport")),
        "inside the item it follows"
    );
    let note = doc.text("aside.changed-part p.changed-part-note");
    assert!(note.contains("2026-12-01"), "{note}");
    let expected =
        crate::common::theme_string("ar", "changed_part").replace("{date}", "2026-12-01");
    assert_eq!(note, expected, "in the reader's language");
    let notice = doc.text(".stale-notice");
    let count = crate::common::theme_string("ar", "stale_parts")
        .replace("{changed}", "1")
        .replace("{total}", &ARABIC.len().to_string());
    assert!(notice.contains(&count), "{notice}\nlacks {count}");

    // The dashboard lists the page and its change, for editors, and no search engine.
    let out = site.output();
    let dashboard = out.html("editors/translations/index.html");
    assert_eq!(dashboard.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(dashboard.count("section.translation-language"), 1);
    let changes = dashboard.text("details.translation-changes");
    assert!(changes.contains(AR), "{changes}");
    assert!(
        changes.contains("No ID or passport") && changes.contains("No ID"),
        "{changes}"
    );
    let sitemap = std::fs::read_to_string(site.path("output/sitemap.xml")).unwrap();
    assert!(!sitemap.contains("editors/translations"), "{sitemap}");

    // Brought up to date and reviewed, it says so instead.
    fill(&site, PO, &[("forms/li2", "لا حاجة للهوية أو جواز السفر")]);
    translate(&site, &["export", "--lang", "ar", EN]).assert_ok();
    fill(&site, PO, &[("forms/li2", "لا حاجة للهوية أو جواز السفر")]);
    translate(&site, &["import", PO]).assert_ok();
    translate(&site, &["review", AR]).assert_ok();
    let doc = site.build_ok().html(page);
    assert!(
        !doc.exists(".stale-notice")
            && !doc.exists(".changed-part")
            && !doc.exists(".draft-notice")
    );
    let reviewed = doc.text(".reviewed-notice");
    assert!(
        reviewed.starts_with(&crate::common::theme_string("ar", "reviewed_notice")[..20]),
        "{reviewed}"
    );
}

#[test]
fn mark_current_takes_a_quoted_pattern_and_lists_what_it_marked() {
    let site = site();
    site.write(
        "content/guidance/registration.ar.md",
        "---\ntitle: تسجيل\ntranslation: draft\n---\n\nنص.\n",
    );
    let marked = translate(&site, &["mark-current", "content/*/registration.ar.md"]);
    marked.assert_ok();
    assert!(
        marked
            .stdout
            .contains("marked content/guidance/registration.ar.md as current"),
        "{marked}"
    );
    translate(&site, &["mark-current", "content/*/nothing.ar.md"]).assert_code(1);
}

#[test]
fn an_interface_string_that_loses_a_placeholder_is_refused_at_its_line() {
    if !have_polib() {
        return;
    }
    let site = site_with_real_theme();
    translate(&site, &["export", "--lang", "ar"]).assert_ok();
    let po = "translations/ar/interface.po";
    let before = site.read("themes/default/i18n/ar.yaml");
    fill(&site, po, &[("print_owner", "صادر عن الناشر")]);
    let line = msgstr_line(&site.read(po), "print_owner");
    let refused = translate(&site, &["import", po]);
    refused.assert_code(1);
    refused.assert_line_mentioned(po, line);
    refused.assert_stderr_contains("{owner}");
    assert_eq!(
        site.read("themes/default/i18n/ar.yaml"),
        before,
        "nothing was written"
    );
}
