//! Suppression comments: the author's way to silence a finding in the file itself.
//!
//! A `#` starts a comment only at the start of a line, so a suppression sits on its own line:
//!
//! - `# dlint ignore=CODE[,CODE] [-- reason]`: the next instruction (other comments and blank
//!   lines may come between);
//! - `# dlint global ignore=CODE[,CODE] [-- reason]`: the whole file;
//! - `# hadolint ignore=...` and `# hadolint global ignore=...`, so files written for hadolint
//!   keep their meaning;
//! - BuildKit's `# check=skip=Name[,Name]` (or `skip=all`): as the parser directive at the top
//!   of the file it covers the whole file; as a comment before an instruction, that instruction.
//!
//! Entries are rule codes, names, or aliases (BuildKit's check names). The engine collects the
//! suppressions of a file, silences what they cover after the rules ran, and counts what each
//! entry silenced, so `DX100 unused-suppression` can report the entries that silenced nothing.

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::syntax::{Dockerfile, TokenKind};

/// Which tool's comment syntax a suppression uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Dlint,
    Hadolint,
    BuildKit,
}

/// What one entry of a suppression's list names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A rule dlint has (by code, name or alias), as its code.
    Rule(&'static str),
    /// BuildKit's `skip=all`: every rule.
    All,
    /// Nothing dlint knows: another tool's rule (hadolint's ShellCheck codes, say) or a typo.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// As written.
    pub text: String,
    pub span: Span,
    pub target: Target,
    /// The bytes that remove this entry alone, with one neighbouring separator.
    pub removal: Span,
    /// How many findings this entry silenced.
    pub silenced: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub tool: Tool,
    /// The comment or directive, without its newline.
    pub span: Span,
    /// None: the whole file. Some: findings whose primary span starts inside this span (the
    /// instruction after the comment).
    pub scope: Option<Span>,
    pub entries: Vec<Entry>,
    /// The text after ` -- `, if any: why the finding is silenced.
    pub reason: Option<String>,
    /// The bytes that remove the whole suppression (for a comment, its line with the newline).
    pub removal: Span,
}

impl Suppression {
    fn covers(&self, diag: &Diagnostic) -> bool {
        self.scope
            .is_none_or(|s| s.start <= diag.span.start && diag.span.start < s.end)
    }
}

/// A finding that a suppression silenced (verbose output lists them with the reason).
#[derive(Clone, Debug)]
pub struct Silenced {
    pub diagnostic: Diagnostic,
    /// The suppression's comment or directive.
    pub by: Span,
    pub reason: Option<String>,
}

/// Every suppression in the file, in file order.
pub fn collect(source: &SourceFile, syntax: &Dockerfile) -> Vec<Suppression> {
    let text = source.text.as_str();
    let mut out = Vec::new();
    for directive in syntax.directives.iter().filter(|d| d.name == "check") {
        let line = whole_line(source, directive.span);
        // The directive's value is `skip=...;error=...`: parse it as a `check=` comment body.
        if let Some(found) = parse_check(text, directive.value_span, line) {
            out.push(found.into_suppression(Tool::BuildKit, directive.span, None));
        }
    }
    let instruction_spans: Vec<Span> = syntax.instructions.iter().map(|i| i.span).collect();
    let inside_instruction = |at: usize| {
        let i = instruction_spans.partition_point(|s| s.end <= at);
        instruction_spans.get(i).is_some_and(|s| s.start <= at)
    };
    for (index, token) in syntax.tokens.iter().enumerate() {
        // Comment lines inside a continued instruction are part of that instruction's text.
        if token.kind != TokenKind::Comment || inside_instruction(token.span.start) {
            continue;
        }
        let Some((tool, global, found)) = parse_comment(text, token.span, source) else {
            continue;
        };
        let scope = if global {
            None
        } else {
            Some(next_instruction(syntax, index))
        };
        out.push(found.into_suppression(tool, token.span, scope));
    }
    out
}

