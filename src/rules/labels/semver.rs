//! DL3056 label-not-semver: a label the schema types as `semver` whose value is not one.

use super::check_type;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

crate::declare_rule! {
    pub struct LabelNotSemver {
        code: "DL3056",
        name: "label-not-semver",
        summary: "A label the schema types as `semver` does not hold a semantic version.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for LabelNotSemver {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        check_type(
            self,
            ctx,
            "semver",
            valid,
            "a semantic version (`1.2.3`, `2.0.0-rc.1`)",
            out,
        );
    }
}

/// Semantic Versioning 2.0.0: `MAJOR.MINOR.PATCH[-pre][+build]`, no leading zeros, no `v`.
fn valid(value: &str) -> bool {
    let (rest, build) = match value.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (value, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let number = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    let ident =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| number(p))
        && pre.is_none_or(|p| {
            p.split('.')
                .all(|id| ident(id) && (!id.bytes().all(|b| b.is_ascii_digit()) || number(id)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}
