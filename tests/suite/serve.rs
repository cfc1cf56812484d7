//! `safe-surgeries serve`: started on a free port in a temporary site, driven by editing files,
//! and checked over HTTP (pages, the live-reload event stream, the error overlay) and on disk
//! (the served tree equals a clean build).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crate::common::*;

const WAIT: Duration = Duration::from_secs(20);

/// A running `serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    /// What it prints to the terminal, line by line.
    log: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Site) -> Server {
    start_in(site, false)
}

/// Starts `serve` with `--root`, or from inside the site folder with the default root `.`.
fn start_in(site: &Site, from_inside: bool) -> Server {
    let port = crate::common::live::free_port();
    let mut command = Command::new(BIN);
    command.args(["serve", "--port", &port.to_string()]);
    if from_inside {
        command.current_dir(site.root());
    } else {
        command.arg("--root").arg(site.root());
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let (tx, log) = std::sync::mpsc::channel();
    if let Some(stderr) = child.stderr.take() {
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
    }
    let server = Server { child, port, log };
    let started = Instant::now();
    while get(port, "/").is_none() {
        assert!(started.elapsed() < WAIT, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A plain HTTP/1.1 GET, read to the end.
fn get(port: u16, path: &str) -> Option<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(WAIT)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = headers.split_whitespace().nth(1)?.parse().ok()?;
    let mut body = raw[split + 4..].to_vec();
    if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Some(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

/// The live-reload events, once the stream is open.
fn events(port: u16) -> Receiver<String> {
    // As a listener with no page open: none is rendered first.
    let rx = crate::common::live::events(port, "");
    // The stream is open once its first comment has arrived; give it a moment.
    std::thread::sleep(Duration::from_millis(200));
    rx
}

fn next_event(rx: &Receiver<String>) -> String {
    rx.recv_timeout(WAIT)
        .expect("an event from serve within the time allowed")
}

/// Waits until `path` is served with `needle` in it.
fn wait_for(port: u16, path: &str, needle: &str) -> Reply {
    let started = Instant::now();
    loop {
        if let Some(reply) = get(port, path)
            && reply.text().contains(needle)
        {
            return reply;
        }
        assert!(
            started.elapsed() < WAIT,
            "{path} never contained {needle:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The next terminal line about a rebuild, skipping the first build's.
fn rebuild_line(server: &Server) -> String {
    loop {
        let line = server
            .log
            .recv_timeout(WAIT)
            .expect("a line about the rebuild");
        if line.contains(" rendered, ") || line.contains("failed") {
            return line;
        }
    }
}

fn small_site() -> Site {
    let site = Site::en_ar();
    site.write(
        "content/guide/_index.md",
        md("title: Guide\nweight: 1", "The guide."),
    );
    site.write("content/guide/_index.ar.md", md("title: دليل", "الدليل."));
    site.write(
        "content/guide/one.md",
        md("title: One\nweight: 1", "## Start\n\nFirst words."),
    );
    site.write("content/guide/one.ar.md", md("title: واحد", "كلمات."));
    site.write(
        "content/guide/two.md",
        md("title: Two\nweight: 2", "See [one](@/guide/one.md#start)."),
    );
    site
}

#[test]
fn an_edited_page_is_served_and_its_reload_event_sent() {
    let site = small_site();
    let server = start(&site);
    let rx = events(server.port);
    site.write(
        "content/guide/one.md",
        md("title: One\nweight: 1", "## Start\n\nNew words."),
    );
    let event = next_event(&rx);
    assert!(event.starts_with("event: built"), "{event}");
    assert!(
        event.contains("\"/guide/one/\""),
        "the event names the changed page: {event}"
    );
    assert!(
        !event.contains("\"/guide/two/\""),
        "and not pages that did not change: {event}"
    );
    let page = wait_for(server.port, "/guide/one/", "New words.");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("/__safe-surgeries/live.js"),
        "served pages get the live-reload script"
    );
    let on_disk =
        std::fs::read_to_string(site.path("output/guide/one/index.html")).unwrap_or_default();
    assert!(
        on_disk.contains("New words.") && !on_disk.contains("__safe-surgeries"),
        "the built file has no script"
    );
}

#[test]
fn a_broken_file_shows_the_error_and_keeps_the_last_good_page_until_fixed() {
    let site = small_site();
    let server = start(&site);
    let rx = events(server.port);
    site.write(
        "content/guide/one.md",
        "---\ntitle: [unclosed\n---\n\nBroken words.\n",
    );
    let event = next_event(&rx);
    assert!(event.starts_with("event: errors"), "{event}");
    assert!(
        event.contains("content/guide/one.md:2"),
        "the overlay names file and line: {event}"
    );
    let page = get(server.port, "/guide/one/").expect("still serving");
    assert!(
        page.text().contains("First words."),
        "the last good page is still served"
    );

    // A page opened now hears the error at once.
    let late = events(server.port);
    assert!(next_event(&late).starts_with("event: errors"));

    site.write(
        "content/guide/one.md",
        md("title: One\nweight: 1", "## Start\n\nFixed words."),
    );
    let event = next_event(&rx);
    assert!(
        event.starts_with("event: built"),
        "fixing the file clears the error: {event}"
    );
    wait_for(server.port, "/guide/one/", "Fixed words.");
}

#[test]
fn a_stylesheet_change_is_applied_without_reloading_pages() {
    let site = small_site();
    let server = start(&site);
    let rx = events(server.port);
    let css = site.path("themes/default/css/main.css");
    let mut text = std::fs::read_to_string(&css).unwrap_or_default();
    text.push_str("\nbody { color: #111; }\n");
    std::fs::write(&css, text).expect("edit the stylesheet");
    let event = next_event(&rx);
    assert!(event.contains("\"pages\":[]"), "no page reloads: {event}");
    let sheet = event
        .split("\"main\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let served = get(server.port, &sheet).expect("the new stylesheet is served");
    assert_eq!(served.status, 200);
    assert!(served.text().contains("#111"), "{sheet}: {}", served.text());
}

#[test]
fn only_files_inside_the_output_are_served_with_their_types() {
    let site = small_site();
    site.write("static/site.webmanifest", "{}");
    site.write("static/fonts/x.woff2", "wOF2");
    site.write("static/doc.pdf", "%PDF-1.7");
    site.write("secret.txt", "do not serve");
    let server = start(&site);
    for (path, kind) in [
        ("/site.webmanifest", "application/manifest+json"),
        ("/fonts/x.woff2", "font/woff2"),
        ("/doc.pdf", "application/pdf"),
        ("/guide/", "text/html"),
    ] {
        let reply = get(server.port, path).expect("served");
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply
                .headers
                .to_ascii_lowercase()
                .contains(&format!("content-type: {kind}")),
            "{path}: {}",
            reply.headers
        );
    }
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/guide/../../secret.txt",
        "/fonts/",
        "/nothing-here",
    ] {
        let reply = get(server.port, path).expect("answered");
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.text().contains("do not serve"));
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.path("secret.txt"), site.path("output/leak.txt"))
            .expect("symlink");
        assert_eq!(
            get(server.port, "/leak.txt").map(|r| r.status),
            Some(404),
            "no symlink out of the output"
        );
    }
    let missing = get(server.port, "/nothing-here").expect("answered");
    assert!(missing.text().contains("<html"), "the theme's 404 page");
    assert_eq!(
        get(server.port, "/guide").map(|r| r.status),
        Some(301),
        "a folder without its slash"
    );
}

#[test]
fn it_stays_up_under_hundreds_of_concurrent_requests() {
    let site = small_site();
    let server = start(&site);
    let port = server.port;
    let handles: Vec<_> = (0..300)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/guide/one/"
                } else {
                    "/ar/guide/one/"
                };
                get(port, path).map(|r| r.status)
            })
        })
        .collect();
    let ok = handles
        .into_iter()
        .map(|h| h.join().ok().flatten())
        .filter(|s| *s == Some(200))
        .count();
    assert_eq!(ok, 300, "every request answered");
    assert_eq!(
        get(port, "/").map(|r| r.status),
        Some(200),
        "and still serving"
    );
}

