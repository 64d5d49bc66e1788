//! DL3018 apk-unpinned: apk packages named without a version (the shared check is `pin_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct ApkUnpinned {
        code: "DL3018",
        name: "apk-unpinned",
        summary: "`apk add` names packages without a version, so each build may install different ones.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for ApkUnpinned {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::pin_check::check(&self.meta(), ctx, "apk", out);
    }
}
