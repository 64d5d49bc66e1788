//! DC010 dockerignore-leaves-heavy: a `.dockerignore` exists but lets `.git` or
//! `node_modules` through a broad COPY, although the build does not use them.

use crate::analysis::copies::{self, Shape, SourceKind};
use crate::diagnostic::Diagnostic;
use crate::rules::context::missing_dockerignore::Sent;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct DockerignoreLeavesHeavy {
        code: "DC010",
        name: "dockerignore-leaves-heavy",
        summary: "The .dockerignore lets `.git` or `node_modules` through a COPY of `.` or a directory, though the build does not use them.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for DockerignoreLeavesHeavy {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(build) = ctx.build_context else {
            return;
        };
        let Some(ignore_file) = &build.ignore_file else {
            return; // DC007's case
        };
        let meta = self.meta();
        let all = copies::analyse(ctx.syntax, ctx.model);
        let unused = unused_heavy_dirs(ctx, &all);
        if unused.is_empty() {
            return;
        }
        let ignore_name = ignore_file
            .file_name()
            .map_or_else(|| ".dockerignore".into(), |n| n.to_string_lossy());
        for copy in all.iter().filter(|c| c.from_context()) {
            for source in copy.sources.iter().filter(|s| s.kind == SourceKind::Path) {
                if source.shape(Some(build)) != Shape::Dir {
                    continue;
                }
                let rel = source.context_path();
                let found: Vec<String> = build.files
                    [crate::context::Context::descendants(&build.files, &rel)]
                .iter()
                .filter(|f| f.is_dir)
                .filter(|f| {
                    let mut parts = f.rel_path.rsplit('/');
                    let name = parts.next().unwrap_or("");
                    // The top one only: no `node_modules/x/node_modules`.
                    unused.contains(&name) && !parts.any(|p| p == "node_modules" || p == ".git")
                })
                .map(|f| f.rel_path.clone())
                .collect();
                if found.is_empty() {
                    continue;
                }
                let sizes: Vec<String> = found
                    .iter()
                    .map(|d| format!("`{d}/` ({})", Sent::of(build, d).describe()))
                    .collect();
                out.push(
                    Diagnostic::new(
                        meta.code,
                        meta.name,
                        meta.default_severity,
                        source.span,
                        format!(
                            "{ignore_name} does not exclude {}, so `{}` sends it: {}; any change there (a commit, a local install) re-runs this COPY and every step after it",
                            found
                                .iter()
                                .map(|d| format!("`{d}/`"))
                                .collect::<Vec<_>>()
                                .join(" and "),
                            source.written,
                            sizes.join("; ")
                        ),
                    )
                    .with_help(format!(
                        "add {} to {ignore_name}",
                        found
                            .iter()
                            .map(|d| format!("`{}`", d.rsplit('/').next().unwrap_or(d)))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    )),
                );
            }
        }
    }
}

/// Which of `.git` and `node_modules` this build does not use: `.git` unless a RUN runs git or
/// a COPY names it; `node_modules` when the image installs its own (a Node install runs) and
/// no COPY names it.
fn unused_heavy_dirs(ctx: &Context, all: &[copies::CopyInstruction]) -> Vec<&'static str> {
    let named = |dir: &str| {
        all.iter().any(|c| {
            c.sources
                .iter()
                .any(|s| s.context_path().split('/').any(|p| p == dir))
        })
    };
    let installs = ctx.installs();
    let runs_git = installs.runs.iter().any(|r| {
        r.commands.iter().any(|c| {
            c.name()
                .is_some_and(|n| n.rsplit('/').next() == Some("git"))
        })
    }) || ctx
        .syntax
        .instructions
        .iter()
        .any(|i| i.keyword == Keyword::Run && i.json && i.args().contains("git"));
    let node_install = installs
        .uses
        .iter()
        .any(|u| u.invocation.is_install() && u.manager().ecosystem() == "node");
    let mut unused = Vec::new();
    if !runs_git && !named(".git") {
        unused.push(".git");
    }
    if node_install && !named("node_modules") {
        unused.push("node_modules");
    }
    unused
}
