//! serde_yaml's messages in an editor's words. The parser says what it expected ("did not find
//! expected ',' or ']'", "mapping values are not allowed in this context") and where it gave up,
//! often lines after the mistake. An editor needs the line to change and what to type: these
//! rules recognise the mistakes people make by hand (an unquoted colon, an unclosed bracket or
//! quote, a tab, a list where text belongs, a repeated key) and point at the place they start.

/// One problem, at one position of the YAML document (1-based, in the document's own lines).
#[derive(Debug, PartialEq, Eq)]
pub struct Explained {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub help: Option<String>,
}

/// What serde_yaml reported, taken apart.
struct Report<'a> {
    /// The key path of a type error (`title`, `tags[1]`, `print.headline`).
    path: Option<&'a str>,
    problem: &'a str,
    /// What the parser was in the middle of, and where that began.
    context: Option<(&'a str, usize, usize)>,
}

impl<'a> Report<'a> {
    fn parse(text: &'a str) -> Report<'a> {
        let (path, rest) = match text.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') => (Some(path), rest),
            _ => (None, text),
        };
        let (problem, context) = match rest.split_once(", while ") {
            Some((problem, context)) => {
                let (what, mark) = split_mark(context);
                (problem, mark.map(|(line, col)| (what, line, col)))
            }
            None => (rest, None),
        };
        Report {
            path,
            problem: split_mark(problem).0,
            context,
        }
    }
}

/// "… at line 3 column 1" into the text before it and the position.
fn split_mark(text: &str) -> (&str, Option<(usize, usize)>) {
    let Some(at) = text.rfind(" at line ") else {
        return (text, None);
    };
    let mark = text[at + " at line ".len()..]
        .split_once(" column ")
        .and_then(|(line, col)| Some((line.parse().ok()?, col.parse().ok()?)));
    (&text[..at], mark)
}

/// The document's lines, with the pieces of a `key: value` line the rules look at.
struct Lines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Lines<'a> {
    fn line(&self, n: usize) -> &'a str {
        self.lines.get(n.wrapping_sub(1)).copied().unwrap_or("")
    }

    /// `key` and the raw text after `key:` on line `n`, if it is such a line.
    fn key_value(&self, n: usize) -> Option<(&'a str, &'a str)> {
        key_value(self.line(n))
    }

    /// The line number of each line that sets `key` at the top level.
    fn lines_setting(&self, key: &str) -> Vec<usize> {
        (1..=self.lines.len())
            .filter(|&n| !self.line(n).starts_with(' '))
            .filter(|&n| self.key_value(n).is_some_and(|(k, _)| k == key))
            .collect()
    }
}

/// `key` and the raw text after `key:` on `line`, if it is such a line (a list item's too).
fn key_value(line: &str) -> Option<(&str, &str)> {
    let text = line.trim_start();
    let text = text.strip_prefix("- ").unwrap_or(text);
    let (key, value) = text.split_once(':')?;
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'));
    is_key.then(|| (key, value.trim()))
}

