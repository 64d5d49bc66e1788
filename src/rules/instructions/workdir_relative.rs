//! DL3000 workdir-relative: WORKDIR with a relative path.

use super::words::arg_words;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Keyword, unquote};

crate::declare_rule! {
    pub struct WorkdirRelative {
        code: "DL3000",
        name: "workdir-relative",
        summary: "WORKDIR should be an absolute path.",
        severity: Error,
        fixable: false,
    }
}

impl Rule for WorkdirRelative {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Workdir {
                continue;
            }
            let Some((_, span)) = arg_words(inst).into_iter().next() else {
                continue;
            };
            let dir = ctx.model.states[i].expand(&unquote(inst.args()));
            if is_absolute(&dir) || dir.starts_with('$') {
                continue;
            }
            out.push(self.finding(
                span.cover(inst.args_span()),
                format!(
                    "`WORKDIR {}` is relative to the WORKDIR before it, which the base image may set: the directory depends on what came before",
                    inst.args()
                ),
            ).with_help("write the absolute path"));
        }
    }
}

/// A POSIX absolute path, or a Windows one (`C:\app`, `c:/app`, `\app`).
pub fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with(['/', '\\']) || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}
