//! Watch mode's connections: accepting them, reading each request's head within a deadline, and
//! writing the answer. A client that connects and sends nothing, or sends its head a byte at a
//! time, is cut off after `HEAD_TIMEOUT`; at most `MAX_CONNECTIONS` are handled at once (the
//! rest wait in the listener's queue) and at most `MAX_STREAMS` of them may be live-reload
//! streams, which stay open, so that slow or idle clients can hold neither all the threads nor
//! the server for long. The head is parsed by httparse; one request per connection
//! (`Connection: close`), which is all a browser on this computer needs.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a client has, from connecting, to send the whole head of its request.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one write of an answer may wait for a client that does not read.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// A request's head is a line and a few headers; browsers send 1–2 kB.
const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 64;
pub const MAX_CONNECTIONS: usize = 64;
pub const MAX_STREAMS: usize = 16;

/// The part of a request watch mode answers from: nothing it serves depends on headers.
pub struct Request {
    pub method: String,
    /// The path and query, as sent (`/ar/page/?x=1`).
    pub target: String,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// A short message for the client itself (a 408, a 503), not a file of the site.
    fn plain(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_owned())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// One accepted connection, for the handler to answer once.
pub struct Connection {
    stream: TcpStream,
    head_only: bool,
    streams: Arc<Slots>,
}

impl Connection {
    pub fn reply(mut self, reply: &Reply) {
        let _ = write_reply(&mut self.stream, reply, self.head_only);
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// The connection, to write a long-lived answer to (the live-reload events) while the
    /// returned slot is held; `None`, after a 503, when `MAX_STREAMS` are open already.
    pub fn long_lived(mut self) -> Option<(Slot, TcpStream)> {
        match self.streams.try_take() {
            Some(slot) => Some((slot, self.stream)),
            None => {
                let busy = Reply::plain(503, "too many pages are open; close some and reload\n");
                let _ = write_reply(&mut self.stream, &busy, self.head_only);
                None
            }
        }
    }
}

/// Accepts connections for ever, each on its own thread once a slot is free.
pub fn accept(listener: &TcpListener, handle: Arc<dyn Fn(Request, Connection) + Send + Sync>) {
    let connections = Slots::new(MAX_CONNECTIONS);
    let streams = Slots::new(MAX_STREAMS);
    loop {
        let slot = connections.take();
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            // A client that gave up while queued, or no file descriptor free for a moment:
            // neither stops the server.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let handle = Arc::clone(&handle);
        let streams = Arc::clone(&streams);
        // If no thread can be made, the connection is dropped with the closure.
        let _ = std::thread::Builder::new()
            .name("serve-connection".to_owned())
            .spawn(move || {
                let _slot = slot;
                serve_one(stream, &*handle, streams);
            });
    }
}

fn serve_one(
    mut stream: TcpStream,
    handle: &(dyn Fn(Request, Connection) + Send + Sync),
    streams: Arc<Slots>,
) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let request = match read_head(&mut stream) {
        Ok(request) => request,
        Err(HeadError::Closed) => return,
        Err(error) => {
            let (status, body) = match error {
                HeadError::TimedOut => (408, "the request took too long to arrive\n"),
                HeadError::TooLarge => (431, "the request's headers are too large\n"),
                _ => (400, "not an HTTP request\n"),
            };
            let _ = write_reply(&mut stream, &Reply::plain(status, body), false);
            return;
        }
    };
    let head_only = request.method == "HEAD";
    handle(
        request,
        Connection {
            stream,
            head_only,
            streams,
        },
    );
}

#[derive(Debug)]
enum HeadError {
    Closed,
    TimedOut,
    TooLarge,
    Malformed,
}

/// Reads until the head is complete, within `HEAD_TIMEOUT` of the first read in all.
fn read_head(stream: &mut TcpStream) -> Result<Request, HeadError> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::TimedOut);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Closed)?;
        let read = match stream.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::TimedOut);
            }
            Err(_) => return Err(HeadError::Closed),
        };
        buffer.extend_from_slice(&chunk[..read]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buffer) {
            Ok(httparse::Status::Complete(_)) => {
                return Ok(Request {
                    method: parsed.method.unwrap_or_default().to_owned(),
                    target: parsed.path.unwrap_or("/").to_owned(),
                });
            }
            Ok(httparse::Status::Partial) if buffer.len() > MAX_HEAD => {
                return Err(HeadError::TooLarge);
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Err(HeadError::TooLarge),
            Err(_) => return Err(HeadError::Malformed),
        }
    }
}

fn write_reply(stream: &mut TcpStream, reply: &Reply, head_only: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// A counting semaphore: `take` waits for a free slot, which its `Slot` gives back when dropped.
pub struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

pub struct Slot(Arc<Slots>);

impl Slots {
    fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            used: Mutex::new(0),
            freed: Condvar::new(),
            max,
        })
    }

    fn take(self: &Arc<Self>) -> Slot {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        while *used >= self.max {
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *used += 1;
        Slot(Arc::clone(self))
    }

    fn try_take(self: &Arc<Self>) -> Option<Slot> {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        (*used < self.max).then(|| {
            *used += 1;
            Slot(Arc::clone(self))
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut used = self.0.used.lock().unwrap_or_else(PoisonError::into_inner);
        *used -= 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_given_back_lets_the_next_one_in() {
        let slots = Slots::new(2);
        let a = slots.take();
        let _b = slots.take();
        assert!(slots.try_take().is_none());
        drop(a);
        assert!(slots.try_take().is_some());
    }
}
