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
        for stage in stages {
            if stage.name.as_ref().is_some_and(|n| copied_from.contains(n)) {
                continue;
            }
            for label in schema.keys() {
                if !has_label(ctx, stage.index, label) && !labelled_child(ctx, stage.index, label) {
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

/// Whether a stage built on this one sets `label`: the stage is then a base, and the image
/// made from it carries the label.
fn labelled_child(ctx: &Context, stage: usize, label: &str) -> bool {
    ctx.model.stages.iter().any(|child| {
        child.base_stage == Some(stage)
            && (sets_label(ctx, child.index, label) || labelled_child(ctx, child.index, label))
    })
}

fn sets_label(ctx: &Context, stage: usize, label: &str) -> bool {
    ctx.model.stages[stage].body.clone().any(|i| {
        let inst = &ctx.syntax.instructions[i];
        inst.keyword == Keyword::Label && inst.pairs.iter().any(|p| p.key == label)
    })
}

/// Whether the stage, or a stage it is built on, sets `label`.
fn has_label(ctx: &Context, stage: usize, label: &str) -> bool {
    let mut current = Some(stage);
    while let Some(s) = current {
        if sets_label(ctx, s, label) {
            return true;
        }
        current = ctx.model.stages[s].base_stage;
    }
    false
}
