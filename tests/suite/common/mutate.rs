//! Seeded mangling of page files, for the tests that feed the build bad input: the same seed
//! always gives the same pages, so a failing case can be replayed from its seed and number.

/// SplitMix64: tiny, fast and the same on every platform, which is all a test generator needs.
#[derive(Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The generator of case `case` of a run seeded with `seed`. Each case gets its own stream,
    /// so that one case replays without running the ones before it.
    pub fn for_case(seed: u64, case: u64) -> SplitMix {
        let mut mix = SplitMix(seed ^ case.wrapping_mul(0xD1B5_4A32_D192_ED03));
        SplitMix(mix.next())
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Light mangling: a few small edits (tests/suite/robustness.rs)
// ---------------------------------------------------------------------------------------------

/// Fragments spliced into pages: the shapes most likely to trip a parser.
pub const SPLICES: [&str; 14] = [
    "---",
    "\t",
    "<script>",
    "</",
    "<a href='javascript:",
    "@/",
    "#",
    "[^",
    "{#",
    "> [!",
    "\u{feff}",
    "\r\n",
    "&#x",
    "é",
];

/// One to four truncations, byte changes, splices of [`SPLICES`] or deletions.
pub fn mangle_lightly(rng: &mut SplitMix, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => bytes.truncate(at),
            1 => {
                if at < bytes.len() {
                    bytes[at] = rng.next() as u8;
                }
            }
            2 => {
                let splice = SPLICES[rng.below(SPLICES.len())].as_bytes();
                bytes.splice(at..at, splice.iter().copied());
            }
            _ => {
                let end = (at + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
    bytes
}

// ---------------------------------------------------------------------------------------------
// Heavy mangling: every kind of bad input an editor, a translator's tool or a bad copy and paste
// could produce (tests/suite/mutation.rs)
// ---------------------------------------------------------------------------------------------

/// The largest repeat counts the heavy operators draw. Sizes are mostly small (1–8), sometimes
/// hundreds (9–256) and one time in ten up to the limit: every parser meets deep and long input,
/// and a case still takes well under a second.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Nesting depth (`>`, `*`, `-`, `[`, `<div>`, YAML `{a:`). YAML flow maps nested 4,096
    /// deep already take 0.1 s to refuse, and the time grows with the square of the depth.
    pub nest: usize,
    /// Repetitions of a character or piece (`é`×N, long lines). A printable page's text of
    /// 8,192 `é` lays out in 0.2 s; the time grows faster than the length.
    pub repeat: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        nest: 2048,
        repeat: 8192,
    };

    pub fn scaled(factor: usize) -> Limits {
        Limits {
            nest: Limits::DEFAULT.nest * factor.max(1),
            repeat: Limits::DEFAULT.repeat * factor.max(1),
        }
    }
}

/// A repeat count: see [`Limits`].
fn size(rng: &mut SplitMix, limit: usize) -> usize {
    match rng.below(10) {
        0..=5 => 1 + rng.below(8),
        6..=8 => 9 + rng.below(248),
        _ => 257 + rng.below(limit.saturating_sub(256).max(1)),
    }
}

type Operator = fn(&mut SplitMix, Limits, &mut Vec<u8>) -> String;

/// The operators, each drawn equally often.
const OPERATORS: [Operator; 14] = [
    flip_bytes,
    cut,
    yaml_special,
    nest_markdown,
    nest_yaml_or_html,
    long_line,
    unbalanced_html,
    template_like,
    line_ends,
    bom_or_control,
    invalid_utf8,
    repetition,
    markdown_special,
    restructure,
];

/// One to three heavy mutations of `page`, and what they were, to name in a failure.
pub fn mutate(rng: &mut SplitMix, limits: Limits, page: &[u8]) -> (Vec<u8>, String) {
    let rounds = if rng.percent(75) { 1 } else { 2 + rng.below(2) };
    let mut bytes = page.to_vec();
    let what: Vec<String> = (0..rounds)
        .map(|_| rng.pick(&OPERATORS)(rng, limits, &mut bytes))
        .collect();
    (bytes, what.join("; then "))
}

/// Text for a failure message: quoted, escaped, and shortened when long.
pub fn show(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut shown: String = text.chars().take(40).flat_map(char::escape_debug).collect();
    if text.chars().count() > 40 {
        shown.push_str(&format!("…, {} bytes", bytes.len()));
    }
    format!("\"{shown}\"")
}

/// `piece` repeated `n` times, named as such.
fn repeated(piece: &str, n: usize) -> (Vec<u8>, String) {
    (
        piece.repeat(n).into_bytes(),
        format!("{}×{n}", show(piece.as_bytes())),
    )
}

// Where to put things. Positions stay on character boundaries unless the mutation is about
// breaking them, or every mutation of a page in Arabic would just be invalid UTF-8.

fn boundary(bytes: &[u8], mut at: usize) -> usize {
    at = at.min(bytes.len());
    while at > 0 && at < bytes.len() && bytes[at] & 0xC0 == 0x80 {
        at -= 1;
    }
    at
}

fn anywhere(rng: &mut SplitMix, bytes: &[u8]) -> usize {
    boundary(bytes, rng.below(bytes.len() + 1))
}

fn line_starts(bytes: &[u8], from: usize, to: usize) -> Vec<usize> {
    let mut starts: Vec<usize> = (from..to)
        .filter(|&i| i == 0 || bytes[i - 1] == b'\n')
        .collect();
    if starts.is_empty() {
        starts.push(from);
    }
    starts
}

/// The front matter's lines: from after the opening `---` to the start of the closing one.
fn front_matter(bytes: &[u8]) -> Option<(usize, usize)> {
    let start = bytes.iter().position(|&b| b == b'\n')? + 1;
    if !bytes.starts_with(b"---") {
        return None;
    }
    let end = line_starts(bytes, start, bytes.len())
        .into_iter()
        .find(|&i| bytes[i..].starts_with(b"---"))?;
    Some((start, end))
}

fn body_start(bytes: &[u8]) -> usize {
    front_matter(bytes).map_or(0, |(_, end)| {
        end + bytes[end..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len() - end, |i| i + 1)
    })
}

fn front_matter_line(rng: &mut SplitMix, bytes: &[u8]) -> usize {
    match front_matter(bytes) {
        Some((start, end)) => *rng.pick(&line_starts(bytes, start, end)),
        None => 0,
    }
}

fn body_line(rng: &mut SplitMix, bytes: &[u8]) -> usize {
    *rng.pick(&line_starts(bytes, body_start(bytes), bytes.len()))
}

/// Inserts `piece` at `at`; says what went where.
fn insert(bytes: &mut Vec<u8>, at: usize, piece: &[u8], name: &str) -> String {
    bytes.splice(at..at, piece.iter().copied());
    format!("insert {name} at byte {at}")
}

// The operators.

// Every operator has the same signature, to sit in `OPERATORS`.
#[allow(clippy::ptr_arg)]
fn flip_bytes(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let mut flips = Vec::new();
    for _ in 0..1 + rng.below(4) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        let mask = if rng.percent(50) {
            1 << rng.below(8)
        } else {
            (rng.next() as u8).max(1)
        };
        bytes[at] ^= mask;
        flips.push(format!("{at} (^{mask:#04x})"));
    }
    format!("flip bytes {}", flips.join(", "))
}

