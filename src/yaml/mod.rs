//! YAML parsing shared by `site.yaml`, front matter and i18n tables, turning serde_yaml's
//! messages into ones an editor can act on.

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Stage};

mod explain;

pub use explain::quoted;

/// A YAML document inside a file: `first_line` is the file line the document starts on, so that
/// front matter errors point at the right line of the Markdown file.
pub struct Document<'a> {
    pub file: &'a str,
    /// The whole file, for quoting the offending line.
    pub file_source: &'a str,
    pub yaml: &'a str,
    pub first_line: usize,
    pub stage: Stage,
    /// What the document is, for messages: "front matter", "site.yaml".
    pub what: &'a str,
}

impl Document<'_> {
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        // The parser's own recursion limit is met only after time quadratic in the depth (30 s
        // at 100,000 levels): count the levels first.
        if let Some(offset) = crate::limits::yaml_too_deep(self.yaml) {
            let (line, col) = crate::diagnostics::line_col(self.yaml, offset);
            return Err(Diagnostic::error(
                self.stage,
                format!(
                    "{} is nested more than {} levels deep",
                    self.what,
                    crate::limits::YAML_DEPTH
                ),
            )
            .at(
                self.file,
                Some(self.file_source),
                line + self.first_line - 1,
                col,
            )
            .with_help("no setting needs that many `[` or `{`: check for a runaway list or map"));
        }
        serde_yaml::from_str(self.yaml).map_err(|err| self.diagnostic(&err))
    }

    fn diagnostic(&self, err: &serde_yaml::Error) -> Diagnostic {
        let mark = err
            .location()
            .map_or((1, 1), |loc| (loc.line(), loc.column()));
        let found = explain::explain(
            &err.to_string(),
            mark,
            self.yaml,
            self.what,
            self.first_line,
        );
        let line = found.line + self.first_line - 1;
        let diagnostic = Diagnostic::error(self.stage, found.message).at(
            self.file,
            Some(self.file_source),
            line,
            found.col,
        );
        match found.help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        weight: Option<i64>,
    }

    fn doc(src: &str) -> Document<'_> {
        Document {
            file: "content/a.md",
            file_source: src,
            yaml: src,
            first_line: 1,
            stage: Stage::Content,
            what: "front matter",
        }
    }

    #[test]
    fn unknown_key_lists_valid_keys() {
        let src = "title: x\ntitel: y\n";
        let err = doc(src).parse::<Sample>().unwrap_err();
        assert_eq!(err.span.as_ref().map(|s| s.line), Some(2));
        assert!(
            err.message.contains("unknown key `titel`"),
            "{}",
            err.message
        );
        let help = err.help.unwrap_or_default();
        assert!(help.contains("title, weight"), "{help}");
        assert!(help.starts_with("did you mean `title`?"), "{help}");
    }

    #[test]
    fn a_key_far_from_every_valid_one_gets_no_guess() {
        let src = "title: x
colour: y
";
        let help = doc(src)
            .parse::<Sample>()
            .unwrap_err()
            .help
            .unwrap_or_default();
        assert!(!help.contains("did you mean"), "{help}");
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let err = doc("title: x\nweight: heavy\n")
            .parse::<Sample>()
            .unwrap_err();
        assert_eq!(err.span.map(|s| s.line), Some(2));
        assert_eq!(err.message, "`weight` must be a whole number");
    }
}
