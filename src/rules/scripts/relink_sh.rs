//! DL4005 relink-sh: replacing /bin/sh with `ln` instead of using SHELL.

use super::{base_name, runs};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct RelinkSh {
        code: "DL4005",
        name: "relink-sh",
        summary: "RUN links /bin/sh to another shell: use SHELL to choose RUN's shell.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for RelinkSh {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for run in runs(ctx) {
            let relink = run.commands.iter().find(|c| {
                base_name(c) == Some("ln") && c.args().last().is_some_and(|w| w.value == "/bin/sh")
            });
            if let Some(command) = relink {
                out.push(
                    self.finding(
                        command.span,
                        "this replaces /bin/sh for every program in the image, not only for RUN",
                    )
                    .with_help("use `SHELL [\"/bin/bash\", \"-c\"]` to run the following RUNs with another shell"),
                );
            }
        }
    }
}
