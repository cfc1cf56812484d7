//! Saying which page is slow. With the limits in [`crate::limits`] no page should take more
//! than a moment, but one that still does (a pathological table, a print template that
//! measures itself in a loop) must not leave the editor looking at a silent terminal: after
//! [`SLOW`], the build says on stderr which file is in which stage, once per piece of work.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long one piece of work may run before the build says so.
pub const SLOW: Duration = Duration::from_secs(5);

struct Running {
    what: String,
    started: Instant,
    told: bool,
}

#[derive(Default)]
struct Watch {
    next: AtomicU64,
    running: Mutex<HashMap<u64, Running>>,
}

fn watch() -> &'static Watch {
    static WATCH: OnceLock<&'static Watch> = OnceLock::new();
    WATCH.get_or_init(|| {
        let watch: &'static Watch = Box::leak(Box::default());
        // One thread for the whole process, asleep but for a glance a second.
        let _ = std::thread::Builder::new()
            .name("slow-watch".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(1));
                    watch.tell();
                }
            });
        watch
    })
}

impl Watch {
    fn tell(&self) {
        let Ok(mut running) = self.running.lock() else {
            return;
        };
        for work in running.values_mut() {
            let took = work.started.elapsed();
            if !work.told && took >= SLOW {
                work.told = true;
                eprintln!(
                    "note: still {} after {} s; the build goes on",
                    work.what,
                    took.as_secs()
                );
            }
        }
    }
}

/// Runs `work`, said to be `what` ("laying out content/print/poster.md"), telling the editor if
/// it takes longer than [`SLOW`]. The words are made before the work starts, as the thread that
/// tells them cannot borrow from the caller; formatting one line a page costs nothing next to
/// rendering it.
pub fn watched<T>(what: String, work: impl FnOnce() -> T) -> T {
    let registry = watch();
    let id = registry.next.fetch_add(1, Ordering::Relaxed);
    if let Ok(mut running) = registry.running.lock() {
        running.insert(
            id,
            Running {
                what,
                started: Instant::now(),
                told: false,
            },
        );
    }
    // Removed however `work` ends, a panic included.
    struct Done(u64);
    impl Drop for Done {
        fn drop(&mut self) {
            if let Ok(mut running) = watch().running.lock() {
                running.remove(&self.0);
            }
        }
    }
    let _done = Done(id);
    work()
}
