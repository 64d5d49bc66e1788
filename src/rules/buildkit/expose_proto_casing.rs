//! BK014 expose-proto-casing (BuildKit's `ExposeProtoCasing`): `EXPOSE 80/TCP`.

use super::ports;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct ExposeProtoCasing {
        code: "BK014",
        name: "expose-proto-casing",
        summary: "The protocol in EXPOSE should be lower case (`80/tcp`).",
        severity: Warning,
        fixable: true,
        aliases: ["ExposeProtoCasing"],
    }
}

impl Rule for ExposeProtoCasing {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for inst in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Expose)
        {
            for word in super::arg_words(inst)
                .into_iter()
                .filter(|w| !w.text.contains('$'))
            {
                let spec = ports::split(&word.text);
                if spec.proto == spec.proto.to_ascii_lowercase() {
                    continue;
                }
                let lower = spec.proto.to_ascii_lowercase();
                let at = word.span.end - spec.proto.len();
                let fix = (word.span.len() == word.text.len()).then(|| {
                    Fix::safe(
                        format!("write `{lower}`"),
                        vec![Edit::replace(Span::new(at, word.span.end), lower.clone())],
                    )
                });
                out.push(
                    Diagnostic::for_rule(
                        &meta,
                        word.span,
                        format!(
                            "protocol `{}` in `{}` should be lower case",
                            spec.proto, word.text
                        ),
                    )
                    .with_fix(fix),
                );
            }
        }
    }
}
