//! A page file's bytes through the build's first stages in-process: loading (decoding, front
//! matter), resolving (languages, translations, `@/` links and anchors) and the Markdown
//! renderer with its sanitiser, in a small site with the real theme's strings. An input of odd
//! length is also the page's Arabic translation (right to left).

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut pages = vec![("content/guidance/page.md", data.to_vec())];
    if data.len() % 2 == 1 {
        pages.push(("content/guidance/page.ar.md", data.to_vec()));
    }
    common::load_and_render(common::site(), &pages, false);
});
