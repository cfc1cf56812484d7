//! A client for `serve`'s live-reload event stream, shared by tests/suite/serve.rs and
//! benches/serve.rs.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver};

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The events `serve` sends, one string per event (its `event:` and `data:` lines), to a
/// listener showing the page at URL path `page`.
pub fn events(port: u16, page: &str) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the event stream");
    write!(
        stream,
        "GET /__safe-surgeries/events?page={} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        page.replace('%', "%25")
    )
    .expect("ask for events");
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.is_empty() {
                if event.starts_with("event:") && tx.send(std::mem::take(&mut event)).is_err() {
                    break;
                }
                event.clear();
            } else {
                event.push_str(&line);
                event.push('\n');
            }
        }
    });
    rx
}
