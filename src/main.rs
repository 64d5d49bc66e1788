use clap::Parser;
use dlint::cli::{Cli, Command, DebugCommand};
use dlint::commands;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Fix(args) => commands::fix::run(args),
        Command::Cache(args) => commands::cache::run(args),
        Command::Rule { rule } => commands::rule::show(rule),
        Command::Rules => commands::rule::list(),
        Command::Debug(DebugCommand::Parse { files }) => commands::debug::parse(files),
    };
    std::process::ExitCode::from(code)
}
