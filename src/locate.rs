//! Finding the site a command works on: the folder with `site.yaml`, from wherever inside it
//! the command was run (as git and cargo look upward for their own files).

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;

/// The site folder: `given` (from `--root`) as it is, or else the nearest of `start` and the
/// folders above it that holds a `site.yaml`.
pub fn site_root(given: Option<&Path>, start: &Path) -> Result<PathBuf, String> {
    if let Some(root) = given {
        return Ok(root.to_owned());
    }
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_owned)
        .ok_or_else(|| {
            format!(
                "there is no {CONFIG_FILE} in {} or in any folder above it, so this is not inside \
                 a site's folder.\n  = help: run the command in the site's folder (the one with \
                 {CONFIG_FILE}, content/ and themes/) or in a folder inside it, or name the \
                 folder with --root <folder>",
                start.display()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_folder_with_site_yaml_above_is_the_site() {
        let dir = std::env::temp_dir().join(format!("locate-test-{}", std::process::id()));
        let inner = dir.join("content/guidance");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(dir.join(CONFIG_FILE), "title: x\n").unwrap();
        assert_eq!(site_root(None, &inner).unwrap(), dir);
        assert_eq!(site_root(None, &dir).unwrap(), dir);
        assert_eq!(
            site_root(Some(Path::new("elsewhere")), &inner).unwrap(),
            Path::new("elsewhere")
        );
        std::fs::remove_file(dir.join(CONFIG_FILE)).unwrap();
        let message = site_root(None, &inner).unwrap_err();
        assert!(message.contains("--root"), "{message}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
