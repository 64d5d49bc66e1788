//! DL3049 missing-label: a stage without a label the schema requires.

use super::schema;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct MissingLabel {
        code: "DL3049",
        name: "missing-label",
        summary: "A stage lacks a label that `label-schema` requires.",
        severity: Info,
        fixable: false,
    }
}

impl Rule for MissingLabel {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let schema = schema(ctx);
        if schema.is_empty() {
            return;
        }
        let stages = &ctx.model.stages;
        // Stages whose files other stages copy are build stages, not images to label.
        let copied_from: Vec<String> = ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Copy)
            .filter_map(|i| {
                i.flag("from")?
                    .value
                    .as_deref()
                    .map(str::to_ascii_lowercase)
            })
            .collect();
        for label in schema.keys() {
            let inherited = inherits(ctx, label);
            let passed_on = passes_on(ctx, label);
            for stage in stages {
                if stage.name.as_ref().is_some_and(|n| copied_from.contains(n)) {
                    continue;
                }
                if !inherited[stage.index] && !passed_on[stage.index] {
                    let from = &ctx.syntax.instructions[stage.from];
                    out.push(
                        self.finding(
                            from.keyword_span,
                            format!(
                                "this stage has no label `{label}`, which the label schema requires"
                            ),
                        )
                        .with_help(format!("add `LABEL {label}=...`")),
                    );
                }
            }
        }
    }
}

/// Per stage: whether it or a stage it is built on sets `label` (parents come first).
fn inherits(ctx: &Context, label: &str) -> Vec<bool> {
    let mut out: Vec<bool> = Vec::with_capacity(ctx.model.stages.len());
    for stage in &ctx.model.stages {
        let from_parent = stage.base_stage.is_some_and(|p| out[p]);
        out.push(from_parent || sets_label(ctx, stage.index, label));
    }
    out
}

/// Per stage: whether a stage built on it (directly or further down) sets `label`, so the
/// stage is a base and the image made from it carries the label.
fn passes_on(ctx: &Context, label: &str) -> Vec<bool> {
    let stages = &ctx.model.stages;
    let mut out = vec![false; stages.len()];
    for child in stages.iter().rev() {
        if let Some(parent) = child.base_stage {
            out[parent] |= out[child.index] || sets_label(ctx, child.index, label);
        }
    }
    out
}

fn sets_label(ctx: &Context, stage: usize, label: &str) -> bool {
    ctx.model.stages[stage].body.clone().any(|i| {
        let inst = &ctx.syntax.instructions[i];
        inst.keyword == Keyword::Label && inst.pairs.iter().any(|p| p.key == label)
    })
}
