//! BK009 legacy-key-value-format (BuildKit's `LegacyKeyValueFormat`): `ENV key value` or
//! `LABEL key value` instead of `key=value`.

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct LegacyKeyValueFormat {
        code: "BK009",
        name: "legacy-key-value-format",
        summary: "`ENV key value` is the legacy form: write `ENV key=value`.",
        severity: Warning,
        fixable: true,
        aliases: ["LegacyKeyValueFormat"],
    }
}

impl Rule for LegacyKeyValueFormat {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let text = ctx.text();
        for inst in &ctx.syntax.instructions {
            if !matches!(inst.keyword, Keyword::Env | Keyword::Label) {
                continue;
            }
            let name = inst.keyword_text.to_ascii_uppercase();
            for pair in inst.pairs.iter().filter(|p| !p.equals) {
                let fix = pair.value_span.and_then(|value_span| {
                    let gap = Span::new(pair.key_span.end, value_span.start);
                    let value = value_span.text(text);
                    let plain_gap =
                        !gap.is_empty() && gap.text(text).chars().all(|c| c == ' ' || c == '\t');
                    (plain_gap && one_word(value, ctx.syntax.escape)).then(|| {
                        Fix::safe(
                            format!("write `{}={}`", pair.key, value),
                            vec![Edit::replace(gap, "=")],
                        )
                    })
                });
                out.push(
                    Diagnostic::for_rule(
                        &meta,
                        pair.span,
                        format!("`{name} {} ...` separates key and value with a blank, the legacy form; write `{name} {}=...`", pair.key, pair.key),
                    )
                    .with_help("with `key=value`, one instruction can also set several variables")
                    .with_fix(fix),
                );
            }
        }
    }
}

/// Whether `value` is one shell word: no blank outside quotes (then `key=value` means the same).
fn one_word(value: &str, escape: char) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, c) if c == escape && quote != Some('\'') && chars.next().is_none() => {
                return false;
            }
            (_, c) if c == escape && quote != Some('\'') => {}
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => return false,
            _ => {}
        }
    }
    quote.is_none() && !value.is_empty()
}
