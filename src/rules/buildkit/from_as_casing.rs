//! BK002 from-as-casing (BuildKit's `FromAsCasing`): `FROM ... as x` or `from ... AS x`.

use super::{cased, stage_name_word};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct FromAsCasing {
        code: "BK002",
        name: "from-as-casing",
        summary: "The `AS` keyword should be written in the same case as `FROM`.",
        severity: Warning,
        fixable: true,
        aliases: ["FromAsCasing"],
    }
}

impl Rule for FromAsCasing {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for from in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            let keyword = &from.keyword_text;
            let upper = *keyword == keyword.to_ascii_uppercase();
            let lower = *keyword == keyword.to_ascii_lowercase();
            // A mixed-case FROM is ConsistentInstructionCasing's finding, not this one's.
            if upper == lower {
                continue;
            }
            let Some((as_kw, _)) = stage_name_word(from) else {
                continue;
            };
            let wanted = cased(&as_kw.text, upper);
            if as_kw.text == wanted {
                continue;
            }
            out.push(
                Diagnostic::for_rule(
                    &meta,
                    as_kw.span,
                    format!("`{}` does not match the case of `{keyword}`", as_kw.text),
                )
                .with_fix(Some(Fix::safe(
                    format!("write `{wanted}`"),
                    vec![Edit::replace(as_kw.span, wanted)],
                ))),
            );
        }
    }
}
