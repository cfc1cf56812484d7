//! The text of a page's rendered Markdown, for the index: tags removed, the entities
//! pulldown-cmark writes decoded, and the headings' text kept apart so that it can weigh more.

/// What a page body says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// All of it, headings included, with blocks separated by spaces.
    pub all: String,
    /// The text of `<h1>`–`<h6>` elements.
    pub headings: String,
    /// The text outside headings, for an excerpt when the page has no description.
    pub prose: String,
}

/// Elements whose edges do not split a word: `re<em>gist</em>er` is one word, and in Chinese
/// a phrase runs on through a link or emphasis. Every other tag separates words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "time", "u", "var",
];

/// Elements whose content is not text a reader sees.
const HIDDEN: &[&str] = &["script", "style", "template", "svg", "math"];

/// The text of an HTML fragment as pulldown-cmark and the sanitiser write it (well-formed
/// tags, quoted attributes). Unknown entities are kept as written.
pub fn html_to_text(html: &str) -> Text {
    let mut text = Text::default();
    let mut heading_depth = 0usize;
    let mut hidden: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if hidden.is_none() {
                push_text(&mut text, rest, heading_depth > 0);
            }
            break;
        };
        if hidden.is_none() {
            push_text(&mut text, &rest[..lt], heading_depth > 0);
        }
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let end = tag_end(rest);
        let tag = rest[1..end].trim_end_matches('>');
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() {
            // A `<` that starts no tag (`a < b` written raw): it is text.
            if hidden.is_none() {
                push_text(&mut text, "<", heading_depth > 0);
            }
            rest = &rest[1..];
            continue;
        }
        rest = &rest[end..];
        if let Some(open) = &hidden {
            if closing && *open == name {
                hidden = None;
            }
            continue;
        }
        if HIDDEN.contains(&name.as_str()) && !closing && !tag.ends_with('/') {
            hidden = Some(name);
            continue;
        }
        let is_heading = matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if is_heading {
            heading_depth = if closing {
                heading_depth.saturating_sub(1)
            } else {
                heading_depth + 1
            };
        }
        if !INLINE.contains(&name.as_str()) {
            separate(&mut text);
        }
    }
    for part in [&mut text.all, &mut text.headings, &mut text.prose] {
        *part = part.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    text
}

/// Where the tag starting `rest` (at its `<`) ends, after its `>`, skipping `>` inside quoted
/// attribute values.
fn tag_end(rest: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in rest.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            (None, '<') => return i,
            _ => {}
        }
    }
    rest.len()
}

fn separate(text: &mut Text) {
    for part in [&mut text.all, &mut text.headings, &mut text.prose] {
        if !part.ends_with(' ') && !part.is_empty() {
            part.push(' ');
        }
    }
}

fn push_text(text: &mut Text, raw: &str, in_heading: bool) {
    let decoded = decode_entities(raw);
    text.all.push_str(&decoded);
    if in_heading {
        text.headings.push_str(&decoded);
    } else {
        text.prose.push_str(&decoded);
    }
}

/// Decodes the entities pulldown-cmark writes (`&amp; &lt; &gt; &quot; &#39;`), numeric
/// references, and `&nbsp;`, which authors of raw HTML use.
pub fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| entity(&rest[1..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_and_blocks_separate_words() {
        let text = html_to_text(
            "<h2 id=\"x\">Who <em>pays</em></h2>\n<p>The practice<br>books it.</p><ul><li>one</li><li>two</li></ul>",
        );
        assert_eq!(text.all, "Who pays The practice books it. one two");
        assert_eq!(text.headings, "Who pays");
        assert_eq!(text.prose, "The practice books it. one two");
    }

    #[test]
    fn inline_tags_do_not_split_chinese_phrases() {
        let text = html_to_text("<p>请<a href=\"/x/\">联系</a>诊所</p>");
        assert_eq!(text.all, "请联系诊所");
    }

    #[test]
    fn entities_are_decoded() {
        let text = html_to_text(
            "<p>A &amp; B &lt;tag&gt; &quot;q&quot; it&#39;s &#x41;&nbsp;&bogus; &</p>",
        );
        assert_eq!(text.all, "A & B <tag> \"q\" it's A &bogus; &");
    }

    #[test]
    fn attributes_comments_and_hidden_elements_are_not_text() {
        let text = html_to_text(
            "<!-- note --><p title=\"a > b\">Shown</p><script>var x = 1;</script><style>p{}</style><p>too</p>",
        );
        assert_eq!(text.all, "Shown too");
    }

    #[test]
    fn footnote_numbers_do_not_join_the_word_before() {
        let text = html_to_text(
            "<p>registration<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup> is free</p>",
        );
        assert_eq!(text.all, "registration 1 is free");
    }

    #[test]
    fn a_stray_angle_bracket_is_text() {
        assert_eq!(html_to_text("<p>1 < 2</p>").all, "1 < 2");
    }
}
