//! DL3027 apt-interactive: `apt`, the command for people, used in a build.

use super::{commands, diagnostic, manager};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct AptInteractive {
        code: "DL3027",
        name: "apt-interactive",
        summary: "`apt` is meant for people at a terminal and its interface may change; scripts use `apt-get` or `apt-cache`.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for AptInteractive {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let Some(policy) = &manager("apt").lint().interactive else {
            return;
        };
        for cmd in commands(ctx, "apt") {
            if cmd.executable() != policy.executable {
                continue;
            }
            let program = &cmd.command.words[cmd.invocation.program];
            // The program word as typed is exactly the name: replace it whole.
            let plain = program.span.len() == policy.executable.len();
            let fix = (plain && cmd.subcommand_in(&policy.same_commands)).then(|| {
                Fix::safe(
                    format!("use `{}`", policy.instead),
                    vec![Edit::replace(program.span, policy.instead.clone())],
                )
            });
            out.push(
                diagnostic(
                    &meta,
                    cmd.head_span(),
                    format!(
                        "`{}` uses `{}`, whose command line is not stable for scripts: use `{}`",
                        cmd.shown(),
                        policy.executable,
                        policy.instead
                    ),
                )
                .with_fix(fix),
            );
        }
    }
}
