//! DL4004 multiple-entrypoint (part of BuildKit's `MultipleInstructionsDisallowed`): more than one ENTRYPOINT in
//! a stage.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct MultipleEntrypoint {
        code: "DL4004",
        name: "multiple-entrypoint",
        summary: "Only the last ENTRYPOINT of a stage takes effect: the earlier ones do nothing.",
        severity: Error,
        fixable: false,
        aliases: ["MultipleInstructionsDisallowed"],
    }
}

impl Rule for MultipleEntrypoint {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::multiple_instructions::check(ctx, &self.meta(), Keyword::Entrypoint, out);
    }
}
