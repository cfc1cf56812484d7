//! A catalogue of the mistakes editors make by hand, each made in a small English and Arabic
//! site whose pages link to each other. For each one the build must report exactly one problem,
//! first, at the file and line to change, with help that says what to type, and exit 1; the
//! links and pages that fail only because of it are folded into that one report.

use crate::common::*;

/// One mistake: what to do to a good site, and what the editor must be told.
struct Mistake {
    name: &'static str,
    make: fn(&Site),
    /// Where to fix it.
    file: &'static str,
    line: usize,
    /// Words the message or its help must contain.
    says: &'static [&'static str],
}

/// A good site: a guide section whose pages link to each other (three links to `one.md`, so
/// that a mistake in it has knock-on effects to fold), each with an Arabic translation.
fn good_site() -> Site {
    let site = Site::en_ar();
    site.write(
        "content/guide/_index.md",
        md(
            "title: Guide\ndescription: The guide.",
            "Start with [one](@/guide/one.md).",
        ),
    );
    site.write(
        "content/guide/_index.ar.md",
        md("title: دليل", "ابدأ [هنا](@/guide/one.md)."),
    );
    site.write(
        "content/guide/one.md",
        md(
            "title: One\ndescription: The first page.\nweight: 1\ntags: [start]",
            "## Start\n\nFirst words.\n",
        ),
    );
    site.write(
        "content/guide/one.ar.md",
        md("title: واحد", "## البداية\n\nكلمات."),
    );
    site.write(
        "content/guide/two.md",
        md(
            "title: Two\ndescription: The second page.\nweight: 2",
            "See [one](@/guide/one.md#start), and [the first page](@/guide/one.md) again.\n",
        ),
    );
    site
}

/// Replaces the front matter of `content/guide/one.md` (its lines 2 onwards).
fn one_with(front: &'static str) -> impl Fn(&Site) {
    move |site: &Site| {
        site.write(
            "content/guide/one.md",
            md(front, "## Start\n\nFirst words.\n"),
        );
    }
}

macro_rules! front_matter {
    ($front:expr) => {
        |site: &Site| one_with($front)(site)
    };
}

const ONE: &str = "content/guide/one.md";

