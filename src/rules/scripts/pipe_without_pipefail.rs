//! DL4006 pipe-without-pipefail: a pipeline in RUN under a shell without `pipefail`.

use super::runs;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::shell::{Connector, SimpleCommand};

crate::declare_rule! {
    pub struct PipeWithoutPipefail {
        code: "DL4006",
        name: "pipe-without-pipefail",
        summary: "A pipeline in RUN without `pipefail`: a failure before the last `|` does not fail the build.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for PipeWithoutPipefail {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let mut fixed_stages = Vec::new();
        for run in runs(ctx) {
            let state = &ctx.model.states[run.instruction];
            if shell_has_pipefail(&state.shell) {
                continue;
            }
            // Pipes in a nested `sh -c` script run in a shell SHELL does not configure.
            let Some(pipe) = run.commands.iter().position(|c| {
                c.connector_before == Some(Connector::Pipe) && c.nested_from.is_none()
            }) else {
                continue;
            };
            // `set -o pipefail` earlier in the same script covers the pipe.
            if run.commands[..pipe].iter().any(sets_pipefail) {
                continue;
            }
            let inst = &ctx.syntax.instructions[run.instruction];
            // One SHELL line fixes every RUN after it in the stage: offer it once.
            let fix = (!fixed_stages.contains(&state.stage) && inst.inner.is_none()).then(|| {
                fixed_stages.push(state.stage);
                let shell = pipefail_shell(ctx, run.instruction);
                let line_start = ctx.text()[..inst.span.start].rfind('\n').map_or(0, |i| i + 1);
                let indent = &ctx.text()[line_start..inst.span.start];
                let indent = if indent.trim().is_empty() { indent } else { "" };
                let keyword = if inst.keyword_text.chars().any(|c| c.is_ascii_lowercase()) { "shell" } else { "SHELL" };
                Fix::unsafe_(
                    format!("add `{keyword} [\"{shell}\", \"-o\", \"pipefail\", \"-c\"]` before this RUN (unsafe: the image must have {shell}, and every later RUN of the stage runs under it with pipefail, so a failing command inside any pipeline now fails the build)"),
                    vec![Edit::insert(inst.span.start, format!("{keyword} [\"{shell}\", \"-o\", \"pipefail\", \"-c\"]\n{indent}"))],
                )
            });
            let pipe_span = run.commands[pipe].span;
            out.push(
                self.finding(
                    pipe_span,
                    "only the last command of this pipeline decides whether the RUN fails: if an earlier one fails (a download, say), the build goes on with its partial output",
                )
                .with_help("set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start the script with `set -o pipefail`")
                .with_fix(fix),
            );
        }
    }
}

/// `SHELL [..., "-o", "pipefail", ...]` or a cluster ending in `o` (`-euxo pipefail`).
fn shell_has_pipefail(shell: &[String]) -> bool {
    shell.windows(2).any(|w| {
        w[1] == "pipefail"
            && w[0].starts_with('-')
            && !w[0].starts_with("--")
            && w[0].ends_with('o')
    })
}

fn sets_pipefail(command: &SimpleCommand) -> bool {
    command.name() == Some("set")
        && command.args().windows(2).any(|w| {
            w[1].value == "pipefail" && w[0].value.starts_with('-') && w[0].value.ends_with('o')
        })
}

/// bash, except on Alpine and BusyBox images, whose shell is ash (which has pipefail too).
fn pipefail_shell(ctx: &Context, instruction: usize) -> &'static str {
    let mut stage = ctx.model.stage_of(instruction);
    while let Some(s) = stage {
        match s.base_stage {
            Some(parent) => stage = ctx.model.stages.get(parent),
            None => {
                let base = s.base.to_ascii_lowercase();
                return if base.contains("alpine") || base.contains("busybox") {
                    "/bin/ash"
                } else {
                    "/bin/bash"
                };
            }
        }
    }
    "/bin/bash"
}
