//! DL3048 invalid-label-key: a label key outside Docker's key conventions.

use super::pairs;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct InvalidLabelKey {
        code: "DL3048",
        name: "invalid-label-key",
        summary: "A label key that breaks Docker's conventions (lower case, dots and dashes, no reserved namespace).",
        severity: Style,
        fixable: false,
    }
}

const RESERVED: &[&str] = &["com.docker.", "io.docker.", "org.dockerproject."];

impl Rule for InvalidLabelKey {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        // One finding per LABEL, at its first bad key.
        let mut reported = None;
        for (i, pair, _) in pairs(ctx) {
            let key = crate::syntax::unquote(&pair.key);
            if reported == Some(i) {
                continue;
            }
            if let Some(why) = problem(&key) {
                reported = Some(i);
                out.push(self.finding(pair.key_span, format!("label key `{key}` {why}")));
            }
        }
    }
}

fn problem(key: &str) -> Option<&'static str> {
    let first = key.chars().next()?;
    let last = key.chars().last()?;
    if RESERVED.iter().any(|ns| key.starts_with(ns)) {
        return Some("is in a namespace Docker reserves for itself");
    }
    if !first.is_ascii_lowercase() {
        return Some("must start with a lower-case letter");
    }
    if !(last.is_ascii_lowercase() || last.is_ascii_digit()) {
        return Some("must end with a lower-case letter or a digit");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Some("may hold only lower-case letters, digits, `.` and `-`");
    }
    if key.contains("..") || key.contains("--") {
        return Some("has two separators in a row");
    }
    None
}