fn catalogue() -> Vec<Mistake> {
    vec![
        // --- YAML in front matter ------------------------------------------------------------
        Mistake {
            name: "a list never closed with ]",
            make: front_matter!("title: One\ndescription: The first page.\ntags: [start"),
            file: ONE,
            line: 4,
            says: &["never closed with `]`", "on the same line: tags: [start]"],
        },
        Mistake {
            name: "an unquoted colon in the title",
            make: front_matter!("title: Registering: the rules\ndescription: x"),
            file: ONE,
            line: 2,
            says: &["put the whole text in quotes: title: \"Registering: the rules\""],
        },
        Mistake {
            name: "an unquoted colon in the description",
            make: front_matter!("title: One\ndescription: Note: bring nothing"),
            file: ONE,
            line: 3,
            says: &["description: \"Note: bring nothing\""],
        },
        Mistake {
            name: "a title that starts with #",
            make: front_matter!("title: #1 guide\ndescription: x"),
            file: ONE,
            line: 2,
            says: &["comment", "title: \"#1 guide\""],
        },
        Mistake {
            name: "a double quote never closed",
            make: front_matter!("title: \"One\ndescription: x"),
            file: ONE,
            line: 2,
            says: &["never closed", "add `\"` at the end"],
        },
        Mistake {
            name: "a single quote never closed",
            make: front_matter!("title: One\ndescription: 'the first page"),
            file: ONE,
            line: 3,
            says: &["never closed", "write it twice"],
        },
        Mistake {
            name: "text after a closing quote",
            make: front_matter!("title: One\ndescription: \"Free\" for everyone"),
            file: ONE,
            line: 3,
            says: &["description: '\"Free\" for everyone'"],
        },
        Mistake {
            name: "a tab used for indentation",
            make: front_matter!("title: One\nextra:\n\tnote: x"),
            file: ONE,
            line: 4,
            says: &["tab", "replace the tab with spaces"],
        },
        Mistake {
            name: "a key indented by mistake",
            make: front_matter!("title: One\n  description: x"),
            file: ONE,
            line: 3,
            says: &["start `description:` at the beginning of the line"],
        },
        Mistake {
            name: "text that YAML reads as a list",
            make: front_matter!("title: [Draft] One\ndescription: x"),
            file: ONE,
            line: 2,
            says: &["must be text", "title: \"[Draft] One\""],
        },
        Mistake {
            name: "a title written as a list",
            make: front_matter!("title:\n  - One\ndescription: x"),
            file: ONE,
            line: 3,
            says: &["must be text", "on the same line"],
        },
        Mistake {
            name: "a key given twice",
            make: front_matter!("title: One\ndescription: a\ndescription: b"),
            file: ONE,
            line: 4,
            says: &["given twice", "also set on line 3"],
        },
        Mistake {
            name: "a misspelt key",
            make: front_matter!("title: One\ndescripton: x"),
            file: ONE,
            line: 3,
            says: &["did you mean `description`?"],
        },
        Mistake {
            name: "another misspelt key",
            make: front_matter!("title: One\nwieght: 3"),
            file: ONE,
            line: 3,
            says: &["did you mean `weight`?"],
        },
        Mistake {
            name: "yes for true",
            make: front_matter!("title: One\ndraft: yes"),
            file: ONE,
            line: 3,
            says: &["true or false", "draft: false"],
        },
        Mistake {
            name: "a word for a number",
            make: front_matter!("title: One\nweight: first"),
            file: ONE,
            line: 3,
            says: &["whole number", "weight: 10"],
        },
        Mistake {
            name: "a list without brackets",
            make: front_matter!("title: One\ntags: start, access"),
            file: ONE,
            line: 3,
            says: &["must be a list", "tags: [start, access]"],
        },
        Mistake {
            name: "a date that does not exist",
            make: front_matter!("title: One\ndate: 2026-13-01"),
            file: ONE,
            line: 3,
            says: &["must be a date such as 2024-05-01"],
        },
        Mistake {
            name: "a misspelt translation status",
            make: front_matter!("title: One\ntranslation: drfat"),
            file: ONE,
            line: 3,
            says: &["did you mean `draft`?"],
        },
        Mistake {
            name: "text that starts with @",
            make: front_matter!("title: One\ndescription: @practice staff"),
            file: ONE,
            line: 3,
            says: &["starts with `@`", "description: \"@practice staff\""],
        },
        Mistake {
            name: "an empty title",
            make: front_matter!("title:\ndescription: x"),
            file: ONE,
            line: 2,
            says: &["the title is empty", "write the page's title"],
        },
        Mistake {
            name: "front matter never closed",
            make: |site| {
                site.write(ONE, "---\ntitle: One\n\nFirst words.\n");
            },
            file: ONE,
            line: 1,
            says: &["never closed", "add a line `---`"],
        },
        Mistake {
            name: "no front matter",
            make: |site| {
                site.write(ONE, "# One\n\nFirst words.\n");
            },
            file: ONE,
            line: 1,
            says: &[
                "does not start with front matter",
                "start the file with a line `---`",
            ],
        },
        // --- links ------------------------------------------------------------------------
        Mistake {
            name: "a misspelt @/ link",
            make: |site| {
                site.replace(
                    "content/guide/two.md",
                    "(@/guide/one.md)",
                    "(@/guide/onee.md)",
                );
            },
            file: "content/guide/two.md",
            line: 7,
            says: &["did you mean `@/guide/one.md`?"],
        },
        Mistake {
            name: "a misspelt anchor",
            make: |site| {
                site.replace("content/guide/two.md", "#start", "#strat");
            },
            file: "content/guide/two.md",
            line: 7,
            says: &["did you mean `#start`?"],
        },
        Mistake {
            name: "a link to a language the site does not have",
            make: |site| {
                site.replace(
                    "content/guide/two.md",
                    "(@/guide/one.md)",
                    "(@/guide/one.arr.md)",
                );
            },
            file: "content/guide/two.md",
            line: 7,
            says: &["did you mean `ar`?"],
        },
        // --- files and folders -------------------------------------------------------------
        Mistake {
            name: "no home page",
            make: |site| {
                site.remove("content/_index.md");
            },
            file: "content/_index.md",
            line: 1,
            says: &[
                "home page content/_index.md is missing",
                "create content/_index.md",
            ],
        },
        Mistake {
            name: "a misspelt language in a file name",
            make: |site| {
                site.write("content/guide/two.arr.md", md("title: اثنان", "كلمات."));
            },
            file: "content/guide/two.arr.md",
            line: 1,
            says: &["did you mean `ar`?"],
        },
        // --- templates ----------------------------------------------------------------------
        Mistake {
            name: "a misspelt field in a template",
            make: |site| {
                site.replace(
                    "themes/default/templates/page.html",
                    "<h1 class=\"page-title\">{{ page.title }}</h1>",
                    "<h1 class=\"page-title\">{{ page.titel }}</h1>",
                );
            },
            file: "themes/default/templates/page.html",
            line: 9,
            says: &["did you mean `title`?"],
        },
        Mistake {
            name: "a template tag not closed",
            make: |site| {
                site.replace(
                    "themes/default/templates/page.html",
                    "<h1 class=\"page-title\">{{ page.title }}</h1>",
                    "<h1 class=\"page-title\">{{ page.title }</h1>",
                );
            },
            file: "themes/default/templates/page.html",
            line: 9,
            says: &["fix the template"],
        },
        Mistake {
            name: "a misspelt template name in front matter",
            make: front_matter!("title: One\ndescription: x\ntemplate: pgae.html"),
            file: ONE,
            line: 4,
            says: &["did you mean `page.html`?"],
        },
        // --- site.yaml ----------------------------------------------------------------------
        Mistake {
            name: "a misspelt default language",
            make: |site| {
                site.replace("site.yaml", "default_language: en", "default_language: eng");
            },
            file: "site.yaml",
            line: 3,
            says: &["did you mean `en`?"],
        },
        Mistake {
            name: "a misspelt key in site.yaml",
            make: |site| {
                site.replace("site.yaml", "base_url:", "base_ulr:");
            },
            file: "site.yaml",
            line: 2,
            says: &["did you mean `base_url`?"],
        },
        Mistake {
            name: "an unquoted colon in the site title",
            make: |site| {
                site.replace(
                    "site.yaml",
                    "title: Test Site",
                    "title: Safe Surgeries: a toolkit",
                );
            },
            file: "site.yaml",
            line: 1,
            says: &["title: \"Safe Surgeries: a toolkit\""],
        },
        Mistake {
            name: "a language entry never closed with }",
            make: |site| {
                site.replace(
                    "site.yaml",
                    "{ code: ar, name: العربية }",
                    "{ code: ar, name: العربية",
                );
            },
            file: "site.yaml",
            line: 6,
            says: &["never closed with `}`", "{ code: ar, name: العربية }"],
        },
        Mistake {
            name: "an unquoted colon in an interface string",
            make: |site| {
                site.replace(
                    "themes/default/i18n/ar.yaml",
                    "skip_link: انتقل إلى المحتوى",
                    "skip_link: انتقل: إلى المحتوى",
                );
            },
            file: "themes/default/i18n/ar.yaml",
            line: 2,
            says: &["put the whole text in quotes"],
        },
    ]
}

