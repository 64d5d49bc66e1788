//! DL4000 maintainer-deprecated (BuildKit's `MaintainerDeprecated`): the MAINTAINER instruction.

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct MaintainerDeprecated {
        code: "DL4000",
        name: "maintainer-deprecated",
        summary: "MAINTAINER is deprecated: name the author with a LABEL.",
        severity: Error,
        fixable: true,
        aliases: ["MaintainerDeprecated"],
    }
}

impl Rule for MaintainerDeprecated {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for inst in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Maintainer)
        {
            let fix = inst.values.first().filter(|_| !inst.args().contains('\n')).map(|author| {
                let label = super::cased("label", inst.keyword_text != inst.keyword_text.to_ascii_lowercase());
                let escaped: String = author
                    .chars()
                    .flat_map(|c| match c {
                        '"' | '\\' | '$' => vec!['\\', c],
                        c => vec![c],
                    })
                    .collect();
                let span = crate::source::Span::new(inst.keyword_span.start, inst.args_span().end);
                Fix::unsafe_(
                    "replace it with LABEL org.opencontainers.image.authors (the image's Author field is no longer set; the label is)",
                    vec![Edit::replace(
                        span,
                        format!("{label} org.opencontainers.image.authors=\"{escaped}\""),
                    )],
                )
            });
            out.push(
                Diagnostic::for_rule(&meta, inst.keyword_span, "MAINTAINER is deprecated; use a LABEL such as org.opencontainers.image.authors")
                    .with_fix(fix),
            );
        }
    }
}
