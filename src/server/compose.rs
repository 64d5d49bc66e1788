//! A Compose file open in the editor: what dlint finds that is written in it. That is the
//! Dockerfiles written inline (`dockerfile_inline:`), linted with the service's build context
//! and placed at their lines, and the build arguments that defeat a cache (DC002). Dockerfiles
//! in files of their own are linted when they are opened.

use super::diagnostics::{Linted, Problem};
use super::document::Document;
use super::workspace::Workspace;
use crate::compose::ServiceBuild;
use crate::config::resolve::FileSettings;
use crate::diagnostic::Diagnostic;
use crate::rules::LintOptions;
use crate::source::{SourceFile, Span};

pub fn lint(document: &Document, workspace: &Workspace, settings: &FileSettings) -> Linted {
    let builds = match crate::compose::service_builds(&document.text) {
        Ok(builds) => builds,
        Err(message) => {
            return Linted {
                findings: Vec::new(),
                problems: vec![Problem {
                    code: "invalid-compose-file",
                    message: format!("dlint cannot read this Compose file: {message}"),
                }],
            };
        }
    };
    let compose = document.source();
    let compose_path = document.config_path();
    let mut findings = Vec::new();
    for build in &builds {
        let root = document.path.as_ref().and_then(|p| build.context_dir(p));
        let dockerfile = if let Some((inline, line)) = &build.dockerfile_inline {
            let text = "\n".repeat(line.saturating_sub(1)) + inline;
            let source = SourceFile::new(compose_path.clone(), text);
            let syntax = crate::syntax::parse(&source.text);
            let context = root
                .clone()
                .and_then(|root| workspace.service_context(root, &compose_path, &syntax));
            let options = LintOptions {
                build_context: context.as_deref(),
            };
            let linted = crate::rules::lint_file(&source, &syntax, &settings.selection, &options);
            findings.extend(
                linted
                    .diagnostics
                    .into_iter()
                    .filter_map(|d| placed_in_compose(d, &source.text, &document.text)),
            );
            Some(syntax)
        } else {
            build
                .dockerfile_path(&compose_path)
                .and_then(|path| crate::discover::read_text(&path).ok())
                .map(|text| crate::syntax::parse(&text))
        };
        if let Some(syntax) = dockerfile
            && settings.selection.is_enabled("DC002")
        {
            findings.extend(build_arg_findings(build, &compose, &syntax));
        }
    }
    findings.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
    findings.dedup();
    Linted {
        findings,
        problems: Vec::new(),
    }
}

fn build_arg_findings(
    build: &ServiceBuild,
    compose: &SourceFile,
    dockerfile: &crate::syntax::Dockerfile,
) -> Vec<Diagnostic> {
    crate::rules::cache::pip_no_cache_dir_env::compose_build_arg_findings(
        build, compose, dockerfile,
    )
}

/// A finding in an inline Dockerfile, moved into the Compose file: same line, columns shifted
/// by the block's indentation. Its fix is dropped (edits would need the YAML's quoting).
fn placed_in_compose(mut finding: Diagnostic, inline: &str, compose: &str) -> Option<Diagnostic> {
    let inline_lines = crate::source::LineIndex::new(inline);
    let compose_lines = crate::source::LineIndex::new(compose);
    let place = |offset: usize| -> Option<usize> {
        let line = inline_lines.line_of(offset);
        let column = offset - inline_lines.line_start(line);
        if line >= compose_lines.line_count() {
            return None;
        }
        let start = compose_lines.line_start(line);
        let end = compose[start..]
            .find('\n')
            .map_or(compose.len(), |i| start + i);
        let indent = compose[start..end].len() - compose[start..end].trim_start().len();
        let mut at = (start + indent + column).min(end);
        while !compose.is_char_boundary(at) {
            at -= 1;
        }
        Some(at)
    };
    finding.span = Span::new(place(finding.span.start)?, place(finding.span.end)?);
    for related in &mut finding.related {
        related.span = Span::new(place(related.span.start)?, place(related.span.end)?);
    }
    finding.fix = None;
    Some(finding)
}
