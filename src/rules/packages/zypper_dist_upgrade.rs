//! DL3035 zypper-dist-upgrade: `zypper dist-upgrade` in a build.

use super::{commands, diagnostic, manager};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct ZypperDistUpgrade {
        code: "DL3035",
        name: "zypper-dist-upgrade",
        summary: "`zypper dist-upgrade` moves the image to whatever distribution release the repositories hold at build time.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for ZypperDistUpgrade {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let upgrades = &manager("zypper").lint().distribution_upgrade;
        for cmd in commands(ctx, "zypper") {
            if !cmd.subcommand_in(upgrades) {
                continue;
            }
            out.push(diagnostic(
                &meta,
                cmd.head_span(),
                format!(
                    "`{}` upgrades the whole distribution at build time: use a newer base image, or `zypper update` for the packages you need",
                    cmd.shown()
                ),
            ));
        }
    }
}