/// One edit an editor makes to the site.
type Step = Box<dyn Fn(&Site)>;

/// Every file of a tree, relative, with its bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    relative_files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap_or_default();
            (f, bytes)
        })
        .collect()
}

#[test]
fn after_edits_adds_renames_and_deletes_the_served_tree_equals_a_clean_build() {
    let site = small_site();
    let server = start(&site);
    let rx = events(server.port);
    let steps: Vec<Step> = vec![
        Box::new(|s| {
            s.write(
                "content/guide/one.md",
                md("title: One\nweight: 1", "## Start\n\nBody edit."),
            );
        }),
        Box::new(|s| {
            s.write(
                "content/guide/one.md",
                md("title: One, renamed\nweight: 3", "## Start\n\nBody edit."),
            );
        }),
        Box::new(|s| {
            s.write(
                "content/guide/three.md",
                md("title: Three\nweight: 4", "A new page."),
            );
        }),
        Box::new(|s| {
            s.write(
                "content/guide/three.ar.md",
                md("title: ثلاثة", "صفحة جديدة."),
            );
        }),
        Box::new(|s| {
            std::fs::rename(
                s.path("content/guide/three.md"),
                s.path("content/guide/four.md"),
            )
            .expect("rename");
            std::fs::rename(
                s.path("content/guide/three.ar.md"),
                s.path("content/guide/four.ar.md"),
            )
            .expect("rename");
        }),
        Box::new(|s| {
            s.write(
                "content/guide/_index.md",
                md("title: The guide\nweight: 1", "The guide, rewritten."),
            );
        }),
        Box::new(|s| {
            s.replace(
                "themes/default/templates/section.html",
                "{% endblock main %}",
                "<p>Edited.</p>{% endblock main %}",
            );
        }),
        Box::new(|s| {
            s.write(
                "content/guide/one.md",
                md(
                    "title: One, renamed\nweight: 3\ndescription: Now described.",
                    "## Start\n\nBody edit.",
                ),
            );
        }),
        Box::new(|s| {
            s.replace(
                "themes/default/i18n/ar.yaml",
                "انتقل إلى المحتوى",
                "انتقل إلى النص",
            );
        }),
        Box::new(|s| {
            s.replace("site.yaml", "title: Test Site", "title: Test Site, renamed");
        }),
        Box::new(|s| {
            s.write(
                "content/more/_index.md",
                md("title: More\nweight: 2", "A section."),
            );
            s.write("content/more/_index.ar.md", md("title: المزيد", "قسم."));
            s.write("content/more/x.md", md("title: X", "In the new section."));
        }),
        Box::new(|s| {
            s.remove("content/more/_index.ar.md");
        }),
        Box::new(|s| {
            std::fs::rename(s.path("content/more"), s.path("content/extra")).expect("rename");
        }),
        Box::new(|s| {
            s.remove("content/guide/one.ar.md");
        }),
        Box::new(|s| {
            s.remove("content/guide/four.md");
            s.remove("content/guide/four.ar.md");
        }),
    ];
    for (i, step) in steps.iter().enumerate() {
        step(&site);
        let event = next_event(&rx);
        assert!(event.starts_with("event: built"), "step {}: {event}", i + 1);
        // Let a second burst of events from the same step (a rename is two) settle.
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(400)) {
            assert!(more.starts_with("event: built"), "step {}: {more}", i + 1);
        }
        // After every step, not only the last: a page left stale by one step could be
        // rendered again by a later one and hide the mistake.
        assert_same_as_clean_build(&site, &format!("after step {}", i + 1));
    }
    drop(server);
}

