//! BK011 invalid-default-arg-in-from (BuildKit's `InvalidDefaultArgInFrom`): with the global
//! ARGs at their defaults (no `--build-arg`), FROM's image name is empty or invalid.

use super::words::process;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct InvalidDefaultArgInFrom {
        code: "BK011",
        name: "invalid-default-arg-in-from",
        summary: "With its ARGs at their defaults, FROM names no valid image: the build needs --build-arg to work.",
        severity: Error,
        fixable: false,
        aliases: ["InvalidDefaultArgInFrom"],
    }
}

impl Rule for InvalidDefaultArgInFrom {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        // The global ARGs with their defaults, each expanded with those before it.
        let mut values: Vec<(String, String)> = Vec::new();
        for (key, value) in super::global_args(ctx.syntax) {
            let Some(raw) = value else {
                continue;
            };
            let expanded = process(&raw, ctx.syntax.escape, &|n| lookup(&values, n)).result;
            values.retain(|(k, _)| *k != key);
            values.push((key, expanded));
        }
        for from in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            let Some(base) = super::arg_words(from).into_iter().next() else {
                continue;
            };
            // A constant invalid name is a build error, reported by DL1000.
            if !base.text.contains('$') {
                continue;
            }
            let processed = process(&base.text, ctx.syntax.escape, &|n| lookup(&values, n));
            if super::reference::is_valid(&processed.result) {
                continue;
            }
            let shown = if processed.result.is_empty() {
                "an empty name".to_string()
            } else {
                format!("`{}`", processed.result)
            };
            out.push(
                Diagnostic::for_rule(&meta, base.span, format!("with the ARG defaults, `{}` becomes {shown}, which is not a valid image name", base.text))
                    .with_help("give the ARG a default that makes a valid image name"),
            );
        }
    }
}

fn lookup(values: &[(String, String)], name: &str) -> Option<String> {
    values
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .or_else(|| super::automatic_arg_default(name).map(str::to_string))
}
