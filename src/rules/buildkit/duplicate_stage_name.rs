//! DL3024 duplicate-stage-name (BuildKit's `DuplicateStageName`): two stages with one name.

use super::stage_name_word;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct DuplicateStageName {
        code: "DL3024",
        name: "duplicate-stage-name",
        summary: "Stage names must be unique: a later stage of the same name hides the earlier one.",
        severity: Error,
        fixable: false,
        aliases: ["DuplicateStageName"],
    }
}

impl Rule for DuplicateStageName {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let mut seen: Vec<(String, crate::source::Span)> = Vec::new();
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
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == lower) {
                out.push(
                    Diagnostic::for_rule(
                        &meta,
                        name.span,
                        format!(
                            "stage name `{}` is already used by an earlier stage",
                            name.text
                        ),
                    )
                    .with_related(*first, "first used here")
                    .with_help("rename one of the stages; references then find the one they name"),
                );
            } else {
                seen.push((lower, name.span));
            }
        }
    }
}
