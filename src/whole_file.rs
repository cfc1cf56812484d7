//! Editors' files written whole. `new` and `translate` write a temporary file beside the one they
//! make or change and rename it into place, so a full disk, a crash or Ctrl-C leaves the file as
//! it was, never half written: what a volunteer translated is never lost to a failed save.

use std::io::Write;
use std::path::Path;

use tempfile::NamedTempFile;

/// A temporary file in `path`'s folder (a rename is atomic only within one file system) holding
/// `text`, flushed to the disk.
fn written_beside(path: &Path, text: &[u8]) -> std::io::Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // Hidden, so that a build or `serve` running meanwhile ignores it.
    builder.prefix(".safe-surgeries-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile's own 0600 would hide a new page from anyone else who builds the site.
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(text)?;
    file.as_file().sync_all()?;
    Ok(file)
}

/// Replaces the contents of `path`, keeping its permissions.
pub fn replace(path: &Path, text: &[u8]) -> std::io::Result<()> {
    let file = written_beside(path, text)?;
    if let Ok(metadata) = std::fs::metadata(path) {
        file.as_file().set_permissions(metadata.permissions())?;
    }
    file.persist(path).map(drop).map_err(|e| e.error)
}

/// Writes a new file at `path`, failing with `AlreadyExists` rather than replacing one.
pub fn create(path: &Path, text: &str) -> std::io::Result<()> {
    written_beside(path, text.as_bytes())?
        .persist_noclobber(path)
        .map(drop)
        .map_err(|e| e.error)
}

/// The error for `shown` not written, saying that it was left as it was.
pub fn not_written(shown: &str, err: &std::io::Error) -> crate::diagnostics::Diagnostic {
    failed(shown, err, "it was left as it was")
}

/// The error for a new file `shown` not made, saying that nothing was left behind.
pub fn not_created(shown: &str, err: &std::io::Error) -> crate::diagnostics::Diagnostic {
    failed(shown, err, "nothing was made, not even part of it")
}

fn failed(shown: &str, err: &std::io::Error, outcome: &str) -> crate::diagnostics::Diagnostic {
    let (why, help) = match err.kind() {
        std::io::ErrorKind::StorageFull => (
            "the disk is full".to_owned(),
            "free some space and run the command again",
        ),
        _ => (
            err.kind().to_string(),
            "check that the file is not read-only or open in another program",
        ),
    };
    crate::diagnostics::Diagnostic::error(
        crate::diagnostics::Stage::Output,
        format!("cannot write {shown} ({why}): {outcome}"),
    )
    .at(shown, None, 1, 1)
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_creates_without_clobbering() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("a.md");
        create(&path, "one").expect("created");
        let err = create(&path, "two").expect_err("not replaced");
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        replace(&path, b"three").expect("replaced");
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("three")
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }
}
