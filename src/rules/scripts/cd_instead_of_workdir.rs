//! DL3003 cd-instead-of-workdir: `cd` in RUN where WORKDIR says it for every later step.

use super::{base_name, runs};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::shell::Connector;
use crate::source::Span;

crate::declare_rule! {
    pub struct CdInsteadOfWorkdir {
        code: "DL3003",
        name: "cd-instead-of-workdir",
        summary: "`cd` in RUN: WORKDIR sets the directory for every later step.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for CdInsteadOfWorkdir {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for run in runs(ctx) {
            // A `cd` in a script run by `su -c` or `sh -c` belongs to that shell, often another
            // user's: WORKDIR cannot stand in for it.
            let Some(cd) = run
                .commands
                .iter()
                .find(|c| base_name(c) == Some("cd") && c.nested_from.is_none())
            else {
                continue;
            };
            let fix = leading_cd_fix(ctx, run);
            out.push(
                self.finding(
                    cd.words[0].span,
                    "`cd` in RUN changes the directory for this RUN only: the next reader (and the next RUN) must track it",
                )
                .with_help("use WORKDIR to set the directory")
                .with_fix(fix),
            );
        }
    }
}

/// `RUN cd /abs && rest` becomes `WORKDIR /abs` and `RUN rest`: offered when the RUN has no
/// flags or heredocs and starts with a `cd` to one literal absolute path joined by `&&`.
fn leading_cd_fix(ctx: &Context, run: &crate::analysis::runs::Run) -> Option<Fix> {
    let inst = &ctx.syntax.instructions[run.instruction];
    if !inst.flags.is_empty() || !inst.heredocs.is_empty() || inst.inner.is_some() || run.has_errors
    {
        return None;
    }
    let [cd, next, ..] = run.commands.as_slice() else {
        return None;
    };
    let [_, dir] = cd.words.as_slice() else {
        return None;
    };
    let simple = cd.depth.is_top_level()
        && cd.redirects.is_empty()
        && cd.assignments.is_empty()
        && base_name(cd) == Some("cd")
        && dir.is_literal
        && dir.value.starts_with('/')
        && !dir.value.contains(['"', '\'', '\\', ' '])
        && next.connector_before == Some(Connector::AndAnd)
        && next.depth.is_top_level()
        && next.nested_from.is_none()
        // Nothing but `cd` may come before it in the script.
        && ctx
            .text()
            .get(inst.args_span().start..cd.span.start)
            .is_some_and(|before| before.trim().is_empty());
    if !simple {
        return None;
    }
    let workdir = if inst.keyword_text.chars().any(|c| c.is_ascii_lowercase()) {
        "workdir"
    } else {
        "WORKDIR"
    };
    let run_kw = &inst.keyword_text;
    Some(Fix::unsafe_(
        format!(
            "move `cd {}` to a WORKDIR before the RUN (unsafe: WORKDIR also applies to every later instruction of the stage, and becomes the image's working directory unless a later WORKDIR sets another; it creates the directory if it is missing)",
            dir.value
        ),
        vec![Edit::replace(
            Span::new(inst.keyword_span.start, next.span.start),
            format!("{workdir} {}\n{run_kw} ", dir.value),
        )],
    ))
}