/// The output folder holds exactly what a clean build of the site writes.
fn assert_same_as_clean_build(site: &Site, when: &str) {
    let served = tree(&site.path("output"));
    let clean = tempfile::tempdir().expect("temporary folder");
    let out = clean.path().join("out");
    site.build_with(&["--output", out.to_str().unwrap_or_default()])
        .assert_ok();
    let built = tree(&out);
    let served_names: Vec<&String> = served.keys().collect();
    let built_names: Vec<&String> = built.keys().collect();
    assert_eq!(served_names, built_names, "{when}: the same files");
    for (path, bytes) in &built {
        assert!(
            served.get(path) == Some(bytes),
            "{when}: {path} differs from a clean build"
        );
    }
}

#[test]
fn a_front_matter_edit_renders_only_the_pages_that_show_it() {
    let site = small_site();
    site.write(
        "content/other/_index.md",
        md("title: Other\nweight: 2", "Elsewhere."),
    );
    site.write("content/other/a.md", md("title: A", "Unrelated."));
    site.write("content/other/a.ar.md", md("title: أ", "لا علاقة."));
    let server = start(&site);
    let rx = events(server.port);
    site.write(
        "content/guide/two.md",
        md(
            "title: Two, retitled\nweight: 2",
            "See [one](@/guide/one.md#start).",
        ),
    );
    let event = next_event(&rx);
    assert!(event.starts_with("event: built"), "{event}");
    // The page, its section's listing, the page beside it (its siblings and neighbours) and
    // the home page (which lists each section's pages): not the other section, nor Arabic.
    let line = rebuild_line(&server);
    assert!(line.contains("(4 pages rendered"), "{line}");
    // (The fixture's home page does not show section pages, so its file stays as it was.)
    for page in ["/guide/two/", "/guide/", "/guide/one/"] {
        assert!(event.contains(&format!("\"{page}\"")), "{page} in {event}");
    }
    for page in ["/other/", "/other/a/", "/ar/"] {
        assert!(!event.contains(&format!("\"{page}\"")), "{page} in {event}");
    }
    wait_for(server.port, "/guide/", "Two, retitled");
    assert_same_as_clean_build(&site, "after the edit");
}

