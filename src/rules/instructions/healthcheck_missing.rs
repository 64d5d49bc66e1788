//! DL3057 healthcheck-missing: no HEALTHCHECK in the file (off by default).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct HealthcheckMissing {
        code: "DL3057",
        name: "healthcheck-missing",
        summary: "The file has no HEALTHCHECK.",
        severity: Info,
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for HealthcheckMissing {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let has = |k: Keyword| {
            ctx.syntax
                .instructions
                .iter()
                .any(|i| i.keyword == k || i.inner.as_deref().is_some_and(|n| n.keyword == k))
        };
        if has(Keyword::Healthcheck) {
            return;
        }
        let Some(first) = ctx.model.stages.first() else {
            return;
        };
        let from = &ctx.syntax.instructions[first.from];
        out.push(self.finding(
            from.keyword_span,
            "no HEALTHCHECK: the runtime cannot tell a container that runs from one that works",
        ).with_help("add `HEALTHCHECK CMD ...` to the final stage, or `HEALTHCHECK NONE` to say there is none on purpose"));
    }
}
