//! DL3043 onbuild-forbidden: ONBUILD of FROM, MAINTAINER or ONBUILD.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct OnbuildForbidden {
        code: "DL3043",
        name: "onbuild-forbidden",
        summary: "ONBUILD may not trigger FROM, MAINTAINER or another ONBUILD.",
        severity: Error,
        fixable: false,
    }
}

impl Rule for OnbuildForbidden {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for inst in &ctx.syntax.instructions {
            let Some(inner) = inst.inner.as_deref() else {
                continue;
            };
            if matches!(
                inner.keyword,
                Keyword::From | Keyword::Maintainer | Keyword::Onbuild
            ) {
                out.push(self.finding(
                    inner.keyword_span,
                    format!("`ONBUILD {}` is not allowed: the trigger would run in another build, where it cannot work", inner.keyword_text.to_ascii_uppercase()),
                ));
            }
        }
    }
}
