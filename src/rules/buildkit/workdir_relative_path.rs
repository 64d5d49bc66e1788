//! BK007 workdir-relative-path (BuildKit's `WorkdirRelativePath`): the first WORKDIR of a
//! stage (and of the stages it builds on) is relative, so it depends on the base image's.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct WorkdirRelativePath {
        code: "BK007",
        name: "workdir-relative-path",
        summary: "A relative WORKDIR before any absolute one depends on the base image's working directory.",
        severity: Warning,
        fixable: false,
        aliases: ["WorkdirRelativePath"],
    }
}

impl Rule for WorkdirRelativePath {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        // Whether each stage has set a working directory by its end (inherited by stages
        // built on it).
        let mut set_at_end: Vec<bool> = Vec::with_capacity(ctx.model.stages.len());
        for stage in &ctx.model.stages {
            let mut set = stage
                .base_stage
                .is_some_and(|b| set_at_end.get(b).copied().unwrap_or(false));
            for index in stage.body.clone() {
                let inst = &ctx.syntax.instructions[index];
                if inst.keyword != Keyword::Workdir {
                    continue;
                }
                if !set && let Some(raw) = inst.values.first() {
                    let before = &ctx.model.states[index - 1];
                    let path = before.expand(raw);
                    let unresolved = path.contains('$');
                    if !unresolved && !path.starts_with('/') && !is_windows_absolute(&path) {
                        out.push(
                            Diagnostic::for_rule(
                                &meta,
                                inst.args_span(),
                                format!("relative WORKDIR `{raw}` lands wherever the base image's working directory is, which can change with the base image"),
                            )
                            .with_help("make the first WORKDIR of the stage absolute"),
                        );
                    }
                }
                set = true;
            }
            set_at_end.push(set);
        }
    }
}

fn is_windows_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
        || path.starts_with('\\')
}
