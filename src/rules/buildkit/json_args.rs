//! What BuildKit's `JSONArgsRecommended` and hadolint's DL3025 share: CMD and ENTRYPOINT in
//! shell form. BuildKit stays silent where a SHELL instruction chose the shell (in the stage or
//! a stage it builds on); hadolint does not look at SHELL.

use crate::diagnostic::{Diagnostic, Edit, Fix, RuleMeta};
use crate::rules::Context;
use crate::syntax::Keyword;

pub(crate) fn check(
    ctx: &Context,
    meta: &RuleMeta,
    respect_shell: bool,
    out: &mut Vec<Diagnostic>,
) {
    for (index, inst) in ctx.syntax.instructions.iter().enumerate() {
        if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint) || inst.json {
            continue;
        }
        if ctx.model.states[index].stage.is_none() {
            continue;
        }
        if respect_shell && shell_chosen(ctx, index) {
            continue;
        }
        let name = inst.keyword_text.to_ascii_uppercase();
        out.push(
            Diagnostic::for_rule(
                meta,
                inst.keyword_span,
                format!(
                    "{name} in shell form runs under `/bin/sh -c`: the program does not get signals such as SIGTERM, so it cannot stop cleanly"
                ),
            )
            .with_help(format!("write it as a JSON array: {name} [\"program\", \"arg\"]"))
            .with_fix(exec_form_fix(inst)),
        );
    }
}

/// Whether a SHELL instruction is in effect at instruction `index`: earlier in its stage, or
/// anywhere in a stage it is built on.
fn shell_chosen(ctx: &Context, index: usize) -> bool {
    let Some(mut stage) = ctx.model.stage_of(index) else {
        return false;
    };
    let mut until = index;
    loop {
        if ctx.syntax.instructions[stage.body.start.min(until)..until]
            .iter()
            .any(|i| i.keyword == Keyword::Shell)
        {
            return true;
        }
        match stage.base_stage {
            Some(b) if b < stage.index => {
                stage = &ctx.model.stages[b];
                until = stage.body.end;
            }
            _ => return false,
        }
    }
}

/// `CMD a b c` to `CMD ["a", "b", "c"]`, when the command is plain words the shell would pass
/// on unchanged. Unsafe: no shell runs any more, so nothing it would do (variables, `~`) happens.
fn exec_form_fix(inst: &crate::syntax::Instruction) -> Option<Fix> {
    let args = inst.args();
    if args.is_empty() || args.contains(|c: char| "$`\\\"'&|;<>()*?[]{}~#!=%\n".contains(c)) {
        return None;
    }
    let words: Vec<String> = args
        .split_whitespace()
        .map(|w| serde_json::to_string(w).unwrap_or_default())
        .collect();
    // The image's config changes: name the field and what it becomes.
    let field = if inst.keyword == Keyword::Entrypoint {
        "Entrypoint"
    } else {
        "Cmd"
    };
    Some(Fix::unsafe_(
        format!(
            "write the command as a JSON array: the image's {field} becomes [{}] instead of a shell running the line (no shell runs it any more, and the program gets signals itself)",
            words.join(", ")
        ),
        vec![Edit::replace(
            inst.args_span(),
            format!("[{}]", words.join(", ")),
        )],
    ))
}
