//! Which folders a build may replace. The build replaces its output folder whole, so a folder
//! given with `--output` must be one this tool made (it holds [`MARKER`]), or empty, or new;
//! anything else (a folder of someone's files, or a file such as `site.yaml`) is refused unless
//! the editor says `--force`.

use std::io;
use std::path::Path;

/// Written into every output folder, so that a later build knows the folder is its own.
pub const MARKER: &str = ".safe-surgeries-output";

pub const MARKER_TEXT: &str = "This folder is made by `safe-surgeries build`, which replaces \
all of it on every build.\nDo not keep your own files here.\n";

#[derive(Debug)]
pub enum Refusal {
    /// A file, not a folder.
    File,
    /// A folder with files in it and no marker; `example` names one of them.
    NotOurs {
        example: String,
    },
    Io(io::Error),
}

/// Whether `target` may be replaced by a build.
pub fn check(target: &Path) -> Result<(), Refusal> {
    let meta = match std::fs::metadata(target) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        other => other.map_err(Refusal::Io)?,
    };
    if !meta.is_dir() {
        return Err(Refusal::File);
    }
    if target.join(MARKER).is_file() {
        return Ok(());
    }
    let first = std::fs::read_dir(target)
        .map_err(Refusal::Io)?
        .flatten()
        .next();
    match first {
        None => Ok(()),
        Some(entry) => Err(Refusal::NotOurs {
            example: entry.file_name().to_string_lossy().into_owned(),
        }),
    }
}

impl Refusal {
    /// The message and what to do about it.
    pub fn explain(&self, target: &Path) -> (String, String) {
        let shown = target.display();
        match self {
            Refusal::File => (
                format!(
                    "{shown} is a file, not a folder: building into it would replace the file \
                     with the site"
                ),
                "give --output the name of a folder, such as public/; or add --force if the \
                 file may be replaced"
                    .to_owned(),
            ),
            Refusal::NotOurs { example } => (
                format!(
                    "{shown} holds files this tool did not make (such as {example}): a build \
                     replaces the whole folder, so they would be deleted"
                ),
                format!(
                    "build into a new or empty folder; or, if everything in {shown} may go, add \
                     --force"
                ),
            ),
            Refusal::Io(err) => (
                format!("cannot look inside {shown}: {err}"),
                "check that the folder exists and is readable".to_owned(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_empty_or_marked_folders_may_be_replaced() {
        let dir = tempfile::tempdir().expect("a folder");
        let target = dir.path().join("site");
        assert!(check(&target).is_ok(), "new");
        std::fs::create_dir(&target).expect("made");
        assert!(check(&target).is_ok(), "empty");
        std::fs::write(target.join("notes.txt"), "mine").expect("written");
        assert!(
            matches!(check(&target), Err(Refusal::NotOurs { example }) if example == "notes.txt")
        );
        std::fs::write(target.join(MARKER), MARKER_TEXT).expect("written");
        assert!(check(&target).is_ok(), "marked");
        assert!(matches!(check(&target.join(MARKER)), Err(Refusal::File)));
    }
}
