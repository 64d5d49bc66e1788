//! DL3050 superfluous-label: with `strict-labels`, a label the schema does not name.

use super::schema;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct SuperfluousLabel {
        code: "DL3050",
        name: "superfluous-label",
        summary: "With `strict-labels`, a LABEL sets a label the schema does not name.",
        severity: Info,
        fixable: false,
    }
}

impl Rule for SuperfluousLabel {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        if !ctx.option::<bool>("strict-labels").unwrap_or(false) {
            return;
        }
        let schema = schema(ctx);
        for inst in &ctx.syntax.instructions {
            let inst = inst.effective();
            if inst.keyword != Keyword::Label {
                continue;
            }
            // One finding per LABEL, naming every extra key.
            let extra: Vec<&str> = inst
                .pairs
                .iter()
                .map(|p| p.key.as_str())
                .filter(|k| !schema.contains_key(*k))
                .collect();
            if let Some(first) = inst.pairs.iter().find(|p| !schema.contains_key(&p.key)) {
                out.push(self.finding(
                    first.key_span,
                    format!("{} not in the label schema, and `strict-labels` allows only its labels", extra.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ") + if extra.len() == 1 { " is" } else { " are" }),
                ));
            }
        }
    }
}
