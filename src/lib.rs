//! `safe-surgeries`: the static site generator behind the Safe Surgeries toolkit.
//!
//! The build is a pipeline that reads top to bottom (see [`build::build`]):
//! load ([`config`], [`content`], [`i18n`], [`templates`], [`assets`]) ->
//! resolve ([`site`], [`links`]) -> render ([`markdown`], [`render`]) -> write ([`output`]).

pub mod assets;
pub mod build;
pub mod check;
pub mod config;
pub mod contain;
pub mod content;
pub mod diagnostics;
pub mod edit;
pub mod fault;
pub mod freshness;
pub mod i18n;
pub mod ids;
pub mod incremental;
pub mod limits;
pub mod links;
pub mod locale;
pub mod locate;
pub mod markdown;
pub mod new;
pub mod output;
pub mod paths;
pub mod practices;
pub mod print;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod slow;
pub mod slug;
pub mod source;
pub mod suggest;
pub mod templates;
pub mod text;
pub mod translate;
pub mod translation_report;
pub mod whole_file;
pub mod yaml;
