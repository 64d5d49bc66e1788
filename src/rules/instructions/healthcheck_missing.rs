//! DL3057 healthcheck-missing: a stage without HEALTHCHECK (off by default).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct HealthcheckMissing {
        code: "DL3057",
        name: "healthcheck-missing",
        summary: "A stage has no HEALTHCHECK, of its own or from the stage it is built on.",
        severity: Info,
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for HealthcheckMissing {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for stage in &ctx.model.stages {
            if has_healthcheck(ctx, stage.index) {
                continue;
            }
            let from = &ctx.syntax.instructions[stage.from];
            out.push(self.finding(
                from.keyword_span,
                "this stage has no HEALTHCHECK: the runtime cannot tell a container that runs from one that works",
            ).with_help("add `HEALTHCHECK CMD ...`, or `HEALTHCHECK NONE` to say there is none on purpose"));
        }
    }
}

/// Whether the stage, or a stage it is built on (the setting is part of the image), has a
/// HEALTHCHECK.
fn has_healthcheck(ctx: &Context, stage: usize) -> bool {
    let mut current = Some(stage);
    while let Some(s) = current {
        let st = &ctx.model.stages[s];
        let found = st
            .body
            .clone()
            .any(|i| ctx.syntax.instructions[i].effective().keyword == Keyword::Healthcheck);
        if found {
            return true;
        }
        current = st.base_stage;
    }
    false
}
