//! The shared check of the clean-the-cache rules (DL3009, DL3019, DL3032, DL3036, DL3040,
//! DL3060): a RUN whose install leaves the manager's downloads or indexes in the layer. The
//! data (`[manager.lint.clean]`) names the commands that leave them; what cleans them is any
//! wipe of that cache the cache analysis sees after the install in the same RUN (`yum clean
//! all`, `rm -rf /var/lib/apt/lists/*`), or the manager's no-cache flag. A cache mount over the
//! cache keeps it out of the layer too: then nothing is reported, and the fix offers that
//! mount rather than a deletion, so later builds reuse the downloads.

use super::{cache_use, commands, diagnostic, manager, mount_fix};
use crate::analysis::mounts::Mount;
use crate::diagnostic::{Diagnostic, RuleMeta};
use crate::rules::Context;
use std::collections::HashSet;

pub(super) fn check(meta: &RuleMeta, ctx: &Context, name: &str, out: &mut Vec<Diagnostic>) {
    let m = manager(name);
    let Some(policy) = &m.lint().clean else {
        return;
    };
    let installs = ctx.installs();
    let mut reported = HashSet::new();
    for cmd in commands(ctx, name) {
        if !cmd.subcommand_in(&policy.commands)
            || (!policy.executables.is_empty()
                && !policy.executables.iter().any(|e| e == cmd.executable()))
            || !cmd.invocation.no_cache_flags.is_empty()
            || !in_final_image(ctx, cmd.instruction)
        {
            continue;
        }
        let state = &ctx.model.states[cmd.instruction];
        let caches: Vec<_> = m
            .caches()
            .iter()
            .filter(|c| policy.caches.is_empty() || policy.caches.iter().any(|id| id == c.id()))
            .collect();
        let relevant: Vec<String> = caches
            .iter()
            .map(|c| m.cache_dir(c, &state.home(), &|v| state.var(v).map(str::to_string)))
            .collect();
        let mounts = installs.mounts.get(&cmd.instruction);
        // A mount at the cache or inside it (`/var/lib/apt/lists` for apt's `/var/lib/apt`).
        let mounted = |d: &String| {
            mounts.is_some_and(|ms| {
                ms.iter().any(|mt| {
                    mt.covers(d)
                        || mt
                            .target
                            .as_deref()
                            .is_some_and(|t| Mount::covers_path(d, t))
                })
            })
        };
        if relevant.iter().any(mounted) {
            continue;
        }
        let cleaned = installs.wipes.iter().any(|w| {
            w.run == cmd.run
                && w.command > cmd.index
                && std::ptr::eq(w.manager, m)
                && w.caches
                    .iter()
                    .any(|c| caches.iter().any(|r| std::ptr::eq(*r, *c)))
        });
        if cleaned || !reported.insert(cmd.instruction) {
            continue;
        }
        // A later RUN that reads what this one leaves (`apt-get install` after a separate
        // `apt-get update`) would find an empty index once it lives in a mount: no fix.
        let later_reads = installs.uses.iter().enumerate().any(|(i, u)| {
            u.instruction > cmd.instruction
                && std::ptr::eq(u.manager(), m)
                && crate::rules::cache::cache_fix::hides_index(ctx, i)
        });
        let fix = cache_use(ctx, &cmd)
            .filter(|_| !later_reads)
            .and_then(|u| mount_fix(ctx, u, policy.mount_caveat.as_deref()));
        out.push(
            diagnostic(
                meta,
                cmd.head_span(),
                format!(
                    "`{}` leaves its downloads in {} inside the image: add `{}` in the same RUN, or keep {} in a cache mount",
                    cmd.shown(),
                    relevant.join(" and "),
                    policy.suggest,
                    if relevant.len() == 1 { "it" } else { "them" }
                ),
            )
            .with_fix(fix),
        );
    }
}

/// Whether the instruction's stage ends up in the image that is built by default: the last
/// stage and the stages it is built on. Other stages' layers never ship.
fn in_final_image(ctx: &Context, instruction: usize) -> bool {
    let Some(last) = ctx.model.stages.len().checked_sub(1) else {
        return true;
    };
    let Some(stage) = ctx.model.states[instruction].stage else {
        return true;
    };
    let mut at = Some(last);
    while let Some(s) = at {
        if s == stage {
            return true;
        }
        at = ctx.model.stages[s].base_stage;
    }
    false
}
