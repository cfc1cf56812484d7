//! Bytes as the text of a printable leaflet (A5) in a small site with the real theme, through
//! the build's stages in-process up to the PDFs: the Markdown, the print text handed to Typst,
//! the layout, the PDF and its layout check. Slow under the sanitiser (seconds a run): run it
//! for long, with small inputs (`-max_len=2048`).

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

const FRONT_MATTER: &[u8] =
    b"---\ntitle: Leaflet\nprint:\n  template: leaflet\n  formats: [A5]\n---\n\n";

fuzz_target!(|data: &[u8]| {
    let page = [FRONT_MATTER, data].concat();
    common::load_and_render(
        common::site(),
        &[("content/patients/leaflet.md", page)],
        true,
    );
});
