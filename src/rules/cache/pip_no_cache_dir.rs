//! DC001 pip-no-cache-dir: a Python install that turns off its download cache on the command
//! line or with a variable set in the same RUN.

use super::cache_fix::{
    combined, describe, insert_mounts, merge_insertions, missing_mounts, mount_env_edits,
    remove_command, remove_word,
};
use crate::analysis::installs::{CacheUse, Disabler, Origin};
use crate::diagnostic::{Diagnostic, Edit, Fix, RuleMeta};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;

crate::declare_rule! {
    pub struct PipNoCacheDir {
        code: "DC001",
        name: "pip-no-cache-dir",
        summary: "A Python package install turns off its download cache, so every rebuild downloads every package again.",
        severity: Warning,
        fixable: true,
    }
}

/// The ecosystem whose installers this rule covers (see `ecosystem` in package-managers.toml).
const ECOSYSTEM: &str = "python";

impl Rule for PipNoCacheDir {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let installs = ctx.installs();
        // An install that cannot download (`--no-index`, local wheels with `--no-deps`) has
        // nothing to cache: turning the cache off costs nothing there.
        for use_ in installs
            .uses
            .iter()
            .filter(|u| u.manager().ecosystem() == ECOSYSTEM && !u.invocation.offline)
        {
            for disabler in &use_.disablers {
                let (span, removal, what) = match disabler {
                    Disabler::Flag { span } => (
                        *span,
                        remove_word(ctx.text(), *span, ctx.syntax.escape),
                        span.text(ctx.text()).to_string(),
                    ),
                    Disabler::Variable {
                        name,
                        origin: Origin::Inline { name_span, span },
                    } => (
                        *name_span,
                        remove_word(ctx.text(), *span, ctx.syntax.escape),
                        format!("{name}="),
                    ),
                    Disabler::Variable {
                        name,
                        origin:
                            Origin::Export {
                                name_span,
                                span,
                                command: export,
                            },
                    } => {
                        let commands = &installs.runs[use_.run].commands;
                        let export_cmd = &commands[*export];
                        let edit = if export_cmd.assignments.len() == 1 {
                            remove_command(
                                &ctx.syntax.instructions[use_.instruction],
                                commands,
                                *export,
                            )
                        } else {
                            Some(remove_word(ctx.text(), *span, ctx.syntax.escape))
                        };
                        let Some(edit) = edit else {
                            out.push(diagnostic(
                                &meta,
                                use_,
                                *name_span,
                                &format!("export {name}"),
                                None,
                            ));
                            continue;
                        };
                        (*name_span, edit, format!("export {name}"))
                    }
                    // ENV and ARG are DC002's.
                    Disabler::Variable { .. } => continue,
                };
                let fix = fix_for(ctx, use_, span, removal);
                out.push(diagnostic(&meta, use_, span, &what, Some(fix)));
            }
        }
    }
}

fn diagnostic(
    meta: &RuleMeta,
    use_: &CacheUse,
    span: Span,
    what: &str,
    fix: Option<Fix>,
) -> Diagnostic {
    let manager = use_.manager().name();
    let dirs = use_.cache_dirs.join(",");
    Diagnostic::new(
        meta.code,
        meta.name,
        meta.default_severity,
        span,
        format!(
            "`{what}` keeps {manager} from caching downloads, so every rebuild of this layer downloads every package again; a cache mount would keep them between builds, but only once this is gone"
        ),
    )
    .with_help(format!(
        "drop it and add `--mount=type=cache,target={dirs}` to the RUN; mounts are not part of the image, so the image stays as small"
    ))
    .with_fix(fix)
}

/// Remove the disabler; add the mount unless an ENV/ARG keeps the cache off anyway (DC002
/// fixes that, and adds the mount then).
fn fix_for(ctx: &Context, use_: &CacheUse, span: Span, removal: Edit) -> Fix {
    let still_disabled = use_.disablers.iter().any(|d| {
        matches!(
            d,
            Disabler::Variable {
                origin: Origin::Instruction { .. },
                ..
            }
        )
    });
    let other_flags = use_
        .disablers
        .iter()
        .any(|d| matches!(d, Disabler::Flag { span: s } if *s != span));
    let mut edits = vec![removal];
    let plans = if still_disabled || other_flags {
        Vec::new()
    } else {
        missing_mounts(use_)
    };
    let inst = &ctx.syntax.instructions[use_.instruction];
    edits.extend(insert_mounts(inst, &plans));
    let mut env_caveat = None;
    if !plans.is_empty() {
        let (env_edits, caveat) = mount_env_edits(ctx, use_);
        edits.extend(env_edits);
        env_caveat = caveat;
    }
    let (applicability, caveats) = combined(&plans, env_caveat);
    let action = if plans.is_empty() {
        "remove the flag that turns the cache off".to_string()
    } else {
        let targets: Vec<&str> = plans.iter().map(|p| p.target.as_str()).collect();
        format!("remove it and add a cache mount at {}", targets.join(", "))
    };
    Fix::new(
        applicability,
        describe(&action, &caveats),
        merge_insertions(edits),
    )
}
