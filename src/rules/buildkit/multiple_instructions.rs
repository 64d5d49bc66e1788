//! What BuildKit's `MultipleInstructionsDisallowed` checks, shared by DL4003 (CMD), DL4004
//! (ENTRYPOINT) and DL3012 (HEALTHCHECK): only the last of these in a stage takes effect.

use crate::diagnostic::{Diagnostic, RuleMeta};
use crate::rules::Context;
use crate::syntax::Keyword;

/// Report every `keyword` of a stage that a later one of the same stage overrides (at the
/// overridden one, as BuildKit does: it is the one that is ignored).
pub(crate) fn check(ctx: &Context, meta: &RuleMeta, keyword: Keyword, out: &mut Vec<Diagnostic>) {
    for stage in &ctx.model.stages {
        let found: Vec<usize> = stage
            .body
            .clone()
            .filter(|&i| ctx.syntax.instructions[i].keyword == keyword)
            .collect();
        for pair in found.windows(2) {
            let (earlier, later) = (
                &ctx.syntax.instructions[pair[0]],
                &ctx.syntax.instructions[pair[1]],
            );
            let name = earlier.keyword_text.to_ascii_uppercase();
            out.push(
                Diagnostic::for_rule(
                    meta,
                    earlier.keyword_span,
                    format!(
                        "this {name} has no effect: a later {name} in the same stage replaces it"
                    ),
                )
                .with_related(later.keyword_span, "this one takes effect"),
            );
        }
    }
}
