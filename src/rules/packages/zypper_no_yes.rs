//! DL3034 zypper-no-yes: zypper commands that prompt without a yes flag (the shared check is `yes_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct ZypperNoYes {
        code: "DL3034",
        name: "zypper-no-yes",
        summary: "A zypper command that asks for confirmation runs without `-n` or `-y`; with no one to answer, the build stops.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for ZypperNoYes {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::yes_check::check(&self.meta(), ctx, "zypper", out);
    }
}
