//! DL3063 reserved-stage-name (BuildKit's `ReservedStageName`): a stage named `scratch` or
//! `context`.

use super::{finding, stage_name_word};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct ReservedStageName {
        code: "DL3063",
        name: "reserved-stage-name",
        summary: "`scratch` and `context` are reserved words and should not name a stage.",
        severity: Error,
        fixable: false,
        aliases: ["ReservedStageName"],
    }
}

impl Rule for ReservedStageName {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for from in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            let Some((_, name)) = stage_name_word(from) else {
                continue;
            };
            let lower = name.text.to_ascii_lowercase();
            let meaning = match lower.as_str() {
                "scratch" => "the empty image",
                "context" => "the build context",
                _ => continue,
            };
            out.push(finding(
                &meta,
                name.span,
                format!("`{}` is reserved: elsewhere it means {meaning}, so references to this stage are ambiguous", name.text),
            ));
        }
    }
}
