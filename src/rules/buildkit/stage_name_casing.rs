//! BK001 stage-name-casing (BuildKit's `StageNameCasing`): a stage name with upper-case letters.

use super::stage_name_word;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct StageNameCasing {
        code: "BK001",
        name: "stage-name-casing",
        summary: "Stage names should be lower case: BuildKit lower-cases them anyway.",
        severity: Warning,
        fixable: true,
        aliases: ["StageNameCasing"],
    }
}

impl Rule for StageNameCasing {
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
            if lower == name.text {
                continue;
            }
            let mut edits = vec![Edit::replace(name.span, lower.clone())];
            edits.extend(references(ctx, &name.text, &lower));
            out.push(
                Diagnostic::for_rule(
                    &meta,
                    name.span,
                    format!("stage name `{}` should be lower case", name.text),
                )
                .with_fix(Some(Fix::safe(
                    format!("rename the stage `{lower}`, with every reference to it"),
                    edits,
                ))),
            );
        }
    }
}

/// Edits that lower-case every reference to the stage: `FROM <name>`, `COPY --from=<name>` and
/// `RUN --mount=...,from=<name>` (BuildKit matches stage names without regard to case,
/// except in FROM, where only the lower-case spelling finds the stage).
fn references(ctx: &Context, name: &str, lower: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    for inst in &ctx.syntax.instructions {
        match inst.keyword {
            Keyword::From => {
                if let Some(base) = super::arg_words(inst).first()
                    && base.text != lower
                    && base.text.eq_ignore_ascii_case(name)
                {
                    edits.push(Edit::replace(base.span, lower));
                }
            }
            Keyword::Copy | Keyword::Run => {
                for flag in &inst.flags {
                    let Some(value_span) = flag.value_span else {
                        continue;
                    };
                    let raw = value_span.text(ctx.text());
                    if flag.name == "from" && raw.eq_ignore_ascii_case(name) && raw != lower {
                        edits.push(Edit::replace(value_span, lower));
                    } else if flag.name == "mount" {
                        let mut at = value_span.start;
                        for option in raw.split(',') {
                            if let Some(v) = option.strip_prefix("from=")
                                && v.eq_ignore_ascii_case(name)
                                && v != lower
                            {
                                let start = at + "from=".len();
                                edits.push(Edit::replace(
                                    crate::source::Span::new(start, start + v.len()),
                                    lower,
                                ));
                            }
                            at += option.len() + 1;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    edits
}
