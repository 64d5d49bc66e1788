//! DL3045 copy-relative-no-workdir: COPY to a relative destination in a stage without WORKDIR.

use super::workdir_relative::is_absolute;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Keyword, unquote};

crate::declare_rule! {
    pub struct CopyRelativeNoWorkdir {
        code: "DL3045",
        name: "copy-relative-no-workdir",
        summary: "COPY to a relative destination before any WORKDIR: where it lands depends on the base image.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for CopyRelativeNoWorkdir {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Copy || inst.values.len() < 2 {
                continue;
            }
            let Some(stage) = ctx.model.stage_of(i) else {
                continue;
            };
            let dest =
                ctx.model.states[i].expand(&unquote(inst.values.last().expect("two values")));
            if is_absolute(&dest) || dest.starts_with('$') || workdir_set(ctx, stage.index, i) {
                continue;
            }
            out.push(
                self.finding(
                    inst.args_span(),
                    format!("`{dest}` is relative, and no WORKDIR is set in this stage: it lands in whatever directory the base image chose"),
                )
                .with_help("set WORKDIR first, or write an absolute destination"),
            );
        }
    }
}

/// Whether a WORKDIR runs before instruction `before` in stage `stage` or the stages it is
/// built on.
fn workdir_set(ctx: &Context, stage: usize, before: usize) -> bool {
    let mut current = Some((stage, before));
    while let Some((s, end)) = current {
        let st = &ctx.model.stages[s];
        if (st.body.start..end.min(st.body.end))
            .any(|k| ctx.syntax.instructions[k].keyword == Keyword::Workdir)
        {
            return true;
        }
        current = st.base_stage.map(|b| (b, usize::MAX));
    }
    false
}
