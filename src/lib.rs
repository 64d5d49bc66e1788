//! dlint: a Dockerfile linter and auto-fixer.
//!
//! Data flows one way: file -> syntax -> model -> rules -> diagnostics -> fixes / output.

pub mod cache_plan;
pub mod cli;
pub mod commands;
pub mod compose;
pub mod config;
pub mod context;
pub mod copies;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod fs;
pub mod installs;
pub mod invariants;
pub mod knowledge;
pub mod model;
pub mod mounts;
pub mod output;
pub mod paths;
pub mod rules;
pub mod runs;
pub mod shell;
pub mod source;
pub mod suppression;
pub mod syntax;
