//! Code actions: a quick fix per fixable finding (unsafe ones say so), "ignore this rule here"
//! (a `# dlint ignore=` line), and `source.fixAll.dlint`, which is `dlint fix` on the text.

use super::diagnostics::to_lsp;
use super::document::{Document, Kind};
use super::position::LineMap;
use super::workspace::{DocumentSettings, Workspace};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::source::Span;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit,
    WorkspaceEdit,
};
use std::collections::HashMap;

pub const FIX_ALL: &str = "source.fixAll.dlint";

/// Whether the client asked for actions of `kind` (no `only`: every kind).
fn wanted(params: &CodeActionParams, kind: &str) -> bool {
    match &params.context.only {
        None => true,
        Some(only) => only.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        }),
    }
}

pub fn code_actions(
    document: &Document,
    findings: &[Diagnostic],
    workspace: &mut Workspace,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let lines = document.lines();
    let mut actions = Vec::new();
    if wanted(params, CodeActionKind::QUICKFIX.as_str()) {
        for finding in findings {
            if !overlaps(lines.range(&document.text, finding.span), params.range) {
                continue;
            }
            let lsp = to_lsp(finding, document, &lines);
            if let Some(action) = quick_fix(document, &lines, finding, lsp.clone()) {
                actions.push(action);
            }
            if document.kind == Kind::Dockerfile
                && let Some(action) = ignore_here(document, &lines, finding, lsp)
            {
                actions.push(action);
            }
        }
    }
    if wanted(params, FIX_ALL)
        && document.kind == Kind::Dockerfile
        && let Some(action) = fix_all(document, workspace)
    {
        actions.push(action);
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn edit(document: &Document, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(document.uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// The finding's own fix, when it edits this text (a fix that creates a file is left to
/// `dlint fix`: the server writes nothing).
fn quick_fix(
    document: &Document,
    lines: &LineMap,
    finding: &Diagnostic,
    lsp: lsp_types::Diagnostic,
) -> Option<CodeAction> {
    let fix = finding.fix.as_ref()?;
    if fix.edits.is_empty() || fix.creates.is_some() {
        return None;
    }
    let safe = fix.applicability == Applicability::Safe;
    let title = if safe {
        format!("Fix {}: {}", finding.code, fix.description)
    } else {
        format!("Fix {} (unsafe): {}", finding.code, fix.description)
    };
    let edits = fix
        .edits
        .iter()
        .map(|e| TextEdit::new(lines.range(&document.text, e.span), e.content.clone()))
        .collect();
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp]),
        edit: Some(edit(document, edits)),
        is_preferred: Some(safe),
        ..CodeAction::default()
    })
}

/// `# dlint ignore=CODE` on its own line before the finding's instruction, or the code added to
/// a `# dlint ignore=` line already there.
fn ignore_here(
    document: &Document,
    lines: &LineMap,
    finding: &Diagnostic,
    lsp: lsp_types::Diagnostic,
) -> Option<CodeAction> {
    let text = &document.text;
    let syntax = crate::syntax::parse(text);
    let at = syntax
        .instructions
        .iter()
        .find(|i| {
            i.span.start <= finding.span.start
                && finding.span.start < i.span.end.max(i.span.start + 1)
        })
        .map_or_else(
            || {
                text[..finding.span.start.min(text.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1)
            },
            |i| i.span.start,
        );
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let code = finding.code;
    let (span, content) = match previous_ignore_line(text, line_start) {
        Some(end_of_codes) => (Span::empty(end_of_codes), format!(",{code}")),
        None => {
            let newline = if text[line_start..].contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            (
                Span::empty(line_start),
                format!("{indent}# dlint ignore={code}{newline}"),
            )
        }
    };
    Some(CodeAction {
        title: format!("Ignore {code} for this instruction"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp]),
        edit: Some(edit(
            document,
            vec![TextEdit::new(lines.range(text, span), content)],
        )),
        is_preferred: Some(false),
        ..CodeAction::default()
    })
}

/// Where the code list of a `# dlint ignore=` line just before `line_start` ends.
fn previous_ignore_line(text: &str, line_start: usize) -> Option<usize> {
    if line_start == 0 {
        return None;
    }
    let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
    let line = text[prev_start..line_start].trim_end_matches(['\n', '\r']);
    let body = line.trim_start();
    let rest = body
        .strip_prefix('#')?
        .trim_start()
        .strip_prefix("dlint ignore=")?;
    let codes_start = prev_start + (line.len() - rest.len());
    let codes_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    (codes_len > 0).then_some(codes_start + codes_len)
}

/// Every fix `dlint fix` would apply to this text, as one edit of the part that changes.
fn fix_all(document: &Document, workspace: &mut Workspace) -> Option<CodeAction> {
    let DocumentSettings::Lint(settings) = workspace.settings_for(&document.config_path()) else {
        return None;
    };
    let source = document.source();
    let syntax = crate::syntax::parse(&source.text);
    let context = workspace.context_for(document.path.as_deref(), &syntax);
    let options = crate::rules::LintOptions {
        build_context: context.as_deref(),
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::fix::fix_source(
            &source,
            &settings.selection,
            &options,
            settings.unsafe_fixes,
        )
    }))
    .ok()?;
    if !outcome.changed(&document.text) {
        return None;
    }
    let (span, replacement) = changed_part(&document.text, &outcome.text);
    let lines = document.lines();
    Some(CodeAction {
        title: "Fix all dlint findings with safe fixes".to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL)),
        edit: Some(edit(
            document,
            vec![TextEdit::new(
                lines.range(&document.text, span),
                replacement,
            )],
        )),
        ..CodeAction::default()
    })
}

/// The span of `old` that differs from `new` (common prefix and suffix left out, on character
/// boundaries), and what replaces it.
fn changed_part(old: &str, new: &str) -> (Span, String) {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    (
        Span::new(prefix, old.len() - suffix),
        new[prefix..new.len() - suffix].to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_part_is_the_middle() {
        let (span, with) = changed_part("FROM a\nRUN x\nRUN z\n", "FROM a\nRUN yy\nRUN z\n");
        assert_eq!((span, with.as_str()), (Span::new(11, 12), "yy"));
        let (span, with) = changed_part("aé", "aè");
        assert_eq!((span, with.as_str()), (Span::new(1, 3), "è"));
        let (span, with) = changed_part("abc", "abc");
        assert_eq!((span, with.as_str()), (Span::new(3, 3), ""));
    }

    #[test]
    fn an_existing_ignore_line_is_extended() {
        let text = "FROM a\n  # dlint ignore=DC001 -- why\n  RUN x\n";
        let line_start = text.find("  RUN").unwrap();
        let end = previous_ignore_line(text, line_start).unwrap();
        assert_eq!(&text[..end], "FROM a\n  # dlint ignore=DC001");
        assert_eq!(previous_ignore_line("FROM a\n# other\nRUN x\n", 15), None);
    }
}
