//! DL3026 untrusted-registry: FROM an image of a registry the configuration does not trust.

use super::image::{Base, ImageRef, base};
use super::words::arg_words;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Keyword, unquote};

crate::declare_rule! {
    pub struct UntrustedRegistry {
        code: "DL3026",
        name: "untrusted-registry",
        summary: "FROM an image of a registry not in `trusted-registries`.",
        severity: Error,
        fixable: false,
    }
}

/// Names of Docker Hub: an image without a registry comes from there.
const DOCKER_HUB: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "hub.docker.com",
];

impl Rule for UntrustedRegistry {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let trusted: Vec<String> = ctx.option("trusted-registries").unwrap_or_default();
        if trusted.is_empty() {
            return;
        }
        for stage in &ctx.model.stages {
            let inst = &ctx.syntax.instructions[stage.from];
            let Some((written, span)) = arg_words(inst).into_iter().next() else {
                continue;
            };
            match base(stage) {
                Base::NotPulled => {}
                Base::Unresolved(image) => {
                    let mut d = self.finding(
                        span,
                        format!("the image `{image}` comes from a build argument without a default: its registry is decided at build time, and dlint cannot check it"),
                    );
                    d.severity = Severity::Info;
                    out.push(d);
                }
                Base::Image(image) => {
                    let registry = image.registry_or_hub();
                    if trusted.iter().any(|t| is_trusted(t, registry)) {
                        continue;
                    }
                    let shown = if written == stage.base {
                        String::new()
                    } else {
                        format!(" (`{written}`)")
                    };
                    out.push(
                        self.finding(
                            span,
                            format!(
                                "`{}`{shown} comes from `{registry}`, which is not a trusted registry ({})",
                                stage.base,
                                trusted.join(", ")
                            ),
                        )
                        .with_help("pull it through a trusted registry, or add the registry to `trusted-registries`"),
                    );
                }
            }
        }
        self.check_copy_from(ctx, &trusted, out);
    }
}

impl UntrustedRegistry {
    /// `COPY --from=<image>` pulls an image too: judge its registry like FROM's.
    fn check_copy_from(&self, ctx: &Context, trusted: &[String], out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Copy {
                continue;
            }
            let Some(flag) = inst.flag("from") else {
                continue;
            };
            let value = ctx.model.states[i].expand(&unquote(flag.value.as_deref().unwrap_or("")));
            let is_stage = ctx.model.stages.iter().any(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&value))
            });
            if is_stage || value.contains('$') || value.parse::<usize>().is_ok() {
                continue;
            }
            let registry = ImageRef::parse(&value).registry_or_hub();
            if !trusted.iter().any(|t| is_trusted(t, registry)) {
                out.push(self.finding(
                    flag.span,
                    format!("`--from={value}` pulls from `{registry}`, which is not a trusted registry ({})", trusted.join(", ")),
                ));
            }
        }
    }
}

/// `trusted` names `registry`: the same host (any Docker Hub name for Docker Hub), or a
/// `*.example.com` pattern matching a subdomain.
fn is_trusted(trusted: &str, registry: &str) -> bool {
    let hub = |r: &str| DOCKER_HUB.iter().any(|h| h.eq_ignore_ascii_case(r));
    if trusted.eq_ignore_ascii_case(registry) || (hub(trusted) && hub(registry)) || trusted == "*" {
        return true;
    }
    // Byte arithmetic through `get`: a registry name with non-ASCII text must not panic.
    trusted.strip_prefix("*.").is_some_and(|domain| {
        let Some(split) = registry.len().checked_sub(domain.len() + 1) else {
            return false;
        };
        registry.get(split..split + 1) == Some(".")
            && registry
                .get(split + 1..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(domain))
    })
}

#[cfg(test)]
mod tests {
    use super::is_trusted;

    #[test]
    fn trusted_names() {
        assert!(is_trusted("docker.io", "index.docker.io"));
        assert!(is_trusted("*.example.com", "eu.example.com"));
        assert!(!is_trusted("*.example.com", "example.com"));
        assert!(!is_trusted("*.example.com", "badexample.com"));
        assert!(!is_trusted("*.é.com", "xé.com"));
        assert!(!is_trusted("*.example.com", "ü"));
    }
}
