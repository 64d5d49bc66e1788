//! DC002 pip-no-cache-dir-env: ENV or ARG turning a Python installer's cache off.

use super::cache_fix::{
    combined, describe, insert_mounts, merge_insertions, missing_mounts, mount_env_edits,
    remove_pair,
};
use crate::analysis::installs::{Disabler, Origin};
use crate::diagnostic::{Diagnostic, Fix};
use crate::knowledge::knowledge;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;
use std::collections::BTreeMap;

crate::declare_rule! {
    pub struct PipNoCacheDirEnv {
        code: "DC002",
        name: "pip-no-cache-dir-env",
        summary: "ENV or ARG turns off a Python installer's download cache (PIP_NO_CACHE_DIR with any value, UV_NO_CACHE when true).",
        severity: Warning,
        fixable: true,
    }
}

const ECOSYSTEM: &str = "python";

impl Rule for PipNoCacheDirEnv {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let k = knowledge();
        for (index, inst) in ctx.syntax.instructions.iter().enumerate() {
            if !matches!(inst.keyword, Keyword::Env | Keyword::Arg) {
                continue;
            }
            for (pair_index, pair) in inst.pairs.iter().enumerate() {
                let value = pair.unquoted_value().unwrap_or_default();
                // A bare `ARG PIP_NO_CACHE_DIR` has no value unless the build passes one.
                if pair.value.is_none() {
                    continue;
                }
                let Some(manager) = k.env_disables_cache(&pair.key, &value) else {
                    continue;
                };
                if manager.ecosystem() != ECOSYSTEM {
                    continue;
                }
                let mut message = format!(
                    "`{}` turns off {}'s download cache for every install after it",
                    pair.key,
                    manager.name()
                );
                if pair.key == "PIP_NO_CACHE_DIR" {
                    message.push_str(
                        " (pip reads any value as \"disable\", even `0`, `false`, `off` and `no`)",
                    );
                }
                if inst.keyword == Keyword::Env {
                    message.push_str("; as an ENV it also ships in the image and disables the cache for every build based on it");
                }
                let fix = self.fix(ctx, index, pair_index);
                out.push(
                    Diagnostic::new(meta.code, meta.name, meta.default_severity, pair.key_span, message)
                        .with_help("remove it and give the installs a BuildKit cache mount instead; mounts keep downloads between builds without adding them to the image")
                        .with_fix(Some(fix)),
                );
            }
        }
    }
}

impl PipNoCacheDirEnv {
    fn fix(&self, ctx: &Context, instruction: usize, pair: usize) -> Fix {
        let inst = &ctx.syntax.instructions[instruction];
        let mut edits = vec![remove_pair(inst, pair)];
        // Every install this variable turned the cache off for gets its mounts.
        let mut per_run: BTreeMap<usize, Vec<_>> = BTreeMap::new();
        let mut env_caveats = Vec::new();
        let mut env_edits_all = Vec::new();
        for use_ in &ctx.installs().uses {
            let affected = use_.disablers.iter().any(|d| {
                matches!(d, Disabler::Variable { origin: Origin::Instruction { instruction: i, pair: p, .. }, .. } if *i == instruction && *p == pair)
            });
            let other_disablers = use_.disablers.len() > 1;
            if affected && !other_disablers {
                let plans = missing_mounts(use_);
                if !plans.is_empty() {
                    let (env_edits, caveat) = mount_env_edits(ctx, use_);
                    env_edits_all.extend(env_edits);
                    env_caveats.extend(caveat);
                }
                per_run.entry(use_.instruction).or_default().extend(plans);
            }
        }
        let mut all_plans = Vec::new();
        for (run, plans) in per_run {
            edits.extend(insert_mounts(&ctx.syntax.instructions[run], &plans));
            all_plans.extend(plans);
        }
        let env_caveat = (inst.keyword == Keyword::Env).then(|| {
            format!(
                "removes `{}` from the image's environment, which images built on it inherit",
                inst.pairs[pair].key
            )
        });
        edits.extend(env_edits_all);
        env_caveats.extend(env_caveat);
        let extra = (!env_caveats.is_empty()).then(|| env_caveats.join("; "));
        let (applicability, caveats) = combined(&all_plans, extra);
        let action = if all_plans.is_empty() {
            format!("remove `{}`", inst.pairs[pair].key)
        } else {
            format!(
                "remove `{}` and add cache mounts to the installs it affected",
                inst.pairs[pair].key
            )
        };
        Fix::new(
            applicability,
            describe(&action, &caveats),
            merge_insertions(edits),
        )
    }
}

/// DC002 for a Compose service whose `build.args` sets a cache-disabling variable that the
/// Dockerfile declares with `ARG` (an undeclared build arg never reaches RUN). Reported at the
/// Compose line, where the cause is.
pub fn compose_build_arg_findings(
    build: &crate::compose::ServiceBuild,
    compose: &crate::source::SourceFile,
    dockerfile: &crate::syntax::Dockerfile,
) -> Vec<Diagnostic> {
    let meta = PipNoCacheDirEnv.meta();
    let k = knowledge();
    let declared = |name: &str| {
        dockerfile
            .instructions
            .iter()
            .any(|i| i.keyword == Keyword::Arg && i.pairs.iter().any(|p| p.key == name))
    };
    let mut out = Vec::new();
    for arg in &build.args {
        let Some(value) = &arg.value else { continue };
        let Some(manager) = k.env_disables_cache(&arg.name, value) else {
            continue;
        };
        if manager.ecosystem() != ECOSYSTEM || !declared(&arg.name) {
            continue;
        }
        let line_start = compose.lines.line_start(arg.line.saturating_sub(1));
        let line_text = compose.text[line_start..].lines().next().unwrap_or("");
        let span = match line_text.find(&arg.name) {
            Some(i) => crate::source::Span::new(line_start + i, line_start + i + arg.name.len()),
            None => crate::source::Span::new(line_start, line_start + line_text.len()),
        };
        out.push(
            Diagnostic::new(
                meta.code,
                meta.name,
                meta.default_severity,
                span,
                format!(
                    "build arg `{}` of service `{}` turns off {}'s download cache for every install in its Dockerfile that declares `ARG {}`",
                    arg.name,
                    build.service,
                    manager.name(),
                    arg.name
                ),
            )
            .with_help("remove it here and give the installs a BuildKit cache mount instead"),
        );
    }
    out
}
