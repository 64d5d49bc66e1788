//! The shared check of DL3014, DL3030, DL3034 and DL3038: a command that asks "Do you want to
//! continue?" runs without the flag that answers yes. A build has no terminal: the question
//! reads end of input and the manager gives up, so the RUN fails.

use super::{commands, diagnostic, insert_after_subcommand, manager};
use crate::diagnostic::{Diagnostic, Edit, Fix, RuleMeta};
use crate::rules::Context;

pub(super) fn check(meta: &RuleMeta, ctx: &Context, name: &str, out: &mut Vec<Diagnostic>) {
    let Some(policy) = &manager(name).lint().yes else {
        return;
    };
    for cmd in commands(ctx, name) {
        if !cmd.subcommand_in(&policy.commands) || cmd.has_flag(&policy.flags, policy.short) {
            continue;
        }
        let description = format!("add `{}`", policy.add);
        let fix = if policy.global {
            let program = cmd.command.words[cmd.invocation.program].span;
            Some(Fix::safe(
                description,
                vec![Edit::insert(program.end, format!(" {}", policy.add))],
            ))
        } else {
            insert_after_subcommand(&cmd, &policy.add, true, description)
        };
        out.push(
            diagnostic(
                meta,
                cmd.head_span(),
                format!(
                    "`{}` asks for confirmation and the build cannot answer: add `{}`",
                    cmd.shown(),
                    policy.add
                ),
            )
            .with_fix(fix),
        );
    }
}
