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
        // The final stage's last USER, or (without one) the one it inherits from the stage
        // it is built on.
        let mut stage = ctx.model.stages.last();
        let mut last_user = None;
        while let Some(st) = stage {
            last_user = st
                .body
                .clone()
                .rev()
                .map(|i| (i, &ctx.syntax.instructions[i]))
                .find(|(_, inst)| inst.keyword == Keyword::User);
            if last_user.is_some() {
                break;
            }
            stage = st.base_stage.map(|b| &ctx.model.stages[b]);
        }
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
