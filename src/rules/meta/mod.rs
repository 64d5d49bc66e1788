//! Findings about the file and its suppressions rather than about the build: syntax errors
//! (DL1000) and unused suppression comments (DX100).

pub mod refusals;
pub mod syntax_error;
pub mod unused_suppression;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &syntax_error::SyntaxError,
    &unused_suppression::UnusedSuppression,
];