#[test]
fn a_template_change_rerenders_the_pages_that_use_it() {
    let site = small_site();
    let server = start(&site);
    let rx = events(server.port);
    site.replace(
        "themes/default/templates/section.html",
        "{% endblock main %}",
        "<p>Section edit.</p>{% endblock main %}",
    );
    let event = next_event(&rx);
    assert!(
        event.contains("\"/guide/\""),
        "the section page changed: {event}"
    );
    assert!(
        !event.contains("\"/guide/one/\""),
        "pages on another template did not: {event}"
    );
    wait_for(server.port, "/guide/", "Section edit.");
}

#[test]
fn a_template_saved_through_a_temporary_file_renders_only_its_pages() {
    let site = small_site();
    let server = start(&site);
    // As `sed -i` and some editors save: a temporary file beside the template, renamed over
    // it or removed before the rebuild reads the folder.
    let swap = site.path("themes/default/templates/sedX4fq2a");
    std::fs::write(&swap, "unsaved").expect("write the temporary file");
    site.replace(
        "themes/default/templates/section.html",
        "{% endblock main %}",
        "<p>Saved through a swap file.</p>{% endblock main %}",
    );
    std::fs::remove_file(&swap).expect("remove the temporary file");
    let line = rebuild_line(&server);
    assert!(
        line.contains("templates only"),
        "a file that came and went is no reason to build everything: {line}"
    );
    wait_for(server.port, "/guide/", "Saved through a swap file.");
}

#[test]
fn a_change_to_many_pages_renders_the_open_page_first() {
    let site = small_site();
    let server = start(&site);
    let viewer = crate::common::live::events(server.port, "/guide/two/");
    site.replace(
        "themes/default/templates/page.html",
        "{% endblock main %}",
        "<!-- edited -->{% endblock main %}",
    );
    let first = next_event(&viewer);
    assert!(
        first.contains("\"pages\":[\"/guide/two/\"]") && first.contains("\"more\":true"),
        "the open page comes first, alone: {first}"
    );
    let rest = next_event(&viewer);
    assert!(
        rest.contains("\"/guide/one/\"") && !rest.contains("\"/guide/two/\""),
        "then the others, without telling the open page twice: {rest}"
    );
    assert!(rest.contains("\"more\":false"), "{rest}");
    assert_same_as_clean_build(&site, "after the template edit");
}

#[test]
fn run_from_inside_the_site_folder_it_still_sees_changes() {
    let site = small_site();
    let server = start_in(&site, true);
    let rx = events(server.port);
    site.write(
        "content/guide/two.md",
        md("title: Two\nweight: 2", "Changed from inside."),
    );
    assert!(next_event(&rx).starts_with("event: built"));
    wait_for(server.port, "/guide/two/", "Changed from inside.");
}

