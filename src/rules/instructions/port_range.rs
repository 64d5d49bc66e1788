//! DL3011 port-out-of-range: EXPOSE of a port outside 0-65535.

use super::words::arg_words;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Keyword, unquote};

crate::declare_rule! {
    pub struct PortOutOfRange {
        code: "DL3011",
        name: "port-out-of-range",
        summary: "EXPOSE of a port number outside 0-65535.",
        severity: Error,
        fixable: false,
    }
}

impl Rule for PortOutOfRange {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Expose {
                continue;
            }
            for (written, span) in arg_words(inst) {
                let port = ctx.model.states[i].expand(&unquote(written));
                let numbers = port.split('/').next().unwrap_or(&port);
                let too_big = numbers
                    .split('-')
                    .filter_map(|n| n.parse::<u64>().ok())
                    .any(|n| n > 65_535);
                if too_big {
                    out.push(self.finding(
                        span,
                        format!("`{port}` is not a port: ports go from 0 to 65535"),
                    ));
                }
            }
        }
    }
}