/// Silence every finding a suppression covers, counting per entry. Returns what is kept and
/// what was silenced; `diagnostics` keep their order.
pub fn apply(
    suppressions: &mut [Suppression],
    diagnostics: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Silenced>) {
    let mut kept = Vec::with_capacity(diagnostics.len());
    let mut silenced = Vec::new();
    for diag in diagnostics {
        let mut by = None;
        for s in suppressions.iter_mut() {
            if !s.covers(&diag) {
                continue;
            }
            let mut hit = false;
            for e in &mut s.entries {
                // A ShellCheck finding answers to its own code and to the rule (`SC`).
                let names_it = match e.target {
                    Target::All => true,
                    Target::Rule(code) => {
                        crate::rules::same_finding(code, diag.code)
                            || code == crate::rules::registry_code(diag.code)
                    }
                    Target::Unknown => false,
                };
                if names_it {
                    e.silenced += 1;
                    hit = true;
                }
            }
            // Every covering suppression is credited, so none of them is reported as unused.
            if hit && by.is_none() {
                by = Some((s.span, s.reason.clone()));
            }
        }
        match by {
            Some((by, reason)) => silenced.push(Silenced {
                diagnostic: diag,
                by,
                reason,
            }),
            None => kept.push(diag),
        }
    }
    (kept, silenced)
}

/// The span a suppression before token `index` covers: the instruction that starts at the next
/// instruction text, or (for a line that did not parse, which has no instruction) that text.
fn next_instruction(syntax: &Dockerfile, index: usize) -> Span {
    let Some(next) = syntax.tokens[index + 1..]
        .iter()
        .find(|t| t.kind == TokenKind::Text)
    else {
        let end = syntax.tokens.last().map_or(0, |t| t.span.end);
        return Span::empty(end);
    };
    if let Some(instruction) = syntax
        .instructions
        .iter()
        .find(|i| i.span.start <= next.span.start && next.span.start < i.span.end)
    {
        return instruction.span;
    }
    syntax
        .errors
        .iter()
        .find(|e| e.span.start == next.span.start)
        .map_or(next.span, |e| next.span.cover(e.span))
}

/// A suppression's list and reason, before its scope is known.
struct Found {
    entries: Vec<Entry>,
    reason: Option<String>,
    removal: Span,
}

impl Found {
    fn into_suppression(self, tool: Tool, span: Span, scope: Option<Span>) -> Suppression {
        Suppression {
            tool,
            span,
            scope,
            entries: self.entries,
            reason: self.reason,
            removal: self.removal,
        }
    }
}

/// The line holding `span`, from its first byte through its newline.
fn whole_line(source: &SourceFile, span: Span) -> Span {
    let line = source.lines.line_of(span.start);
    let start = source.lines.line_start(line);
    let end = if line + 1 < source.lines.line_count() {
        source.lines.line_start(line + 1)
    } else {
        source.text.len()
    };
    Span::new(start, end)
}

