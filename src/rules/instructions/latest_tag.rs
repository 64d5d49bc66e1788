//! DL3007 latest-tag: FROM an image with the `latest` tag.

use super::image::{Base, base, from_default};
use super::words::arg_words;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct LatestTag {
        code: "DL3007",
        name: "latest-tag",
        summary: "FROM an image tagged `latest`, which moves whenever a new version is pushed.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for LatestTag {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for stage in &ctx.model.stages {
            let inst = &ctx.syntax.instructions[stage.from];
            let Some((written, span)) = arg_words(inst).into_iter().next() else {
                continue;
            };
            // A tag left to a build argument without default is a deliberate choice made
            // at build time: nothing to judge (DL3006 reports names left wholly unknown).
            let Base::Image(image) = base(stage) else {
                continue;
            };
            if image.tag != Some("latest") || image.digest.is_some() {
                continue;
            }
            let origin = if from_default(written, &stage.base) {
                format!(" (from the ARG default: `{written}` is `{}`)", stage.base)
            } else {
                String::new()
            };
            out.push(
                self.finding(
                    span,
                    format!(
                        "`{}` uses the `latest` tag{origin}: the image changes whenever a new version is pushed, and builds stop being repeatable",
                        stage.base
                    ),
                )
                .with_help("pin a release tag, or a digest"),
            );
        }
    }
}
