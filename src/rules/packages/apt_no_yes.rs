//! DL3014 apt-no-yes: apt commands that prompt without a yes flag (the shared check is `yes_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct AptNoYes {
        code: "DL3014",
        name: "apt-no-yes",
        summary: "An apt-get command that asks for confirmation runs without `-y`; with no one to answer, the build stops.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for AptNoYes {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::yes_check::check(&self.meta(), ctx, "apt", out);
    }
}
