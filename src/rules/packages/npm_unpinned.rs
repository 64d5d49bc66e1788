//! DL3016 npm-unpinned: npm packages named without a version (the shared check is `pin_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct NpmUnpinned {
        code: "DL3016",
        name: "npm-unpinned",
        summary: "`npm install` names packages without a version, so each build may install different ones.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for NpmUnpinned {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::pin_check::check(&self.meta(), ctx, "npm", out);
    }
}
