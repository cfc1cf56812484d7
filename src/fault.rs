//! Faults the tests inject to stop a build at an exact step (`SAFE_SURGERIES_TEST_FAULT`, a
//! comma-separated list, in the manner of git's `GIT_TEST_*`): `kill-<step>` ends the process
//! there as a kill would; `no-exchange` takes the swap's path for systems without an atomic
//! exchange; `keep-old` fails to remove the old output tree; `slow-print` makes each PDF take
//! longer than [`crate::slow::SLOW`]; `panic-in-print` makes every PDF's
//! layout panic, as Typst's PDF writer once did. Unset, nothing changes.

fn faults() -> Option<String> {
    std::env::var("SAFE_SURGERIES_TEST_FAULT").ok()
}

pub fn is_set(name: &str) -> bool {
    faults().is_some_and(|f| f.split(',').any(|x| x.trim() == name))
}

pub fn kill_at(step: &str) {
    if is_set(&format!("kill-{step}")) {
        // No destructor runs, no file is closed tidily: what a SIGKILL leaves.
        std::process::abort();
    }
}
