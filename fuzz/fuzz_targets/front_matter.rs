//! A page file's bytes through what reads every page before anything else: decoding (UTF-8,
//! byte-order mark, line ends), control characters, the front matter's YAML, the nesting check
//! and the sanitiser for raw HTML, and each error message as the build prints it. The fastest
//! target: hundreds of runs a second under the sanitiser.

#![no_main]

use libfuzzer_sys::fuzz_target;
use safe_surgeries::content::front_matter;
use safe_surgeries::diagnostics::Stage;
use safe_surgeries::{markdown, source};

const FILE: &str = "content/guidance/page.md";

fuzz_target!(|data: &[u8]| {
    let text = match source::decode(data, FILE, Stage::Content) {
        Ok(text) => text,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    let (text, warning) = source::replace_controls(text, FILE, Stage::Content);
    if let Some(warning) = warning {
        let _ = warning.to_string();
    }
    match front_matter::split(&text, FILE) {
        Ok(split) => {
            let _ = markdown::too_deep(split.body);
            let _ = markdown::sanitize::clean(split.body);
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
