//! DL3030 yum-no-yes: yum commands that prompt without a yes flag (the shared check is `yes_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct YumNoYes {
        code: "DL3030",
        name: "yum-no-yes",
        summary: "A yum command that asks for confirmation runs without `-y`; with no one to answer, the build stops.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for YumNoYes {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::yes_check::check(&self.meta(), ctx, "yum", out);
    }
}
