//! The output folder as the build sees it: whose it is, its lock, where the build writes, and
//! putting the written tree in place.

use std::path::Path;

use super::Options;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Stage};
use crate::incremental::LastBuild;
use crate::output::lock::{Holder, Lock};
use crate::output::{self, Finished, InPlace, Staging, State, Target};

/// Makes `output` this build's to write: a folder it may replace, locked against other builds
/// and `serve`, with what a killed build left put right. Gives the lock, unless the caller
/// holds it (`held`), and adds warnings for the editor to `diagnostics`.
pub(super) fn take(
    options: &Options,
    held: Option<&Lock>,
    output: &Path,
    diagnostics: &mut Diagnostics,
) -> Result<Option<Lock>, Diagnostic> {
    let root = &options.root;
    check_output_location(root, output)?;
    let error = |(message, help): (String, String)| {
        Diagnostic::error(Stage::Output, message).with_help(help)
    };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    // The site's own output/ is always the tool's; older versions wrote no marker in it.
    let own_folder = absolute(output) == absolute(&root.join("output"));
    if !own_folder && !options.force {
        output::claim::check(output).map_err(|r| error(r.explain(output)))?;
    }
    let mut notes = Vec::new();
    let lock = match held {
        Some(held) if held.covers(output) => None,
        _ => {
            let lock = Lock::acquire(output, Holder::Build).map_err(|e| {
                let (message, help) = e.explain(output);
                error((message, help.to_owned()))
            })?;
            if let Some((waited, pid)) = lock.waited {
                let process = pid.map_or_else(String::new, |p| format!(" (process {p})"));
                notes.push(Diagnostic::warning(
                    Stage::Output,
                    format!(
                        "waited {:.1} s for another build of this site{process} to finish \
                         writing {}",
                        waited.as_secs_f64(),
                        output.display()
                    ),
                ));
            }
            Some(lock)
        }
    };
    match output::swap::recover(output) {
        Ok(Some(kept)) => notes.push(
            Diagnostic::warning(
                Stage::Output,
                format!(
                    "{} was missing after a build was stopped part way; the last whole site was \
                     put back from {}",
                    output.display(),
                    kept.display()
                ),
            )
            .with_help("nothing to do: this build replaces it as usual"),
        ),
        Ok(None) => {}
        Err(err) => {
            return Err(error((
                format!(
                    "{} is missing, and the last whole site beside it cannot be put back: {err}",
                    output.display()
                ),
                {
                    let name = output
                        .file_name()
                        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
                    format!(
                        "rename the newest .{name}.old-* folder beside it to {name}, then build again"
                    )
                },
            )));
        }
    }
    diagnostics.extend(notes);
    Ok(lock)
}

/// Where the build writes: in place over `last`'s files, or a new tree beside `output`
/// (recording what each file holds when the build is kept).
pub(super) fn target(
    keep: bool,
    last: Option<&LastBuild>,
    output: &Path,
) -> Result<Box<dyn Target>, Diagnostic> {
    if let Some(last) = last {
        return Ok(Box::new(InPlace::new(output, last.written().clone())));
    }
    match Staging::create(output) {
        Ok(staging) if keep => Ok(Box::new(staging.recording())),
        Ok(staging) => Ok(Box::new(staging)),
        Err(err) => Err(Diagnostic::error(
            Stage::Output,
            format!("cannot create a folder beside {}: {err}", output.display()),
        )
        .with_help("check that the folder above the output folder exists and is writable")),
    }
}

/// Marks the written tree as this tool's and makes it the output. On failure, gives what the
/// output folder holds now.
pub(super) fn finish(
    target: Box<dyn Target>,
    output: &Path,
    diagnostics: &mut Diagnostics,
) -> Result<Finished, State> {
    if let Err(err) = target.write(output::claim::MARKER, output::claim::MARKER_TEXT.as_bytes()) {
        diagnostics.push(output::write_error(output::claim::MARKER, &err));
        return Err(State::AsItWas);
    }
    let finished = match target.finish() {
        Ok(done) => done,
        Err(err) => {
            diagnostics.push(err.diagnostic(output));
            return Err(err.state());
        }
    };
    if let Some((old, err)) = &finished.left_behind {
        diagnostics.push(
            Diagnostic::warning(
                Stage::Output,
                format!(
                    "{} holds the new site, but the old one in {} could not be removed: {err}",
                    output.display(),
                    old.display()
                ),
            )
            .with_help("the next build removes it; or delete that folder yourself"),
        );
    }
    Ok(finished)
}

/// The output folder is replaced wholesale, so it must not be the site itself or hold it.
fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let (root, output) = (absolute(root), absolute(output));
    let root = root.canonicalize().unwrap_or(root);
    let output = output
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| output.file_name().map(|n| p.join(n)))
        .unwrap_or(output);
    let protected = crate::paths::SOURCE_FOLDERS
        .iter()
        .any(|d| output.starts_with(root.join(d)));
    if root.starts_with(&output) || protected {
        return Err(Diagnostic::error(
            Stage::Output,
            format!(
                "the output folder {} would replace the site's own files",
                output.display()
            ),
        )
        .with_help("choose an output folder of its own, such as output/ (the default)"));
    }
    Ok(())
}
/// A site whose `base_url` can never be public (an example or test address) prints QR codes
/// that open nothing: its PDFs say they are samples, and the build says why.
pub(super) fn placeholder_address(root: &Path, config: &Config) -> Option<Diagnostic> {
    let host = config.placeholder_host()?;
    let file = crate::config::CONFIG_FILE;
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let (line, col) = crate::diagnostics::find_line(&text, "base_url").unwrap_or((1, 1));
    Some(
        Diagnostic::warning(
            Stage::Config,
            format!(
                "base_url {} is an example address (`{host}` is never a real website): the QR \
                 codes on posters, leaflets and cards would open nothing, so every PDF is marked \
                 as a sample",
                config.base_url
            ),
        )
        .at(file, Some(&text), line, col)
        .with_help(
            "before printing for patients, set base_url in site.yaml to the address the site is \
             published at",
        ),
    )
}
