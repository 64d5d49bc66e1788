//! DC013 stage-from-sources: a stage built `FROM` a stage whose last step copies the whole
//! source, and that installs dependencies: every source change re-runs those installs.

use crate::analysis::copies::{self, Shape};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct StageFromSources {
        code: "DC013",
        name: "stage-from-sources",
        summary: "A stage that installs dependencies is built FROM a stage ending with a COPY of the sources, so every code change re-runs its installs.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for StageFromSources {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let installs = ctx.installs();
        let all_copies = copies::analyse(ctx.syntax, ctx.model);
        for stage in &ctx.model.stages {
            let Some(base) = stage.base_stage.map(|b| &ctx.model.stages[b]) else {
                continue;
            };
            // The base's last step that makes a layer.
            let Some(last) = base.body.clone().rev().find(|&i| {
                matches!(
                    ctx.syntax.instructions[i].keyword,
                    Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir
                )
            }) else {
                continue;
            };
            let Some(copy) = all_copies.iter().find(|c| c.instruction == last) else {
                continue;
            };
            let copies_sources = copy.from_context()
                && copy
                    .sources
                    .iter()
                    .any(|s| s.shape(ctx.build_context) == Shape::Dir);
            if !copies_sources {
                continue;
            }
            let Some(install) = installs
                .uses
                .iter()
                // An install that reads the sources (`pip install .`) has to re-run with them.
                .find(|u| {
                    stage.body.contains(&u.instruction)
                        && u.invocation.is_install()
                        && !u.invocation.needs_source
                })
            else {
                continue;
            };
            let from = &ctx.syntax.instructions[stage.from];
            let copy_inst = &ctx.syntax.instructions[last];
            let command = installs.command(install);
            let base_name = base.name.clone().unwrap_or_else(|| base.index.to_string());
            out.push(
                Diagnostic::new(
                    meta.code,
                    meta.name,
                    meta.default_severity,
                    Span::new(from.span.start, from.text_end()),
                    format!(
                        "this stage starts from `{base_name}`, whose last step copies the sources: any source change re-runs every step here, including `{}`",
                        crate::rules::cache::copy_before_install::shorten(command.span.text(ctx.text()))
                    ),
                )
                .with_related(
                    Span::new(copy_inst.span.start, copy_inst.text_end()),
                    "the sources come in here",
                )
                .with_related(command.span, "re-runs on every source change")
                .with_help(
                    "install in a stage that ends before the sources are copied (a `deps` stage), and build both this stage and the one with the sources from it",
                ),
            );
        }
    }
}
