use clap::{CommandFactory, Parser};
use dlint::cli::{Cli, Command, DebugCommand, FixArgs};
use dlint::commands;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        // `check --fix` is `fix` (the habit other linters teach).
        Command::Check(args) if args.fix => commands::fix::run(&FixArgs {
            common: args.common.clone(),
            diff: false,
            show_fixes: false,
            exit_non_zero_on_fix: false,
        }),
        Command::Check(args) => commands::check::run(args),
        Command::Fix(args) => commands::fix::run(args),
        Command::Cache(args) => commands::cache::run(args),
        Command::Rule { rule } => commands::rule::show(rule),
        Command::Rules { output_format } => commands::rule::list(*output_format),
        Command::Server => dlint::server::run(),
        Command::Completions { shell } => commands::completions::run(*shell, Cli::command()),
        Command::Debug(DebugCommand::Parse { files }) => commands::debug::parse(files),
    };
    std::process::ExitCode::from(code)
}