/// Parse a comment line (`span` covers it from `#`). Returns the tool, whether it is global,
/// and its entries.
fn parse_comment(text: &str, span: Span, source: &SourceFile) -> Option<(Tool, bool, Found)> {
    let comment = span.text(text);
    let mut at = span.start + 1;
    let rest = &comment[1..];
    let lead = rest.len() - rest.trim_start().len();
    at += lead;
    let rest = rest.trim_start();
    let line = whole_line(source, span);
    if let Some(after) = rest.strip_prefix("check") {
        let after = after.trim_start();
        let value = after.strip_prefix('=')?;
        let value_start = span.end - value.len();
        return parse_check(text, Span::new(value_start, span.end), line)
            .map(|found| (Tool::BuildKit, false, found));
    }
    let (tool, word) = if rest.starts_with("dlint") {
        (Tool::Dlint, "dlint")
    } else if rest.starts_with("hadolint") {
        (Tool::Hadolint, "hadolint")
    } else {
        return None;
    };
    let mut rest = &rest[word.len()..];
    at += word.len();
    let skip_blanks = |rest: &mut &str, at: &mut usize| {
        let trimmed = rest.trim_start();
        *at += rest.len() - trimmed.len();
        *rest = trimmed;
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    skip_blanks(&mut rest, &mut at);
    let global = match rest.strip_prefix("global") {
        Some(after) if after.starts_with([' ', '\t']) => {
            at += "global".len();
            rest = after;
            skip_blanks(&mut rest, &mut at);
            true
        }
        _ => false,
    };
    let after = rest.strip_prefix("ignore")?;
    at += "ignore".len();
    rest = after;
    skip_blanks(&mut rest, &mut at);
    rest = rest.strip_prefix('=')?;
    at += 1;
    let (list, reason) = match rest.find(" -- ") {
        Some(i) => (&rest[..i], Some(rest[i + 4..].trim().to_string())),
        None => (rest, None),
    };
    let entries = parse_list(list, at);
    if entries.is_empty() {
        return None;
    }
    let reason = reason.filter(|r| !r.is_empty());
    Some((
        tool,
        global,
        Found {
            entries,
            reason,
            removal: line,
        },
    ))
}

/// Parse BuildKit's check options (`skip=A,B;error=true`) in `value` for the `skip` list.
/// `line` is the whole line, removed when `skip` is the only option.
fn parse_check(text: &str, value: Span, line: Span) -> Option<Found> {
    let options = value.text(text);
    let mut at = value.start;
    let mut pieces = Vec::new();
    for piece in options.split(';') {
        pieces.push(Span::new(at, at + piece.len()));
        at += piece.len() + 1;
    }
    let index = pieces.iter().position(|p| {
        let (key, _) = p.text(text).split_once('=').unwrap_or((p.text(text), ""));
        key.trim().eq_ignore_ascii_case("skip")
    })?;
    let piece = pieces[index];
    let eq = piece.text(text).find('=')?;
    let list_start = piece.start + eq + 1;
    let entries = parse_list(&text[list_start..piece.end], list_start);
    if entries.is_empty() {
        return None;
    }
    // Removing the last entry removes the `skip` option with one `;`, or the whole line when
    // it is the only option.
    let removal = if pieces.len() == 1 {
        line
    } else if index + 1 < pieces.len() {
        Span::new(piece.start, pieces[index + 1].start)
    } else {
        Span::new(pieces[index - 1].end, piece.end)
    };
    Some(Found {
        entries,
        reason: None,
        removal,
    })
}

/// Split a comma-separated list starting at file offset `at` into entries with their spans.
fn parse_list(list: &str, at: usize) -> Vec<Entry> {
    let mut spans = Vec::new();
    let mut offset = at;
    for item in list.split(',') {
        let trimmed = item.trim_start();
        let start = offset + (item.len() - trimmed.len());
        let name = trimmed.trim_end();
        if !name.is_empty() {
            spans.push(Span::new(start, start + name.len()));
        }
        offset += item.len() + 1;
    }
    let mut entries: Vec<Entry> = spans
        .iter()
        .enumerate()
        .map(|(i, &span)| {
            // An entry goes with the separator after it, or the last with the one before it.
            let removal = if let Some(next) = spans.get(i + 1) {
                Span::new(span.start, next.start)
            } else if i > 0 {
                Span::new(spans[i - 1].end, span.end)
            } else {
                span
            };
            let name = &list[span.start - at..span.end - at];
            Entry {
                text: name.to_string(),
                span,
                target: target_of(name),
                removal,
                silenced: 0,
            }
        })
        .collect();
    entries.dedup_by(|a, b| a.text == b.text && a.target == b.target && a.span == b.span);
    entries
}

fn target_of(name: &str) -> Target {
    if name.eq_ignore_ascii_case("all") {
        return Target::All;
    }
    if crate::rules::shell::is_sc_code(name) {
        return Target::Rule(crate::rules::shell::codes::intern(name));
    }
    crate::rules::find(name).map_or(Target::Unknown, |m| Target::Rule(m.code))
}

/// BuildKit's `# check=` directive beyond `skip`: `error=true` makes the findings of BuildKit
/// checks errors (so they fail the run), `experimental=Name,...|all` turns on experimental
/// checks that are off by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    pub error: bool,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
}

