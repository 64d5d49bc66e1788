//! DL3015 apt-install-recommends: `apt-get install` without `--no-install-recommends`.

use super::{commands, diagnostic, insert_after_subcommand, manager};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct AptInstallRecommends {
        code: "DL3015",
        name: "apt-install-recommends",
        summary: "`apt-get install` also installs every recommended package unless told `--no-install-recommends`.",
        severity: Info,
        fixable: true,
    }
}

impl Rule for AptInstallRecommends {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let Some(policy) = &manager("apt").lint().recommends else {
            return;
        };
        for cmd in commands(ctx, "apt") {
            if !cmd.subcommand_in(&policy.commands)
                || cmd.has_flag(&policy.flags, None)
                || cmd
                    .argv
                    .iter()
                    .any(|w| policy.settings.iter().any(|s| s == w))
            {
                continue;
            }
            let flag = &policy.flags[0];
            let fix = insert_after_subcommand(
                &cmd,
                flag,
                false,
                format!(
                    "add `{flag}` (unsafe: packages that were only recommended are no longer installed, and something in the image may rely on them)"
                ),
            );
            out.push(
                diagnostic(
                    &meta,
                    cmd.head_span(),
                    format!(
                        "`{}` also installs the packages these recommend: add `{flag}` and name the ones you need",
                        cmd.shown()
                    ),
                )
                .with_fix(fix),
            );
        }
    }
}
