//! The shape of `src/`: no two top-level modules import each other, however indirectly, so each
//! can be read and changed knowing only what it uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its files name as `crate::<module>`, with the first
/// file that does, for the message.
fn imports(src: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let modules: BTreeSet<String> = std::fs::read_dir(src)
        .expect("src/ can be read")
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            match name.strip_suffix(".rs") {
                Some(stem) => Some(stem.to_owned()),
                None => entry.path().is_dir().then_some(name),
            }
        })
        .filter(|name| name != "main" && name != "lib")
        .collect();
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.expect("src/ can be walked");
        let rel = entry.path().strip_prefix(src).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !rel.ends_with(".rs") {
            continue;
        }
        let top = rel.split('/').next().unwrap_or_default();
        let top = top.strip_suffix(".rs").unwrap_or(top).to_owned();
        if !modules.contains(&top) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("a source file can be read");
        for used in crate_paths(&text) {
            if used != top && modules.contains(&used) {
                edges
                    .entry(top.clone())
                    .or_default()
                    .entry(used)
                    .or_insert_with(|| rel.clone());
            }
        }
    }
    edges
}

/// The first segment of every `crate::…` path in `text` outside comments, `crate::{a, b::c}`
/// giving each of `a` and `b`.
fn crate_paths(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| {
        s.trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<String>()
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or_default();
            found.extend(group.split(',').map(ident));
        } else {
            found.push(ident(rest));
        }
    }
    found
}

/// A cycle through `start`, as the modules in order, if there is one.
fn cycle_from(
    start: &str,
    edges: &BTreeMap<String, BTreeMap<String, String>>,
) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in edges.get(&at).into_iter().flat_map(BTreeMap::keys) {
            if next == start {
                return Some(path);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_module_imports_itself_through_others() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = imports(&src);
    assert!(
        edges
            .get("build")
            .is_some_and(|used| used.contains_key("site")),
        "the scan finds imports at all (build uses site)"
    );
    let cycles: Vec<String> = edges
        .keys()
        .filter_map(|module| cycle_from(module, &edges))
        .map(|cycle| {
            let mut steps = Vec::new();
            for (i, from) in cycle.iter().enumerate() {
                let to = &cycle[(i + 1) % cycle.len()];
                steps.push(format!("{from} → {to} (in src/{})", edges[from][to]));
            }
            steps.join(", ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles among src/ modules:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn braces_and_comments_are_read_as_rust_reads_them() {
    let text = "use crate::{a, b::c};\n// crate::commented\nlet x = crate::d::e(); // crate::f\n";
    assert_eq!(crate_paths(text), ["a", "b", "d"]);
}

/// The longest a function in `src/` may be, in lines from `fn` to its closing brace, without
/// a `// Long:` comment above it saying why it reads best whole.
const LONGEST_FUNCTION: usize = 80;

/// Functions in `text` longer than `LONGEST_FUNCTION` lines with no reason given: name,
/// line and length. Reads rustfmt's layout: a function ends at the first `}` at its indent.
fn long_functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let mut rest = code;
        for qualifier in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(qualifier).unwrap_or(rest);
        }
        let Some(signature) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = signature
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let closing = format!("{indent}}}");
        let Some(end) = (at..lines.len())
            .find(|&i| lines[i] == closing || (i == at && line.trim_end().ends_with('}')))
        else {
            continue;
        };
        let length = end - at + 1;
        let above = lines[..at].iter().rev().take_while(|l| {
            let l = l.trim_start();
            l.starts_with("//") || l.starts_with("#[")
        });
        let reasoned = above
            .into_iter()
            .any(|l| l.trim_start().starts_with("// Long:"));
        if length > LONGEST_FUNCTION && !reasoned && !line.trim_end().ends_with(';') {
            found.push((name, at + 1, length));
        }
    }
    found
}

#[test]
fn no_function_in_src_is_long_without_a_reason() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    let mut functions = 0;
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.expect("src/ can be walked");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("a source file can be read");
        functions += text.matches("fn ").count();
        let rel = entry.path().strip_prefix(&src).unwrap_or(entry.path());
        for (name, line, length) in long_functions(&text) {
            long.push(format!(
                "src/{}:{line}: {name} is {length} lines",
                rel.display()
            ));
        }
    }
    assert!(
        functions > 500,
        "the scan reads src/ ({functions} functions)"
    );
    assert!(
        long.is_empty(),
        "functions over {LONGEST_FUNCTION} lines: split each along its steps, or say above it \
         in a `// Long:` comment why it reads best whole:\n{}",
        long.join("\n")
    );
}

#[test]
fn a_function_is_measured_from_fn_to_its_closing_brace() {
    let body = |n: usize| "    let x = 1;\n".repeat(n);
    let text = format!(
        "fn short() {{\n{}}}\n\n    pub(crate) fn long(a: u8) {{\n{}    }}\n\n// Long: one table.\nfn table() {{\n{}}}\nfn one_line() {{}}\n",
        body(78),
        body(79),
        body(100)
    );
    assert_eq!(long_functions(&text), [("long".to_owned(), 82, 81)]);
}
