//! DL1000 syntax-error: a line BuildKit would refuse to parse.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct SyntaxError {
        code: "DL1000",
        name: "syntax-error",
        summary: "The Dockerfile does not parse: BuildKit would refuse to build it.",
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
    }
}
