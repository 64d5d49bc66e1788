//! DL3051 empty-label: a schema label set to an empty value.

use super::{pairs, schema};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct EmptyLabel {
        code: "DL3051",
        name: "empty-label",
        summary: "A label of the schema is set to an empty value.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for EmptyLabel {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let schema = schema(ctx);
        for (_, pair, value) in pairs(ctx) {
            if schema.contains_key(&pair.key) && value.as_deref() == Some("") {
                out.push(self.finding(pair.span, format!("label `{}` is empty", pair.key)));
            }
        }
    }
}
