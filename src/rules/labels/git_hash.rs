//! DL3055 label-not-git-hash: a label the schema types as `hash` whose value is not one.

use super::check_type;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

crate::declare_rule! {
    pub struct LabelNotGitHash {
        code: "DL3055",
        name: "label-not-git-hash",
        summary: "A label the schema types as `hash` does not hold a full git commit hash.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for LabelNotGitHash {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        check_type(
            self,
            ctx,
            "hash",
            valid,
            "a full git commit hash (40 hexadecimal digits)",
            out,
        );
    }
}

/// 40 hexadecimal digits (SHA-1), or 64 (SHA-256 repositories).
fn valid(value: &str) -> bool {
    matches!(value.len(), 40 | 64) && value.bytes().all(|b| b.is_ascii_hexdigit())
}