/// `value` written so that YAML reads it as text, in the quotes that need no escapes inside.
pub fn quoted(value: &str) -> String {
    if !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

/// Explains serde_yaml's `text`, reported at `mark`, for a document of `yaml` described as
/// `what` ("front matter", "site.yaml"). `first_line` is the file line of the document's first
/// line, for help that names another line.
pub fn explain(
    text: &str,
    mark: (usize, usize),
    yaml: &str,
    what: &str,
    first_line: usize,
) -> Explained {
    let report = Report::parse(text);
    let lines = Lines {
        lines: yaml.lines().collect(),
    };
    budgets(&report, mark, what)
        .or_else(|| keys(&report, mark, &lines, what, first_line))
        .or_else(|| syntax(&report, mark, &lines))
        .or_else(|| types(&report, mark, &lines, what))
        .unwrap_or_else(|| Explained {
            line: mark.0,
            col: mark.1,
            message: format!("{what} is not valid YAML: {}", report.problem),
            help: Some(
                "check the indentation and quoting on this line and the one before it".into(),
            ),
        })
}

/// The parser's own limits: aliases that would expand past its budget (a "billion laughs"),
/// and nesting past its recursion limit.
fn budgets(report: &Report<'_>, mark: (usize, usize), what: &str) -> Option<Explained> {
    match report.problem {
        "repetition limit exceeded" => at(
            mark.0,
            mark.1,
            format!(
                "{what} repeats its anchors (`&name`, used as `*name`) so often that they would \
                 expand into millions of values"
            ),
            "write the values out instead of `*name`, or use fewer of them".into(),
        ),
        "recursion limit exceeded" => at(
            mark.0,
            mark.1,
            format!(
                "{what} is nested more than {} levels deep",
                crate::limits::YAML_DEPTH
            ),
            "no setting needs that many levels: check for a runaway indentation or brackets".into(),
        ),
        _ => None,
    }
}

/// serde's "one of `a`, `b` or `c`" as "a, b, c".
fn one_of(expected: &str) -> String {
    expected
        .trim_start()
        .trim_start_matches("one of ")
        .replace(" or ", ", ")
        .replace('`', "")
}

fn at(line: usize, col: usize, message: String, help: String) -> Option<Explained> {
    Some(Explained {
        line,
        col,
        message,
        help: Some(help),
    })
}

/// Keys that are unknown, missing or given twice.
fn keys(
    report: &Report<'_>,
    mark: (usize, usize),
    lines: &Lines<'_>,
    what: &str,
    first_line: usize,
) -> Option<Explained> {
    let problem = report.problem;
    if let Some(rest) = problem.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let valid = one_of(expected);
        let wrong = field.trim_matches('`');
        let help = match crate::suggest::nearest(wrong, valid.split(", ")) {
            Some(near) => format!(
                "did you mean `{near}`? The valid keys are: {valid}. Check the spelling, or \
                 remove the line"
            ),
            None => format!("valid keys are: {valid}. Check the spelling, or remove the line"),
        };
        return at(
            mark.0,
            mark.1,
            format!("unknown key {field} in {what}"),
            help,
        );
    }
    if let Some(field) = problem.strip_prefix("missing field ") {
        let key = field.trim_matches('`');
        return at(
            mark.0,
            mark.1,
            format!("{what} is missing the required key {field}"),
            format!("add a line such as {key}: …"),
        );
    }
    let repeated = problem
        .strip_prefix("duplicate field ")
        .or_else(|| problem.strip_prefix("duplicate entry with key "))?;
    let key = repeated.trim_matches(['`', '"']);
    let setting = lines.lines_setting(key);
    let (first, again) = match setting.as_slice() {
        [first, again, ..] => (*first, *again),
        _ => (mark.0, mark.0),
    };
    at(
        again,
        1,
        format!("`{key}` is given twice in {what}"),
        format!(
            "keep one of the two: `{key}` is also set on line {}",
            first + first_line - 1
        ),
    )
}

/// Mistakes in the YAML itself, found by the parser.
fn syntax(report: &Report<'_>, mark: (usize, usize), lines: &Lines<'_>) -> Option<Explained> {
    let problem = report.problem;
    let (line, col) = mark;
    let text = lines.line(line);
    let (key, value) = lines.key_value(line).unwrap_or(("the key", ""));
    let fix = format!("put the whole text in quotes: {key}: {}", quoted(value));
    if text.contains('\t') || problem.contains("tab") {
        let col = text
            .find('\t')
            .map_or(col, |i| text[..i].chars().count() + 1);
        return at(
            line,
            col,
            "this line is indented with a tab".into(),
            "YAML allows only spaces for indentation: replace the tab with spaces".into(),
        );
    }
    if let Some((context, cline, ccol)) = report.context {
        if let Some(found) = unclosed(context, problem, lines.line(cline), ccol) {
            return at(cline, ccol, found.0, found.1);
        }
        if context.starts_with("scanning a simple key") {
            return at(
                cline,
                1,
                "this line has no `key:` at its start".into(),
                "if it goes on from the line above, indent it by two spaces or join the two \
                 lines; otherwise write it as `key: value`"
                    .into(),
            );
        }
    }
    if problem == "mapping values are not allowed in this context" {
        let previous = (1..line).rev().find(|&n| !lines.line(n).trim().is_empty());
        let continues =
            previous.is_some_and(|n| lines.key_value(n).is_some_and(|(_, v)| !v.is_empty()));
        if text.starts_with(' ') && continues && lines.key_value(line).is_some() {
            return at(
                line,
                1,
                "this line is indented, so YAML reads it as part of the line above".into(),
                format!("start `{key}:` at the beginning of the line, like the keys around it"),
            );
        }
        return at(
            line,
            col,
            format!(
                "the text after `{key}:` has a colon followed by a space, which YAML reads as \
                 the start of another key"
            ),
            fix,
        );
    }
    let start = value.chars().next().unwrap_or(' ');
    let starts_badly = matches!(
        problem,
        "found character that cannot start any token"
            | "found unknown directive name"
            | "unknown anchor"
            | "block sequence entries are not allowed in this context"
    );
    if starts_badly {
        let reads_as = match start {
            '*' => "which YAML reads as a reference to another value",
            '-' => "which YAML reads as a list",
            _ => "which YAML does not allow there",
        };
        return at(
            line,
            col,
            format!("the text after `{key}:` starts with `{start}`, {reads_as}"),
            fix,
        );
    }
    if problem == "did not find expected key" {
        return Some(unexpected_line(line, col, text, key, value));
    }
    None
}

