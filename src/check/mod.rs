//! `safe-surgeries check`: what an editor or CI runs before readers see a problem.

use std::path::PathBuf;

pub struct Settings {
    pub root: PathBuf,
    pub drafts: bool,
    pub external: bool,
}

pub struct Report {}

impl Report {
    pub fn text(&self) -> String {
        String::new()
    }

    pub fn json(&self) -> String {
        String::new()
    }

    pub fn exit_code(&self) -> u8 {
        0
    }
}

pub fn run(_settings: &Settings) -> Report {
    Report {}
}
