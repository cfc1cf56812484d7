//! `check --external`: asks every other site the pages link to whether the page is still
//! there, a few at a time and each with a time-out, so one slow server cannot stall CI.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::report::External;

/// Requests at once: enough to finish a few hundred links in seconds, few enough not to look
/// like an attack to anyone's server.
const AT_ONCE: usize = 8;
const TIME_OUT: Duration = Duration::from_secs(15);

/// Fills in each link's `answer`: its HTTP status, or why there was none.
pub fn fetch(links: &mut [External]) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIME_OUT))
        .http_status_as_error(false)
        .user_agent("safe-surgeries-check (link checker)")
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let answers: Mutex<Vec<(usize, Result<u16, String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE.min(links.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(link) = links.get(i) else {
                        return;
                    };
                    let answer = ask(&agent, &link.url);
                    if let Ok(mut answers) = answers.lock() {
                        answers.push((i, answer));
                    }
                }
            });
        }
    });
    for (i, answer) in answers.into_inner().unwrap_or_default() {
        if let Some(link) = links.get_mut(i) {
            link.answer = Some(answer);
        }
    }
}

/// HEAD first, which costs the other server least; GET where HEAD is refused or fails, as
/// some servers answer HEAD wrongly.
fn ask(agent: &ureq::Agent, url: &str) -> Result<u16, String> {
    let url = url.split('#').next().unwrap_or(url);
    let url = if url.starts_with("//") {
        format!("https:{url}")
    } else {
        url.to_owned()
    };
    match agent.head(&url).call() {
        Ok(response) if response.status().as_u16() < 400 => Ok(response.status().as_u16()),
        _ => agent
            .get(&url)
            .call()
            .map(|response| response.status().as_u16())
            .map_err(|err| err.to_string()),
    }
}
