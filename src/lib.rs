//! dlint: a Dockerfile linter and auto-fixer.
//!
//! Data flows one way: file -> syntax -> model/analysis -> rules -> diagnostics -> fixes / output.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod compose;
pub mod config;
pub mod context;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod fs;
pub mod invariants;
pub mod knowledge;
pub mod output;
pub mod paths;
pub mod rules;
pub mod server;
pub mod shell;
pub mod source;
pub mod suppression;
pub mod syntax;