#[test]
fn editing_a_source_page_tells_its_marked_translations_they_are_out_of_date() {
    let site = Site::repo_copy();
    let server = start(&site);
    let rx = events(server.port);
    let before = get(server.port, "/ar/")
        .map(|r| r.text())
        .unwrap_or_default();
    assert!(
        !before.contains("stale-notice"),
        "the toolkit's translations start current"
    );
    site.replace(
        "content/_index.md",
        "\n---\n",
        "\n---\n\nA new first line.\n",
    );
    let event = next_event(&rx);
    assert!(
        event.contains("\"/ar/\""),
        "the Arabic home page changed: {event}"
    );
    wait_for(server.port, "/ar/", "stale-notice");
    drop(server);
    assert_same_as_clean_build(&site, "after the source edit");
}

#[test]
fn an_edit_of_a_patient_page_remakes_its_offline_copy() {
    let site = small_site();
    site.replace(
        "site.yaml",
        "default_language: en",
        "default_language: en\npatient_sections: [guide]",
    );
    let server = start(&site);
    let rx = events(server.port);
    site.write("content/guide/one.ar.md", md("title: واحد", "كلمات جديدة."));
    let event = next_event(&rx);
    assert!(event.starts_with("event: built"), "{event}");
    wait_for(server.port, "/ar/guide/one/", "كلمات جديدة.");
    let copy = std::fs::File::open(site.path("output/ar/offline/test-site-ar.zip")).unwrap();
    let mut copy = zip::ZipArchive::new(copy).unwrap();
    let mut page = String::new();
    std::io::Read::read_to_string(
        &mut copy.by_name("test-site-ar/guide-one.html").unwrap(),
        &mut page,
    )
    .unwrap();
    assert!(page.contains("كلمات جديدة."), "the copy has the edit");
    assert_same_as_clean_build(&site, "after the edit");
}

#[test]
fn the_error_overlay_is_readable_and_shows_the_edited_file_first() {
    let Some(chromium) = crate::common::browser::scripted_chromium() else {
        return;
    };
    let site = small_site();
    // A theme that puts a light panel behind `pre`, as the toolkit's does: the overlay must
    // stay readable whatever the theme's rules.
    let css = site.read("themes/default/css/main.css");
    site.write(
        "themes/default/css/main.css",
        format!("{css}\npre {{ background: #f3f2f1; padding: 1em; }}\n"),
    );
    let server = start(&site);
    let rx = events(server.port);
    // Two problems: the older one, in the front matter of guide/_index.md, comes first in a
    // build's order; the one just saved is a broken link in guide/two.md.
    site.write(
        "content/guide/_index.md",
        "---\ntitle: Guide\nweight: [1\n---\n\nThe guide.\n",
    );
    assert!(next_event(&rx).starts_with("event: errors"));
    site.write(
        "content/guide/two.md",
        md(
            "title: Two\nweight: 2",
            "See [the rules](@/guide/rulez.md).",
        ),
    );
    let event = next_event(&rx);
    assert!(event.starts_with("event: errors"), "{event}");

    let report = crate::common::browser::run_script(
        "overlay.mjs",
        &serde_json::json!({
            "chromium": chromium,
            "url": format!("http://127.0.0.1:{}/guide/one/", server.port),
            "axe": crate::common::browser::node_module_file("axe-core/axe.min.js"),
        }),
    );
    let text = report["text"].as_str().unwrap_or_default();
    let first = text.lines().take(2).collect::<Vec<_>>().join("\n");
    assert!(
        first.contains("content/guide/two.md"),
        "the file just saved comes first:\n{text}"
    );
    assert!(
        text.contains("content/guide/_index.md:3"),
        "and the other problem is still shown:\n{text}"
    );
    let checked: Vec<&str> = report["checked"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert!(
        checked.contains(&"color-contrast"),
        "axe measured the contrast: {checked:?}"
    );
    assert_eq!(
        report["violations"],
        serde_json::json!([]),
        "axe finds no WCAG A or AA problem in the overlay"
    );
}

#[test]
fn a_busy_port_is_reported_before_the_site_is_built() {
    let site = small_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port to hold");
    let port = taken.local_addr().expect("its address").port();
    let run = run(
        &[
            "serve",
            "--port",
            &port.to_string(),
            "--root",
            site.root().to_str().unwrap(),
        ],
        site.root(),
    );
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr
            .contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{run}"
    );
    assert!(
        !run.stderr.contains("Built") && !site.path("output").exists(),
        "it fails before building anything: {run}"
    );
}

