//! DL3013 pip-unpinned: pip packages named without a version (the shared check is `pin_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct PipUnpinned {
        code: "DL3013",
        name: "pip-unpinned",
        summary: "`pip install` names packages without a version, so each build may install different ones.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for PipUnpinned {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::pin_check::check(&self.meta(), ctx, "pip", out);
    }
}
