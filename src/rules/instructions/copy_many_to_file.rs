//! DL3021 copy-many-to-file: COPY of several sources to a destination without a trailing `/`.

use super::words::arg_words;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct CopyManyToFile {
        code: "DL3021",
        name: "copy-many-to-file",
        summary: "COPY with more than one source needs a destination ending in `/`.",
        severity: Error,
        fixable: true,
    }
}

impl Rule for CopyManyToFile {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Copy || inst.values.len() <= 2 {
                continue;
            }
            let dest = inst.values.last().expect("more than two values");
            let expanded = ctx.model.states[i].expand(dest);
            if expanded.ends_with('/') || expanded.ends_with('\\') {
                continue;
            }
            // The fix appends `/` to the destination word as written (shell form only: an
            // exec-form word sits inside quotes).
            let fix = (!inst.json)
                .then(|| arg_words(inst).into_iter().last())
                .flatten()
                .filter(|(w, _)| *w == dest.as_str() && !dest.contains('$'))
                .map(|(_, span)| {
                    Fix::safe(
                        format!("write the destination as `{dest}/`"),
                        vec![Edit::insert(span.end, "/")],
                    )
                });
            out.push(
                self.finding(
                    inst.args_span(),
                    format!(
                        "this COPY has {} sources, so its destination `{dest}` must be a directory written with a trailing `/`; BuildKit refuses it otherwise",
                        inst.values.len() - 1
                    ),
                )
                .with_fix(fix),
            );
        }
    }
}