#[test]
fn every_page_request_during_rebuilds_answers_200() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let site = small_site();
    let server = start(&site);
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Vec::new()));
    let fetchers: Vec<_> = (0..4)
        .map(|_| {
            let (stop, answers) = (Arc::clone(&stop), Arc::clone(&answers));
            std::thread::spawn(move || {
                let pages = [
                    "/",
                    "/guide/",
                    "/guide/one/",
                    "/guide/two/",
                    "/ar/guide/one/",
                ];
                while !stop.load(Ordering::Relaxed) {
                    for page in pages {
                        let status = get(port, page).map(|r| r.status);
                        answers.lock().expect("a list").push((page, status));
                    }
                }
            })
        })
        .collect();
    // Each fix after a failure is a full build, swapped in whole; the edits between are
    // written page by page.
    for round in 0..12 {
        site.write(
            "content/guide/one.md",
            "---\ntitle: [unclosed\n---\n\nBroken words.\n",
        );
        // Lines about the last round's rebuilds may come first.
        while !rebuild_line(&server).contains("failed") {}
        site.write(
            "content/guide/one.md",
            md(
                "title: One\nweight: 1",
                &format!("## Start\n\nRound {round}."),
            ),
        );
        wait_for(port, "/guide/one/", &format!("Round {round}."));
        site.write(
            "content/guide/two.md",
            md("title: Two\nweight: 2", &format!("Two, round {round}.")),
        );
        wait_for(port, "/guide/two/", &format!("Two, round {round}."));
    }
    stop.store(true, Ordering::Relaxed);
    for fetcher in fetchers {
        fetcher.join().expect("no panic");
    }
    let answers = answers.lock().expect("a list");
    let bad: Vec<_> = answers.iter().filter(|(_, s)| *s != Some(200)).collect();
    assert!(answers.len() > 100, "only {} requests", answers.len());
    assert!(
        bad.is_empty(),
        "{} of {} requests did not answer 200: {:?}",
        bad.len(),
        answers.len(),
        &bad[..bad.len().min(10)]
    );
}

#[test]
fn a_build_while_serve_runs_is_refused_and_leaves_the_served_site() {
    let site = small_site();
    let server = start(&site);
    let before = tree(&site.path("output"));
    site.build()
        .assert_content_error()
        .assert_stderr_contains("is in use by `safe-surgeries serve`")
        .assert_stderr_contains("Ctrl+C");
    assert_eq!(tree(&site.path("output")), before);
    drop(server);
    site.build().assert_ok();
}

/// The threads a process runs, from `/proc` (Linux).
fn threads(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

#[test]
fn clients_that_never_finish_their_request_hold_neither_threads_nor_the_server() {
    let site = small_site();
    let server = start(&site);
    let port = server.port;
    let before = threads(server.child.id());
    // 300 clients that start a request and never finish it, as the outside campaign's were.
    let slow: Vec<TcpStream> = (0..300)
        .filter_map(|_| {
            let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2)).ok()?;
            stream.write_all(b"GET / HTTP/1.1\r\nHost: loc").ok()?;
            Some(stream)
        })
        .collect();
    assert!(slow.len() >= 150, "connected: {}", slow.len());
    std::thread::sleep(Duration::from_millis(500));
    if let (Some(before), Some(during)) = (before, threads(server.child.id())) {
        assert!(
            during <= before + 70,
            "{during} threads with {} unfinished requests open ({before} before)",
            slow.len()
        );
    }
    // The first of them is cut off with a 408 once its time is up...
    let mut first = &slow[0];
    first.set_read_timeout(Some(WAIT)).unwrap();
    let mut answer = Vec::new();
    let _ = first.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "an unfinished request is answered 408: {answer:?}"
    );
    // ...and an editor's page is served while the rest wait their turn.
    let started = Instant::now();
    let reply = loop {
        match get(port, "/guide/one/") {
            Some(reply) => break reply,
            None => assert!(started.elapsed() < WAIT * 3, "the server stopped answering"),
        }
    };
    assert_eq!(reply.status, 200);
    drop(slow);
    assert_eq!(
        get(port, "/").map(|r| r.status),
        Some(200),
        "and still serving"
    );
}
