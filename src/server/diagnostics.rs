//! Linting an open document and turning dlint's findings into LSP diagnostics: severity, code,
//! source `dlint`, ranges in UTF-16 columns, related locations and the rule's documentation URL.

use super::document::{Document, Kind};
use super::position::LineMap;
use super::workspace::{DocumentSettings, Workspace};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::LintOptions;
use crate::source::Span;
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Position, Range, Url,
};
use std::panic::{AssertUnwindSafe, catch_unwind};

pub const SOURCE: &str = "dlint";

/// What linting a document gave: dlint's findings (spans in the document's text), and problems
/// of the server itself (configuration that does not load, a crash), shown at the top.
#[derive(Default)]
pub struct Linted {
    pub findings: Vec<Diagnostic>,
    pub problems: Vec<Problem>,
}

pub struct Problem {
    pub code: &'static str,
    pub message: String,
}

/// Tests make the lint panic with this environment variable: when set, a document containing
/// its value panics inside the catch (as a bug in a rule would).
const PANIC_MARKER_VAR: &str = "DLINT_SERVER_TEST_PANIC";

pub fn lint(document: &Document, workspace: &mut Workspace) -> Linted {
    let settings = match workspace.settings_for(&document.config_path()) {
        DocumentSettings::Lint(settings) => settings,
        DocumentSettings::Excluded => return Linted::default(),
        DocumentSettings::Invalid(message) => {
            return Linted {
                findings: Vec::new(),
                problems: vec![Problem {
                    code: "invalid-configuration",
                    message: format!("dlint: invalid configuration: {message}"),
                }],
            };
        }
    };
    let workspace = &*workspace;
    let result = catch_unwind(AssertUnwindSafe(|| {
        if let Some(marker) = std::env::var_os(PANIC_MARKER_VAR)
            && document.text.contains(&*marker.to_string_lossy())
        {
            panic!("test panic requested by {PANIC_MARKER_VAR}");
        }
        match document.kind {
            Kind::Dockerfile => lint_dockerfile(document, workspace, &settings),
            Kind::Compose => super::compose::lint(document, workspace, &settings),
        }
    }));
    match result {
        Ok(linted) => linted,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Linted {
                findings: Vec::new(),
                problems: vec![Problem {
                    code: "internal-error",
                    message: format!(
                        "dlint crashed while linting this file ({what}); no findings are shown. \
                         This is a bug in dlint: please report it with the file."
                    ),
                }],
            }
        }
    }
}

fn lint_dockerfile(
    document: &Document,
    workspace: &Workspace,
    settings: &crate::config::resolve::FileSettings,
) -> Linted {
    let source = document.source();
    let syntax = crate::syntax::parse(&source.text);
    let context = workspace.context_for(document.path.as_deref(), &syntax);
    let options = LintOptions {
        build_context: context.as_deref(),
    };
    let linted = crate::rules::lint_file(&source, &syntax, &settings.selection, &options);
    Linted {
        findings: linted.diagnostics,
        problems: Vec::new(),
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Style => DiagnosticSeverity::HINT,
    }
}

/// The documentation URL of a rule dlint has; ShellCheck's wiki page for an SC code.
pub fn rule_url(code: &str) -> Option<Url> {
    if crate::rules::shell::is_sc_code(code) {
        return Url::parse(&crate::rules::shell::codes::wiki_url(code)).ok();
    }
    crate::rules::registry()
        .iter()
        .any(|r| r.meta().code == code)
        .then(|| Url::parse(&crate::rules::doc_url(code)).ok())
        .flatten()
}

pub fn to_lsp(finding: &Diagnostic, document: &Document, lines: &LineMap) -> lsp_types::Diagnostic {
    let range = |span: Span| lines.range(&document.text, span);
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(document.uri.clone(), range(r.span)),
            message: r.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(finding.span),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.to_string())),
        code_description: rule_url(finding.code).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: (finding.code == crate::rules::meta::unused_suppression::CODE)
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

pub fn problem_to_lsp(problem: &Problem) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(problem.code.to_string())),
        source: Some(SOURCE.to_string()),
        message: problem.message.clone(),
        ..lsp_types::Diagnostic::default()
    }
}

/// Every LSP diagnostic of a lint, findings first.
pub fn all_to_lsp(linted: &Linted, document: &Document) -> Vec<lsp_types::Diagnostic> {
    let lines = document.lines();
    linted
        .findings
        .iter()
        .map(|f| to_lsp(f, document, &lines))
        .chain(linted.problems.iter().map(problem_to_lsp))
        .collect()
}