/// The blocks of a build's report: each `error:` or `warning:` with the lines under it.
fn blocks(stderr: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("error:") || line.starts_with("warning:") || blocks.is_empty() {
            blocks.push(String::new());
        }
        if let Some(block) = blocks.last_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

#[test]
fn the_good_site_builds_without_a_problem() {
    let run = good_site().build();
    run.assert_ok();
    assert!(!run.stderr.contains("error"), "{run}");
}

#[test]
fn each_mistake_gives_one_problem_first_at_its_line_with_help() {
    let catalogue = catalogue();
    assert!(catalogue.len() >= 30, "a catalogue of at least 30 mistakes");
    let mut failures = Vec::new();
    for mistake in &catalogue {
        let site = good_site();
        let line = mistake.line;
        (mistake.make)(&site);
        let run = site.build();
        let stderr = strip_ansi(&run.stderr);
        let blocks = blocks(&stderr);
        let errors: Vec<&String> = blocks.iter().filter(|b| b.starts_with("error:")).collect();
        let mut wrong = Vec::new();
        if run.code != Some(1) {
            wrong.push(format!("exit code {:?}, not 1", run.code));
        }
        if errors.len() != 1 {
            wrong.push(format!("{} errors, not one", errors.len()));
        }
        let first = blocks.first().map_or("", String::as_str);
        if !first.starts_with("error:") {
            wrong.push("the first problem reported is not the error".into());
        }
        if !has_location(first, mistake.file, line) {
            wrong.push(format!(
                "the first problem is not at {}:{line}",
                mistake.file
            ));
        }
        for words in mistake.says {
            if !first.contains(words) {
                wrong.push(format!("it does not say {words:?}"));
            }
        }
        if !stderr.contains("Build failed with 1 error;") {
            wrong.push("the summary does not count one error".into());
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}\n{stderr}", mistake.name, wrong.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} mistakes are not reported as they should be:\n\n{}",
        failures.len(),
        catalogue.len(),
        failures.join("\n")
    );
}

#[test]
fn links_to_a_page_that_fails_to_load_are_folded_into_its_error() {
    let site = good_site();
    one_with("title: One\ntags: [start")(&site);
    let run = site.build();
    let stderr = strip_ansi(&run.stderr);
    assert_eq!(
        stderr.matches("error:").count(),
        1,
        "the three links to one.md are not listed: {stderr}"
    );
    assert!(
        stderr.contains("= note: 3 links to this page will work again once it loads"),
        "they are counted under its error: {stderr}"
    );
}
