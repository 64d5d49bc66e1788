//! The command line, as clap sees it.

use crate::diagnostic::Severity;
use crate::output::OutputFormat;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "dlint",
    // The package version and, when built from a git checkout, the commit (build.rs).
    version = env!("DLINT_VERSION"),
    about = "A Dockerfile linter and auto-fixer that keeps your builds cached",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles (default path: the current directory).
    Check(CheckArgs),
    /// Apply fixes in place (safe ones; `--unsafe-fixes` for all), or show them with `--diff`.
    Fix(FixArgs),
    /// Show which build steps a change re-runs, and which dependency installs with them.
    Cache(CacheArgs),
    /// Print a rule's documentation.
    Rule {
        /// A rule code (DC001) or name (pip-no-cache-dir).
        rule: String,
    },
    /// List every rule.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text, value_name = "FORMAT")]
        output_format: TextOrJson,
    },
    /// Print a shell completion script (e.g. `dlint completions bash > ~/.local/share/bash-completion/completions/dlint`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Run the language server (LSP over standard input and output) for editors.
    Server,
    /// Tools for looking inside dlint.
    #[command(subcommand)]
    Debug(DebugCommand),
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Print one JSON record per file, in the schema of BuildKit's parse in the shared corpus.
    Parse {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Debug, Args)]
pub struct CommonArgs {
    /// Files or directories to lint; `-` reads standard input.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, env = "DLINT_OUTPUT_FORMAT", value_enum, value_name = "FORMAT")]
    pub output_format: Option<OutputFormat>,
    /// Write the report to a file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Rules to run (codes, code prefixes, names, or ALL); replaces the default selection.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Rules to run in addition to the selection.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Rules not to run.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1.
    #[arg(
        long,
        alias = "failure-threshold",
        value_enum,
        ignore_case = true,
        value_name = "LEVEL"
    )]
    pub fail_level: Option<FailLevel>,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// The build context directory (default: each Dockerfile's directory; for standard input,
    /// the directory of `--stdin-filename`). Rules that check COPY sources and `.dockerignore`
    /// need it.
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Name standard input's file, for reports and configuration lookup; its directory is the
    /// build context (unless `--context` says otherwise).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Include unsafe fixes (shown as fixable, and applied by `fix`).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print counts per rule instead of each finding.
    #[arg(long)]
    pub statistics: bool,
    /// Never use colours.
    #[arg(long)]
    pub no_color: bool,
    /// Print only findings (no summary).
    #[arg(short, long)]
    pub quiet: bool,
    /// Also say which configuration applies and which findings suppressions silenced (stderr).
    #[arg(short, long)]
    pub verbose: bool,
    /// Use this configuration file (dlint.toml, or a .hadolint.yaml) for every file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,
    /// Apply `exclude` to files named on the command line too (for pre-commit and editors).
    #[arg(long)]
    pub force_exclude: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Apply fixes, as `dlint fix` does (`dlint check --fix` is `dlint fix`).
    #[arg(long)]
    pub fix: bool,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Print a unified diff of what would change and write nothing (exit 1 if anything would).
    #[arg(long)]
    pub diff: bool,
    /// List the fixes that were applied.
    #[arg(long)]
    pub show_fixes: bool,
    /// Exit 1 when a file was changed, even if nothing is left to report.
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    /// The Dockerfile, or a directory holding one (default: ./Dockerfile).
    pub dockerfile: Option<PathBuf>,
    /// The changed files (relative to the build context, or to the current directory when
    /// inside it). Default: what git reports as changed in the context (working tree and
    /// staged changes against HEAD).
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub changed: Option<Vec<PathBuf>>,
    /// The build context directory (default: the Dockerfile's directory).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// The stage to build (default: the last one); stages it does not need are not built.
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = TextOrJson::Text)]
    pub output_format: TextOrJson,
    /// Say for every step why it re-runs or stays cached.
    #[arg(long)]
    pub explain: bool,
}

/// `--fail-level`: the lowest severity that fails the run, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    Style,
    None,
}

impl FailLevel {
    pub fn severity(self) -> Option<Severity> {
        match self {
            FailLevel::Error => Some(Severity::Error),
            FailLevel::Warning => Some(Severity::Warning),
            FailLevel::Info => Some(Severity::Info),
            FailLevel::Style => Some(Severity::Style),
            FailLevel::None => None,
        }
    }
}

/// The formats of commands that print one document (`rules`, `cache`): text for people, JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}
