//! BK010 invalid-base-image-platform (BuildKit's `InvalidBaseImagePlatform`): the base image
//! is for another platform than the stage asks for. BuildKit compares the platform of the
//! image it pulled; offline, dlint can decide only the case where the image name itself says
//! its architecture (Docker Hub's per-architecture namespaces such as `arm64v8/alpine`) and
//! FROM asks for another with a constant `--platform`.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct InvalidBaseImagePlatform {
        code: "BK010",
        name: "invalid-base-image-platform",
        summary: "The base image is built for another architecture than FROM --platform asks for.",
        severity: Error,
        fixable: false,
        aliases: ["InvalidBaseImagePlatform"],
    }
}

/// Docker Hub namespaces that hold one architecture's builds of the official images.
const ARCH_NAMESPACES: [(&str, &str); 10] = [
    ("amd64", "amd64"),
    ("arm64v8", "arm64"),
    ("arm32v7", "arm"),
    ("arm32v6", "arm"),
    ("arm32v5", "arm"),
    ("i386", "386"),
    ("ppc64le", "ppc64le"),
    ("s390x", "s390x"),
    ("riscv64", "riscv64"),
    ("mips64le", "mips64le"),
];

impl Rule for InvalidBaseImagePlatform {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for from in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            let (Some(flag), Some(base)) = (
                from.flag("platform"),
                super::arg_words(from).into_iter().next(),
            ) else {
                continue;
            };
            let Some(platform) = flag.value.as_deref().filter(|v| !v.contains('$')) else {
                continue;
            };
            let Some(wanted) = super::from_platform_flag_const_disallowed::architecture(platform)
            else {
                continue;
            };
            let image = base.text.strip_prefix("docker.io/").unwrap_or(&base.text);
            let Some((namespace, _)) = image.split_once('/') else {
                continue;
            };
            let Some(&(_, actual)) = ARCH_NAMESPACES.iter().find(|(n, _)| *n == namespace) else {
                continue;
            };
            if actual != wanted {
                out.push(Diagnostic::for_rule(
                    &meta,
                    base.span,
                    format!(
                        "`{}` holds {actual} images, but FROM asks for platform `{platform}`",
                        base.text
                    ),
                ));
            }
        }
    }
}
