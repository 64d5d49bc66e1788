//! DL4001 curl-and-wget: a stage that uses both curl and wget.

use super::{base_name, runs};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct CurlAndWget {
        code: "DL4001",
        name: "curl-and-wget",
        summary: "A stage uses both curl and wget: one download tool is enough.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for CurlAndWget {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        // Per stage: the tools seen so far; every RUN using either, once both were seen.
        let mut seen: (Option<usize>, bool, bool) = (None, false, false);
        for run in runs(ctx) {
            let stage = ctx.model.states[run.instruction].stage;
            if seen.0 != stage {
                seen = (stage, false, false);
            }
            let uses = |tool: &str| run.commands.iter().any(|c| base_name(c) == Some(tool));
            let (curl, wget) = (uses("curl"), uses("wget"));
            seen.1 |= curl;
            seen.2 |= wget;
            if (curl || wget) && seen.1 && seen.2 {
                let inst = &ctx.syntax.instructions[run.instruction];
                out.push(
                    self.finding(
                        inst.keyword_span,
                        "this stage uses both curl and wget: the image needs only one download tool",
                    )
                    .with_help("pick one and use it for every download"),
                );
            }
        }
    }
}
