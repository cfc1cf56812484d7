//! What a build tells the editor when it is done: pages per language, PDFs, time per stage.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::text::count;
use crate::translation_report::TranslationReport;

#[derive(Debug)]
pub struct Summary {
    /// Pages written per language: code and count.
    pub pages: Vec<(String, usize)>,
    pub output: PathBuf,
    /// PDFs laid out by Typst in this build, and PDFs reused unchanged from the last.
    pub printed: (usize, usize),
    pub elapsed: Duration,
    /// How long each stage took, in order, for `--report` and for finding what got slow.
    pub stages: Vec<(&'static str, Duration)>,
    pub report: TranslationReport,
    /// How many pages this build rendered (the rest it kept as they were).
    pub pages_rendered: usize,
    /// The output files this build wrote or removed.
    pub changed: Vec<String>,
}

/// Stage durations, recorded from inside closures that run on other threads.
pub(super) struct Stages {
    last: std::sync::Mutex<(Instant, Vec<(&'static str, Duration)>)>,
}

impl Stages {
    pub(super) fn new(started: Instant) -> Stages {
        Stages {
            last: std::sync::Mutex::new((started, Vec::new())),
        }
    }

    pub(super) fn end(&self, stage: &'static str) {
        if let Ok(mut guard) = self.last.lock() {
            let now = Instant::now();
            let took = now - guard.0;
            guard.0 = now;
            guard.1.push((stage, took));
        }
    }

    pub(super) fn into_inner(self) -> Vec<(&'static str, Duration)> {
        self.last
            .into_inner()
            .map(|(_, stages)| stages)
            .unwrap_or_default()
    }
}

impl Summary {
    pub fn total_pages(&self) -> usize {
        self.pages.iter().map(|(_, n)| n).sum()
    }

    /// The stages and their durations, on one line.
    pub fn stage_line(&self) -> String {
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|(name, took)| format!("{name} {:.2} s", took.as_secs_f64()))
            .collect();
        format!("Stages: {}", stages.join(", "))
    }

    /// One line: how many pages in which languages, how long, where.
    pub fn line(&self) -> String {
        let per_language: Vec<String> = self
            .pages
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        let (rendered, reused) = self.printed;
        let pdfs = match rendered + reused {
            0 => String::new(),
            total => format!(
                " and {} ({rendered} laid out, {reused} unchanged)",
                count(total, "PDF", "PDFs")
            ),
        };
        format!(
            "Built {} in {} ({}){pdfs} into {} in {:.2} s",
            count(self.total_pages(), "page", "pages"),
            count(self.pages.len(), "language", "languages"),
            per_language.join(", "),
            self.output.display(),
            self.elapsed.as_secs_f64()
        )
    }
}
