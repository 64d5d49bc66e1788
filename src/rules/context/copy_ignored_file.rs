//! DC008 copy-ignored-file: a COPY/ADD source that `.dockerignore` keeps out of the build
//! context (BuildKit's check `CopyIgnoredFile`).

use crate::analysis::copies::{self, SourceKind};
use crate::context::{SourceMatch, SourceOptions, resolve_source_with};
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct CopyIgnoredFile {
        code: "DC008",
        name: "copy-ignored-file",
        summary: "A COPY/ADD source is excluded by .dockerignore, so the build fails or copies nothing.",
        severity: Error,
        fixable: false,
        aliases: ["CopyIgnoredFile"],
    }
}

impl Rule for CopyIgnoredFile {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(build) = ctx.build_context else {
            return;
        };
        let meta = self.meta();
        let ignore_name = build
            .ignore_file
            .as_deref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| ".dockerignore".to_string());
        for copy in copies::analyse(ctx.syntax, ctx.model) {
            if !copy.from_context() {
                continue;
            }
            let excludes: Vec<&str> = copy.excludes.iter().map(String::as_str).collect();
            let options = SourceOptions {
                excludes: &excludes,
                parents: copy.parents,
            };
            for source in copy.sources.iter().filter(|s| s.kind == SourceKind::Path) {
                let entries = match resolve_source_with(build, &source.expanded, &options) {
                    SourceMatch::OnlyIgnored(entries) => entries,
                    // The context root is reported only when the ignore file leaves nothing
                    // of it: then the copy brings in nothing at all.
                    SourceMatch::Files(files)
                        if files.is_empty()
                            && !build.excluded.is_empty()
                            && crate::context::normalize_rel(&source.expanded).is_empty() =>
                    {
                        out.push(
                            Diagnostic::new(
                                meta.code,
                                meta.name,
                                meta.default_severity,
                                source.span,
                                format!(
                                    "`{}` is the whole build context, but {ignore_name} excludes everything in it: this copies nothing",
                                    source.expanded
                                ),
                            )
                            .with_help(format!(
                                "add exceptions (`!path`) to {ignore_name} for what the image needs"
                            )),
                        );
                        continue;
                    }
                    _ => continue,
                };
                let wildcard = source
                    .expanded
                    .split('/')
                    .any(crate::context::glob::has_wildcard);
                let consequence = if wildcard {
                    "the wildcard matches nothing that is sent, so nothing is copied"
                } else {
                    "the build fails with \"not found\""
                };
                let culprit = entries
                    .first()
                    .map(|&i| build.excluded[i].rel_path.as_str())
                    .and_then(|path| build.ignore.deciding_pattern(path));
                let by = match culprit {
                    Some(p) => format!("{ignore_name} line {} (`{}`)", p.line, p.raw.trim()),
                    None => ignore_name.clone(),
                };
                out.push(
                    Diagnostic::new(
                        meta.code,
                        meta.name,
                        meta.default_severity,
                        source.span,
                        format!(
                            "`{}` is excluded from the build context by {by}: {consequence}",
                            source.expanded
                        ),
                    )
                    .with_help(format!(
                        "remove the pattern from {ignore_name}, add an exception (`!{}`) after it, or stop copying the file",
                        crate::context::normalize_rel(&source.expanded)
                    )),
                );
            }
        }
    }
}
