//! DL1000 syntax-error: a line BuildKit would refuse to parse, or an instruction its
//! instruction parser and converter refuse (see [`super::refusals`]).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct SyntaxError {
        code: "DL1000",
        name: "syntax-error",
        summary: "The Dockerfile does not parse, or BuildKit refuses one of its instructions: it would not build.",
        severity: Error,
        fixable: false,
    }
}

impl Rule for SyntaxError {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for err in &ctx.syntax.errors {
            out.push(Diagnostic::new(
                meta.code,
                meta.name,
                meta.default_severity,
                err.span,
                format!("syntax error: {}", err.message),
            ));
        }
        for refusal in super::refusals::find(ctx.syntax, ctx.text()) {
            out.push(Diagnostic::new(
                meta.code,
                meta.name,
                meta.default_severity,
                refusal.span,
                format!("BuildKit refuses this: {}", refusal.message),
            ));
        }
    }
}
