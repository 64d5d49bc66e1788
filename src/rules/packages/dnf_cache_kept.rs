//! DL3040 dnf-cache-kept: dnf download caches left in the image (the shared check is `clean_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct DnfCacheKept {
        code: "DL3040",
        name: "dnf-cache-kept",
        summary: "`dnf install` leaves its downloads in the image: run `dnf clean all` after it, or keep them in a cache mount.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for DnfCacheKept {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        // microdnf is its own manager (its own cache directory), under the same rule.
        for manager in ["dnf", "microdnf"] {
            super::clean_check::check(&self.meta(), ctx, manager, out);
        }
    }
}
