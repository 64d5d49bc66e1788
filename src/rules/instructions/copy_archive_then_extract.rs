//! DL3010 copy-archive-then-extract: COPY of an archive that a later RUN unpacks with tar.

use crate::analysis::copies;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct CopyArchiveThenExtract {
        code: "DL3010",
        name: "copy-archive-then-extract",
        summary: "COPY of a local archive that a later RUN unpacks: ADD unpacks it in one step.",
        severity: Info,
        fixable: false,
    }
}

const TAR_ENDINGS: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
];

impl Rule for CopyArchiveThenExtract {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let runs = ctx.runs();
        for copy in copies::analyse(ctx.syntax, ctx.model) {
            let inst = &ctx.syntax.instructions[copy.instruction];
            if inst.keyword != Keyword::Copy || !copy.from_context() {
                continue;
            }
            let stage = ctx.model.states[copy.instruction].stage;
            for source in &copy.sources {
                let lower = source.expanded.to_ascii_lowercase();
                if !TAR_ENDINGS.iter().any(|e| lower.ends_with(e)) {
                    continue;
                }
                let file = source
                    .expanded
                    .rsplit('/')
                    .next()
                    .unwrap_or(&source.expanded);
                let extracted = runs
                    .iter()
                    .filter(|r| {
                        r.instruction > copy.instruction
                            && ctx.model.states[r.instruction].stage == stage
                    })
                    .any(|r| {
                        r.commands.iter().any(|c| {
                            c.name() == Some("tar")
                                && c.args().iter().any(|a| a.value.ends_with(file))
                        })
                    });
                if extracted {
                    out.push(self.finding(
                        source.span,
                        format!("`{file}` is copied and then unpacked by tar: the archive stays in the COPY layer, so the image holds it twice"),
                    ).with_help("`ADD` unpacks a local tar archive itself, in one layer"));
                }
            }
        }
    }
}