fn cut(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let at = rng.below(bytes.len() + 1);
    if rng.percent(50) {
        let len = bytes.len();
        bytes.truncate(at);
        format!("truncate at byte {at} of {len}")
    } else {
        let end = (at + 1 + rng.below(200)).min(bytes.len());
        bytes.drain(at..end);
        format!("delete bytes {at}..{end}")
    }
}

const YAML_SPECIALS: [&str; 36] = [
    "&a ",
    "*a",
    "*a\n",
    "<<: *a\n",
    "<<: {title: merged}\n",
    "<<: [*a, *b]\n",
    "!!binary ",
    "!!binary aGVsbG8=\n",
    "!!python/object:os.system ",
    "!custom ",
    "!<tag:yaml.org,2002:str> ",
    "? ",
    "? [a, b]\n: c\n",
    "\t",
    "\t- x\n",
    "---\n",
    "...\n",
    "- ",
    ": ",
    "|\n",
    ">-\n",
    "\"",
    "'",
    "# ",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "{",
    "}",
    "[",
    "]",
    "title: twice\n",
    "weight: 1e999\n",
    "date: 2024-02-30\n",
    "draft: yes\n",
    "print: *a\n",
    "extra: ~\n",
];

fn yaml_special(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let piece = *rng.pick(&YAML_SPECIALS);
    let (at, place) = match rng.below(4) {
        0 => (anywhere(rng, bytes), "anywhere"),
        1 => {
            // Right after a key's colon, where a value starts.
            let (start, end) = front_matter(bytes).unwrap_or((0, bytes.len()));
            let colons: Vec<usize> = (start..end)
                .filter(|&i| bytes[i] == b':')
                .map(|i| i + 1)
                .collect();
            if colons.is_empty() {
                (start, "in front matter")
            } else {
                (*rng.pick(&colons), "after a key")
            }
        }
        _ => (front_matter_line(rng, bytes), "at a front-matter line"),
    };
    format!(
        "{} ({place})",
        insert(bytes, at, piece.as_bytes(), &show(piece.as_bytes()))
    )
}

