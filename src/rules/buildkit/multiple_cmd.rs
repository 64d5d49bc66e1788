//! DL4003 multiple-cmd (part of BuildKit's `MultipleInstructionsDisallowed`): more than one CMD in
//! a stage.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct MultipleCmd {
        code: "DL4003",
        name: "multiple-cmd",
        summary: "Only the last CMD of a stage takes effect: the earlier ones do nothing.",
        severity: Warning,
        fixable: false,
        aliases: ["MultipleInstructionsDisallowed"],
    }
}

impl Rule for MultipleCmd {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::multiple_instructions::check(ctx, &self.meta(), Keyword::Cmd, out);
    }
}
