//! DC009 copy-missing-source: a COPY/ADD source that is not in the build context, or that
//! climbs out of it.

use crate::analysis::copies::{self, SourceKind};
use crate::context::{SourceMatch, SourceOptions, normalize_rel, resolve_source_with};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct CopyMissingSource {
        code: "DC009",
        name: "copy-missing-source",
        summary: "A COPY/ADD source does not exist in the build context, or lies outside it.",
        severity: Error,
        fixable: false,
    }
}

impl Rule for CopyMissingSource {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(build) = ctx.build_context else {
            return;
        };
        let meta = self.meta();
        let copies = copies::analyse(ctx.syntax, ctx.model);
        if !any_source_found(build, &copies) {
            return;
        }
        for copy in copies {
            if !copy.from_context() {
                continue;
            }
            let excludes: Vec<&str> = copy.excludes.iter().map(String::as_str).collect();
            let options = SourceOptions {
                excludes: &excludes,
                parents: copy.parents,
            };
            for source in copy.sources.iter().filter(|s| s.kind == SourceKind::Path) {
                let finding = |message: String| {
                    Diagnostic::new(
                        meta.code,
                        meta.name,
                        meta.default_severity,
                        source.span,
                        message,
                    )
                };
                match resolve_source_with(build, &source.expanded, &options) {
                    // BuildKit copies nothing for a wildcard that matches nothing, without an
                    // error: `COPY yarn.lock* ./` is a deliberate "if present".
                    SourceMatch::Missing { wildcard: false } if !build.truncated => {
                        let d = finding(format!(
                            "`{}` does not exist in the build context: the build fails with \"not found\"",
                            source.expanded,
                        ));
                        let d = match same_name_ignoring_case(build, &source.expanded) {
                            Some(near) => d.with_help(format!("did you mean `{near}`?")),
                            None => d.with_help(format!(
                                "the build context is {}",
                                build.root.display()
                            )),
                        };
                        out.push(d);
                    }
                    SourceMatch::OutsideContext { clamped } => out.push(
                        finding(format!(
                            "`{}` is outside the build context: the build cannot read it, and resolves it as `{}` inside the context instead",
                            source.expanded,
                            if clamped.is_empty() { "." } else { clamped.as_str() }
                        ))
                        .with_help(
                            "widen the build context (`docker build -f path/Dockerfile ..`), or move the file into it",
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// Whether some context source of the file exists: evidence that `build` is the context the
/// file is built with. Dockerfiles kept in a subdirectory are often built with the repository
/// root as context (`docker build -f docker/Dockerfile .`); when none of their sources is in
/// the directory dlint assumed, the assumption is what is wrong, not every COPY.
fn any_source_found(build: &crate::context::Context, copies: &[copies::CopyInstruction]) -> bool {
    copies
        .iter()
        .filter(|c| c.from_context())
        .flat_map(|c| &c.sources)
        .filter(|s| s.kind == SourceKind::Path)
        // `.` is every context: it proves nothing.
        .filter(|s| !normalize_rel(&s.expanded).is_empty())
        .any(|s| {
            !matches!(
                resolve_source_with(build, &s.expanded, &SourceOptions::default()),
                SourceMatch::Missing { .. } | SourceMatch::OutsideContext { .. }
            )
        })
}

/// A path in the context that differs from `source` only in letter case: the build runs on
/// Linux, where case matters, while the author's file system may not.
fn same_name_ignoring_case<'c>(
    build: &'c crate::context::Context,
    source: &str,
) -> Option<&'c str> {
    let wanted = normalize_rel(source);
    build
        .files
        .iter()
        .map(|f| f.rel_path.as_str())
        .find(|p| p.eq_ignore_ascii_case(&wanted))
}
