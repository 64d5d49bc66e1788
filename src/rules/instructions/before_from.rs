//! DL3061 before-from: an instruction other than ARG before the first FROM.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct BeforeFrom {
        code: "DL3061",
        name: "before-from",
        summary: "Only ARG may come before the first FROM.",
        severity: Error,
        fixable: false,
    }
}

impl Rule for BeforeFrom {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for inst in &ctx.syntax.instructions {
            match inst.keyword {
                Keyword::From => return,
                Keyword::Arg => {}
                _ => {
                    out.push(self.finding(
                        inst.keyword_span,
                        format!(
                            "`{}` comes before the first FROM: only ARG may, and the build fails",
                            inst.keyword_text.to_ascii_uppercase()
                        ),
                    ));
                }
            }
        }
    }
}
