//! A page file's bytes as a page of a small site with the real theme, built in-process from
//! end to end with `build::build`: what `markdown_page` covers, then templates, search, the
//! offline copies and the output folder. Slow (a build a run); `markdown_page` finds most of
//! the same things faster.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut pages = vec![("content/guidance/page.md", data.to_vec())];
    if data.len() % 2 == 1 {
        pages.push(("content/guidance/page.ar.md", data.to_vec()));
    }
    common::build(common::site(), &pages);
});
