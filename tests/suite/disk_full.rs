//! A full disk, simulated with the file-size limit (`RLIMIT_FSIZE`): every write past a few
//! hundred bytes fails, as it would on a disk with that little space left, and no privileges or
//! mounts are needed. Editors' files must be left as they were, and one cause met writing every
//! output file is one error.

use std::os::unix::process::CommandExt;
use std::process::Command;

use crate::common::*;

/// Runs the binary with `args` in `site`, allowed to write files of at most `bytes` bytes.
fn run_with_room(site: &Site, bytes: u64, args: &[&str]) -> (Option<i32>, String) {
    let mut command = Command::new(BIN);
    command.arg("--root").arg(site.root()).args(args);
    // SAFETY: between fork and exec only async-signal-safe calls: setrlimit and signal.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // A write past the limit then fails with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = command.output().expect("ran");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The site's files and their bytes, the output and the print cache aside.
fn sources(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir(site.root())
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with("output") && !rel.starts_with(".cache"))
        .collect();
    files.sort();
    files
}

fn walkdir(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).expect("inside");
                found.push((
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(&path).expect("readable"),
                ));
            }
        }
    }
    found
}

fn translated_site() -> Site {
    let site = Site::en_ar();
    let long = "Anyone can register with a GP practice. ".repeat(20);
    site.write("content/guide.md", md("title: Guide", &long));
    site.write(
        "content/guidance/_index.md",
        md("title: Guidance", "For practices."),
    );
    site.write(
        "content/guide.ar.md",
        md(
            "title: دليل\nsource_hash: \"0000000000000000\"",
            &"يمكن لأي شخص التسجيل. ".repeat(20),
        ),
    );
    site
}

#[test]
fn mark_current_on_a_full_disk_leaves_the_translation_as_it_was() {
    let site = translated_site();
    let before = sources(&site);
    let (code, stderr) = run_with_room(
        &site,
        200,
        &["translate", "mark-current", "content/guide.ar.md"],
    );
    assert_ne!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("content/guide.ar.md") && stderr.contains("left as it was"),
        "{stderr}"
    );
    assert_eq!(
        sources(&site),
        before,
        "no file changed, none left half written"
    );
}

#[test]
fn new_on_a_full_disk_makes_no_file_and_no_half_file() {
    let site = translated_site();
    let before = sources(&site);
    let (code, stderr) = run_with_room(&site, 20, &["new", "page", "guidance/interpreters"]);
    assert_ne!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "cannot write content/guidance/interpreters.md (file too large): nothing was made"
        ),
        "{stderr}"
    );
    let (code, stderr) =
        run_with_room(&site, 20, &["new", "translation", "content/guide.md", "ar"]);
    assert_ne!(code, Some(0), "{stderr}");
    assert_eq!(
        sources(&site),
        before,
        "no file made, none left half written"
    );
}

#[test]
fn a_build_on_a_full_disk_gives_one_error_with_a_count_and_keeps_the_old_site() {
    let site = translated_site();
    site.build().assert_ok();
    let old = std::fs::read(site.path("output/guide/index.html")).expect("built");
    let (code, stderr) = run_with_room(&site, 1000, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    let errors = stderr.lines().filter(|l| l.starts_with("error:")).count();
    assert_eq!(errors, 1, "{stderr}");
    assert!(
        stderr.contains("error: cannot write into the output folder: File too large")
            && stderr.contains("other files"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(site.path("output/guide/index.html")).expect("still there"),
        old
    );
}
