//! BuildKit's build checks (`docker build --check`), each answering to its BuildKit name:
//! BKxxx codes for the checks hadolint has no rule for, and hadolint's DL code where it has
//! the same rule (one implementation answers to both names).

pub mod ports;
pub mod reference;
pub mod words;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[];
