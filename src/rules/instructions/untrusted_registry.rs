//! DL3026 untrusted-registry: FROM an image of a registry the configuration does not trust.

use super::image::{Base, base};
use super::words::arg_words;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, Declared, Rule};

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
    }
}

/// `trusted` names `registry`: the same host (any Docker Hub name for Docker Hub), or a
/// `*.example.com` pattern matching a subdomain.
fn is_trusted(trusted: &str, registry: &str) -> bool {
    let hub = |r: &str| DOCKER_HUB.iter().any(|h| h.eq_ignore_ascii_case(r));
    if trusted.eq_ignore_ascii_case(registry) || (hub(trusted) && hub(registry)) || trusted == "*" {
        return true;
    }
    trusted.strip_prefix("*.").is_some_and(|domain| {
        registry.len() > domain.len() + 1
            && registry[registry.len() - domain.len()..].eq_ignore_ascii_case(domain)
            && registry.as_bytes()[registry.len() - domain.len() - 1] == b'.'
    })
}
