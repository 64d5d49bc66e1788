//! DL3029 from-platform and DL3065 from-platform-target: FROM's `--platform` flag.

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    pub struct FromPlatform {
        code: "DL3029",
        name: "from-platform",
        summary: "FROM with a hard-coded `--platform` builds for that platform whatever the build asks for.",
        severity: Warning,
        fixable: false,
    }
}

crate::declare_rule! {
    pub struct FromPlatformTarget {
        code: "DL3065",
        name: "from-platform-target",
        summary: "`FROM --platform=$TARGETPLATFORM` says what FROM does anyway.",
        severity: Warning,
        fixable: true,
        aliases: ["RedundantTargetPlatform"],
    }
}

fn platform_flags<'a>(
    ctx: &'a Context,
) -> impl Iterator<Item = (&'a Instruction, &'a crate::syntax::Flag, &'a str)> {
    ctx.syntax
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
        .filter_map(|i| {
            let flag = i.flag("platform")?;
            Some((i, flag, flag.value.as_deref().unwrap_or("")))
        })
}

impl Rule for FromPlatform {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (_, flag, value) in platform_flags(ctx) {
            // `$BUILDPLATFORM`, `$TARGETPLATFORM` and any build argument leave the choice
            // to the build: the usual cross-compilation pattern.
            if value.contains('$') {
                continue;
            }
            out.push(
                self.finding(
                    flag.span,
                    format!("`--platform={value}` fixes the platform: the stage is built for it whatever `docker build --platform` asks"),
                )
                .with_help("drop it, or use `--platform=$BUILDPLATFORM` for a stage that runs on the build machine"),
            );
        }
    }
}

impl Rule for FromPlatformTarget {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (inst, flag, value) in platform_flags(ctx) {
            if !matches!(
                crate::syntax::unquote(value).as_str(),
                "$TARGETPLATFORM" | "${TARGETPLATFORM}"
            ) {
                continue;
            }
            // A global `ARG TARGETPLATFORM=...` makes the flag mean that default instead.
            let redefined = ctx.syntax.instructions.iter().any(|i| {
                i.keyword == Keyword::Arg
                    && i.pairs
                        .iter()
                        .any(|p| p.key == "TARGETPLATFORM" && p.value.is_some())
            });
            if redefined {
                continue;
            }
            // Delete the flag and the blanks after it, on its own line.
            let text = ctx.text();
            let mut end = flag.span.end;
            while end < text.len() && matches!(text.as_bytes()[end], b' ' | b'\t') {
                end += 1;
            }
            let fix = (end < inst.span.end).then(|| {
                Fix::safe(
                    "remove `--platform=$TARGETPLATFORM` (FROM uses the target platform by default)",
                    vec![Edit::delete(crate::source::Span::new(flag.span.start, end))],
                )
            });
            out.push(
                self.finding(
                    flag.span,
                    "`--platform=$TARGETPLATFORM` is what FROM does without the flag",
                )
                .with_fix(fix),
            );
        }
    }
}
