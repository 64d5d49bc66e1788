//! DL3066 user-not-numeric: USER by name rather than by number.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Keyword, unquote};

crate::declare_rule! {
    pub struct UserNotNumeric {
        code: "DL3066",
        name: "user-not-numeric",
        summary: "USER by name: tools outside the image (Kubernetes' runAsNonRoot) can check only a number.",
        severity: Info,
        fixable: false,
    }
}

impl Rule for UserNotNumeric {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::User {
                continue;
            }
            let user = ctx.model.states[i].expand(&unquote(inst.args()));
            let name = user.split(':').next().unwrap_or(&user);
            if name.is_empty() || name.contains('$') || name.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let hint = match ctx.model.states[i].uid_gid() {
                Some((uid, gid)) => {
                    format!("`USER {uid}:{gid}` (this file creates `{name}` with that id)")
                }
                None => "the numeric id (`USER 10001:10001`)".to_string(),
            };
            out.push(
                self.finding(
                    inst.args_span(),
                    format!("`USER {user}` names the user: the host and orchestrators see only ids, so they cannot tell whether `{name}` is root"),
                )
                .with_help(format!("write {hint}")),
            );
        }
    }
}
