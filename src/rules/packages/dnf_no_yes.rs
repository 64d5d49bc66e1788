//! DL3038 dnf-no-yes: dnf commands that prompt without a yes flag (the shared check is `yes_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct DnfNoYes {
        code: "DL3038",
        name: "dnf-no-yes",
        summary: "A dnf command that asks for confirmation runs without `-y`; with no one to answer, the build stops.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for DnfNoYes {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::yes_check::check(&self.meta(), ctx, "dnf", out);
    }
}
