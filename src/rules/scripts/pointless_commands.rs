//! DL3001 pointless-commands: interactive or system commands that do nothing useful in a build.

use super::{base_name, runs};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct PointlessCommands {
        code: "DL3001",
        name: "pointless-commands",
        summary: "RUN of a command that makes no sense in a build (ssh, vim, service, ps, top, ...).",
        severity: Info,
        fixable: false,
    }
}

/// Commands that need a terminal, a running system or another machine.
const POINTLESS: &[&str] = &[
    "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim", "ifconfig",
];

impl Rule for PointlessCommands {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for run in runs(ctx) {
            let Some(command) = run
                .commands
                .iter()
                .find(|c| base_name(c).is_some_and(|n| POINTLESS.contains(&n)))
            else {
                continue;
            };
            let name = base_name(command).unwrap_or_default();
            out.push(self.finding(
                command.words[0].span,
                format!("`{name}` makes no sense in a build: there is no terminal, no running system and no service manager while an image is built"),
            ));
        }
    }
}
