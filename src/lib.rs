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

// Linting makes many small, short-lived strings and vectors (shell words, pieces, findings)
// from several threads; mimalloc serves those faster than the system allocator (corpus CPU
// time in the commit that brought it in). tree-sitter's C allocations use it too
// (`shell::new_parser`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
