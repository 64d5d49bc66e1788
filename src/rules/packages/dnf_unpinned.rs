//! DL3041 dnf-unpinned: dnf packages named without a version (the shared check is `pin_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct DnfUnpinned {
        code: "DL3041",
        name: "dnf-unpinned",
        summary: "`dnf install` names packages without a version, so each build may install different ones.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for DnfUnpinned {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        // microdnf is its own manager (its own cache directory), under the same rule.
        for manager in ["dnf", "microdnf"] {
            super::pin_check::check(&self.meta(), ctx, manager, out);
        }
    }
}
