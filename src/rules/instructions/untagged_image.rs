//! DL3006 untagged-image: FROM an image without a tag or digest.

use super::image::{Base, base, from_default};
use super::words::arg_words;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct UntaggedImage {
        code: "DL3006",
        name: "untagged-image",
        summary: "FROM an image without a tag or digest pulls whatever `latest` is that day.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for UntaggedImage {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for stage in &ctx.model.stages {
            let inst = &ctx.syntax.instructions[stage.from];
            let Some((written, span)) = arg_words(inst).into_iter().next() else {
                continue;
            };
            match base(stage) {
                Base::NotPulled => {}
                Base::Unresolved(image) => {
                    // Only a name wholly left to build time is unknown; `${IMAGE}:1.2`
                    // has its tag whatever the variable holds.
                    let tail = image.rsplit('/').next().unwrap_or(image);
                    if tail.contains(':') || image.contains('@') {
                        continue;
                    }
                    let mut d = self.finding(
                        span,
                        format!(
                            "the image `{written}` comes from a build argument without a default: whether it has a tag is decided at build time, and dlint cannot check it"
                        ),
                    );
                    d.severity = Severity::Info;
                    out.push(d.with_help("give the ARG a default with a tag, or pass a tagged image with --build-arg"));
                }
                Base::Image(image) if image.tag.is_none() && image.digest.is_none() => {
                    let origin = if from_default(written, &stage.base) {
                        format!(" (`{written}` with its ARG defaults is `{}`)", stage.base)
                    } else {
                        String::new()
                    };
                    out.push(
                        self.finding(
                            span,
                            format!(
                                "`{}` has no tag{origin}: the build pulls `latest`, which changes under you",
                                stage.base
                            ),
                        )
                        .with_help("name a tag (`python:3.12-slim`) or a digest (`@sha256:...`)"),
                    );
                }
                Base::Image(_) => {}
            }
        }
    }
}
