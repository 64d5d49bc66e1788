//! DL3047 wget-progress: wget printing its progress bar into the build log.

use super::{base_name, has_option, runs};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct WgetProgress {
        code: "DL3047",
        name: "wget-progress",
        summary: "wget without a progress or quiet option floods the build log.",
        severity: Info,
        fixable: true,
    }
}

impl Rule for WgetProgress {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for run in runs(ctx) {
            // hadolint reports a RUN once; the fix quiets every such wget in it, so one round
            // of fixes leaves none behind.
            let noisy: Vec<_> = run
                .commands
                .iter()
                .filter(|c| {
                    base_name(c) == Some("wget")
                        && !has_option(
                            c,
                            &['q', 'o', 'a'],
                            &[
                                "progress",
                                "quiet",
                                "output-file",
                                "append-output",
                                "no-verbose",
                            ],
                        )
                        && !c.args().iter().any(|w| w.value == "-nv")
                })
                .collect();
            let Some(command) = noisy.first() else {
                continue;
            };
            // `-q` is the one option both GNU wget and BusyBox's wget (Alpine) know; it changes
            // only what is logged, never what is downloaded.
            let fix = Fix::safe(
                "add `-q` (quiet: no progress output; the exit status still fails the build on errors)",
                noisy
                    .iter()
                    .map(|c| Edit::insert(c.words[0].span.end, " -q"))
                    .collect(),
            );
            out.push(
                self.finding(
                    command.words[0].span,
                    "wget prints a progress line for every chunk it downloads: large downloads bury the build log",
                )
                .with_help("add `-q`, or `--progress=dot:giga` with GNU wget")
                .with_fix(Some(fix)),
            );
        }
    }
}
