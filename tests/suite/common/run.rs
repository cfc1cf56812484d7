//! Running the real binary, and what a run printed.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

/// The binary under test, built by cargo for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_safe-surgeries");

/// What one run of the binary did.
pub struct Run {
    pub args: String,
    /// `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args` in `cwd`, colours off, no input.
pub fn run<S: AsRef<OsStr>>(args: &[S], cwd: &Path) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("CLICOLOR", "0")
        .env("TERM", "dumb")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {BIN}: {e}"));
    Run {
        args: args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        code: out.status.code(),
        stdout: strip_ansi(&String::from_utf8_lossy(&out.stdout)),
        stderr: strip_ansi(&String::from_utf8_lossy(&out.stderr)),
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`safe-surgeries {}` exited with {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "unexpected exit code\n{self}");
        self
    }

    pub fn assert_ok(&self) -> &Run {
        self.assert_code(0)
    }

    /// A content error: exit code 1 and at least one `error:` on stderr.
    pub fn assert_content_error(&self) -> &Run {
        self.assert_code(1);
        assert!(
            self.stderr.contains("error:"),
            "no `error:` on stderr\n{self}"
        );
        self
    }

    /// stdout and stderr together.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    pub fn assert_stderr_contains(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{self}"
        );
        self
    }

    /// stderr names `<file>:<line>:<col>` (the path may be absolute or relative to the site).
    pub fn assert_location(&self, file: &str, line: usize) -> &Run {
        assert!(
            has_location(&self.stderr, file, line),
            "stderr lacks the location `{file}:{line}:<col>`\n{self}"
        );
        self
    }

    /// stderr names `<file>:<line>` (a column may follow, another digit may not).
    pub fn assert_line_mentioned(&self, file: &str, line: usize) -> &Run {
        let needle = format!("{file}:{line}");
        let found = self.stderr.match_indices(&needle).any(|(at, _)| {
            !self.stderr[at + needle.len()..].starts_with(|c: char| c.is_ascii_digit())
        });
        assert!(found, "stderr does not name `{file}:{line}`\n{self}");
        self
    }

    /// stderr names `<file>:<line>:<col>` for one of the given lines.
    pub fn assert_location_any(&self, file: &str, lines: &[usize]) -> &Run {
        assert!(
            lines.iter().any(|&l| has_location(&self.stderr, file, l)),
            "stderr lacks `{file}:<line>:<col>` for any line in {lines:?}\n{self}"
        );
        self
    }

    /// The distinct stderr lines that contain `error:`.
    pub fn error_lines(&self) -> BTreeSet<&str> {
        self.stderr
            .lines()
            .map(str::trim)
            .filter(|l| l.contains("error:"))
            .collect()
    }

    /// The distinct stderr lines that contain `warning:`.
    pub fn warning_lines(&self) -> BTreeSet<&str> {
        self.stderr
            .lines()
            .map(str::trim)
            .filter(|l| l.contains("warning:"))
            .collect()
    }
}

/// Whether `text` contains `<…file>:<line>:<digits>`.
pub fn has_location(text: &str, file: &str, line: usize) -> bool {
    let needle = format!("{file}:{line}:");
    text.match_indices(&needle).any(|(at, _)| {
        let before_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-' && c != '.');
        let col_ok = text[at + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
        before_ok && col_ok
    })
}

/// Whether `text` contains `word` with no letter, digit, `-` or `_` on either side.
pub fn contains_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(at, _)| {
        text[..at].chars().next_back().is_none_or(|c| !is_word(c))
            && text[at + word.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_word(c))
    })
}

pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A test needs `tool`, which this machine lacks. Under CI (`CI=true`), which installs every tool
/// the tests use in `.ci/run`, that is a failure: a skipped check must not pass for a green one.
/// Elsewhere the test says why it skips.
pub fn missing_tool(tool: &str, install: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !ci,
        "{tool} is needed by this test and is not installed ({install}); .ci/run installs it"
    );
    eprintln!("skipping: {tool} is not installed ({install})");
}
