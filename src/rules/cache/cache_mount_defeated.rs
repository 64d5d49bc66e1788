//! DC005 cache-mount-defeated: a cache mount its package manager will not use.

use super::cache_fix::{
    describe, insert_setup, missing_setup, mount_for, remove_command, remove_wipes, remove_word,
};
use crate::analysis::installs::{CacheUse, Disabler, Origin};
use crate::analysis::mounts::{Mount, normalize};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;

crate::declare_rule! {
    pub struct CacheMountDefeated {
        code: "DC005",
        name: "cache-mount-defeated",
        summary: "A RUN has a cache mount that its package manager will not use (cache turned off, wrong directory, wiped, or not kept).",
        severity: Error,
        fixable: true,
    }
}

impl Rule for CacheMountDefeated {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let installs = ctx.installs();
        let mut instructions: Vec<_> = installs.mounts.keys().copied().collect();
        instructions.sort();
        for instruction in instructions {
            for mount in &installs.mounts[&instruction] {
                let claimants: Vec<&CacheUse> = installs
                    .uses
                    .iter()
                    .filter(|u| u.instruction == instruction && claims(u, mount))
                    .collect();
                let Some(first) = claimants.first() else {
                    continue;
                };
                let mut reasons = Vec::new();
                let mut edits: Vec<Edit> = Vec::new();
                let mut caveats = Vec::new();
                self.disabled(ctx, &claimants, &mut reasons, &mut edits);
                if reasons.is_empty() {
                    self.misplaced(ctx, first, mount, &mut reasons, &mut edits, &mut caveats);
                }
                let manager = first.manager();
                // Wipes and missing setup are looked at once the cache is on and in place:
                // one cause at a time, each with its own fix.
                let explained =
                    !reasons.is_empty() || claimants.iter().any(|u| !u.disablers.is_empty());
                if !explained {
                    // Only a wipe of what this mount holds empties it (removing apt's lists
                    // does not touch a mount at /var/cache/apt).
                    let in_mount = |d: &str| {
                        mount.covers(d)
                            || mount
                                .target
                                .as_deref()
                                .is_some_and(|t| Mount::covers_path(d, t))
                    };
                    let wiped: Vec<&str> = installs
                        .wipes
                        .iter()
                        .filter(|w| w.run == first.run && std::ptr::eq(w.manager, manager))
                        .flat_map(|w| w.dirs.iter().map(String::as_str))
                        .filter(|d| in_mount(d))
                        .collect();
                    if !wiped.is_empty() {
                        let mut dirs: Vec<&str> = wiped.clone();
                        dirs.dedup();
                        reasons.push(format!(
                            "the same RUN empties {}'s cache at {}",
                            manager.name(),
                            dirs.join(" and ")
                        ));
                        // A non-root user may not be able to write to a mount without its
                        // uid: the manager would fall back to a directory in the layer, and
                        // the wipe is what keeps that out of the image.
                        let writable = first.root
                            || (mount.uid.is_some()
                                && mount.uid == first.uid_gid.as_ref().map(|u| u.0.clone()));
                        if writable {
                            edits.extend(remove_wipes(ctx, first.run, manager, &in_mount));
                        } else {
                            reasons.push(format!(
                                "the wipe cannot go yet: the mount has no `uid=`/`gid=` for this user, so {} may not be able to write to it",
                                manager.name()
                            ));
                        }
                    }
                    let mounted_cache = |id: &str| {
                        manager.cache(id).is_some_and(|c| {
                            mount.covers(&manager.cache_dir(c, &first.home, &|_| None))
                        })
                    };
                    let setup = missing_setup(ctx, instruction, manager, &mounted_cache);
                    if !setup.is_empty() {
                        let why: Vec<&str> = manager
                            .setup_for_mount()
                            .iter()
                            .filter(|s| setup.iter().any(|r| r == s.run()))
                            .map(|s| s.why())
                            .collect();
                        reasons.push(format!(
                            "{} keeps nothing in it yet: {}",
                            manager.name(),
                            why.join("; ")
                        ));
                        edits.extend(insert_setup(&ctx.syntax.instructions[instruction], &setup));
                        caveats.push(format!(
                            "runs `{}`, which changes the image's {} configuration",
                            setup.join(" && "),
                            manager.name()
                        ));
                    }
                }
                if reasons.is_empty() {
                    continue;
                }
                let target = mount.target.as_deref().unwrap_or("");
                let applicability = if caveats.is_empty() {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                };
                let fix = (!edits.is_empty()).then(|| {
                    Fix::new(
                        applicability,
                        describe("make the mount work", &caveats),
                        edits,
                    )
                });
                out.push(
                    Diagnostic::new(
                        meta.code,
                        meta.name,
                        meta.default_severity,
                        mount.span,
                        format!(
                            "the cache mount at {target} stays empty for {}: {}; every rebuild still downloads everything",
                            manager.name(),
                            reasons.join("; ")
                        ),
                    )
                    .with_fix(fix),
                );
            }
        }
    }
}