/// Read the file's `check` directive, as BuildKit does (up to three `;`-separated
/// `key=value` options). An option BuildKit rejects is an error: the build would fail.
pub fn check_options(syntax: &Dockerfile) -> Result<CheckOptions, (Span, String)> {
    let mut options = CheckOptions::default();
    let Some(directive) = syntax.directives.iter().find(|d| d.name == "check") else {
        return Ok(options);
    };
    let value = directive.value.trim();
    if value.is_empty() {
        return Ok(options);
    }
    for part in value.splitn(3, ';') {
        let Some((key, val)) = part.split_once('=') else {
            return Err((
                directive.span,
                format!("invalid check option `{part}`: options are key=value"),
            ));
        };
        let list = |v: &str| -> Vec<String> {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        match key.trim() {
            "skip" => {}
            "error" => match val.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "t" => options.error = true,
                "false" | "0" | "f" => options.error = false,
                other => {
                    return Err((
                        directive.span,
                        format!("check option `error` takes true or false, not `{other}`"),
                    ));
                }
            },
            "experimental" if val.trim() == "all" => options.experimental_all = true,
            "experimental" => options.experimental = list(val),
            other => {
                return Err((
                    directive.span,
                    format!(
                        "unknown check option `{other}` (BuildKit knows skip, error and experimental)"
                    ),
                ));
            }
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn suppressions(text: &str) -> Vec<Suppression> {
        let source = SourceFile::new("Dockerfile", text.to_string());
        collect(&source, &crate::syntax::parse(text))
    }

    fn diag_at(text: &str, needle: &str, code: &'static str) -> Diagnostic {
        let start = text.find(needle).unwrap();
        Diagnostic::new(
            code,
            "test",
            Severity::Warning,
            Span::new(start, start + needle.len()),
            "m",
        )
    }

    #[test]
    fn dlint_comment_before_instruction_with_comments_between() {
        let text =
            "FROM a\n# dlint ignore=DL1000, syntax-error -- known\n\n# other\nRUN x\nRUN y\n";
        let s = suppressions(text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].tool, Tool::Dlint);
        assert_eq!(s[0].reason.as_deref(), Some("known"));
        let names: Vec<&str> = s[0].entries.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(names, ["DL1000", "syntax-error"]);
        assert_eq!(s[0].entries[0].span.text(text), "DL1000");
        assert_eq!(s[0].entries[1].span.text(text), "syntax-error");
        assert_eq!(s[0].entries[0].target, Target::Rule("DL1000"));
        assert_eq!(s[0].scope.unwrap().text(text), "RUN x\n");
        // Removing the first entry takes its comma and the blank after it.
        assert_eq!(s[0].entries[0].removal.text(text), "DL1000, ");
        assert_eq!(s[0].entries[1].removal.text(text), ", syntax-error");
        assert_eq!(
            s[0].removal.text(text),
            "# dlint ignore=DL1000, syntax-error -- known\n"
        );
    }

    #[test]
    fn global_and_hadolint_forms() {
        let text = "# hadolint global ignore=DL3008,SC2086\nFROM a\n#dlint global ignore=DL1000\n";
        let s = suppressions(text);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].tool, s[0].scope), (Tool::Hadolint, None));
        assert_eq!(s[0].entries[1].target, Target::Rule("SC2086"));
        assert_eq!((s[1].tool, s[1].scope), (Tool::Dlint, None));
    }

    #[test]
    fn buildkit_directive_and_comment() {
        let text = "# check=skip=syntax-error;error=true\nFROM a\n# check=skip=all\nRUN x\n";
        let s = suppressions(text);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].tool, s[0].scope), (Tool::BuildKit, None));
        assert_eq!(s[0].entries[0].target, Target::Rule("DL1000"));
        assert_eq!(s[0].removal.text(text), "skip=syntax-error;");
        assert_eq!(s[1].entries[0].target, Target::All);
        assert_eq!(s[1].scope.unwrap().text(text), "RUN x\n");
        assert_eq!(s[1].removal.text(text), "# check=skip=all\n");
    }

    #[test]
    fn not_suppressions() {
        for text in [
            "FROM a\n# dlintignore=DL1000\nRUN x\n",
            "FROM a\n# dlint ignore=\nRUN x\n",
            "FROM a\n# dlint please ignore=DL1000\nRUN x\n",
            "FROM a\n# just a comment mentioning dlint ignore=DL1000\nRUN x\n",
            // Inside a continued instruction: part of the RUN, not a suppression.
            "FROM a\nRUN a \\\n# dlint ignore=DL1000\n  b\n",
        ] {
            assert!(suppressions(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn covers_only_the_next_instruction_and_only_its_codes() {
        let text = "FROM a\n# dlint ignore=DL1000\nRUN x \\\n  y\nRUN z\n";
        let mut s = suppressions(text);
        let inside = diag_at(text, "y", "DL1000");
        let other_rule = diag_at(text, "x", "DX100");
        let later = diag_at(text, "RUN z", "DL1000");
        let (kept, silenced) = apply(&mut s, vec![inside, other_rule, later]);
        assert_eq!(silenced.len(), 1);
        assert_eq!(silenced[0].diagnostic.span.text(text), "y");
        let kept: Vec<&str> = kept.iter().map(|d| d.span.text(text)).collect();
        assert_eq!(kept, ["x", "RUN z"]);
        assert_eq!(s[0].entries[0].silenced, 1);
    }

    #[test]
    fn covers_a_line_that_did_not_parse() {
        let text = "FROM a\n# dlint ignore=DL1000\nENV PATH\n";
        let mut s = suppressions(text);
        assert_eq!(s[0].scope.unwrap().text(text), "ENV PATH");
        let (kept, _) = apply(&mut s, vec![diag_at(text, "ENV PATH", "DL1000")]);
        assert!(kept.is_empty());
    }
}
