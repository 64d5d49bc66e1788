//! DL3012 multiple-healthcheck (part of BuildKit's `MultipleInstructionsDisallowed`): more than one HEALTHCHECK in
//! a stage.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct MultipleHealthcheck {
        code: "DL3012",
        name: "multiple-healthcheck",
        summary: "Only the last HEALTHCHECK of a stage takes effect: the earlier ones do nothing.",
        severity: Error,
        fixable: false,
        aliases: ["MultipleInstructionsDisallowed"],
    }
}

impl Rule for MultipleHealthcheck {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::multiple_instructions::check(ctx, &self.meta(), Keyword::Healthcheck, out);
    }
}
