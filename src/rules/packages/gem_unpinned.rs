//! DL3028 gem-unpinned: gem packages named without a version (the shared check is `pin_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct GemUnpinned {
        code: "DL3028",
        name: "gem-unpinned",
        summary: "`gem install` names gems without a version, so each build may install different ones.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for GemUnpinned {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::pin_check::check(&self.meta(), ctx, "gem", out);
    }
}
