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
            // One finding per EXPOSE, at its first bad port, naming them all.
            let bad: Vec<(String, crate::source::Span)> = arg_words(inst)
                .into_iter()
                .map(|(written, span)| (ctx.model.states[i].expand(&unquote(written)), span))
                .filter(|(port, _)| {
                    let numbers = port.split('/').next().unwrap_or(port);
                    numbers
                        .split('-')
                        .filter_map(|n| n.parse::<u64>().ok())
                        .any(|n| n > 65_535)
                })
                .collect();
            if let Some((_, span)) = bad.first() {
                let ports: Vec<String> = bad.iter().map(|(p, _)| format!("`{p}`")).collect();
                out.push(self.finding(
                    *span,
                    format!(
                        "{} {} not a port: ports go from 0 to 65535",
                        ports.join(", "),
                        if ports.len() == 1 { "is" } else { "are" }
                    ),
                ));
            }
        }
    }
}
