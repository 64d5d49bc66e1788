//! DL3008 apt-unpinned: apt packages named without a version (the shared check is `pin_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct AptUnpinned {
        code: "DL3008",
        name: "apt-unpinned",
        summary: "`apt-get install` names packages without a version, so each build may install different ones.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for AptUnpinned {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::pin_check::check(&self.meta(), ctx, "apt", out);
    }
}
