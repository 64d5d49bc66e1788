//! DL3002 last-user-root: the final stage's last USER is root.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Keyword, unquote};

crate::declare_rule! {
    pub struct LastUserRoot {
        code: "DL3002",
        name: "last-user-root",
        summary: "The image's last USER is root, so its processes run as root.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for LastUserRoot {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(last) = ctx.model.stages.last() else {
            return;
        };
        let last_user = last
            .body
            .clone()
            .rev()
            .map(|i| (i, &ctx.syntax.instructions[i]))
            .find(|(_, inst)| inst.keyword == Keyword::User);
        let Some((i, inst)) = last_user else {
            return;
        };
        let user = ctx.model.states[i].expand(&unquote(inst.args()));
        let name = user.split(':').next().unwrap_or(&user);
        if name == "root" || name == "0" {
            out.push(
                self.finding(
                    inst.args_span(),
                    format!(
                        "the image's last USER is `{}`: containers from it run as root unless the runtime says otherwise",
                        inst.args()
                    ),
                )
                .with_help("switch to an unprivileged user after the steps that need root"),
            );
        }
    }
}
