//! DC004 missing-cache-mount: a step that downloads dependencies with no cache mount at its
//! cache directory: an install, or a build step (`mvn package`, `go build`) that finds no
//! dependencies in the layers before it.
//!
//! Steps that read the same dependency cache (`go mod download`, then `go build`) form a chain:
//! a mount on one of them alone moves the dependencies out of the layer the others read, so the
//! fix mounts the cache on every step of the chain, or is not offered.

use super::cache_fix::{
    combined, dependencies_needed_in_layer, describe, hides_index, insert_mounts, merge_insertions,
    missing_mounts, missing_setup, mount_claims, mount_env_edits, mount_in_place, remove_wipes,
};
use crate::analysis::installs::CacheUse;
use crate::analysis::mounts::Mount;
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::knowledge::Action;
use crate::rules::{Context, Declared, Rule};
use std::collections::{BTreeMap, HashSet};

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
        // One finding per manager and RUN: `apt-get install a && apt-get install b` is one fix;
        // and one per dependency chain.
        let mut seen = HashSet::new();
        let mut chained: HashSet<usize> = HashSet::new();
        // Per manager, the last instruction whose install reads an index it did not refresh
        // (the lists an earlier layer left): worked out once per file, when first needed.
        let last_reader: std::cell::OnceCell<Vec<(&str, usize)>> = std::cell::OnceCell::new();
        let last_reader = || {
            last_reader.get_or_init(|| {
                let mut last: Vec<(&str, usize)> = Vec::new();
                for (vi, v) in installs.uses.iter().enumerate() {
                    if hides_index(ctx, vi) {
                        match last
                            .iter_mut()
                            .find(|(name, _)| *name == v.manager().name())
                        {
                            Some(entry) => entry.1 = entry.1.max(v.instruction),
                            None => last.push((v.manager().name(), v.instruction)),
                        }
                    }
                }
                last
            })
        };
        for (ui, use_) in installs.uses.iter().enumerate() {
            // Disabled or relocated caches are DC001/DC002/DC005/DC006's findings; a cache at
            // a place dlint cannot name (`BUNDLE_PATH`) gets no advice.
            if use_.fully_mounted()
                || misplaced_mount(ctx, use_)
                || !use_.disablers.is_empty()
                || !use_.relocations.is_empty()
                || !use_.dirs_known()
                || chained.contains(&ui)
                || !installs.downloads(ctx.model, ui)
            {
                continue;
            }
            // A build step in a project without the manager's manifests (`go build x.go`
            // with no go.mod) has no dependencies to download.
            if use_.invocation.action == Action::Build
                && ctx
                    .build_context
                    .is_some_and(|c| !has_manifest(c, use_.manager().manifests()))
            {
                continue;
            }
            if !seen.insert((use_.instruction, use_.manager().name())) {
                continue;
            }
            let manager = use_.manager();
            let chain = installs.dependency_chain(ctx.model, ui);
            chained.extend(chain.iter().copied());
            // An image that runs the manager when it starts (`CMD mvn spring-boot:run`), or a
            // stage that copies the cache out, needs the dependencies in the layer: a mount
            // would take them out, so the advice would be wrong.
            if chain
                .iter()
                .any(|&m| dependencies_needed_in_layer(ctx, m).is_some())
            {
                continue;
            }
            let command = installs.command(use_);
            let Some(program) = command.words.get(use_.invocation.program) else {
                continue;
            };
            let dirs: Vec<&str> = use_.unmounted_dirs().collect();
            let (what, wiped) = describe_step(ctx, ui);
            let mut message = format!(
                "`{}` {what} without a cache mount at {}: each rebuild of this layer downloads everything again",
                program.value,
                dirs.join(" and ")
            );
            if manager.caches_by_default() && !wiped {
                message.push_str(", and the downloads are stored in the image");
            }
            // Every step of the chain that lacks the mount gets it, in one fix.
            let mut per_run: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for &member in &chain {
                if !installs.uses[member].fully_mounted() {
                    per_run
                        .entry(installs.uses[member].instruction)
                        .or_default()
                        .push(member);
                }
            }
            let later: Vec<usize> = per_run
                .keys()
                .copied()
                .filter(|&i| i != use_.instruction)
                .collect();
            if !later.is_empty() {
                let lines: Vec<String> = later
                    .iter()
                    .map(|&i| {
                        (ctx.source
                            .line_col(ctx.syntax.instructions[i].span.start)
                            .line)
                            .to_string()
                    })
                    .collect();
                let many = lines.len() > 1;
                message.push_str(&format!(
                    "; the step{} on line{} {} {} the same cache, so {} the mount too",
                    if many { "s" } else { "" },
                    if many { "s" } else { "" },
                    lines.join(", "),
                    if many { "read" } else { "reads" },
                    if many { "they need" } else { "it needs" },
                ));
            }
            let mut plans = Vec::new();
            let mut edits = Vec::new();
            let mut caveats = Vec::new();
            let mut complete = true;
            let mut env_edits_all = Vec::new();
            for (&instruction, members) in &per_run {
                let inst = &ctx.syntax.instructions[instruction];
                let mut run_plans = Vec::new();
                for &member in members {
                    let m = &installs.uses[member];
                    let wanted: Vec<&str> = m.unmounted_dirs().collect();
                    let got = missing_mounts(m);
                    if got.len() < wanted.len() || !m.dirs_known() || hides_index(ctx, member) {
                        complete = false;
                    }
                    let (env_edits, env_caveat) = mount_env_edits(ctx, m);
                    env_edits_all.extend(env_edits);
                    caveats.extend(env_caveat);
                    run_plans.extend(got);
                }
                edits.extend(insert_mounts(inst, &run_plans));
                plans.extend(run_plans);
            }
            edits.extend(env_edits_all);
            // Mounts at one directory with different owners cannot all be right.
            let mut by_target: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
            for p in &plans {
                by_target.entry(&p.target).or_default().insert(&p.text);
            }
            if by_target.values().any(|texts| texts.len() > 1) {
                complete = false;
            }
            let all_safe = plans.iter().all(|p| p.applicability == Applicability::Safe);
            // Setup and wipe removal only make sense together with the mounts; a wipe stays
            // when the user may not be able to write to the mount (the manager would fall
            // back to another directory in the layer).
            let setup = (!plans.is_empty())
                .then(|| missing_setup(ctx, use_.instruction, manager, &|_| true));
            if let Some(setup) = &setup {
                // Every install of this manager in the RUNs that get the mount fills it, so
                // each gets the flags.
                let mounted_runs = installs.uses.iter().filter(|u| {
                    per_run.contains_key(&u.instruction) && std::ptr::eq(u.manager(), manager)
                });
                match setup.edits(
                    ctx,
                    &ctx.syntax.instructions[use_.instruction],
                    mounted_runs,
                ) {
                    Some(setup_edits) => edits.extend(setup_edits),
                    // No place in the script for the commands (several heredoc bodies): no fix.
                    None => complete = false,
                }
            }
            if all_safe {
                let targets: Vec<&str> = plans.iter().map(|p| p.target.as_str()).collect();
                let mounted = |d: &str| targets.iter().any(|t| Mount::covers_path(t, d));
                for &member in &chain {
                    edits.extend(remove_wipes(
                        ctx,
                        installs.uses[member].run,
                        manager,
                        &mounted,
                    ));
                }
            }
            if let Some(caveat) = setup.as_ref().and_then(|s| s.caveat()) {
                caveats.push(format!("it also {caveat}"));
            }
            let mount_targets: Vec<&str> = plans.iter().map(|p| p.target.as_str()).collect();
            let mut unsafe_caveat = false;
            if let Some(caveat) = kept_state_caveat(ctx, &chain, &mount_targets) {
                caveats.push(caveat.to_string());
                unsafe_caveat = true;
                // A later RUN of this file installs without refreshing first: it reads what
                // the mount would take out of the image, and its build would fail.
                let last = chain.iter().map(|&m| installs.uses[m].instruction).max();
                let later_reads_kept = last_reader()
                    .iter()
                    .any(|&(name, at)| name == manager.name() && Some(at) > last);
                if later_reads_kept {
                    complete = false;
                }
            }
            if let Some(line) = offline_reader_line(ctx, &chain) {
                caveats.push(format!(
                    "the step on line {line} runs offline and would read the dependencies from \
                     the cache mount alone, which BuildKit can empty while the download step \
                     stays cached: garbage collection removes cache mounts unused for 48 hours \
                     first and `--cache-to` exports leave them out, so line {line} would fail"
                ));
                unsafe_caveat = true;
            }
            let extra = (!caveats.is_empty()).then(|| caveats.join("; "));
            let (mut applicability, caveats) = combined(&plans, extra);
            if unsafe_caveat {
                applicability = Applicability::Unsafe;
            }
            let mut targets: Vec<&str> = Vec::new();
            for p in &plans {
                if !targets.contains(&p.target.as_str()) {
                    targets.push(&p.target);
                }
            }
            let fix = (complete && !plans.is_empty()).then(|| {
                let on = if later.is_empty() {
                    String::new()
                } else {
                    " on every step that reads it".to_string()
                };
                Fix::new(
                    applicability,
                    describe(
                        &format!(
                            "add a cache mount at {}{}{on}",
                            targets.join(", "),
                            setup.as_ref().map(|s| s.flags_note()).unwrap_or_default()
                        ),
                        &caveats,
                    ),
                    merge_insertions(edits),
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

/// The line of the first step of the chain that runs offline (`mvn -o package`, `dotnet publish
/// --no-restore`) in a later instruction than a step that downloads: with the mount, the
/// downloads are no longer in the layer that step reads, only in the mount. Without the
/// mount, a cached download layer always carries them.
fn offline_reader_line(ctx: &Context, chain: &[usize]) -> Option<usize> {
    let installs = ctx.installs();
    let first_download = chain
        .iter()
        .map(|&m| &installs.uses[m])
        .filter(|u| !u.invocation.offline)
        .map(|u| u.instruction)
        .min()?;
    let reader = chain
        .iter()
        .map(|&m| &installs.uses[m])
        .filter(|u| u.invocation.offline && u.instruction > first_download)
        .map(|u| u.instruction)
        .min()?;
    Some(
        ctx.source
            .line_col(ctx.syntax.instructions[reader].span.start)
            .line,
    )
}

/// The manager's caveat for mounting a cache the image kept (apt's package lists, which a
/// later `apt-get install` reads), when a step of the chain leaves such a cache in its layer
/// and the mount takes it out.
fn kept_state_caveat(ctx: &Context, chain: &[usize], targets: &[&str]) -> Option<&'static str> {
    let installs = ctx.installs();
    chain.iter().find_map(|&member| {
        let u = &installs.uses[member];
        let policy = u.manager().lint().clean.as_ref()?;
        let caveat = policy.mount_caveat.as_deref()?;
        let kept = u.caches.iter().zip(&u.cache_dirs).any(|(cache, dir)| {
            policy.caches.iter().any(|id| id == cache.id())
                && targets.iter().any(|t| Mount::covers_path(t, dir))
                && !installs.wipes.iter().any(|w| {
                    w.run == u.run
                        && std::ptr::eq(w.manager, u.manager())
                        && w.dirs.iter().any(|wd| Mount::covers_path(wd, dir))
                })
        });
        kept.then_some(caveat)
    })
}

/// What the step does, for the message, and whether its RUN removes the caches it leaves in
/// the layer (then the downloads are not stored in the image).
fn describe_step(ctx: &Context, ui: usize) -> (&'static str, bool) {
    let installs = ctx.installs();
    let use_ = &installs.uses[ui];
    let what = match use_.invocation.action {
        Action::Build => "builds the project and downloads its dependencies",
        _ => "runs",
    };
    let wiped = use_.unmounted_dirs().all(|d| {
        installs.wipes.iter().any(|w| {
            w.run == use_.run
                && std::ptr::eq(w.manager, use_.manager())
                && w.dirs.iter().any(|wd| Mount::covers_path(wd, d))
        })
    });
    (what, wiped)
}

/// Whether the build context holds a file named like one of `manifests` (`go.mod`,
/// `*.csproj`). True when the listing is incomplete.
fn has_manifest(context: &crate::context::Context, manifests: &[String]) -> bool {
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    context.truncated
        || context.files.iter().any(|f| {
            !f.is_dir
                && manifests.iter().any(|m| {
                    crate::context::glob::go_match(&name(m), &name(&f.rel_path)) == Ok(true)
                })
        })
}

/// Whether this RUN has a cache mount meant for the use's manager but not where it caches
/// (`USER app` with a mount at /root/.cache/pip): DC005 moves that mount, where a second mount
/// added here would double it, and the later of the two would hide the other.
fn misplaced_mount(ctx: &Context, use_: &CacheUse) -> bool {
    ctx.installs()
        .mounts
        .get(&use_.instruction)
        .is_some_and(|mounts| {
            mounts
                .iter()
                .any(|m| m.is_cache() && !mount_in_place(use_, m) && mount_claims(use_, m))
        })
}
