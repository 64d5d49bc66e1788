//! DL1000 syntax-error: a line BuildKit would refuse to parse.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};

pub struct SyntaxError;

impl Rule for SyntaxError {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "DL1000",
            name: "syntax-error",
            summary: "The Dockerfile does not parse: BuildKit would refuse to build it.",
            default_severity: Severity::Error,
            fixable: false,
            aliases: &[],
        }
    }

    fn doc(&self) -> &'static str {
        include_str!("../../rules/DL1000.md")
    }

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
