//! DL3063 reserved-stage-name: a stage named `scratch` or `context`.

use super::words::arg_words;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct ReservedStageName {
        code: "DL3063",
        name: "reserved-stage-name",
        summary: "A stage named `scratch` or `context`, names BuildKit gives another meaning.",
        severity: Warning,
        fixable: false,
        aliases: ["ReservedStageName"],
    }
}

/// `scratch` is the empty image; `context` is how `--build-context` names are reached.
const RESERVED: &[&str] = &["scratch", "context"];

impl Rule for ReservedStageName {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for stage in &ctx.model.stages {
            let Some(name) = stage.name.as_deref() else {
                continue;
            };
            if !RESERVED.contains(&name) {
                continue;
            }
            let inst = &ctx.syntax.instructions[stage.from];
            let span = arg_words(inst).last().map_or(inst.keyword_span, |w| w.1);
            out.push(self.finding(
                span,
                format!("`{name}` is a reserved name: `FROM {name}` and `COPY --from={name}` would not mean this stage"),
            ));
        }
    }
}
