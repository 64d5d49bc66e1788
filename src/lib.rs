//! dlint: a Dockerfile linter and auto-fixer.
//!
//! Data flows one way: file -> syntax -> model -> rules -> diagnostics -> fixes / output.

pub mod cli;
pub mod commands;
pub mod context;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod fs;
pub mod invariants;
pub mod model;
pub mod output;
pub mod rules;
pub mod runs;
pub mod shell;
pub mod source;
pub mod syntax;
