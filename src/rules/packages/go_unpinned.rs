//! DL3062 go-unpinned: go packages named without a version (the shared check is `pin_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct GoUnpinned {
        code: "DL3062",
        name: "go-unpinned",
        summary: "`go install` names a module without a fixed version, so each build may install a different one.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for GoUnpinned {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::pin_check::check(&self.meta(), ctx, "go", out);
    }
}
