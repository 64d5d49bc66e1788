//! What each subcommand does, on top of the library: read inputs, lint in parallel, report,
//! and map the outcome to an exit code.

pub mod cache;
pub mod check;
pub mod contexts;
pub mod debug;
pub mod fix;
pub mod rule;

use crate::cli::CommonArgs;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, Input};
use crate::output::{OutputFormat, OutputOptions};
use crate::rules::{RuleSelection, selection};
use crate::source::SourceFile;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Exit codes (INTERFACES.md).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

/// A problem with the run itself (bad arguments, unreadable file): reported on stderr, exit 2.
#[derive(Debug)]
pub struct RunError {
    pub path: Option<PathBuf>,
    pub message: String,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

pub fn report_errors(errors: &[RunError]) {
    let mut stderr = std::io::stderr().lock();
    for e in errors {
        let _ = writeln!(stderr, "dlint: error: {e}");
    }
}

/// Settings shared by `check` and `fix`, resolved from the command line.
pub struct Settings {
    pub selection: RuleSelection,
    pub format: OutputFormat,
    pub options: OutputOptions,
    /// None: never fail on findings.
    pub fail_level: Option<Severity>,
    pub exit_zero: bool,
    pub unsafe_fixes: bool,
    pub statistics: bool,
    pub quiet: bool,
    pub output_file: Option<PathBuf>,
}

impl Settings {
    pub fn from_args(args: &CommonArgs) -> Result<Settings, RunError> {
        let err = |message: String| RunError {
            path: None,
            message,
        };
        let selection =
            selection::from_selectors(args.select.as_deref(), &args.extend_select, &args.ignore)
                .map_err(err)?;
        let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
        let format = match &args.output_format {
            Some(f) => f.parse::<OutputFormat>().map_err(|e| err(e.to_string()))?,
            None if to_terminal => OutputFormat::Full,
            None => OutputFormat::Concise,
        };
        let fail_level = match args.fail_level.as_deref() {
            None => Some(Severity::Info),
            Some(l) if l.eq_ignore_ascii_case("none") => None,
            Some(l) => Some(Severity::parse(l).ok_or_else(|| {
                err(format!(
                    "unknown fail level `{l}`; use error, warning, info, style or none"
                ))
            })?),
        };
        let color = to_terminal
            && !args.no_color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Ok(Settings {
            selection,
            format,
            options: OutputOptions {
                color,
                show_fixes_hint: !args.quiet,
                unsafe_fixes_enabled: args.unsafe_fixes,
                show_source: true,
            },
            fail_level,
            exit_zero: args.exit_zero,
            unsafe_fixes: args.unsafe_fixes,
            statistics: args.statistics,
            quiet: args.quiet,
            output_file: args.output_file.clone(),
        })
    }

    pub fn fails(&self, diagnostics: &[Diagnostic]) -> bool {
        !self.exit_zero
            && self
                .fail_level
                .is_some_and(|level| diagnostics.iter().any(|d| d.severity >= level))
    }
}

/// The inputs named on the command line (default `.`), and the problems finding them.
pub fn inputs(args: &CommonArgs) -> (Vec<Input>, Vec<RunError>) {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (inputs, errors) = discover::discover(&paths, args.stdin_filename.as_deref());
    let errors = errors
        .into_iter()
        .map(|e| RunError {
            path: Some(e.path),
            message: e.message,
        })
        .collect();
    (inputs, errors)
}

/// Read one input (stdin at most once).
pub fn read_input(input: &Input) -> Result<SourceFile, RunError> {
    let text = match input {
        Input::File(path) => discover::read_text(path),
        Input::Stdin(_) => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| e.to_string())
                .and_then(|_| discover::decode(bytes))
        }
    };
    text.map(|t| SourceFile::new(input.path(), t))
        .map_err(|message| RunError {
            path: Some(input.path().to_path_buf()),
            message,
        })
}

/// Where reports go: standard output or `--output-file`.
pub fn open_output(settings: &Settings) -> Result<Box<dyn Write>, RunError> {
    match &settings.output_file {
        Some(path) => std::fs::File::create(path)
            .map(|f| Box::new(std::io::BufWriter::new(f)) as Box<dyn Write>)
            .map_err(|e| RunError {
                path: Some(path.clone()),
                message: format!(
                    "cannot write the report: {}",
                    discover::describe_io_error(&e)
                ),
            }),
        None => Ok(Box::new(std::io::BufWriter::new(std::io::stdout().lock()))),
    }
}

/// A write error on standard output that is a closed pipe (`dlint check | head -1`) ends the
/// run quietly; others are failures.
pub fn output_failed(e: &std::io::Error) -> bool {
    e.kind() != std::io::ErrorKind::BrokenPipe
}

/// One file to lint: a Dockerfile given or found, or the Dockerfile of a Compose service
/// (built with the service's context).
pub enum LintJob {
    Input(Input),
    ComposeService {
        compose_file: PathBuf,
        build: crate::compose::ServiceBuild,
    },
}

/// Whether an input is a Compose file (by name).
pub fn is_compose_input(input: &Input) -> bool {
    matches!(input, Input::File(p) if p
        .file_name()
        .is_some_and(|n| crate::compose::is_compose_name(&n.to_string_lossy())))
}

/// Expand Compose files into their services' Dockerfiles. A Dockerfile that a Compose service
/// builds is linted once, with the service's context, not again on its own.
pub fn lint_jobs(inputs: Vec<Input>, errors: &mut Vec<RunError>) -> Vec<LintJob> {
    let mut jobs = Vec::new();
    let mut from_compose: Vec<PathBuf> = Vec::new();
    for input in &inputs {
        if !is_compose_input(input) {
            continue;
        }
        let path = input.path().to_path_buf();
        let builds = discover::read_text(&path).and_then(|t| crate::compose::service_builds(&t));
        match builds {
            Ok(builds) => {
                for build in builds {
                    if let Some(dockerfile) = build.dockerfile_path(&path) {
                        from_compose.push(clean(&dockerfile));
                    }
                    jobs.push(LintJob::ComposeService {
                        compose_file: path.clone(),
                        build,
                    });
                }
            }
            Err(message) => errors.push(RunError {
                path: Some(path),
                message: format!("cannot read the Compose file: {message}"),
            }),
        }
    }
    let standalone = inputs
        .into_iter()
        .filter(|i| !is_compose_input(i) && !from_compose.contains(&clean(i.path())));
    let mut all: Vec<LintJob> = standalone.map(LintJob::Input).collect();
    all.extend(jobs);
    all
}

/// A path without `.` components, for comparing paths written differently.
fn clean(path: &std::path::Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}