/// A bracket or quote opened (at column `col` of `text`) and never closed.
fn unclosed(context: &str, problem: &str, text: &str, col: usize) -> Option<(String, String)> {
    let opened = text.chars().nth(col.saturating_sub(1)).unwrap_or('"');
    let (key, value) = key_value(text).unwrap_or(("the key", ""));
    let (open, close, what) = match context {
        "parsing a flow sequence" => ('[', ']', "list"),
        "parsing a flow mapping" => ('{', '}', "group"),
        "scanning a quoted scalar" if problem.contains("end of stream") => {
            let inside = if opened == '\'' {
                "to show `'` inside the text, write it twice: `''`"
            } else {
                "to show `\"` inside the text, write `\\\"`, or put the text in single quotes"
            };
            return Some((
                format!("the quote `{opened}` that opens here is never closed"),
                format!("add `{opened}` at the end of the text; {inside}"),
            ));
        }
        "scanning a quoted scalar" => {
            return Some((
                format!("the text in quotes after `{key}:` cannot be read: {problem}"),
                "between double quotes a backslash starts a special character: write `\\\\` \
                 for a backslash, or put the text in single quotes"
                    .into(),
            ));
        }
        _ => return None,
    };
    if !problem.starts_with("did not find expected") {
        return None;
    }
    let space = if open == '{' { " " } else { "" };
    let closed = format!("{}{space}{close}", text.trim());
    let mut help = format!("end it with `{close}` on the same line: {closed}");
    if value.starts_with(open) {
        help.push_str(&format!(
            "; or, if this is text that starts with `{open}`, put it all in quotes: {key}: {}",
            quoted(value)
        ));
    }
    Some((
        format!("the {what} that opens with `{open}` here is never closed with `{close}`"),
        help,
    ))
}

/// The parser wanted a new `key: value` line and found something else on `text`.
fn unexpected_line(line: usize, col: usize, text: &str, key: &str, value: &str) -> Explained {
    let (message, help) = if value.starts_with(['"', '\'']) {
        (
            format!(
                "the text after `{key}:` starts with a quote, so it must end where the quote \
                 closes, but more text follows it"
            ),
            format!("put the whole text in quotes: {key}: {}", quoted(value)),
        )
    } else if text.trim_start().starts_with("- ") {
        (
            "a list item where a `key:` was expected".into(),
            "put list items under their key, each on its own line and indented by two spaces \
             (`  - item`)"
                .into(),
        )
    } else {
        (
            "a new `key: value` line was expected here".into(),
            "check the indentation: keys start at the beginning of the line, and every line of \
             a value that goes on over several lines is indented"
                .into(),
        )
    };
    Explained {
        line,
        col,
        message,
        help: Some(help),
    }
}

/// Values of the wrong kind, found once the YAML was read.
fn types(
    report: &Report<'_>,
    mark: (usize, usize),
    lines: &Lines<'_>,
    what: &str,
) -> Option<Explained> {
    let problem = report.problem;
    let (line, col) = mark;
    // A value checked by the site's own code (a date) comes back with neither key nor place:
    // find the line that holds it.
    let quoted_value = problem
        .strip_prefix("invalid value: string \"")
        .and_then(|rest| rest.split_once('"'))
        .map(|(value, _)| value);
    let found_at = quoted_value.and_then(|value| {
        (1..=lines.lines.len()).find_map(|n| {
            let (key, v) = lines.key_value(n)?;
            (v.trim_matches(['"', '\'']) == value).then_some((n, key))
        })
    });
    let (path, (line, col)) = match (report.path, found_at) {
        (Some(path), _) => (Some(path), (line, col)),
        (None, Some((n, key))) => (Some(key), (n, lines.line(n).find(':').map_or(1, |i| i + 3))),
        (None, None) => (None, (line, col)),
    };
    let Some(path) = path else {
        if !problem.starts_with("invalid type: sequence, expected struct") {
            return None;
        }
        return at(
            line,
            col,
            format!("{what} must be `key: value` lines, not a list"),
            "write each setting on its own line as `key: value`".into(),
        );
    };
    let (key, value) = lines.key_value(line).unwrap_or((path, ""));
    let fix = format!("put the whole text in quotes: {key}: {}", quoted(value));
    let (message, help) = if let Some(rest) = problem.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        wrong_type(path, key, value, found, expected, fix)
    } else if let Some(rest) = problem.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        (
            format!("`{path}` must be {expected}"),
            format!("the value here is {}", found.trim_start_matches("string ")),
        )
    } else if let Some(rest) = problem.strip_prefix("unknown variant ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let valid = one_of(expected);
        let near = crate::suggest::nearest(found.trim_matches('`'), valid.split(", "))
            .map(|near| format!("did you mean `{near}`? "))
            .unwrap_or_default();
        (
            format!("`{path}` cannot be {found}"),
            format!("{near}use one of: {valid}"),
        )
    } else {
        return None;
    };
    at(line, col, message, help)
}

