//! The integration tests: one test program (as ripgrep and mdBook have), so the library and
//! its dependencies are linked once rather than once per file. Each module is one concern; each
//! test builds its own small site in a temporary folder and asserts on what the real binary
//! wrote. Run one module's tests with `cargo test --release --test suite print::`.

mod common;

mod architecture;
mod check;
mod cli;
mod content;
mod disk_full;
mod drafts;
mod errors;
mod fallback;
mod freshness;
mod harness;
mod i18n;
mod limits;
mod links;
mod markdown;
mod mistakes;
mod mutation;
mod new;
mod output;
mod patients;
mod phone;
mod print;
mod robustness;
mod search;
mod serve;
mod theme;
mod translate;
mod xss;
