//! DL3058 label-not-email: a label the schema types as `email` whose value is not one.

use super::check_type;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

crate::declare_rule! {
    pub struct LabelNotEmail {
        code: "DL3058",
        name: "label-not-email",
        summary: "A label the schema types as `email` does not hold an e-mail address.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for LabelNotEmail {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        check_type(
            self,
            ctx,
            "email",
            valid,
            "an e-mail address (`team@example.com`)",
            out,
        );
    }
}

/// An RFC 5322 address as `local@domain` (no display name): the local part of atom characters
/// and dots, the domain of letters, digits and dashes between dots.
fn valid(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let atom = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = !local.is_empty()
        && local
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(atom));
    let domain_ok = !domain.is_empty()
        && domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}
