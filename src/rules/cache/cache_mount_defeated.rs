//! DC005 cache-mount-defeated: a cache mount its package manager will not use.

use super::cache_fix::{
    describe, missing_setup, mount_claims, mount_for, mount_in_place, mount_writable,
    remove_command, remove_wipes, remove_word, set_mount_field,
};
use crate::analysis::installs::{CacheUse, Disabler, Origin};
use crate::analysis::mounts::{Mount, normalize};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};

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
                    .filter(|u| u.instruction == instruction && mount_claims(u, mount))
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
                if reasons.is_empty() {
                    self.unwritable(ctx, first, mount, &mut reasons, &mut edits);
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
                        if mount_writable(first, mount) == Some(true) {
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
                        reasons.push(setup.why().join("; "));
                        edits.extend(
                            setup
                                .edits(
                                    ctx,
                                    &ctx.syntax.instructions[instruction],
                                    claimants.iter().copied(),
                                )
                                .into_iter()
                                .flatten(),
                        );
                        caveats.extend(setup.caveat());
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
                            "the cache mount at {target} does not keep {}'s downloads: {}; every rebuild downloads them again",
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
        if mount_in_place(use_, mount) {
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
        edits.push(set_mount_field(
            ctx.text(),
            mount,
            &["target", "dst", "destination"],
            &plan.target,
        ));
        // The moved mount must also belong to the user, as a new one would.
        if let (Some((uid, gid)), Some(false)) = (&use_.uid_gid, mount_writable(use_, mount)) {
            edits.extend(owner_edits(ctx.text(), mount, uid, gid));
        }
    }

    /// A mount in the right place that the (non-root) user cannot write to: BuildKit gives it
    /// to root unless `uid=` says otherwise, and the manager then turns its cache off (pip,
    /// uv) or fails (npm). The fix gives the mount to the user when the Dockerfile says its uid.
    fn unwritable(
        &self,
        ctx: &Context,
        use_: &CacheUse,
        mount: &Mount,
        reasons: &mut Vec<String>,
        edits: &mut Vec<Edit>,
    ) {
        if !mount_in_place(use_, mount) || mount_writable(use_, mount) != Some(false) {
            return;
        }
        let owner = match &mount.uid {
            None => "root (it has no `uid=`)".to_string(),
            Some(uid) => format!("uid {uid}"),
        };
        let user = match &use_.uid_gid {
            Some((uid, _)) => format!("uid {uid}"),
            None => format!("a user other than root (home {})", use_.home),
        };
        reasons.push(format!(
            "the mount belongs to {owner} and {} runs as {user}, who cannot write to it",
            use_.manager().name()
        ));
        if let Some((uid, gid)) = &use_.uid_gid {
            edits.extend(owner_edits(ctx.text(), mount, uid, gid));
        }
    }
}

/// `uid=` and `gid=` of a mount set to the user's (added together when the mount has neither).
fn owner_edits(text: &str, mount: &Mount, uid: &str, gid: &str) -> Vec<Edit> {
    if mount.uid.is_none() && mount.gid.is_none() {
        return vec![set_mount_field(
            text,
            mount,
            &["uid"],
            &format!("{uid},gid={gid}"),
        )];
    }
    vec![
        set_mount_field(text, mount, &["uid"], uid),
        set_mount_field(text, mount, &["gid"], gid),
    ]
}

fn push_unique(edits: &mut Vec<Edit>, edit: Edit) {
    if !edits
        .iter()
        .any(|e| e.span.start < edit.span.end && edit.span.start < e.span.end)
    {
        edits.push(edit);
    }
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
