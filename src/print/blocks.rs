//! A Markdown body as data for a print template: a tree of blocks and inline runs, serialised
//! to JSON. Templates place each run's text as text, so nothing an editor writes is ever read
//! as Typst markup or code.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde_json::{Value, json};

/// What is being filled: the body, a list item or a quote take blocks; a paragraph, heading,
/// table cell or inline style takes runs.
enum Open {
    Blocks(Vec<Value>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Value>,
    },
    Quote(Vec<Value>),
    Table(Vec<Value>),
    Row(Vec<Value>),
    Runs {
        kind: RunsKind,
        runs: Vec<Value>,
    },
    /// Footnote definitions and raw HTML blocks, which print leaves out.
    Skipped,
}

enum RunsKind {
    Paragraph,
    Heading { level: u8, classes: Vec<String> },
    Cell,
    Strong,
    Emph,
    Strike,
    Link,
    Code,
}

pub fn from_markdown(body: &str) -> Value {
    // Reported as an error by the Markdown stage, so no PDF made from this is written; walking
    // and serialising such a tree could exhaust the stack.
    if crate::markdown::too_deep(body).is_some() {
        return Value::Array(Vec::new());
    }
    let mut stack = vec![Open::Blocks(Vec::new())];
    for event in Parser::new_ext(body, crate::markdown::options()) {
        if matches!(stack.last(), Some(Open::Skipped)) {
            if let Event::End(TagEnd::FootnoteDefinition | TagEnd::HtmlBlock) = event {
                stack.pop();
            }
            continue;
        }
        match event {
            Event::Start(tag) => stack.push(open(tag)),
            Event::End(_) => {
                let Some(done) = stack.pop() else { continue };
                if let Some(value) = close(done) {
                    push(&mut stack, value);
                }
            }
            Event::Text(text) => add_run(&mut stack, json!({"t": "text", "s": text.as_ref()})),
            Event::Code(text) => add_run(&mut stack, json!({"t": "code", "s": text.as_ref()})),
            Event::SoftBreak => add_run(&mut stack, json!({"t": "text", "s": " "})),
            Event::HardBreak => add_run(&mut stack, json!({"t": "break"})),
            Event::Rule => push(&mut stack, json!({"kind": "rule"})),
            Event::TaskListMarker(done) => add_run(
                &mut stack,
                json!({"t": "text", "s": if done { "☑ " } else { "☐ " }}),
            ),
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                add_run(&mut stack, json!({"t": "text", "s": text.as_ref()}))
            }
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => {}
        }
    }
    let mut blocks = Vec::new();
    while let Some(open) = stack.pop() {
        if let Open::Blocks(done) = open {
            blocks = done;
        }
    }
    let mut blocks = Value::Array(blocks);
    mark_directions(&mut blocks);
    blocks
}

/// Gives paragraphs, headings, cells and lists the direction their text reads in where all of
/// it reads one way (Unicode bidi classes L, and R or AL), and lists the direction all their
/// items share. A template then sets an English sources list inside an Arabic leaflet left to
/// right, with its full stops where English readers expect them, and leaves mixed text to the
/// page's own direction.
fn mark_directions(value: &mut Value) -> Option<&'static str> {
    match value {
        Value::Array(items) => {
            let dirs: Vec<Option<&str>> = items.iter_mut().map(mark_directions).collect();
            let first = dirs.iter().flatten().next().copied();
            first.filter(|d| dirs.iter().flatten().all(|x| x == d))
        }
        Value::Object(block) => {
            let dir = if let Some(runs) = block.get("runs") {
                let mut text = String::new();
                run_text(runs, &mut text);
                direction(&text)
            } else {
                let mut inner = None;
                for key in ["items", "blocks", "rows", "cells"] {
                    if let Some(child) = block.get_mut(key) {
                        inner = mark_directions(child);
                    }
                }
                inner
            };
            if let Some(dir) = dir {
                block.insert("dir".into(), Value::from(dir));
            }
            dir
        }
        _ => None,
    }
}

/// `ltr` or `rtl` for text whose strongly directional letters all read one way; none for text
/// that mixes them ("NHS نمبر" belongs to the page's direction) or has none.
fn direction(text: &str) -> Option<&'static str> {
    use unicode_bidi::BidiClass::{AL, L, R};
    let (mut ltr, mut rtl) = (false, false);
    for c in text.chars() {
        match unicode_bidi::bidi_class(c) {
            L => ltr = true,
            R | AL => rtl = true,
            _ => {}
        }
    }
    match (ltr, rtl) {
        (true, false) => Some("ltr"),
        (false, true) => Some("rtl"),
        _ => None,
    }
}

fn run_text(runs: &Value, out: &mut String) {
    for run in runs.as_array().into_iter().flatten() {
        if let Some(s) = run.get("s").and_then(Value::as_str) {
            out.push_str(s);
        }
        if let Some(inner) = run.get("c") {
            run_text(inner, out);
        }
    }
}

