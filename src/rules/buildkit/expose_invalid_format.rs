//! BK015 expose-invalid-format (BuildKit's `ExposeInvalidFormat`): EXPOSE with an IP address
//! or a host port (`EXPOSE 8080:80`), which only `docker run -p` can set.

use super::ports;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct ExposeInvalidFormat {
        code: "BK015",
        name: "expose-invalid-format",
        summary: "EXPOSE takes a container port, not an IP address or host port mapping.",
        severity: Warning,
        fixable: true,
        aliases: ["ExposeInvalidFormat"],
    }
}

impl Rule for ExposeInvalidFormat {
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
                if spec.ip.is_empty() && spec.host_port.is_empty() {
                    continue;
                }
                let kept = if spec.proto.is_empty() {
                    spec.port.to_string()
                } else {
                    format!("{}/{}", spec.port, spec.proto)
                };
                // BuildKit exposes the container port and ignores the rest: keeping only it
                // changes nothing in the image.
                let fix = (word.span.len() == word.text.len() && ports::parse(&word.text).is_ok())
                    .then(|| {
                        Fix::safe(
                            format!("keep only the container port `{kept}`"),
                            vec![Edit::replace(word.span, kept.clone())],
                        )
                    });
                out.push(
                    Diagnostic::for_rule(&meta, word.span, format!("`{}` holds an IP address or host port: EXPOSE only declares the container port (`{kept}`); the mapping is `docker run -p`'s job", word.text))
                        .with_fix(fix),
                );
            }
        }
    }
}
