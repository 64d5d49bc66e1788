//! DC006 cache-in-layer: a package cache pointed into the image with no cache mount there.

use super::cache_fix::{
    combined, dependencies_needed_in_layer, describe, insert_mounts, merge_insertions,
    mount_env_edits, mount_for,
};
use crate::analysis::installs::{Origin, Relocation};
use crate::analysis::mounts::normalize;
use crate::diagnostic::{Diagnostic, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use std::collections::{BTreeMap, HashMap};

/// Whether `command` is an `rm` whose operands include `dir` or a directory holding it
/// (`rm -rf /tmp/pc`, `rm -rf /tmp/pc/*`).
fn removes(command: &crate::shell::SimpleCommand, dir: &str) -> bool {
    let is_rm = command
        .name()
        .is_some_and(|n| n.rsplit('/').next() == Some("rm"));
    is_rm
        && command.args().iter().any(|w| {
            let path = w.value.trim_end_matches('*');
            !w.value.starts_with('-')
                && path.starts_with('/')
                && crate::analysis::mounts::Mount::covers_path(path, dir)
        })
}

crate::declare_rule! {
    pub struct CacheInLayer {
        code: "DC006",
        name: "cache-in-layer",
        summary: "A package cache is pointed into the image with no cache mount there: it bloats the image and never saves a download.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for CacheInLayer {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let installs = ctx.installs();
        // One finding per place the cache is moved; all the installs it affects share the fix.
        let mut findings: BTreeMap<Span, (String, String, Vec<usize>)> = BTreeMap::new();
        for (ui, use_) in installs.uses.iter().enumerate() {
            if !use_.disablers.is_empty() {
                continue;
            }
            for relocation in &use_.relocations {
                let dir = normalize(relocation.dir());
                let mounted = use_
                    .cache_dirs
                    .iter()
                    .zip(&use_.mounted)
                    .any(|(d, m)| *m && normalize(d) == dir);
                if mounted {
                    continue;
                }
                let (span, what) = match relocation {
                    Relocation::Flag { span, .. } | Relocation::Config { span, .. } => {
                        (*span, span.text(ctx.text()).to_string())
                    }
                    Relocation::Variable { name, origin, .. } => match origin {
                        Origin::Inline { name_span, .. } | Origin::Export { name_span, .. } => {
                            (*name_span, name.clone())
                        }
                        Origin::Instruction {
                            instruction, pair, ..
                        } => (
                            ctx.syntax.instructions[*instruction].pairs[*pair].key_span,
                            name.clone(),
                        ),
                    },
                };
                let entry = findings
                    .entry(span)
                    .or_insert_with(|| (what, dir.clone(), Vec::new()));
                entry.2.push(ui);
            }
        }
        for (span, (what, dir, uses)) in findings {
            let manager = installs.uses[uses[0]].manager().name();
            let mut per_run: HashMap<usize, Vec<_>> = HashMap::new();
            for &ui in &uses {
                let use_ = &installs.uses[ui];
                per_run
                    .entry(use_.instruction)
                    .or_default()
                    .extend(mount_for(use_, &dir));
            }
            let mut runs: Vec<_> = per_run.into_iter().collect();
            runs.sort_by_key(|(i, _)| *i);
            let mut edits = Vec::new();
            let mut plans = Vec::new();
            for (run, run_plans) in runs {
                edits.extend(insert_mounts(&ctx.syntax.instructions[run], &run_plans));
                plans.extend(run_plans);
            }
            // A RUN that removes the directory afterwards keeps it out of the image; the
            // downloads are still thrown away every time.
            let removed = uses.iter().all(|&ui| {
                let use_ = &installs.uses[ui];
                installs.runs[use_.run].commands[use_.command..]
                    .iter()
                    .any(|c| removes(c, &dir))
            });
            // Dependencies the image or a later stage reads from there must stay in the layer.
            let needed = uses
                .iter()
                .find_map(|&ui| dependencies_needed_in_layer(ctx, ui));
            // What the manager needs with a mount (uv's `UV_LINK_MODE=copy`), after the mounts.
            let mut env_caveats = Vec::new();
            for &ui in &uses {
                let (env_edits, caveat) = mount_env_edits(ctx, &installs.uses[ui]);
                for edit in env_edits {
                    if !edits.contains(&edit) {
                        edits.push(edit);
                    }
                }
                env_caveats.extend(caveat);
            }
            env_caveats.dedup();
            let extra = (!env_caveats.is_empty()).then(|| env_caveats.join("; "));
            let (applicability, caveats) = combined(&plans, extra);
            // No fix when the directory cannot be a mount target, or when the RUN removes it
            // (the removal would empty the mount: that RUN needs rewriting by hand).
            let fix = (!edits.is_empty() && !removed && needed.is_none()).then(|| {
                Fix::new(
                    applicability,
                    describe(&format!("add a cache mount at {dir}"), &caveats),
                    merge_insertions(edits),
                )
            });
            out.push(
                Diagnostic::new(
                    meta.code,
                    meta.name,
                    meta.default_severity,
                    span,
                    if removed {
                        format!("`{what}` puts {manager}'s cache at {dir}, inside the layer, and the same RUN removes it: every rebuild downloads everything again, so it never saves a download")
                    } else {
                        format!("`{what}` puts {manager}'s cache at {dir}, inside the image: it makes the image bigger and is thrown away whenever the layer rebuilds, so it never saves a download")
                    },
                )
                .with_help(format!("mount a BuildKit cache there: `RUN --mount=type=cache,target={dir} ...`"))
                .with_fix(fix),
            );
        }
    }
}
