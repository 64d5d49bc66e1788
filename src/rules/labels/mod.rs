//! Label rules.

pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[];