impl CacheMountDefeated {
    fn disabled(
        &self,
        ctx: &Context,
        claimants: &[&CacheUse],
        reasons: &mut Vec<String>,
        edits: &mut Vec<Edit>,
    ) {
        let installs = ctx.installs();
        for use_ in claimants {
            for d in &use_.disablers {
                match d {
                    Disabler::Flag { span } => {
                        reasons.push(format!("`{}` turns the cache off", span.text(ctx.text())));
                        push_unique(edits, remove_word(ctx.text(), *span, ctx.syntax.escape));
                    }
                    Disabler::Variable { name, origin } => {
                        reasons.push(format!("`{name}` turns the cache off"));
                        match origin {
                            Origin::Inline { span, .. } => push_unique(
                                edits,
                                remove_word(ctx.text(), *span, ctx.syntax.escape),
                            ),
                            Origin::Export { span, command, .. } => {
                                let commands = &installs.runs[use_.run].commands;
                                let edit = if commands[*command].assignments.len() == 1 {
                                    remove_command(
                                        &ctx.syntax.instructions[use_.instruction],
                                        commands,
                                        *command,
                                    )
                                } else {
                                    Some(remove_word(ctx.text(), *span, ctx.syntax.escape))
                                };
                                if let Some(edit) = edit {
                                    push_unique(edits, edit);
                                }
                            }
                            // DC002 removes ENV/ARG variables (with its own safety).
                            Origin::Instruction { .. } => {}
                        }
                    }
                }
            }
        }
        reasons.dedup();
    }

    fn misplaced(
        &self,
        ctx: &Context,
        use_: &CacheUse,
        mount: &Mount,
        reasons: &mut Vec<String>,
        edits: &mut Vec<Edit>,
        caveats: &mut Vec<String>,
    ) {
        if use_.cache_dirs.iter().any(|d| mount.covers(d)) {
            return;
        }
        let target = mount.target.as_deref().unwrap_or("");
        let expected = use_
            .cache_dirs
            .iter()
            .find(|d| same_cache(use_, d, target))
            .or(use_.cache_dirs.first());
        let Some(expected) = expected else { return };
        let who = if use_.root {
            "root".to_string()
        } else {
            format!("this user (home {})", use_.home)
        };
        reasons.push(format!(
            "{} caches in {} for {who}, not in {}",
            use_.manager().name(),
            expected,
            normalize(target)
        ));
        // No retargeting when the directory cannot be written as a mount target.
        let Some(plan) = mount_for(use_, expected) else {
            return;
        };
        caveats.extend(plan.caveat.clone());
        if let Some(edit) = retarget(ctx.text(), mount, &plan.target) {
            edits.push(edit);
        }
    }
}

fn push_unique(edits: &mut Vec<Edit>, edit: Edit) {
    if !edits
        .iter()
        .any(|e| e.span.start < edit.span.end && edit.span.start < e.span.end)
    {
        edits.push(edit);
    }
}

/// Whether a mount was meant for this command's manager: it holds one of the directories the
/// command uses for this user, for root, or by default.
fn claims(use_: &CacheUse, mount: &Mount) -> bool {
    let manager = use_.manager();
    let none = |_: &str| None;
    use_.cache_dirs.iter().any(|d| mount.covers(d))
        || use_.caches.iter().any(|c| {
            mount.covers(&manager.cache_dir(c, "/root", &none))
                || mount.covers(&manager.cache_dir(c, &use_.home, &none))
        })
}

/// The effective directory that corresponds to the mount's (same cache, other user or place).
fn same_cache(use_: &CacheUse, dir: &str, target: &str) -> bool {
    let none = |_: &str| None;
    let manager = use_.manager();
    use_.caches.iter().zip(&use_.cache_dirs).any(|(c, e)| {
        let r = manager.cache_dir(c, "/root", &none);
        e == dir && (Mount::covers_path(target, &r) || Mount::covers_path(&r, target))
    })
}

/// Replace the mount's target value with `dir`.
fn retarget(text: &str, mount: &Mount, dir: &str) -> Option<Edit> {
    let raw = mount.span.text(text);
    for key in ["target=", "dst=", "destination="] {
        if let Some(at) = raw.find(key) {
            let start = at + key.len();
            let end = raw[start..].find(',').map_or(raw.len(), |i| start + i);
            return Some(Edit::replace(
                Span::new(mount.span.start + start, mount.span.start + end),
                dir,
            ));
        }
    }
    None
}