fn nest_markdown(rng: &mut SplitMix, limits: Limits, bytes: &mut Vec<u8>) -> String {
    let n = size(rng, limits.nest);
    let (piece, name) = match rng.below(6) {
        0 => (format!("{} deep\n", ">".repeat(n)), format!("`>`×{n}")),
        1 => (
            format!("{}x{}\n", "*".repeat(n), "*".repeat(n)),
            format!("`*`×{n} x `*`×{n}"),
        ),
        2 => (format!("{}x\n", "- ".repeat(n)), format!("`- `×{n}")),
        3 => (format!("{}x\n", "1. ".repeat(n)), format!("`1. `×{n}")),
        4 => (
            format!("{}x{}\n", "[".repeat(n), "](x)".repeat(n)),
            format!("`[`×{n} x `](x)`×{n}"),
        ),
        _ => (
            (0..n.min(300))
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
            format!("a list indented {} deep", n.min(300)),
        ),
    };
    let at = body_line(rng, bytes);
    insert(bytes, at, piece.as_bytes(), &name)
}

fn nest_yaml_or_html(rng: &mut SplitMix, limits: Limits, bytes: &mut Vec<u8>) -> String {
    let n = size(rng, limits.nest);
    let closed = rng.percent(50);
    let close = |s: &str| if closed { s.repeat(n) } else { String::new() };
    let (piece, name, in_front) = match rng.below(5) {
        0 => (
            format!("extra: {}1{}\n", "{a: ".repeat(n), close("}")),
            format!("`extra:` `{{a: `×{n}"),
            true,
        ),
        1 => (
            format!("extra: {}1{}\n", "[".repeat(n), close("]")),
            format!("`extra:` `[`×{n}"),
            true,
        ),
        2 => (
            format!("extra:\n{}", billion_laughs(n.min(12))),
            format!("`extra:` aliases {} levels deep", n.min(12)),
            true,
        ),
        3 => (
            format!("{}x{}\n", "<div>".repeat(n), close("</div>")),
            format!("`<div>`×{n}"),
            false,
        ),
        _ => (
            format!("{}x{}\n", "<span>".repeat(n), close("</span>")),
            format!("`<span>`×{n}"),
            false,
        ),
    };
    let name = format!("{name}{}", if closed { ", closed" } else { ", unclosed" });
    let at = if in_front {
        front_matter_line(rng, bytes)
    } else {
        body_line(rng, bytes)
    };
    insert(bytes, at, piece.as_bytes(), &name)
}

/// Each level's list names the one below ten times: YAML that expands to 10^levels items.
fn billion_laughs(levels: usize) -> String {
    let mut text = "  l0: &l0 [lol, lol]\n".to_string();
    for i in 1..=levels {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        text.push_str(&format!("  l{i}: &l{i} [{refs}]\n"));
    }
    text
}

