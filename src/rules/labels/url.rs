//! DL3052 label-not-url: a label the schema types as `url` whose value is not one.

use super::check_type;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

crate::declare_rule! {
    pub struct LabelNotUrl {
        code: "DL3052",
        name: "label-not-url",
        summary: "A label the schema types as `url` does not hold an absolute URL.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for LabelNotUrl {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        check_type(self, ctx, "url", valid, "an absolute URL", out);
    }
}

/// `scheme:rest` with a scheme of a letter then letters, digits, `+`, `-`, `.`, and for
/// hierarchical URLs a host after `//`; no blanks.
fn valid(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let rest_ok = !rest.is_empty()
        && !rest.contains(char::is_whitespace)
        && rest
            .strip_prefix("//")
            .is_none_or(|r| !r.is_empty() && !r.starts_with('/'));
    scheme_ok && rest_ok
}
