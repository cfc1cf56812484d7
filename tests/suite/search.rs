//! Search: the per-language indexes the build writes, the search pages, the tokenizer's twin in
//! the browser (run with Node.js where installed), and the search page itself in headless
//! Chromium (where installed), in English, Arabic and Chinese.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::browser::{StaticServer, chromium};
use crate::common::*;
use safe_surgeries::search::tokens::tokenize;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(60);

fn index(out: &Output, prefix: &str) -> Value {
    serde_json::from_str(&out.read(&format!("{prefix}search/index.json")))
        .unwrap_or_else(|e| panic!("{prefix}search/index.json is not JSON: {e}"))
}

/// The postings of `term` in an index: `(doc, weight)` pairs.
fn postings(index: &Value, term: &str) -> Vec<(usize, u64)> {
    let Some(pair) = index["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pair| pair[0] == term)
    else {
        return Vec::new();
    };
    let flat: Vec<u64> = pair[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    flat.chunks(2)
        .map(|c| (usize::try_from(c[0]).unwrap(), c[1]))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The build
// ---------------------------------------------------------------------------------------------

#[test]
fn every_language_has_an_index_and_a_search_page() {
    let site = Site::repo_copy();
    let out = site.build_ok();
    let mut problems = Vec::new();
    for (code, prefix) in site.languages() {
        let index = index(&out, &prefix);
        assert_eq!(index["version"], 1);
        assert_eq!(index["lang"], code.as_str());
        let docs = index["docs"].as_array().unwrap();
        assert!(!docs.is_empty(), "{code}: no documents");
        for doc in docs {
            let url = doc["url"].as_str().unwrap();
            if !url.starts_with(&format!("/{prefix}")) {
                problems.push(format!("{code}: {url} is not under /{prefix}"));
            }
            match out.file_for_url(url) {
                Some(file) if out.exists(&file) => {}
                _ => problems.push(format!("{code}: {url} is no page of the output")),
            }
            if doc["title"].as_str().unwrap_or("").is_empty() {
                problems.push(format!("{code}: {url} has no title"));
            }
        }
        // The search page: a labelled search box in a search form, a live status, the index
        // of its own language, and words for readers without JavaScript.
        let page = out.html(&format!("{prefix}search/index.html"));
        assert_eq!(page.attr("html", "lang"), code);
        let form = page.one("form[role=\"search\"]");
        assert_eq!(form.attr("method"), Some("get"));
        assert_eq!(
            form.attr("action"),
            Some(format!("/{prefix}search/").as_str())
        );
        assert_eq!(
            form.attr("data-index"),
            Some(format!("/{prefix}search/index.json").as_str())
        );
        let input = page.one("form input[type=\"search\"][name=\"q\"]");
        let id = input.attr("id").unwrap();
        assert_eq!(
            page.text(&format!("label[for=\"{id}\"]")),
            theme_string(&code, "search_label")
        );
        assert!(
            page.exists("[aria-live=\"polite\"]"),
            "{code}: no live region"
        );
        assert!(page.exists("script[src=\"/js/search.js\"]"));
        // Without JavaScript (which Chromium's --dump-dom needs, so this is checked here) the
        // page says so in its language, and the form, which could do nothing, stays hidden.
        assert!(
            page.text(".search-needs-js")
                .contains(&theme_string(&code, "search_needs_js")),
            "{code}: the message for readers without JavaScript"
        );
        assert!(page.one(".search-needs-js").attr("hidden").is_none());
        assert!(
            form.attr("hidden").is_some(),
            "{code}: the form shows without JavaScript"
        );
        assert_eq!(
            page.attrs(".search-needs-js a", "href"),
            [format!("/{prefix}")],
            "{code}: the way to the home page's topics"
        );
        // Every page of the language links its search page from the header, in its words.
        for file in out.page_files() {
            let in_language = if prefix.is_empty() {
                !site
                    .languages()
                    .iter()
                    .any(|(_, p)| !p.is_empty() && file.starts_with(p.as_str()))
            } else {
                file.starts_with(prefix.as_str())
            };
            if !in_language {
                continue;
            }
            let doc = out.html(&file);
            let link = doc.attrs("header a.search-link", "href");
            if link != [format!("/{prefix}search/")] {
                problems.push(format!("{file}: header search link {link:?}"));
            } else if doc.text("header a.search-link") != theme_string(&code, "search_link") {
                problems.push(format!("{file}: the search link is not labelled in {code}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    out.assert_internal_links_resolve();
}

#[test]
fn each_index_holds_the_words_of_its_language() {
    let site = Site::repo_copy();
    let out = site.build_ok();
    // "Interpreter" as the interpreter poster's title writes it in each language, folded as
    // the tokenizer folds it (Polish ł, Romanian ș; Han bigrams).
    let expected = [
        ("", "interpreter"),
        ("ar/", "مترجم"),
        ("fa/", "مترجم"),
        ("ps/", "ژباړونکی"),
        ("ur/", "ترجمان"),
        ("bn/", "দোভাষী"),
        ("pa/", "ਦੁਭਾਸ਼ੀਆ"),
        ("ti/", "ተርጓሚ"),
        ("so/", "turjumaan"),
        ("pl/", "tlumacza"),
        ("ro/", "interpret"),
        ("uk/", "перекладача"),
        ("zh-hans/", "口译"),
        ("zh-hans/", "译员"),
    ];
    for (prefix, term) in expected {
        let index = index(&out, prefix);
        let docs = index["docs"].as_array().unwrap();
        let poster = docs
            .iter()
            .position(|d| {
                d["url"]
                    .as_str()
                    .unwrap()
                    .ends_with("/print/interpreter-poster/")
            })
            .unwrap_or_else(|| panic!("{prefix}: no interpreter poster in the index"));
        let found = postings(&index, term);
        assert!(
            found
                .iter()
                .any(|&(doc, weight)| doc == poster && weight >= 10),
            "{prefix}: `{term}` should be a title term of the interpreter poster: {found:?}"
        );
    }
    // Arabic: harakat gone (مترجمًا), and words found without their article (المترجم).
    let ar = index(&out, "ar/");
    assert!(!postings(&ar, "مترجما").is_empty());
    assert!(postings(&ar, "مترجمًا").is_empty());
    assert!(!postings(&ar, "المترجم").is_empty());
}

#[test]
fn the_same_site_gives_the_same_search_files() {
    let site = Site::repo_copy();
    let out = site.build_ok();
    let again = tempfile::tempdir().unwrap();
    let again_out = again.path().join("out");
    site.build_with(&["--output", again_out.to_str().unwrap()])
        .assert_ok();
    let again = Output::new(again_out, "https://safesurgeries.example/");
    let search_files: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| f.contains("search/"))
        .collect();
    assert_eq!(search_files.len(), 2 * site.languages().len());
    for file in search_files {
        assert!(out.bytes(&file) == again.bytes(&file), "{file} differs");
    }
}

#[test]
fn a_theme_without_a_search_page_gets_no_index() {
    let out = Site::en().build_ok();
    out.assert_missing("search/index.json");
    out.assert_missing("search/index.html");
}

#[test]
fn a_theme_with_a_search_page_gets_one_per_language() {
    let site = Site::en_ar();
    site.write(
        "themes/default/templates/search.html",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><title>s</title><p id=\"i\">{{ search_index }}</p></html>",
    );
    site.write(
        "content/guide/_index.md",
        md("title: Guide", "The practice books an **interpreter**."),
    );
    let out = site.build_ok();
    assert_eq!(
        out.html("search/index.html").text("#i"),
        "/search/index.json"
    );
    assert_eq!(
        out.html("ar/search/index.html").text("#i"),
        "/ar/search/index.json"
    );
    let en = index(&out, "");
    assert_eq!(postings(&en, "interpreter").len(), 1);
    assert_eq!(index(&out, "ar/")["lang"], "ar");
}

#[test]
fn a_page_where_the_search_page_goes_is_an_error() {
    let site = Site::en();
    site.write("themes/default/templates/search.html", "<p>search</p>");
    site.write("content/search.md", md("title: Search", "Mine."));
    site.build()
        .assert_code(1)
        .assert_stderr_contains("content/search.md is at /search/");
}

// ---------------------------------------------------------------------------------------------
// The browser's tokenizer
// ---------------------------------------------------------------------------------------------

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every Markdown file of the toolkit, in all its languages.
fn content_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let mut dirs = vec![repo().join("content")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    texts.sort();
    texts
}

#[test]
fn rust_and_javascript_split_text_alike() {
    let script = repo().join("themes/default/static/js/search.js");
    let program = format!(
        "const {{ tokenize }} = require({});\
         const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));\
         process.stdout.write(JSON.stringify(texts.map(tokenize)));",
        serde_json::to_string(&script.to_string_lossy()).unwrap()
    );
    let child = Command::new("node")
        .args(["-e", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        missing_tool("node", "apt install nodejs");
        return;
    };
    let mut texts = content_texts();
    texts.extend(
        [
            "Book an Interpreter: free (NHS), 14 days. patient’s don't",
            "Înregistrați ŞI ș ţ ț Przychodnia łóżko ŹRÓDŁA e\u{301}te\u{301} İstanbul ΣΟΦΟΣ",
            "З’явиться зʼявиться з'явиться ЗМІСТ ґанок",
            "مترجمًا مـتـرجـم أحمد إلى آخر ٱلكتاب كيف على العيادة نعم، لا؟ زبان‌ها یہ بھی",
            "١٤ ۱۴ ১৪ ੧੪ １４ ＮＨＳ",
            "您可以要求安排口译员。（GP）诊所 NHS号码 和 A4 口\u{301}",
            "একজন দোভাষী চান। স্বাস্থ্য র\u{200C}্য ਦੁਭਾਸ਼ੀਆ, ਮੁਫ਼ਤ। ተርጓሚ፡ነጻ እዩ።",
            "𠀀𠀁 a\u{00AD}b x\u{200D}y <tag> &amp; 3.5 C++ e-mail",
        ]
        .map(String::from),
    );
    let input = serde_json::to_vec(&texts).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_js: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(from_js.len(), texts.len());
    for (text, js) in texts.iter().zip(from_js) {
        let rust = tokenize(text);
        if rust != js {
            let at = rust.iter().zip(&js).position(|(a, b)| a != b);
            panic!(
                "Rust and JavaScript split differently at term {at:?}:\nRust: {:?}\nJS:   {:?}\ntext: {}",
                at.map(|i| &rust[i..(i + 5).min(rust.len())]),
                at.map(|i| &js[i..(i + 5).min(js.len())]),
                text.chars().take(200).collect::<String>()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// In the browser
// ---------------------------------------------------------------------------------------------

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The DOM of `url` once its scripts have run, from headless Chromium.
fn dump_dom(chromium: &Path, url: &str, extra: &[&str]) -> Doc {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .args(["--dump-dom", url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut dom = String::new();
        let _ = stdout.read_to_string(&mut dom);
        dom
    });
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish loading {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Doc::parse(url, &reader.join().unwrap())
}

/// The result links shown for `query` on the search page at `page`.
fn results(chromium: &Path, port: u16, page: &str, query: &str) -> (String, Vec<String>) {
    let url = format!(
        "http://127.0.0.1:{port}{page}?q={}",
        percent_encode(query).replace('/', "%2F")
    );
    let dom = dump_dom(chromium, &url, &[]);
    assert!(
        dom.one("#search-form").attr("hidden").is_none(),
        "{url}: the script did not show the form"
    );
    (
        dom.text("#search-status"),
        dom.attrs("#search-list li a", "href"),
    )
}

#[test]
fn the_search_page_finds_pages_in_english_arabic_and_chinese() {
    let Some(chromium) = chromium() else {
        missing_tool("chromium", "apt install chromium");
        return;
    };
    let site = Site::repo_copy();
    let out = site.build_ok();
    let server = StaticServer::start(out.dir.clone());
    let port = server.port;

    let (status, links) = results(&chromium, port, "/search/", "interpreter");
    assert_eq!(
        links.first().map(String::as_str),
        Some("/guidance/interpreters/"),
        "the page named after interpreters comes first: {links:?}"
    );
    assert_eq!(
        status,
        theme_string("en", "search_results_count").replace("{count}", &links.len().to_string())
    );

    // Words from the bodies of the Arabic and Chinese pages for patients, as written there
    // (مترجمًا with its tanween); 家庭医生 is found through its bigrams.
    let ar_page = "content/patients/right-to-register.ar.md";
    let zh_page = "content/patients/right-to-register.zh-Hans.md";
    for (page, word) in [
        (ar_page, "مترجمًا"),
        (ar_page, "المترجم"),
        (zh_page, "口译员"),
        (zh_page, "家庭医生"),
    ] {
        assert!(
            site.read(page).contains(word),
            "{page} no longer says {word}"
        );
    }
    for (search, query, want) in [
        ("/ar/search/", "مترجمًا", "/ar/patients/right-to-register/"),
        ("/ar/search/", "المترجم", "/ar/patients/right-to-register/"),
        ("/ar/search/", "مترجم", "/ar/patients/right-to-register/"),
        (
            "/zh-hans/search/",
            "口译员",
            "/zh-hans/patients/right-to-register/",
        ),
        (
            "/zh-hans/search/",
            "家庭医生",
            "/zh-hans/patients/right-to-register/",
        ),
    ] {
        let (_, links) = results(&chromium, port, search, query);
        assert!(
            links.iter().any(|l| l == want),
            "{search}?q={query} should list {want}: {links:?}"
        );
    }

    let (status, links) = results(&chromium, port, "/search/", "qwertyuiop interpreter");
    assert!(links.is_empty(), "every word must match: {links:?}");
    assert_eq!(status, theme_string("en", "search_no_results"));
}

// ---------------------------------------------------------------------------------------------
// Watch mode
// ---------------------------------------------------------------------------------------------

/// A running `serve`, stopped when dropped.
struct Serve {
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET over HTTP/1.0, so that the body comes whole rather than in chunks.
fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(WAIT)).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    Some(String::from_utf8_lossy(&raw).into_owned())
}

fn wait_for(port: u16, path: &str, needle: &str) {
    let started = Instant::now();
    while !get(port, path).is_some_and(|reply| reply.contains(needle)) {
        assert!(
            started.elapsed() < WAIT,
            "{path} never contained {needle:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_keeps_the_indexes_and_search_pages_as_a_build_makes_them() {
    let site = Site::repo_copy();
    let port = live::free_port();
    let child = Command::new(BIN)
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let server = Serve { child, port };
    // The first build lays out all the PDFs: slow on a busy machine.
    wait_for(server.port, "/search/index.json", "\"interpreter\"");
    let events = live::events(server.port, "");
    // The end of a rebuild: files appear one by one while it writes them.
    let rebuilt = || {
        let event = events.recv_timeout(WAIT).expect("a live-reload event");
        assert!(event.starts_with("event: built"), "{event}");
    };

    // A body edit is rendered alone, and the index of its language follows it.
    site.replace(
        "content/guidance/interpreters.md",
        "The practice books the interpreter.",
        "The practice books the interpreter. Zyzzogeton.",
    );
    rebuilt();
    wait_for(server.port, "/search/index.json", "\"zyzzogeton\"");
    // A change of the search template alone renders the search pages again.
    site.replace(
        "themes/default/templates/search.html",
        "<h1>",
        "<h1 data-edited>",
    );
    rebuilt();
    wait_for(server.port, "/zh-hans/search/", "data-edited");
    drop(server);

    let served = site.output();
    let clean = tempfile::tempdir().unwrap();
    let clean_out = clean.path().join("out");
    site.build_with(&["--output", clean_out.to_str().unwrap()])
        .assert_ok();
    let built = Output::new(clean_out, "https://safesurgeries.example/");
    assert_eq!(served.files(), built.files(), "the same files");
    for file in built.files() {
        assert!(
            served.bytes(&file) == built.bytes(&file),
            "{file} differs from a clean build"
        );
    }
}
