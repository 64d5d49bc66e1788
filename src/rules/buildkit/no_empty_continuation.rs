//! BK003 no-empty-continuation (BuildKit's `NoEmptyContinuation`): a blank line inside a
//! continued instruction.

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;

crate::declare_rule! {
    pub struct NoEmptyContinuation {
        code: "BK003",
        name: "no-empty-continuation",
        summary: "A blank line inside a continued instruction is skipped today and will be an error in a future BuildKit.",
        severity: Warning,
        fixable: true,
        aliases: ["NoEmptyContinuation"],
    }
}

impl Rule for NoEmptyContinuation {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let text = ctx.text();
        for inst in &ctx.syntax.instructions {
            let end = inst.text_end().min(text.len());
            let first_line_end = text[inst.span.start..end]
                .find('\n')
                .map_or(end, |i| inst.span.start + i + 1);
            let mut blanks = Vec::new();
            let mut at = first_line_end;
            while at < end {
                let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                if text[at..line_end].trim().is_empty() {
                    blanks.push(Span::new(at, line_end));
                }
                at = line_end;
            }
            let Some(first) = blanks.first() else {
                continue;
            };
            let mut d = Diagnostic::for_rule(
                &meta,
                inst.keyword_span,
                format!(
                    "empty continuation line{} in this {}: BuildKit skips {} today and will refuse {} in a future release",
                    if blanks.len() > 1 { "s" } else { "" },
                    inst.keyword_text.to_ascii_uppercase(),
                    if blanks.len() > 1 { "them" } else { "it" },
                    if blanks.len() > 1 { "them" } else { "it" },
                ),
            )
            .with_related(Span::empty(first.start), "this line is empty");
            d = d.with_fix(Some(Fix::safe(
                "remove the empty continuation lines",
                blanks.iter().map(|s| Edit::delete(*s)).collect(),
            )));
            out.push(d);
        }
    }
}
