//! DC004 missing-cache-mount: a dependency install with no cache mount at its cache directory.

use super::cache_fix::{
    combined, describe, insert_mounts, insert_setup, missing_mounts, missing_setup, remove_wipes,
};
use crate::diagnostic::{Diagnostic, Fix};
use crate::rules::{Context, Declared, Rule};
use std::collections::HashSet;

crate::declare_rule! {
    pub struct MissingCacheMount {
        code: "DC004",
        name: "missing-cache-mount",
        summary: "A dependency install runs without a BuildKit cache mount, so each rebuild of its layer downloads everything again.",
        severity: Info,
        fixable: true,
    }
}

impl Rule for MissingCacheMount {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let installs = ctx.installs();
        // One finding per manager and RUN: `apt-get install a && apt-get install b` is one fix.
        let mut seen = HashSet::new();
        for use_ in &installs.uses {
            // Disabled or relocated caches are DC001/DC002/DC005/DC006's findings.
            if !use_.invocation.is_install()
                || use_.fully_mounted()
                || !use_.disablers.is_empty()
                || !use_.relocations.is_empty()
            {
                continue;
            }
            if !seen.insert((use_.instruction, use_.manager().name())) {
                continue;
            }
            let command = installs.command(use_);
            let Some(program) = command.words.get(use_.invocation.program) else {
                continue;
            };
            let manager = use_.manager();
            let dirs: Vec<&str> = use_.unmounted_dirs().collect();
            let mut message = format!(
                "`{}` runs without a cache mount at {}: each rebuild of this layer downloads everything again",
                program.value,
                dirs.join(" and ")
            );
            if manager.caches_by_default() {
                message.push_str(", and the downloads are stored in the image");
            }
            let inst = &ctx.syntax.instructions[use_.instruction];
            let plans = missing_mounts(use_);
            // Setup and wipe removal only make sense together with the mounts.
            let setup = if plans.is_empty() {
                Vec::new()
            } else {
                missing_setup(ctx, use_.instruction, manager, &|_| true)
            };
            let mut edits: Vec<_> = insert_mounts(inst, &plans).into_iter().collect();
            edits.extend(insert_setup(inst, &setup));
            if !plans.is_empty() {
                edits.extend(remove_wipes(ctx, use_.run, manager));
            }
            let setup_caveat = (!setup.is_empty()).then(|| {
                format!(
                    "it also runs `{}`, which changes the image's {} configuration",
                    setup.join(" && "),
                    manager.name()
                )
            });
            let (applicability, caveats) = combined(&plans, setup_caveat);
            let targets: Vec<&str> = plans.iter().map(|p| p.target.as_str()).collect();
            let fix = (!plans.is_empty()).then(|| {
                Fix::new(
                    applicability,
                    describe(
                        &format!("add a cache mount at {}", targets.join(", ")),
                        &caveats,
                    ),
                    edits,
                )
            });
            out.push(
                Diagnostic::new(
                    meta.code,
                    meta.name,
                    meta.default_severity,
                    program.span,
                    message,
                )
                .with_help(format!(
                    "add `--mount=type=cache,target={}` to the RUN",
                    dirs[0]
                ))
                .with_fix(fix),
            );
        }
    }
}
