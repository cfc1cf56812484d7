//! No input may crash the build: mangled pages must end in a clean success or a clean content
//! error (exit 0 or 1), never a panic (exit 101) or a signal.

use crate::common::mutate::{SplitMix, mangle_lightly};
use crate::common::*;

const SEED_PAGE: &str = "---\ntitle: Registering \"without\" ID\ndescription: The rules\ndate: 2024-05-01\nweight: 3\ntags: [a, b]\nextra: {x: 1}\n---\n\n# التسجيل\n\n> [!WARNING]\n> Never ask for a passport.\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nSee [the other page](@/other.md#how) and <span onclick=\"x\">raw</span>.[^1]\n\n<details><summary>More</summary>\n\n- [x] done\n</details>\n\n[^1]: A note.\n";

#[test]
fn mangled_pages_never_crash_the_build() {
    let site = Site::en();
    site.write(
        "content/other.md",
        md("title: Other", "## How {#how}\n\nText."),
    );
    let mut rng = SplitMix(0x5AFE);
    let mut outcomes = [0; 2];
    for case in 0..60 {
        let page = mangle_lightly(&mut rng, SEED_PAGE.as_bytes());
        site.write("content/page.md", &page);
        let run = site.build();
        assert!(
            run.code == Some(0) || run.code == Some(1),
            "case {case} crashed the build (exit {:?}) with this page:\n{}\n--- stderr ---\n{}",
            run.code,
            String::from_utf8_lossy(&page),
            run.stderr
        );
        outcomes[usize::from(run.code == Some(1))] += 1;
        if run.code == Some(1) {
            assert!(
                run.stderr.contains("error:"),
                "case {case}: exit 1 without an error message"
            );
        }
    }
    // The mutations must reach both ends, or this test would prove little.
    assert!(
        outcomes[0] > 5 && outcomes[1] > 5,
        "built / failed: {outcomes:?}"
    );
}

#[test]
fn a_nul_or_other_control_character_becomes_the_replacement_character_with_a_warning() {
    let site = Site::en();
    site.write(
        "content/copied.md",
        "---\ntitle: Copied\u{0} from a PDF\n---\n\nFirst line.\n\nText\u{0} with a NUL and a\u{7} bell.\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(
        has_location(&run.stderr, "content/copied.md", 2),
        "one warning, at the first one: {run}"
    );
    assert!(
        run.stderr
            .contains("3 control characters that cannot be shown, such as U+0000"),
        "{run}"
    );
    let page = site.output().read("copied/index.html");
    assert!(
        !page.contains('\u{0}') && !page.contains('\u{7}'),
        "no raw control character"
    );
    assert!(
        page.contains("Text\u{FFFD} with a NUL and a\u{FFFD} bell."),
        "{page}"
    );
    assert!(page.contains("Copied\u{FFFD} from a PDF"), "the title too");
}

#[test]
fn text_nested_thousands_deep_is_refused_at_its_line_not_a_crash() {
    // Printable pages, whose text also goes to the print templates as a tree: these overflowed
    // the stack (exit 134) before there was a limit.
    let site = Site::repo_copy();
    let poster = "content/print/interpreter-poster.md";
    let arabic = "content/print/interpreter-poster.ar.md";
    let lines = |file: &str| site.read(file).lines().count();
    let (poster_line, arabic_line) = (lines(poster) + 2, lines(arabic) + 2);
    site.write(
        poster,
        format!("{}\n{} deep\n", site.read(poster), ">".repeat(5000)),
    );
    site.write(
        arabic,
        format!(
            "{}\n{}x{}\n",
            site.read(arabic),
            "*".repeat(20_000),
            "*".repeat(20_000)
        ),
    );
    let run = site.build();
    run.assert_content_error();
    for (file, line) in [(poster, poster_line), (arabic, arabic_line)] {
        assert!(
            has_location(&run.stderr, file, line),
            "{file}:{line}\n{run}"
        );
    }
    assert!(
        run.stderr.contains("nests more than 64 levels deep"),
        "{run}"
    );
}
