//! YAML parsing shared by `site.yaml`, front matter and i18n tables, turning serde_yaml's
//! messages into ones an editor can act on.

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Stage};

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
        serde_yaml::from_str(self.yaml).map_err(|err| self.diagnostic(&err))
    }

    fn diagnostic(&self, err: &serde_yaml::Error) -> Diagnostic {
        let (line, col) = err
            .location()
            .map_or((1, 1), |loc| (loc.line(), loc.column()));
        let line = line + self.first_line - 1;
        let raw = strip_location(&err.to_string());
        // serde_yaml names the key path first ("weight: invalid type…"); keep it, but read the
        // kind of error from what follows.
        let (path, kind) = match raw.split_once(": ") {
            Some((path, kind)) if !path.contains(' ') => (Some(path), kind),
            _ => (None, raw.as_str()),
        };
        let (mut message, help) = self.explain(kind, line);
        if let Some(path) = path {
            message = format!("{message} (at `{path}`)");
        }
        let mut diagnostic =
            Diagnostic::error(self.stage, message).at(self.file, Some(self.file_source), line, col);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostic
    }

    fn explain(&self, raw: &str, line: usize) -> (String, Option<String>) {
        let what = self.what;
        let line_text = self
            .file_source
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("");
        if let Some(rest) = raw.strip_prefix("unknown field ") {
            let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
            let valid = expected
                .trim_start_matches(" one of ")
                .trim_start_matches(' ')
                .replace(" or ", ", ")
                .replace('`', "");
            let wrong = field.trim_matches('`');
            let help = match crate::suggest::nearest(wrong, valid.split(", ")) {
                Some(near) => format!(
                    "did you mean `{near}`? The valid keys are: {valid}. Check the spelling, \
                     or remove the line"
                ),
                None => format!("valid keys are: {valid}. Check the spelling, or remove the line"),
            };
            return (format!("unknown key {field} in {what}"), Some(help));
        }
        if let Some(field) = raw.strip_prefix("missing field ") {
            return (
                format!("{what} is missing the required key {field}"),
                Some(format!("add a line such as {}: …", field.replace('`', ""))),
            );
        }
        if line_text.starts_with('\t') || raw.contains("tab") {
            return (
                format!("{what} is not valid YAML: {raw}"),
                Some(
                    "YAML does not allow tabs for indentation: replace the tab with spaces".into(),
                ),
            );
        }
        if raw.starts_with("invalid type") || raw.starts_with("invalid value") {
            return (
                format!("wrong kind of value in {what}: {raw}"),
                Some("check the value on this line: text may need quotes, numbers must be plain numbers, lists use [a, b]".into()),
            );
        }
        (
            format!("{what} is not valid YAML: {raw}"),
            Some("check the indentation and quoting on this line and the one before it".into()),
        )
    }
}

/// serde_yaml appends " at line N column M"; the diagnostic shows the place itself.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
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
        assert!(
            err.message.contains("wrong kind of value"),
            "{}",
            err.message
        );
    }
}
