//! Build-context layer: `.dockerignore` matching with Docker/BuildKit
//! semantics, listing of a context directory, and resolution of COPY/ADD
//! sources against it.
//!
//! Entry points:
//! * [`DockerIgnore::parse`] / [`DockerIgnore::is_excluded`] and
//!   [`find_ignore_file`];
//! * [`Context::load`] / [`Context::scan`] to list a context;
//! * [`resolve_source`] / [`resolve_source_with`] for COPY/ADD sources.

pub mod dockerignore;
pub mod glob;
pub mod sources;
pub mod tree;

pub use dockerignore::{
    DockerIgnore, IgnorePattern, MatchInfo, PatternError, find_ignore_file, normalize_rel,
};
pub use sources::{
    RemoteKind, SourceMatch, SourceOptions, classify_remote, matched_paths, resolve_source,
    resolve_source_with,
};
pub use tree::{Context, ContextFile, EntryRef, ScanOptions, cmp_rel_paths};

#[cfg(test)]
mod tests;
