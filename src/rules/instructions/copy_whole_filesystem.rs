//! DL3067 copy-whole-filesystem: `COPY --from=stage / ...` copies another stage's whole root.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Keyword, unquote};

crate::declare_rule! {
    pub struct CopyWholeFilesystem {
        code: "DL3067",
        name: "copy-whole-filesystem",
        summary: "`COPY --from` of `/`: the whole filesystem of another stage or image.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for CopyWholeFilesystem {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Copy || inst.flag("from").is_none() {
                continue;
            }
            let Some((_, sources)) = inst.values.split_last() else {
                continue;
            };
            let state = &ctx.model.states[i];
            if sources
                .iter()
                .any(|s| matches!(state.expand(&unquote(s)).as_str(), "/" | "/." | "/*"))
            {
                out.push(
                    self.finding(
                        inst.args_span(),
                        "this copies the whole filesystem of another stage: every file of its base image and build tools comes along",
                    )
                    .with_help("copy only the directories the image needs (`/app`, `/usr/local/bin/tool`)"),
                );
            }
        }
    }
}
