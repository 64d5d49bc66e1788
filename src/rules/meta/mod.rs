//! Findings about the file and its suppressions rather than about the build: syntax errors
//! (DL1000), inline ignore comments where they are not wanted (DL1001) and unused suppression
//! comments (DX100).

pub mod inline_ignore;
pub mod refusals;
pub mod syntax_error;
pub mod unused_suppression;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &syntax_error::SyntaxError,
    &inline_ignore::InlineIgnore,
    &unused_suppression::UnusedSuppression,
];
