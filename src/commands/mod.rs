//! What each subcommand does, on top of the library: read inputs, lint in parallel, report,
//! and map the outcome to an exit code.

pub mod cache;
pub mod check;
pub mod completions;
pub mod contexts;
pub mod debug;
pub mod fix;
pub mod jobs;
pub mod ordered;
pub mod rule;

use crate::cli::CommonArgs;
use crate::config::ConfigError;
use crate::config::resolve::{FileSettings, Overrides, Resolver};
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Input};
use crate::output::{OutputFormat, OutputOptions};
use crate::rules::selection;
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

/// The run's settings, from the command line (and the configuration of the working directory
/// for `output-format` and `unsafe-fixes` display). What differs per file is [`FileSettings`].
pub struct Settings {
    pub format: OutputFormat,
    pub options: OutputOptions,
    pub exit_zero: bool,
    pub statistics: bool,
    pub quiet: bool,
    pub verbose: bool,
    pub output_file: Option<PathBuf>,
}

/// One file to lint, with the settings it is linted with.
pub struct Planned {
    pub input: Input,
    pub settings: FileSettings,
}

/// Everything `check` and `fix` need before linting: the run's settings, the files with
/// theirs, and the problems met finding them (the run goes on without those).
pub struct Plan {
    pub settings: Settings,
    pub files: Vec<Planned>,
    pub errors: Vec<RunError>,
}

fn config_error(e: ConfigError, color: bool) -> RunError {
    RunError {
        path: None,
        message: format!("invalid configuration\n{}", e.render(color)),
    }
}

impl Plan {
    /// Resolve the command line, find the inputs, and the settings of each. An error here
    /// (bad selector, bad configuration) stops the run.
    pub fn new(args: &CommonArgs) -> Result<Plan, RunError> {
        let err = |message: String| RunError {
            path: None,
            message,
        };
        let codes = |list: &[String]| -> Result<Vec<&'static str>, RunError> {
            let mut out = Vec::new();
            for s in list {
                out.extend(selection::resolve(s).map_err(err)?);
            }
            Ok(out)
        };
        let overrides = Overrides {
            config: args.config.clone(),
            isolated: args.isolated,
            select: args.select.as_deref().map(codes).transpose()?,
            extend_select: codes(&args.extend_select)?,
            ignore: codes(&args.ignore)?,
            fail_level: args.fail_level.map(crate::cli::FailLevel::severity),
            unsafe_fixes: args.unsafe_fixes,
        };
        let stderr_color = std::io::stderr().is_terminal() && color_allowed(args);
        let mut resolver = Resolver::new(overrides).map_err(|e| config_error(e, stderr_color))?;
        // Run-wide keys come from the configuration of the working directory (or `--config`).
        let here = resolver
            .config_for(std::path::Path::new("-"))
            .map_err(|e| config_error(e, stderr_color))?;
        let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
        let format = match (
            &args.output_format,
            here.as_ref().and_then(|c| c.output_format),
        ) {
            (Some(f), _) => *f,
            (None, Some(f)) => f,
            (None, None) if to_terminal => OutputFormat::Full,
            (None, None) => OutputFormat::Concise,
        };
        let unsafe_fixes =
            args.unsafe_fixes || here.as_ref().and_then(|c| c.unsafe_fixes).unwrap_or(false);
        let settings = Settings {
            format,
            options: OutputOptions {
                color: to_terminal && color_allowed(args),
                show_fixes_hint: !args.quiet,
                unsafe_fixes_enabled: unsafe_fixes,
                show_source: true,
                files_failed: false,
            },
            exit_zero: args.exit_zero,
            statistics: args.statistics,
            quiet: args.quiet,
            verbose: args.verbose,
            output_file: args.output_file.clone(),
        };

        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let discovered = discover::discover(&paths, args.stdin_filename.as_deref());
        if !args.quiet {
            let mut stderr = std::io::stderr().lock();
            for dir in &discovered.empty_walks {
                let _ = writeln!(
                    stderr,
                    "dlint: warning: no Dockerfiles found under {}",
                    dir.display()
                );
            }
        }
        let inputs = discovered.inputs;
        let errors = discovered
            .errors
            .into_iter()
            .map(|e| RunError {
                path: Some(e.path),
                message: e.message,
            })
            .collect();
        let mut files = Vec::new();
        // A set, not a scan per input: thousands of files named on the command line would
        // make the scans quadratic (10% of a corpus run, measured).
        let named: std::collections::HashSet<&std::path::Path> =
            paths.iter().map(PathBuf::as_path).collect();
        for input in inputs {
            let path = input.path();
            // A file named on the command line is linted even when excluded (unless
            // `--force-exclude`): the user asked for it. Standard input always is.
            let explicit = matches!(input, Input::Stdin(_)) || named.contains(path);
            let skip = (!explicit || args.force_exclude)
                && !matches!(input, Input::Stdin(_))
                && resolver
                    .is_excluded(path)
                    .map_err(|e| config_error(e, stderr_color))?;
            if skip {
                continue;
            }
            let file_settings = resolver
                .settings_for(path)
                .map_err(|e| config_error(e, stderr_color))?;
            files.push(Planned {
                input,
                settings: file_settings,
            });
        }
        if args.verbose {
            let mut stderr = std::io::stderr().lock();
            for note in &resolver.notes {
                let _ = writeln!(stderr, "dlint: {note}");
            }
        }
        Ok(Plan {
            settings,
            files,
            errors,
        })
    }
}

fn color_allowed(args: &CommonArgs) -> bool {
    !args.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Settings {
    /// Whether the findings of a file fail the run.
    pub fn fails(&self, file: &FileSettings, diagnostics: &[Diagnostic]) -> bool {
        !self.exit_zero && file.fails(diagnostics)
    }
}

/// In verbose mode, say which findings suppressions silenced, and why.
pub fn report_silenced(source: &SourceFile, silenced: &[crate::suppression::Silenced]) {
    let mut stderr = std::io::stderr().lock();
    for s in silenced {
        let at = source.line_col(s.diagnostic.span.start);
        let by = source.line_col(s.by.start);
        let reason = s
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            stderr,
            "dlint: {}:{}:{}: {} silenced by the suppression on line {}{reason}",
            source.display_path(),
            at.line,
            at.column,
            s.diagnostic.code,
            by.line
        );
    }
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

/// The plan of a `check` or `fix` run and the build contexts its files are linted with.
pub fn prepare(args: &CommonArgs) -> Result<(Plan, contexts::BuildContexts), RunError> {
    let plan = Plan::new(args)?;
    let contexts = contexts::BuildContexts::new(args.context.clone())?;
    Ok((plan, contexts))
}
