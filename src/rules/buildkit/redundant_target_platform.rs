//! DL3065 redundant-target-platform (BuildKit's `RedundantTargetPlatform`):
//! `FROM --platform=$TARGETPLATFORM`, which is what FROM does anyway.

use super::{finding, words::process};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct RedundantTargetPlatform {
        code: "DL3065",
        name: "redundant-target-platform",
        summary: "`FROM --platform=$TARGETPLATFORM` is redundant: a stage is built for the target platform by default.",
        severity: Info,
        fixable: true,
        aliases: ["RedundantTargetPlatform"],
    }
}

impl Rule for RedundantTargetPlatform {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let globals = super::global_args(ctx.syntax);
        // A global `ARG TARGETPLATFORM=...` gives it another value: removing the flag would
        // then change the platform.
        let overridden = globals
            .iter()
            .any(|(k, v)| k == "TARGETPLATFORM" && v.is_some());
        let lookup = |name: &str| super::automatic_arg_default(name).map(str::to_string);
        for from in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            let Some(flag) = from.flag("platform") else {
                continue;
            };
            let Some(value) = &flag.value else {
                continue;
            };
            let processed = process(value, ctx.syntax.escape, &lookup);
            if processed.matched.len() != 1
                || !processed.matched.contains("TARGETPLATFORM")
                || !processed.unmatched.is_empty()
                || processed.result != "linux/amd64"
            {
                continue;
            }
            let text = ctx.text();
            let blanks = text[flag.span.end..].len()
                - text[flag.span.end..].trim_start_matches([' ', '\t']).len();
            let fix = (!overridden).then(|| {
                Fix::safe(
                    "remove the --platform flag",
                    vec![Edit::delete(Span::new(
                        flag.span.start,
                        flag.span.end + blanks,
                    ))],
                )
            });
            out.push(
                finding(&meta, flag.span, format!("`--platform={value}` is redundant: a stage is built for the target platform unless told otherwise"))
                    .with_fix(fix),
            );
        }
    }
}
