//! The properties dlint must keep on any input, as functions that panic when one is broken.
//! The fuzz targets (`fuzz/`), the property tests and the regression tests all call these, so
//! a crashing input found by one is checked the same way by the others.
//!
//! - [`check_parse`]: the parser never panics; its tokens cover the input and print it back
//!   byte for byte; every span lies inside the text, on character boundaries.
//! - [`check_shell`]: the shell view never panics; every span lies inside the script, on
//!   character boundaries.
//! - [`check_lint_fix`]: linting with every rule never panics and reports spans inside the
//!   file; every output format can render the report; fixing (unsafe fixes included) adds no
//!   syntax error, and fixing the fixed text again changes nothing.

use crate::diagnostic::FileReport;
use crate::output::{OutputFormat, OutputOptions};
use crate::rules::{LintOptions, RuleSelection};
use crate::shell::{Script, SimpleCommand, Word};
use crate::source::{SourceFile, Span};
use crate::syntax::{Dockerfile, Instruction, TokenKind};

/// Panics unless `span` is a well-formed range of `text` on character boundaries.
#[track_caller]
pub fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside the text (length {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

/// Parse `text` and check the parser's invariants; returns the parse for further checks.
pub fn check_parse(text: &str) -> Dockerfile {
    let df = crate::syntax::parse(text);
    let mut at = 0;
    for token in &df.tokens {
        assert_eq!(token.span.start, at, "tokens must be contiguous: {token:?}");
        assert!(
            !token.span.is_empty(),
            "tokens must not be empty: {token:?}"
        );
        assert_span(text, token.span, "token");
        if token.kind == TokenKind::Newline {
            assert!(
                token.span.text(text).ends_with('\n') || token.span.end == text.len(),
                "a newline token ends a line: {token:?}"
            );
        }
        at = token.span.end;
    }
    assert_eq!(at, text.len(), "tokens must cover the whole input");
    assert_eq!(df.print(text), text, "printing the tokens gives the input");
    for error in &df.errors {
        assert_span(text, error.span, "syntax error");
    }
    for directive in &df.directives {
        assert_span(text, directive.span, "directive");
        assert_span(text, directive.value_span, "directive value");
    }
    let mut previous_end = 0;
    for inst in &df.instructions {
        assert!(
            inst.span.start >= previous_end,
            "instructions are in order and do not overlap"
        );
        previous_end = inst.span.end;
        check_instruction(text, inst);
    }
    let _ = crate::syntax::buildkit_record("fuzz", &df);
    let _ = crate::syntax::sexp_dump(&df);
    df
}

fn check_instruction(text: &str, inst: &Instruction) {
    assert_span(text, inst.span, "instruction");
    assert!(
        inst.start_line >= 1 && inst.start_line <= inst.end_line,
        "lines {}..{}",
        inst.start_line,
        inst.end_line
    );
    let inside = |span: Span, what: &str| {
        assert_span(text, span, what);
        assert!(
            inst.span.contains(span),
            "{what} {span:?} outside its instruction {:?}",
            inst.span
        );
    };
    inside(inst.keyword_span, "keyword");
    assert!(inst.args_start <= inst.args_end && inst.args_end <= inst.logical.text.len());
    inside(inst.args_span(), "arguments");
    for (span, _) in inst.logical.segments() {
        inside(span, "logical line segment");
    }
    for flag in &inst.flags {
        inside(flag.span, "flag");
        inside(flag.name_span, "flag name");
        if let Some(v) = flag.value_span {
            inside(v, "flag value");
        }
    }
    for pair in &inst.pairs {
        inside(pair.span, "pair");
        inside(pair.key_span, "pair key");
        if let Some(v) = pair.value_span {
            inside(v, "pair value");
        }
    }
    for heredoc in &inst.heredocs {
        inside(heredoc.marker_span, "heredoc marker");
        inside(heredoc.body_span, "heredoc body");
        inside(heredoc.terminator_span, "heredoc terminator");
        assert_eq!(heredoc.body_span.text(text), heredoc.content);
    }
    if !inst.logical.text.is_empty() {
        let end = inst.text_end();
        assert!(end <= inst.span.end, "text_end inside the instruction");
    }
    if let Some(inner) = &inst.inner {
        check_instruction(text, inner);
    }
}

/// Parse `text` as a shell script and check that every span lies inside it.
pub fn check_shell(text: &str) -> Script {
    let script = crate::shell::parse_script(text);
    for command in &script.commands {
        check_command(text, command);
    }
    script
}

fn check_command(text: &str, command: &SimpleCommand) {
    assert_span(text, command.span, "command");
    for a in &command.assignments {
        assert_span(text, a.span, "assignment");
        assert_span(text, a.name_span, "assignment name");
        if let Some(value) = &a.value {
            check_word(text, value);
        }
    }
    for word in &command.words {
        check_word(text, word);
    }
    for r in &command.redirects {
        assert_span(text, r.span, "redirect");
        if let Some(target) = &r.target {
            check_word(text, target);
        }
        if let Some(body) = r.heredoc_body {
            assert_span(text, body, "redirect heredoc body");
        }
    }
}

fn check_word(text: &str, word: &Word) {
    assert_span(text, word.span, "word");
    let mut value_at = 0;
    for piece in &word.pieces {
        assert_span(text, piece.text, "word piece");
        assert_eq!(
            piece.value_start, value_at,
            "pieces cover the value in order"
        );
        assert!(piece.value_start <= piece.value_end && piece.value_end <= word.value.len());
        value_at = piece.value_end;
    }
    if !word.pieces.is_empty() {
        assert_eq!(value_at, word.value.len(), "pieces cover the whole value");
    }
    let whole = word.text_span(0..word.value.len());
    assert_span(text, whole, "word text span");
}

/// Lint `text` with every rule, render the report in every format, and fix it (unsafe fixes
/// included) twice: the second fix must change nothing.
pub fn check_lint_fix(text: &str) {
    let df = check_parse(text);
    let selection = RuleSelection::default();
    let source = SourceFile::new("Dockerfile", text.to_string());
    let diagnostics = crate::rules::lint_parsed(&source, &df, &selection, &LintOptions::default());
    for d in &diagnostics {
        assert_span(text, d.span, d.code);
        for r in &d.related {
            assert_span(text, r.span, d.code);
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert_span(text, e.span, d.code);
            }
        }
    }
    let model = crate::analysis::model::Model::build(&df);
    for run in crate::analysis::runs::analyse(&df, &model) {
        for command in &run.commands {
            check_command(text, command);
        }
    }
    let reports = [FileReport {
        source: &source,
        diagnostics,
    }];
    let rules = crate::rules::all_meta();
    let options = OutputOptions {
        color: true,
        show_fixes_hint: true,
        unsafe_fixes_enabled: true,
        show_source: true,
        files_failed: false,
    };
    for format in OutputFormat::ALL {
        let mut out = Vec::new();
        crate::output::write_report(format, &mut out, &reports, &rules, &options)
            .expect("writing to memory");
    }

    let lint = |t: &str| {
        crate::rules::lint(
            &SourceFile::new("Dockerfile", t.to_string()),
            &selection,
            &LintOptions::default(),
        )
    };
    let first = crate::fix::fix_until_stable(text, true, &lint);
    if first.text != text {
        let before = df.errors.len();
        let after = check_parse(&first.text).errors.len();
        assert!(
            after <= before,
            "fixing added syntax errors ({before} -> {after}):\n{}",
            first.text
        );
        let second = crate::fix::fix_until_stable(&first.text, true, &lint);
        assert_eq!(
            second.text, first.text,
            "fixing a fixed file changed it again"
        );
    }
}
