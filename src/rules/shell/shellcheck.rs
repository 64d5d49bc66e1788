//! SC shellcheck: ShellCheck's findings in RUN scripts, each under its own SC code, at its
//! place in the Dockerfile, with ShellCheck's suggested fixes as unsafe edits.

use super::codes::{intern, wiki_url};
use super::runner::{self, Comment, Outcome, Replacement};
use super::script::{self, ShellScript};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct ShellCheck {
        code: "SC",
        name: "shellcheck",
        summary: "ShellCheck's findings in RUN scripts and shell heredocs, reported under their SC codes.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for ShellCheck {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        // Without ShellCheck the rule costs nothing but the notice.
        if runner::program().is_none() {
            runner::notice_missing();
            return;
        }
        let mut scripts = script::scripts(ctx.text(), ctx.syntax, ctx.model, &ctx.installs().runs);
        if scripts.is_empty() {
            return;
        }
        leave_out_beyond_the_limit(ctx, &mut scripts);
        let texts: Vec<&str> = scripts.iter().map(|s| s.text.as_str()).collect();
        let Some(reports) = runner::check(&texts) else {
            runner::notice_missing();
            return;
        };
        let escape = ctx.syntax.escape;
        let start = out.len();
        for (script, outcome) in scripts.iter().zip(reports) {
            let comments = match outcome {
                Outcome::Checked(comments) => comments,
                Outcome::TooLarge => {
                    note_left_out(
                        ctx,
                        script,
                        &format!(
                            "its script of {} KiB is above the {} KiB ShellCheck takes",
                            script.text.len() >> 10,
                            runner::MAX_SCRIPT_BYTES >> 10
                        ),
                    );
                    continue;
                }
                Outcome::NotChecked => continue,
            };
            let lines = LineStarts::new(&script.text);
            for comment in comments.iter() {
                if let Some(d) = finding(self.meta().name, script, &lines, comment, ctx, escape) {
                    out.push(d);
                }
            }
        }
        // A heredoc body checked as data of its command line and as a script of its own can
        // give the same finding twice.
        let mut seen = std::collections::HashSet::new();
        let mut i = start;
        while i < out.len() {
            if seen.insert((out[i].span, out[i].code)) {
                i += 1;
            } else {
                out.remove(i);
            }
        }
    }
}

/// Print a note on stderr once per run: `dlint fix` lints a file again after each round of
/// fixes, and the same RUN would be noted every round.
fn note_once(note: String) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let first_line = note.lines().next().unwrap_or("").to_string();
    // The key is the place and the kind of note, not the size a fix may change by a few bytes.
    let key = match first_line.split_once(": ShellCheck") {
        Some((place, rest)) => format!("{place}{}", rest.chars().take(20).collect::<String>()),
        None => first_line,
    };
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if !said.contains(&key) {
        said.push(key);
        eprintln!("{note}");
    }
}

/// Say on stderr how many RUNs are left out beyond [`runner::MAX_SCRIPTS_PER_FILE`].
fn leave_out_beyond_the_limit(ctx: &Context, scripts: &mut Vec<ShellScript>) {
    if let Some((instruction, count)) = script::keep_first_distinct(scripts) {
        note_once(format!(
            "dlint: {}:{}: ShellCheck checks at most {} distinct scripts per file; {count} \
             scripts from here on are not checked",
            ctx.source.path.display(),
            ctx.syntax.instructions[instruction].start_line,
            runner::MAX_SCRIPTS_PER_FILE,
        ));
    }
}

/// Say on stderr that ShellCheck did not check a RUN, and why.
fn note_left_out(ctx: &Context, script: &ShellScript, why: &str) {
    note_once(format!(
        "dlint: {}:{}: ShellCheck did not check this RUN: {why}",
        ctx.source.path.display(),
        ctx.syntax.instructions[script.instruction].start_line
    ));
}

/// Script offsets of line starts, and ShellCheck's (line, character column) to byte offsets.
struct LineStarts<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineStarts<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts { text, starts }
    }

    /// Byte offset of 1-based `line` and character `column`; a column past the end of the
    /// line is its end.
    fn offset(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let line_text = &self.text[start..end];
        let skip = column.saturating_sub(1);
        Some(
            start
                + line_text
                    .char_indices()
                    .nth(skip)
                    .map_or(line_text.len(), |(i, _)| i),
        )
    }
}

fn severity(level: &str) -> Severity {
    match level {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => Severity::Style,
    }
}

fn finding(
    rule: &'static str,
    script: &ShellScript,
    lines: &LineStarts,
    comment: &Comment,
    ctx: &Context,
    escape: char,
) -> Option<Diagnostic> {
    let start = lines.offset(comment.line, comment.column)?;
    let end = lines
        .offset(comment.end_line, comment.end_column)?
        .max(start);
    // Findings about dlint's own lines (the shebang and the variables) are not the author's.
    let span = script.file_span(start, end)?;
    let code = intern(&format!("SC{}", comment.code));
    let fix = comment
        .fix
        .as_ref()
        .and_then(|f| edits(script, lines, &f.replacements, ctx.text(), escape))
        .map(|edits| {
            Fix::unsafe_(
                "apply ShellCheck's suggested change (unsafe: quoting or rewriting a command \
                 changes how the shell expands and runs it)",
                edits,
            )
        });
    Some(
        Diagnostic::new(code, rule, severity(&comment.level), span, &comment.message)
            .with_help(format!("see {}", wiki_url(code)))
            .with_fix(fix),
    )
}

/// ShellCheck's replacements as Dockerfile edits, or None when any of them does not map
/// exactly: it crosses a line continuation or dlint's own lines, adds a line break outside a
/// heredoc, or would leave the escape character at a line end (a new continuation).
fn edits(
    script: &ShellScript,
    lines: &LineStarts,
    replacements: &[Replacement],
    text: &str,
    escape: char,
) -> Option<Vec<Edit>> {
    let mut edits = Vec::with_capacity(replacements.len());
    for r in replacements {
        let start = lines.offset(r.line, r.column)?;
        let end = lines.offset(r.end_line, r.end_column)?;
        if end < start {
            return None;
        }
        let exact = script.exact(start, end, r.insertion_point == "afterEnd")?;
        let breaks_line = r.replacement.contains(['\n', '\r']);
        let next_is_line_end = matches!(text.as_bytes().get(exact.span.end), Some(b'\n' | b'\r'));
        if (breaks_line && !exact.in_heredoc)
            || (r.replacement.ends_with(escape) && next_is_line_end)
        {
            return None;
        }
        edits.push(Edit::replace(exact.span, r.replacement.clone()));
    }
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let overlapping = edits
        .windows(2)
        .any(|w| w[1].span.start < w[0].span.end || w[1].span == w[0].span);
    (!edits.is_empty() && !overlapping).then_some(edits)
}
