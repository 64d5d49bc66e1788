//! dlint: a Dockerfile linter and auto-fixer.
//!
//! Data flows one way: file -> syntax -> model -> rules -> diagnostics -> fixes / output.

pub mod diagnostic;
pub mod source;
pub mod syntax;
