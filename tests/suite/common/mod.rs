//! Helpers shared by the integration tests, by concern: temporary sites built from fixtures or
//! written inline (`site`), running the real binary (`run`), reading what it wrote (`output`),
//! its HTML (`html`) and XML (`xml`), a browser (`browser`), live reload (`live`) and mangled
//! content (`mutate`).
//!
//! Every test builds its own site in its own temporary folder, so tests run in parallel.

pub mod browser;
pub mod html;
pub mod live;
pub mod mutate;
pub mod output;
pub mod run;
pub mod site;
pub mod xml;

pub use html::*;
pub use output::*;
pub use run::*;
pub use site::*;
pub use xml::*;
