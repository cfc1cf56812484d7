//! Live reload: a small Server-Sent Events stream that tells open pages what changed, and the
//! script and stylesheet watch mode adds to every page it serves (never to the built site).

use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

pub const PREFIX: &str = "/__safe-surgeries/";
pub const EVENTS_URL: &str = "/__safe-surgeries/events";

/// Added before `</head>` of every HTML page served. A file of the same origin, so the pages'
/// own Content-Security-Policy (`default-src 'self'`) allows it as it is.
pub const TAG: &str = "<script src=\"/__safe-surgeries/live.js\" defer></script>";

pub const SCRIPT: &str = r#"// Safe Surgeries watch mode: reloads this page when it changes, swaps stylesheets in place,
// and shows build errors over the page until they are fixed.
(function () {
  "use strict";
  var key = "safe-surgeries-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved) || 0); });
  }
  function here(path) {
    var p = decodeURI(location.pathname);
    return path === p || path === p + "index.html" || (p.slice(-1) !== "/" && path === p + "/");
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function overlay() { return document.getElementById("safe-surgeries-errors"); }
  function showErrors(text) {
    if (!document.querySelector('link[href="/__safe-surgeries/live.css"]')) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "/__safe-surgeries/live.css";
      document.head.appendChild(css);
    }
    var box = overlay();
    if (!box) {
      box = document.createElement("div");
      box.id = "safe-surgeries-errors";
      box.setAttribute("role", "alert");
      box.setAttribute("lang", "en");
      box.setAttribute("dir", "ltr");
      var title = document.createElement("p");
      title.className = "safe-surgeries-errors-title";
      title.textContent = "The site could not be rebuilt. You are seeing the last good version. Fix this and save:";
      box.appendChild(title);
      var pre = document.createElement("pre");
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = text;
  }
  function clearErrors() { var box = overlay(); if (box) { box.remove(); } }
  function swapStylesheets(sheets) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var href = link.getAttribute("href") || "";
      Object.keys(sheets).forEach(function (name) {
        var base = href.split("/").pop() || "";
        if (base.indexOf(name + ".") === 0 && base.slice(-4) === ".css") {
          link.setAttribute("href", sheets[name]);
        }
      });
    });
  }
  // The page shown is named so that a change to many pages renders this one first.
  var source = new EventSource("/__safe-surgeries/events?page=" + encodeURIComponent(location.pathname));
  source.addEventListener("errors", function (e) { showErrors(JSON.parse(e.data).text); });
  source.addEventListener("built", function (e) {
    var data = JSON.parse(e.data);
    clearErrors();
    if (data.pages.some(here)) { reload(); return; }
    swapStylesheets(data.stylesheets);
  });
})();
"#;

/// Every colour is set on every element of the box, so that no rule of the site's theme (its
/// `pre` has a light panel behind it) can leave pale text on a pale background. Opaque, so the
/// contrast does not depend on the page beneath: white and light pink on #1b1b1b are above 13:1.
pub const STYLE: &str = "#safe-surgeries-errors{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
box-sizing:border-box;margin:0;padding:1.5rem;background:#1b1b1b;color:#fff;\
font:16px/1.5 system-ui,sans-serif;text-align:left}\
#safe-surgeries-errors pre{margin:0;padding:0;border:0;background:#1b1b1b;color:#ffe0e0;\
white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.5 ui-monospace,monospace}\
#safe-surgeries-errors .safe-surgeries-errors-title{font-weight:700;font-size:1.125rem;\
margin:0 0 1rem;background:#1b1b1b;color:#fff}\n";

/// Everyone listening for events, and the errors of the last build, for whoever connects next.
pub struct Hub {
    /// Each listener, with the URL path of the page it shows.
    listeners: Mutex<Vec<(Sender<String>, String)>>,
    errors: Mutex<Option<String>>,
}

impl Hub {
    pub fn new() -> Hub {
        Hub {
            listeners: Mutex::new(Vec::new()),
            errors: Mutex::new(None),
        }
    }

    /// A new listener; it hears the current errors first, so a page loaded while the build is
    /// broken shows them at once.
    pub fn listen(&self, page: String) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        if let Ok(errors) = self.errors.lock()
            && let Some(text) = errors.as_ref()
        {
            let _ = tx.send(errors_event(text));
        }
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.push((tx, page));
        }
        rx
    }

    fn broadcast(&self, event: String) {
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.retain(|(tx, _)| tx.send(event.clone()).is_ok());
        }
    }

    /// The URL paths of the pages open in a browser (or open until the last event was sent).
    pub fn viewed(&self) -> Vec<String> {
        self.listeners
            .lock()
            .map(|listeners| listeners.iter().map(|(_, page)| page.clone()).collect())
            .unwrap_or_default()
    }

    pub fn failed(&self, text: String) {
        self.broadcast(errors_event(&text));
        if let Ok(mut errors) = self.errors.lock() {
            *errors = Some(text);
        }
    }

    /// A good build: the page paths whose files changed and the stylesheets by name; `more`
    /// when these pages went first and the rebuild goes on with others.
    pub fn built(&self, pages: &[String], stylesheets: &[(String, String)], more: bool) {
        if let Ok(mut errors) = self.errors.lock() {
            *errors = None;
        }
        let sheets: serde_json::Map<String, serde_json::Value> = stylesheets
            .iter()
            .map(|(name, url)| (name.clone(), serde_json::Value::from(url.as_str())))
            .collect();
        let data = serde_json::json!({ "pages": pages, "stylesheets": sheets, "more": more });
        self.broadcast(format!("event: built\ndata: {data}\n\n"));
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

fn errors_event(text: &str) -> String {
    let data = serde_json::json!({ "text": text });
    format!("event: errors\ndata: {data}\n\n")
}

/// Sends events to one listener as they come, with a comment every 15 seconds so that a closed
/// tab is noticed (the write fails) and its thread ends. Written straight to the connection:
/// a chunked body would hold events back until 8 KB had gathered.
pub fn stream(rx: &Receiver<String>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
          Cache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n",
    )?;
    out.flush()?;
    loop {
        let event = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_owned(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        out.write_all(event.as_bytes())?;
        out.flush()?;
    }
}
