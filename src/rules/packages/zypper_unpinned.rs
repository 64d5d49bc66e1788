//! DL3037 zypper-unpinned: zypper packages named without a version (the shared check is `pin_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct ZypperUnpinned {
        code: "DL3037",
        name: "zypper-unpinned",
        summary: "`zypper install` names packages without a version, so each build may install different ones.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for ZypperUnpinned {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::pin_check::check(&self.meta(), ctx, "zypper", out);
    }
}