fn long_line(rng: &mut SplitMix, limits: Limits, bytes: &mut Vec<u8>) -> String {
    let n = size(rng, limits.repeat);
    let (piece, name) = match rng.below(7) {
        0 => repeated("x", n),
        1 => repeated("word ", n),
        2 => {
            let (row, name) = repeated("| a ", n);
            let piece = [b"| h |\n|---|\n".as_slice(), &row, b"|\n"].concat();
            (piece, format!("a table row {name}"))
        }
        3 => (
            format!("## {} {{#{}}}\n", "title ".repeat(n), "id".repeat(n)).into_bytes(),
            format!("a heading and id ×{n}"),
        ),
        4 => (
            format!("[a](https://example.org/{})\n", "a".repeat(n)).into_bytes(),
            format!("a link of {n} letters"),
        ),
        5 => (
            "Long ".repeat(n).into_bytes(),
            format!("a title with `Long `×{n}"),
        ),
        _ => (
            format!("![{}](x.png)\n", "alt ".repeat(n)).into_bytes(),
            format!("image alt text `alt `×{n}"),
        ),
    };
    let title = bytes.windows(8).position(|w| w == b"\ntitle: ");
    let at = match title.filter(|_| name.starts_with("a title")) {
        Some(at) => at + 8,
        None => body_line(rng, bytes),
    };
    insert(bytes, at, &piece, &format!("a long line: {name}"))
}

const HTML: [&str; 26] = [
    "<div>",
    "</div>",
    "<table><tr><td>",
    "</td></tr>",
    "<details><summary>",
    "</details>",
    "<script>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<a href=\"",
    "<svg><foreignObject>",
    "<textarea>",
    "<p>",
    "</p></p></p>",
    "<span",
    "<img src=x onerror=alert(1)>",
    "<math><mi>",
    "<template>",
    "<iframe src=//x>",
    "<base href=//x/>",
    "</body></html>",
    "<!DOCTYPE html>",
    "<noscript>",
    "<title>",
];

fn unbalanced_html(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let piece: String = (0..1 + rng.below(3)).map(|_| *rng.pick(&HTML)).collect();
    let at = if rng.percent(50) {
        body_line(rng, bytes)
    } else {
        anywhere(rng, bytes)
    };
    insert(bytes, at, piece.as_bytes(), &show(piece.as_bytes()))
}

const TEMPLATE: [&str; 17] = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{{ page.title }}",
    "{% raw %}",
    "{% endraw %}",
    "{% include \"base.html\" %}",
    "{{ config.base_url | safe }}",
    "{% for x in y %}",
    "{{ __tera_context }}",
    "{% macro m() %}",
    "${x}",
    "<%= x %>",
    "#{x}",
];

fn template_like(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let piece = *rng.pick(&TEMPLATE);
    let at = anywhere(rng, bytes);
    insert(bytes, at, piece.as_bytes(), &show(piece.as_bytes()))
}

fn line_ends(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let mode = rng.below(4);
    if mode == 3 {
        let at = anywhere(rng, bytes);
        return insert(bytes, at, b"\r", "a lone \"\\r\"");
    }
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes.iter() {
        match (b, mode) {
            (b'\n', 0) => out.extend_from_slice(b"\r\n"),
            (b'\n', 1) => out.push(b'\r'),
            (b'\n', _) => match rng.below(3) {
                0 => out.extend_from_slice(b"\r\n"),
                1 => out.push(b'\r'),
                _ => out.push(b'\n'),
            },
            _ => out.push(b),
        }
    }
    *bytes = out;
    [
        "every \"\\n\" to \"\\r\\n\"",
        "every \"\\n\" to \"\\r\"",
        "line ends mixed",
    ][mode]
        .to_string()
}

const CONTROLS: [&str; 16] = [
    "\u{feff}",
    "\u{0}",
    "\u{1}",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "\u{2066}",
    "\u{200f}",
    "\u{fffe}",
    "\u{e000}",
];

fn bom_or_control(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    if rng.percent(20) {
        let bom: &[u8] = if rng.percent(50) {
            "\u{feff}".as_bytes()
        } else {
            b"\xff\xfe"
        };
        return insert(bytes, 0, bom, &format!("the byte order mark {bom:x?}"));
    }
    let piece = *rng.pick(&CONTROLS);
    let n = 1 + rng.below(3);
    let mut places = Vec::new();
    for _ in 0..n {
        let at = anywhere(rng, bytes);
        bytes.splice(at..at, piece.bytes());
        places.push(at.to_string());
    }
    format!(
        "insert {} at bytes {}",
        show(piece.as_bytes()),
        places.join(", ")
    )
}

