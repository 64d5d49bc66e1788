//! DC012 manifest-above-system-install: a COPY of dependency manifests placed above a system
//! package install that does not read them, so each manifest change re-runs the slow system
//! install too.

use crate::analysis::copies::{self, CopyInstruction, SourceKind};
use crate::analysis::runs::Run;
use crate::context::glob::go_match;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::knowledge::commands::reads_no_source;
use crate::knowledge::{Action, knowledge};
use crate::rules::cache::copy_before_install::{line_start, matches_a_manifest, shorten};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct ManifestAboveSystemInstall {
        code: "DC012",
        name: "manifest-above-system-install",
        summary: "A COPY of dependency manifests comes before a system package install that does not read them, so each manifest change re-runs the system install.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for ManifestAboveSystemInstall {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let installs = ctx.installs();
        let insts = &ctx.syntax.instructions;
        for copy in copies::analyse(ctx.syntax, ctx.model) {
            let Some(stage) = ctx.model.stage_of(copy.instruction) else {
                continue;
            };
            if !copies_only_manifests(ctx, &copy) {
                continue;
            }
            let dest = copy.destination(ctx.syntax, ctx.model);
            // The first system install below, with nothing in between that may read the
            // manifests or change where the COPY writes.
            let mut found = None;
            for (index, inst) in insts
                .iter()
                .enumerate()
                .take(stage.body.end)
                .skip(copy.instruction + 1)
            {
                match inst.keyword {
                    Keyword::Run => {
                        let Some(run) = installs.runs.iter().find(|r| r.instruction == index)
                        else {
                            break;
                        };
                        if !system_only(run, &dest) {
                            break;
                        }
                        if let Some(install) = run.commands.iter().find(|c| {
                            let argv: Vec<&str> =
                                c.words.iter().map(|w| w.value.as_str()).collect();
                            knowledge().classify(&argv).is_some_and(|inv| {
                                inv.is_install() && inv.manager.ecosystem() == "os"
                            })
                        }) {
                            found = Some((index, install.span));
                            break;
                        }
                    }
                    Keyword::Env
                    | Keyword::Arg
                    | Keyword::Label
                    | Keyword::Expose
                    | Keyword::Maintainer
                    | Keyword::Cmd
                    | Keyword::Entrypoint
                    | Keyword::Healthcheck
                    | Keyword::Stopsignal => {}
                    _ => break,
                }
            }
            let Some((run_index, install)) = found else {
                continue;
            };
            let copy_inst = &insts[copy.instruction];
            let names: Vec<&str> = copy.sources.iter().map(|s| s.written.as_str()).collect();
            let text = ctx.text();
            let fix = move_below(text, copy_inst.span, insts[run_index].span);
            out.push(
                Diagnostic::new(
                    meta.code,
                    meta.name,
                    meta.default_severity,
                    Span::new(copy_inst.span.start, copy_inst.text_end()),
                    format!(
                        "this COPY of {} comes before `{}`, which does not read {}: every change to {} re-runs the system install too",
                        names.join(", "),
                        shorten(install.text(text)),
                        if names.len() == 1 { "it" } else { "them" },
                        names.join(", ")
                    ),
                )
                .with_related(install, "re-runs on every manifest change")
                .with_help("copy the manifests after the system packages are installed, just before the install that reads them")
                .with_fix(Some(Fix::safe("move this COPY below the system install", fix))),
            );
        }
    }
}

/// A COPY from the build context of manifest files only (by their names in the knowledge
/// table), with nothing the build could expand differently elsewhere.
fn copies_only_manifests(ctx: &Context, copy: &CopyInstruction) -> bool {
    let inst = &ctx.syntax.instructions[copy.instruction];
    if !copy.from_context() || !inst.heredocs.is_empty() || inst.args().contains('$') {
        return false;
    }
    let k = knowledge();
    !copy.sources.is_empty()
        && copy.sources.iter().all(|s| {
            let path = s.context_path();
            let name = path.rsplit('/').next().unwrap_or(&path);
            s.kind == SourceKind::Path
                && !name.is_empty()
                && (matches_a_manifest(name)
                    || k.managers()
                        .iter()
                        .filter(|m| m.ecosystem() != "os")
                        .flat_map(|m| m.manifests())
                        .filter_map(|m| m.rsplit('/').next())
                        .any(|m| m == name || go_match(m, name).unwrap_or(false)))
        })
}

/// Whether a RUN only installs system packages (refreshes, installs and cleans up with the
/// system package manager) and runs commands that read no project file and write nowhere near
/// `dest`: the COPY can then come after it without changing the image.
fn system_only(run: &Run, dest: &str) -> bool {
    !run.has_errors
        && run.commands.iter().all(|c| {
            let argv: Vec<&str> = c.words.iter().map(|w| w.value.as_str()).collect();
            if argv.is_empty() {
                return true;
            }
            if let Some(inv) = knowledge().classify(&argv) {
                return inv.manager.ecosystem() == "os"
                    && matches!(inv.action, Action::Install | Action::Refresh | Action::Wipe);
            }
            reads_no_source(&argv)
                && argv[1..].iter().filter(|a| a.starts_with('/')).all(|a| {
                    !crate::analysis::mounts::Mount::covers_path(a, dest)
                        && !crate::analysis::mounts::Mount::covers_path(dest, a)
                })
        })
}

/// Edits moving the instruction at `copy` (its whole lines) to just after `run`.
fn move_below(text: &str, copy: Span, run: Span) -> Vec<Edit> {
    let start = line_start(text, copy.start);
    let newline = if text[..copy.end].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut moved = String::new();
    let mut at = run.end;
    if !text[..run.end].ends_with('\n') {
        moved.push_str(newline);
        at = text.len().max(run.end);
    }
    moved.push_str(&text[start..copy.end]);
    if !moved.ends_with('\n') {
        moved.push_str(newline);
    }
    vec![
        Edit::replace(Span::new(start, copy.end), ""),
        Edit::insert(at, moved),
    ]
}
