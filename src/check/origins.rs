//! Where an editor fixes what `check` finds in a built page: the line of the page's Markdown
//! that has the link or image, or the line of the theme template that made it. The built file
//! is a temporary copy nobody edits, so it is named only when nothing else is found.

use std::collections::{HashMap, HashSet};

use super::Finding;

/// Where each built file came from, and the text of the files it may have come from.
#[derive(Default)]
pub struct Origins {
    /// Built page path to its content file.
    pub pages: HashMap<String, String>,
    /// Built page path to the template file it is rendered with.
    pub templates_of: HashMap<String, String>,
    /// Output paths that nothing needs to link to: home pages, the 404 page, search pages.
    pub entry_points: HashSet<String>,
    /// Headings written in each page's Markdown, so a skipped level there is reported once, at
    /// the source, rather than again here.
    pub markdown_headings: HashMap<String, Vec<String>>,
    /// The text of every content file and theme template, by the path shown to editors.
    pub texts: HashMap<String, String>,
    /// The theme's template files, in the order they are searched.
    pub template_files: Vec<String>,
}

impl Origins {
    /// "guidance/x/index.html (from content/guidance/x.md)", for a finding with no line.
    pub fn of(&self, path: &str) -> String {
        match self.pages.get(path) {
            Some(file) => format!("{path} (from {file})"),
            None => format!("{path} (made by the theme)"),
        }
    }

    /// `finding` about `needle` (an address as written) in built file `from`, placed at the
    /// first line that has it: the page's Markdown, else a template; else at the template the
    /// page is rendered with, else named by the built file.
    pub fn place(&self, from: &str, needle: &str, finding: Finding) -> Finding {
        let sources = self.pages.get(from).into_iter().chain(&self.template_files);
        for file in sources {
            let Some(text) = self.texts.get(file) else {
                continue;
            };
            if let Some(offset) = find_written(text, needle) {
                let (line, col) = crate::diagnostics::line_col(text, offset);
                return finding.at(file, text, line, col);
            }
        }
        match self.templates_of.get(from) {
            Some(template) => {
                let text = self.texts.get(template).map_or("", String::as_str);
                let page = self.of(from);
                finding.at(template, text, 1, 1).with_note(format!(
                    "the theme makes this address on {page}, with this template or one it \
                         includes"
                ))
            }
            None => finding.prefixed(&self.of(from)),
        }
    }

    /// `finding` about built page `path` as a whole, at the top of its content file.
    pub fn at_page(&self, path: &str, finding: Finding) -> Finding {
        match self.pages.get(path) {
            Some(file) => {
                let text = self.texts.get(file).map_or("", String::as_str);
                finding.at(file, text, 1, 1)
            }
            None => finding.prefixed(&self.of(path)),
        }
    }
}

/// Where `needle` is written in `text` as an address: inside `(…)`, `"…"`, `'…'` or `<…>`
/// first (so `#a` does not match the `#a` inside another link), else anywhere.
fn find_written(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    for (open, close) in [
        ('(', [')', ' ']),
        ('"', ['"', '"']),
        ('\'', ['\'', '\'']),
        ('<', ['>', '>']),
    ] {
        for close in close {
            let written = format!("{open}{needle}{close}");
            if let Some(at) = text.find(&written) {
                return Some(at + open.len_utf8());
            }
        }
    }
    text.find(needle)
}

#[cfg(test)]
mod tests {
    use super::find_written;

    #[test]
    fn an_address_is_found_where_it_is_written_whole() {
        let text = "See [a](#ab) and [b](#a).";
        assert_eq!(find_written(text, "#a"), text.find("#a)"));
        assert_eq!(find_written("href=\"../x/\"", "../x/"), Some(6));
    }
}
