//! DL3059 consecutive-runs: RUN right after RUN (off by default).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct ConsecutiveRuns {
        code: "DL3059",
        name: "consecutive-runs",
        summary: "Consecutive RUN instructions that could be one.",
        severity: Info,
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for ConsecutiveRuns {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let insts = &ctx.syntax.instructions;
        // Commands per RUN: exec form is one; a script under a non-POSIX SHELL cannot be
        // counted, so it is never a candidate.
        let mut commands: Vec<usize> = insts
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                if inst.json || ctx.model.states[i].posix_shell() {
                    1
                } else {
                    usize::MAX
                }
            })
            .collect();
        for run in ctx.runs() {
            commands[run.instruction] = run.commands.len().max(1);
        }
        for (i, pair) in insts.windows(2).enumerate() {
            let (a, b) = (&pair[0], &pair[1]);
            // RUNs with different flags (mounts, network, security) cannot be merged, and a
            // RUN of several commands was most likely split from its neighbour on purpose.
            if a.keyword == Keyword::Run
                && b.keyword == Keyword::Run
                && same_flags(a, b)
                && commands[i] <= MAX_COMMANDS
                && commands[i + 1] <= MAX_COMMANDS
            {
                out.push(self.finding(
                    b.keyword_span,
                    "this single-command RUN follows another: merged, they would make one layer instead of two",
                ).with_help("join them with `&&`, or keep them apart on purpose: with BuildKit's cache a separate RUN re-runs only when it changes"));
            }
        }
    }
}

/// RUNs of more commands than this were most likely split on purpose.
const MAX_COMMANDS: usize = 1;

fn same_flags(a: &crate::syntax::Instruction, b: &crate::syntax::Instruction) -> bool {
    fn texts(i: &crate::syntax::Instruction) -> Vec<&str> {
        let mut t: Vec<&str> = i.flags.iter().map(|f| f.text.as_str()).collect();
        t.sort_unstable();
        t
    }
    texts(a) == texts(b)
}