fn wrong_type(
    path: &str,
    key: &str,
    value: &str,
    found: &str,
    expected: &str,
    fix: String,
) -> (String, String) {
    let wants_text = expected == "a string";
    match found {
        "sequence" if wants_text && value.starts_with('[') => (
            format!("`{path}` must be text, but the `[` at its start makes it a list"),
            fix,
        ),
        "map" if wants_text && value.starts_with('{') => (
            format!("`{path}` must be text, but the `{{` at its start makes it a group of keys"),
            fix,
        ),
        "sequence" | "map" if wants_text => (
            format!("`{path}` must be text, but it is a list here"),
            format!("write the text on the same line, after `{key}: `"),
        ),
        "unit value" if value.starts_with('#') => (
            format!("`{path}` is empty: YAML reads text that starts with `#` as a comment"),
            fix,
        ),
        "unit value" => (
            format!("`{path}` has no value"),
            format!("write the value after `{key}: `, or remove the line"),
        ),
        _ if expected == "a boolean" => (
            format!("`{path}` must be true or false"),
            format!("write `{key}: true` or `{key}: false`"),
        ),
        _ if expected.starts_with(['i', 'u']) && expected[1..].parse::<u8>().is_ok() => (
            format!("`{path}` must be a whole number"),
            format!("write a number with nothing else, as in `{key}: 10`"),
        ),
        _ if expected == "a sequence" => (
            format!("`{path}` must be a list"),
            format!("write it in square brackets, with commas between the items: {key}: [{value}]"),
        ),
        _ => (
            format!("`{path}` must be {expected}, not {found}"),
            "check the value on this line: text may need quotes, numbers must be plain numbers, \
             lists use [a, b]"
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(yaml: &str, text: &str, mark: (usize, usize)) -> Explained {
        explain(text, mark, yaml, "front matter", 2)
    }

    #[test]
    fn an_unclosed_list_is_reported_where_it_opens() {
        let yaml = "title: a\ntags: [x, y\n";
        let e = explained(
            yaml,
            "did not find expected ',' or ']' at line 3 column 1, while parsing a flow sequence at line 2 column 7",
            (3, 1),
        );
        assert_eq!((e.line, e.col), (2, 7));
        assert!(e.message.contains("never closed with `]`"), "{}", e.message);
    }

    #[test]
    fn an_unquoted_colon_asks_for_quotes() {
        let yaml = "title: Registering: the rules\n";
        let e = explained(
            yaml,
            "mapping values are not allowed in this context at line 1 column 19",
            (1, 19),
        );
        assert_eq!(
            e.help.as_deref(),
            Some("put the whole text in quotes: title: \"Registering: the rules\"")
        );
    }

    #[test]
    fn quotes_that_need_no_escaping_are_chosen() {
        assert_eq!(quoted("a: b"), "\"a: b\"");
        assert_eq!(quoted("say \"hi\": now"), "'say \"hi\": now'");
        assert_eq!(quoted("it's \"x\""), "'it''s \"x\"'");
    }

    #[test]
    fn a_repeated_key_points_at_its_second_line() {
        let yaml = "title: x\ndescription: a\ndescription: b\n";
        let e = explained(yaml, "duplicate field `description`", (1, 1));
        assert_eq!(e.line, 3);
        assert!(
            e.help.unwrap_or_default().contains("line 3"),
            "first is file line 3"
        );
    }

    #[test]
    fn text_that_opens_a_list_asks_for_quotes() {
        let yaml = "title: [Registering] patients\n";
        let e = explained(
            yaml,
            "title: invalid type: sequence, expected a string at line 1 column 8",
            (1, 8),
        );
        assert!(e.message.contains("makes it a list"), "{}", e.message);
        assert_eq!(
            e.help.as_deref(),
            Some("put the whole text in quotes: title: \"[Registering] patients\"")
        );
    }
}
