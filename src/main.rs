use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use safe_surgeries::build::{self, Options};
use safe_surgeries::output::State;

/// Builds the Safe Surgeries toolkit: multilingual guidance, posters and leaflets, as a static
/// website that makes no request to any other server.
#[derive(Parser)]
#[command(name = "safe-surgeries", version, about)]
struct Cli {
    /// The site folder, holding site.yaml [default: the nearest folder with a site.yaml, from
    /// the current one upward]
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into output/
    Build {
        /// Where to write the site [default: output/ in the site folder]
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Also build pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// List per language the missing pages, draft translations and missing interface strings
        #[arg(long)]
        report: bool,
        /// Add bleed and crop marks to every PDF for a print shop, such as 3mm (overrides
        /// `print.bleed` in site.yaml)
        #[arg(long, value_name = "LENGTH", value_parser = parse_bleed)]
        print_bleed: Option<f64>,
        /// Build into --output even if it is a file or a folder of other files, deleting them
        #[arg(long)]
        force: bool,
    },
    /// Build, serve the site on this computer and rebuild on every save, reloading the browser
    Serve {
        /// The port to serve on
        #[arg(long, short, default_value_t = 1111, value_name = "N", value_parser = parse_port)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 or ::1 shows the site to the network
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: std::net::IpAddr,
        /// Open the site in a browser once it is served
        #[arg(long)]
        open: bool,
        /// Also build pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site: links and anchors, alt text, headings, descriptions, requests to other
    /// servers, and per language missing, draft and out-of-date translations
    Check {
        /// Report as JSON, for CI
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also fetch every link to another site (a few at a time, each with a time-out)
        #[arg(long)]
        external: bool,
        /// Also check pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings too (`--deny warnings`), for CI before a release
        #[arg(long, value_enum, value_name = "WHAT")]
        deny: Option<Deny>,
    },
    /// Start a new page or translation, with its front matter filled in
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Keep translations in step with the pages they were translated from
    Translate {
        #[command(subcommand)]
        action: TranslateCommand,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// Create content/<SECTION>/<SLUG>.md, titled after the slug and dated today
    Page {
        /// The section folder and the page's name, such as guidance/registering-patients
        #[arg(value_name = "SECTION/SLUG")]
        path: String,
    },
    /// Create a draft translation of a page beside it, such as registration.ar.md
    Translation {
        /// The page to translate, such as content/guidance/registration.md
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The language to translate into: one of the codes in site.yaml
        #[arg(value_name = "LANG")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum TranslateCommand {
    /// Write PO files for a translator: one per page, and one of the interface strings
    Export {
        /// The language to translate into: one of the codes in site.yaml
        #[arg(long, value_name = "LANG")]
        lang: String,
        /// The file format: po (Poedit, Weblate, Pontoon) or xliff (XLIFF 1.2, for CAT tools)
        #[arg(long, value_enum, default_value = "po")]
        format: ExportFormat,
        /// The folder to write them to (each language in a folder of its own)
        #[arg(
            short = 'o',
            long = "output",
            value_name = "DIR",
            default_value = "translations"
        )]
        out: PathBuf,
        /// Only these pages, such as content/guidance/registration.md (all, when none)
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Read translated PO or XLIFF files back into the pages (nothing is written if one is wrong)
    Import {
        /// The PO or XLIFF files, such as translations/ar/guidance/registration.po
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
    /// Show how much of each language is translated, current, draft, reviewed or missing
    Status {
        /// Only this language
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Exit with 1 when any of these is found, for CI (comma-separated)
        #[arg(long, value_enum, value_delimiter = ',', value_name = "STATE")]
        fail_on: Vec<FailOn>,
    },
    /// Record that a fluent reader checked each translation against the English as it is now
    Review {
        /// The translations, such as content/guidance/registration.ar.md
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// The reviewer's name, if they agree to it being published with the page
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Record that each translation matches its source page as it is now (after checking it)
    MarkCurrent {
        /// The translations, such as content/guidance/registration.ar.md
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Po,
    Xliff,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Stale,
    Draft,
    Missing,
}

/// Prints what an editing command did, or its errors; exit code 1 when it failed.
fn finish(result: Result<Vec<String>, Vec<safe_surgeries::diagnostics::Diagnostic>>) -> ExitCode {
    match result {
        Ok(lines) => {
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            let text: String = diagnostics.iter().map(ToString::to_string).collect();
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            ExitCode::from(1)
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// What `check --deny` turns into problems.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    Warnings,
}

fn translate(root: &std::path::Path, action: TranslateCommand) -> ExitCode {
    use safe_surgeries::translate;
    match action {
        TranslateCommand::MarkCurrent { files } => {
            finish(safe_surgeries::translate::mark_current(root, &files))
        }
        TranslateCommand::Export {
            lang,
            format,
            out,
            files,
        } => finish(translate::export::run(&translate::export::Settings {
            format: match format {
                ExportFormat::Po => translate::export::Format::Po,
                ExportFormat::Xliff => translate::export::Format::Xliff,
            },
            out: if out.is_absolute() {
                out
            } else {
                root.join(out)
            },
            root: root.to_owned(),
            lang,
            files,
        })),
        TranslateCommand::Import { files } => finish(translate::import::run(root, &files)),
        TranslateCommand::Review { files, by } => {
            finish(translate::review::run(root, &files, by.as_deref()))
        }
        TranslateCommand::Status {
            lang,
            format,
            fail_on,
        } => {
            let fail: Vec<translate::status::Fail> = fail_on
                .iter()
                .map(|f| match f {
                    FailOn::Stale => translate::status::Fail::Stale,
                    FailOn::Draft => translate::status::Fail::Draft,
                    FailOn::Missing => translate::status::Fail::Missing,
                })
                .collect();
            let report = translate::Project::load(root).and_then(|project| {
                let only = match &lang {
                    Some(code) => Some(project.target(code).map_err(|d| vec![d])?),
                    None => None,
                };
                translate::status::report(&project, only)
            });
            match report {
                Ok(report) => {
                    let text = match format {
                        Format::Text => report.text(),
                        Format::Json => report.json(),
                    };
                    let _ = std::io::stdout().lock().write_all(text.as_bytes());
                    ExitCode::from(u8::from(report.fails(&fail)))
                }
                Err(diagnostics) => {
                    let text: String = diagnostics.iter().map(ToString::to_string).collect();
                    let _ = std::io::stderr().lock().write_all(text.as_bytes());
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|&port| port > 0)
        .ok_or_else(|| "write a port number from 1 to 65535, such as 1111".to_owned())
}

fn parse_bleed(text: &str) -> Result<f64, String> {
    safe_surgeries::config::parse_length_mm(text)
        .ok_or_else(|| "write a length of up to 20mm with its unit, such as 3mm".to_owned())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = match safe_surgeries::locate::site_root(cli.root.as_deref(), &here) {
        // Messages name `./output` rather than a long absolute path when run in the site.
        Ok(root) if root == here => PathBuf::from("."),
        Ok(root) => root,
        Err(message) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {message}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::New { what } => new_command(&root, what),
        Command::Translate { action } => translate(&root, action),
        Command::Check {
            format,
            external,
            drafts,
            deny,
        } => check_command(
            safe_surgeries::check::Settings {
                root,
                drafts,
                external,
                deny_warnings: deny == Some(Deny::Warnings),
            },
            format,
        ),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => serve_command(&safe_surgeries::serve::Settings {
            root,
            drafts,
            bind,
            port,
            open,
        }),
        Command::Build {
            output,
            drafts,
            report,
            print_bleed,
            force,
        } => build_command(
            Options {
                root,
                output,
                drafts,
                print_bleed_mm: print_bleed,
                keep_going: false,
                force,
            },
            report,
        ),
    }
}

/// `new page` or `new translation`: the file it made, or why it could not.
fn new_command(root: &std::path::Path, what: NewCommand) -> ExitCode {
    finish(
        match what {
            NewCommand::Page { path } => safe_surgeries::new::page(root, &path),
            NewCommand::Translation { file, lang } => {
                safe_surgeries::new::translation(root, &file, &lang)
            }
        }
        .map(|line| vec![line]),
    )
}

/// `check`: the report as text or JSON on stdout, and an exit code saying whether it passed.
fn check_command(settings: safe_surgeries::check::Settings, format: Format) -> ExitCode {
    let report = safe_surgeries::check::run(&settings);
    let text = match format {
        Format::Text => report.text(),
        Format::Json => report.json(),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::from(report.exit_code())
}

/// `serve`: runs until stopped; exit code 2, with the reason, when serving fails.
fn serve_command(settings: &safe_surgeries::serve::Settings) -> ExitCode {
    match safe_surgeries::serve::run(settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {message}");
            ExitCode::from(2)
        }
    }
}

/// `build`: its diagnostics on stderr, then its summary line (and with `report`, the report)
/// on stdout, or a line saying what became of the output folder when it failed.
fn build_command(options: Options, report: bool) -> ExitCode {
    let shown = options
        .output
        .as_ref()
        .map_or_else(|| "output/".to_owned(), |o| o.display().to_string());
    let outcome = build::build(&options);
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &outcome.diagnostics {
        let _ = writeln!(stderr, "{diagnostic}");
    }
    let Some(summary) = outcome.summary else {
        return build_failed(&outcome.diagnostics, &outcome.output, &shown);
    };
    // Written by hand rather than with println!, which panics when the reader of a pipe
    // (`build --report | head`) has gone: the build succeeded, so that is no error.
    let mut text = format!("{}\n", summary.line());
    if report {
        text.push_str(&format!("{}\n{}", summary.stage_line(), summary.report));
    }
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

/// Exit code 1, after a line counting the errors and saying what a failed build left in the
/// output folder (`shown`), so that no one publishes a half-updated site unawares.
fn build_failed(
    diagnostics: &[safe_surgeries::diagnostics::Diagnostic],
    output: &State,
    shown: &str,
) -> ExitCode {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let fate = match output {
        State::Missing(kept) => format!(
            "{shown} is missing: the last whole site is in {}, and the next build \
             puts it back",
            kept.display()
        ),
        State::PartlyUpdated => format!("some files in {shown} were updated"),
        State::AsItWas | State::Replaced => format!("{shown} was left as it was"),
    };
    eprintln!(
        "Build failed with {errors} error{}; {fate}.",
        if errors == 1 { "" } else { "s" }
    );
    ExitCode::from(1)
}
