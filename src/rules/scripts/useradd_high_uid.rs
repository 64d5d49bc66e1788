//! DL3046 useradd-high-uid: `useradd` with a large uid and without `-l`.

use super::{base_name, has_option, runs};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct UseraddHighUid {
        code: "DL3046",
        name: "useradd-high-uid",
        summary: "`useradd` with a large uid and without `-l` writes huge sparse log files into the image.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for UseraddHighUid {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for run in runs(ctx) {
            for command in run
                .commands
                .iter()
                .filter(|c| base_name(c) == Some("useradd"))
            {
                if has_option(command, &['l'], &["no-log-init"]) {
                    continue;
                }
                let args = command.args();
                let uid = args
                    .iter()
                    .enumerate()
                    .find_map(|(i, w)| match w.value.as_str() {
                        "-u" | "--uid" => args.get(i + 1).map(|v| v.value.as_str()),
                        v => v
                            .strip_prefix("--uid=")
                            .or_else(|| v.strip_prefix("-u").filter(|r| !r.is_empty())),
                    });
                let Some(uid) =
                    uid.filter(|u| u.len() > 5 && u.bytes().all(|b| b.is_ascii_digit()))
                else {
                    continue;
                };
                // `-l` only stops useradd from writing lastlog and faillog records: the
                // account is the same.
                let fix = Fix::safe(
                    "add `-l` (`--no-log-init`)",
                    vec![Edit::insert(command.words[0].span.end, " -l")],
                );
                out.push(
                    self.finding(
                        command.words[0].span,
                        format!("`useradd` with uid {uid} and without `-l`: lastlog and faillog are indexed by uid, so the image gets sparse files of gigabytes"),
                    )
                    .with_fix(Some(fix)),
                );
            }
        }
    }
}