const INVALID_UTF8: [&[u8]; 9] = [
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc0\xaf",
    b"\xe2\x82",
    b"\xf8\x88\x80\x80\x80",
];

fn invalid_utf8(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let piece = *rng.pick(&INVALID_UTF8);
    // Anywhere, even inside a character: a file cut or joined at the wrong byte.
    let at = rng.below(bytes.len() + 1);
    insert(bytes, at, piece, &format!("the invalid UTF-8 {piece:x?}"))
}

const PIECES: [&str; 20] = [
    "é",
    "😀",
    "ب",
    "e\u{301}",
    "\u{301}",
    "ﷺ",
    "&amp;",
    "\\",
    "_",
    "`",
    "|",
    "~",
    "$",
    "<",
    "é ",
    "\u{200d}",
    "🏳️‍🌈",
    "\n",
    "#",
    "[]",
];

fn repetition(rng: &mut SplitMix, limits: Limits, bytes: &mut Vec<u8>) -> String {
    let n = size(rng, limits.repeat);
    let (piece, name) = if rng.percent(15) {
        // A run of the page itself, as a bad paste repeats it.
        let from = anywhere(rng, bytes);
        let to = boundary(bytes, from + rng.below(80));
        let chunk = match String::from_utf8_lossy(&bytes[from..to]) {
            c if c.is_empty() => "é".to_string(),
            c => c.into_owned(),
        };
        let n = n.min(limits.repeat * 4 / chunk.len().max(1)).max(1);
        repeated(&chunk, n)
    } else {
        let piece = *rng.pick(&PIECES);
        repeated(piece, n)
    };
    let at = if rng.percent(50) {
        body_line(rng, bytes)
    } else {
        anywhere(rng, bytes)
    };
    insert(bytes, at, &piece, &name)
}

const MARKDOWN: [&str; 34] = [
    "[^1]",
    "[^1]: a note\n",
    "[^]",
    "[x]: ",
    "@/",
    "[a](@/nowhere.md)",
    "[a](@/guidance/)",
    "[a](@/../../../etc/passwd)",
    "[a](@/patients/right-to-register.md#no-such-anchor)",
    "{#",
    "{#x}",
    "{#}",
    "{#a b}",
    "> [!WARNING]\n",
    "> [!",
    "> [!NOPE]\n> x\n",
    "|--|\n",
    "| a |\n|---|\n",
    ":::\n",
    "<https://",
    "![](",
    "![x](@/nowhere.png)",
    "```\n",
    "~~~\n",
    "$$\n",
    "- [ ] ",
    "***\n",
    "\\",
    "&#x0;",
    "&#xD800;",
    "&#1114112;",
    "######## ",
    "[[toc]]",
    "---\n",
];

fn markdown_special(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let piece = *rng.pick(&MARKDOWN);
    let at = if rng.percent(50) {
        body_line(rng, bytes)
    } else {
        anywhere(rng, bytes)
    };
    insert(bytes, at, piece.as_bytes(), &show(piece.as_bytes()))
}

/// Changes to the file's frame: front matter unclosed, missing, doubled or emptied.
fn restructure(rng: &mut SplitMix, _: Limits, bytes: &mut Vec<u8>) -> String {
    let Some((start, end)) = front_matter(bytes) else {
        return insert(bytes, 0, b"---\n", "\"---\\n\"");
    };
    match rng.below(5) {
        0 => {
            bytes.drain(end..(end + 3).min(bytes.len()));
            "remove the closing `---`".into()
        }
        1 => {
            bytes.drain(..3);
            "remove the opening `---`".into()
        }
        2 => {
            let copy = bytes[..end].to_vec();
            bytes.splice(0..0, copy.into_iter().chain(b"---\n".iter().copied()));
            "double the front matter".into()
        }
        3 => {
            bytes.drain(start..end);
            "empty the front matter".into()
        }
        _ => {
            let line = *rng.pick(&line_starts(bytes, 0, bytes.len()));
            let len = bytes[line..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len() - line, |i| i + 1);
            let copy = bytes[line..line + len].to_vec();
            bytes.splice(line..line, copy);
            format!("repeat the line at byte {line}")
        }
    }
}