fn open(tag: Tag) -> Open {
    let runs = |kind| Open::Runs {
        kind,
        runs: Vec::new(),
    };
    match tag {
        Tag::Paragraph => runs(RunsKind::Paragraph),
        Tag::Heading { level, classes, .. } => runs(RunsKind::Heading {
            level: heading_level(level),
            classes: classes.iter().map(|c| c.to_string()).collect(),
        }),
        Tag::TableCell => runs(RunsKind::Cell),
        Tag::Strong => runs(RunsKind::Strong),
        Tag::Emphasis => runs(RunsKind::Emph),
        Tag::Strikethrough => runs(RunsKind::Strike),
        Tag::Link { .. } => runs(RunsKind::Link),
        // An image prints as its alt text, which arrives as the tag's text events.
        Tag::Image { .. } => runs(RunsKind::Emph),
        Tag::CodeBlock(_) => runs(RunsKind::Code),
        Tag::List(start) => Open::List {
            ordered: start.is_some(),
            start: start.unwrap_or(1),
            items: Vec::new(),
        },
        Tag::Item => Open::Blocks(Vec::new()),
        Tag::BlockQuote(_) => Open::Quote(Vec::new()),
        Tag::Table(_) => Open::Table(Vec::new()),
        Tag::TableHead | Tag::TableRow => Open::Row(Vec::new()),
        Tag::FootnoteDefinition(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => Open::Skipped,
        // Definition lists and superscripts keep their text in the surrounding block.
        _ => Open::Blocks(Vec::new()),
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Turns a finished container into the value its parent takes.
fn close(open: Open) -> Option<Value> {
    Some(match open {
        Open::Blocks(blocks) => json!({"kind": "blocks", "blocks": blocks}),
        Open::List {
            ordered,
            start,
            items,
        } => json!({"kind": "list", "ordered": ordered, "start": start, "items": items}),
        Open::Quote(blocks) => json!({"kind": "quote", "blocks": blocks}),
        Open::Table(rows) => json!({"kind": "table", "rows": rows}),
        Open::Row(cells) => json!({"kind": "row", "cells": cells}),
        Open::Skipped => return None,
        Open::Runs { kind, runs } => match kind {
            RunsKind::Paragraph => json!({"kind": "paragraph", "runs": runs}),
            RunsKind::Heading { level, classes } => {
                json!({"kind": "heading", "level": level, "classes": classes, "runs": runs})
            }
            RunsKind::Cell => json!({"kind": "cell", "runs": runs}),
            RunsKind::Code => json!({"kind": "code", "runs": runs}),
            RunsKind::Strong => json!({"t": "strong", "c": runs}),
            RunsKind::Emph => json!({"t": "emph", "c": runs}),
            RunsKind::Strike => json!({"t": "strike", "c": runs}),
            RunsKind::Link => json!({"t": "link", "c": runs}),
        },
    })
}

/// Puts a finished value where it belongs in its parent.
fn push(stack: &mut [Open], value: Value) {
    let is_run = value.get("t").is_some();
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match stack.last_mut() {
        Some(Open::Runs { runs, .. }) => {
            if is_run {
                runs.push(value);
            }
        }
        Some(Open::Blocks(blocks) | Open::Quote(blocks)) => {
            if is_run {
                // Text straight inside a tight list item: give it a paragraph of its own.
                match blocks.last_mut() {
                    Some(last) if last.get("kind").and_then(Value::as_str) == Some("paragraph") => {
                        if let Some(Value::Array(runs)) = last.get_mut("runs") {
                            runs.push(value);
                        }
                    }
                    _ => blocks.push(json!({"kind": "paragraph", "runs": [value]})),
                }
            } else if kind == "blocks" {
                // An item's blocks, or an unknown container's: keep the contents, not the box.
                if let Some(Value::Array(inner)) = value.get("blocks") {
                    blocks.extend(inner.iter().cloned());
                }
            } else {
                blocks.push(value);
            }
        }
        Some(Open::List { items, .. }) => {
            if let Some(inner) = value.get("blocks") {
                items.push(inner.clone());
            }
        }
        Some(Open::Table(rows)) => {
            if kind == "row" {
                rows.push(value);
            }
        }
        Some(Open::Row(cells)) => {
            if kind == "cell" {
                cells.push(value);
            }
        }
        Some(Open::Skipped) | None => {}
    }
}

fn add_run(stack: &mut [Open], run: Value) {
    push(stack, run);
}

#[cfg(test)]
mod tests {
    use super::from_markdown;

    #[test]
    fn keeps_structure_and_text() {
        let blocks = from_markdown(
            "## You do not need {.x}\n\n- proof of *address*\n- ID\n\nSay: **\"I would like\"**.\n\n<script>x</script>\n",
        );
        let text = blocks.to_string();
        assert_eq!(blocks[0]["kind"], "heading");
        assert_eq!(blocks[0]["level"], 2);
        assert_eq!(blocks[0]["classes"][0], "x");
        assert_eq!(blocks[1]["kind"], "list");
        assert_eq!(blocks[1]["items"].as_array().map(Vec::len), Some(2));
        assert_eq!(blocks[1]["items"][0][0]["runs"][1]["t"], "emph");
        assert_eq!(blocks[2]["runs"][1]["t"], "strong");
        assert!(
            !text.contains("script"),
            "raw HTML must not reach print: {text}"
        );
    }

    #[test]
    fn blocks_know_the_direction_their_text_reads_in() {
        let blocks = from_markdown(
            "## المصادر {.sources}\n\n- NHS England, *Manual*, version 6.\n- BMA (2022).\n\nمرحبا.\n\nرقم NHS\n",
        );
        assert_eq!(blocks[0]["dir"], "rtl");
        assert_eq!(blocks[1]["dir"], "ltr", "an English list in an Arabic page");
        assert_eq!(blocks[1]["items"][0][0]["dir"], "ltr");
        assert_eq!(blocks[2]["dir"], "rtl");
        assert!(
            blocks[3].get("dir").is_none(),
            "mixed text keeps the page's direction"
        );
        assert!(from_markdown("2026 / 12\n")[0].get("dir").is_none());
    }

    #[test]
    fn typst_markup_stays_text() {
        let blocks = from_markdown("#set page(width: 1cm) and $x$ and [link](https://x.example)\n");
        assert_eq!(
            blocks[0]["runs"][0]["s"],
            "#set page(width: 1cm) and $x$ and "
        );
        assert_eq!(blocks[0]["runs"][1]["t"], "link");
    }
}
