//! DL3004 sudo: RUN with sudo.

use super::{base_name, runs};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct Sudo {
        code: "DL3004",
        name: "sudo",
        summary: "RUN with sudo: switch users with USER instead.",
        severity: Error,
        fixable: false,
    }
}

impl Rule for Sudo {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for run in runs(ctx) {
            if let Some(command) = run.commands.iter().find(|c| base_name(c) == Some("sudo")) {
                out.push(
                    self.finding(
                        command.words[0].span,
                        "`sudo` in a build: it needs a configured sudoers file and a terminal, and hides which user the step runs as",
                    )
                    .with_help("run the step under `USER root` and switch back with USER; at run time use a tool like gosu"),
                );
            }
        }
    }
}
