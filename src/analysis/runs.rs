//! The shell commands of every RUN instruction, with spans in the file: the shell-form command
//! line (Docker's logical line, mapped back through continuations) and heredoc bodies that are
//! shell scripts.

use std::sync::Arc;

use crate::analysis::model::Model;
use crate::shell::{self, Script, SimpleCommand, ValuePiece, Word};
use crate::source::Span;
use crate::syntax::{Dockerfile, Instruction, Keyword, LogicalLine, heredoc_openers};

/// One RUN instruction's commands.
#[derive(Debug)]
pub struct Run {
    /// Index into `Dockerfile::instructions`.
    pub instruction: usize,
    /// In execution order; spans are file offsets.
    pub commands: Vec<SimpleCommand>,
    pub has_errors: bool,
    /// Indices into the instruction's `heredocs` of the bodies that run as shell scripts
    /// (`RUN <<EOF`, `RUN bash <<EOF`, without a non-shell shebang).
    pub script_heredocs: Vec<usize>,
}

/// Analyse every RUN that runs a POSIX shell (shell form). Exec-form RUNs and RUNs under a
/// non-POSIX `SHELL` (PowerShell, cmd) are left out: their text is not a shell script.
pub fn analyse(df: &Dockerfile, model: &Model) -> Vec<Run> {
    df.instructions
        .iter()
        .enumerate()
        .filter(|(i, inst)| {
            inst.keyword == Keyword::Run && !inst.json && model.states[*i].posix_shell()
        })
        .map(|(i, inst)| analyse_run(i, inst))
        .collect()
}

fn analyse_run(index: usize, inst: &Instruction) -> Run {
    let line = inst.args();
    // Every opener Docker sees, also those whose body is missing (an unterminated heredoc is
    // reported as a syntax error; the shell view still reads the line).
    let openers = if line.contains("<<") {
        heredoc_openers(line).unwrap_or_default()
    } else {
        Vec::new()
    };
    let delimiters: Vec<&str> = openers.iter().map(|o| o.name.as_str()).collect();
    let script = shell::parse_command_line(line, &delimiters);
    let mut has_errors = script.has_errors;
    let offset = inst.args_start;
    let logical = &inst.logical;
    let mut commands = map_script(
        script,
        &|s| logical.span(s.start + offset, s.end + offset),
        &|p, out| split_piece(logical, offset, p, out),
    );
    let mut script_heredocs = Vec::new();
    for (heredoc_index, heredoc) in inst.heredocs.iter().enumerate() {
        if !body_is_script(line, &commands, &heredoc.name)
            || !shell::heredoc_is_shell(&heredoc.content)
        {
            continue;
        }
        script_heredocs.push(heredoc_index);
        let base = heredoc.body_span.start;
        let body = shell::parse_script_cached(&heredoc.content);
        has_errors |= body.has_errors;
        let shift = |s: Span| Span::new(s.start + base, s.end + base);
        commands.extend(map_script(body, &shift, &|p, out| {
            out.push(ValuePiece {
                text: shift(p.text),
                ..p
            });
        }));
    }
    Run {
        instruction: index,
        commands,
        has_errors,
        script_heredocs,
    }
}

/// `RUN <<EOF` (the command line is only heredoc openers) runs the body as the script, and so
/// does a shell reading its script from the heredoc (`RUN bash <<EOF`).
fn body_is_script(line: &str, commands: &[SimpleCommand], name: &str) -> bool {
    if only_heredoc_openers(line) {
        return true;
    }
    commands.iter().any(|c| {
        let is_shell = c.name().is_some_and(|n| {
            let base = n.rsplit('/').next().unwrap_or(n);
            matches!(base, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh")
        });
        is_shell
            && c.words.len() == 1
            && c.redirects.iter().any(|r| {
                r.operator.starts_with("<<") && r.target.as_ref().is_some_and(|t| t.value == name)
            })
    })
}

/// Whether a RUN command line is nothing but heredoc openers (`<<EOF`, `<<-'EOF'`): the heredoc
/// body is then the script itself, and text put on the command line would not run before it
/// (`cmd && <<EOF` makes the body the input of an empty command).
pub fn only_heredoc_openers(line: &str) -> bool {
    line.split_whitespace().all(|w| {
        let w = w.trim_start_matches(|c: char| c.is_ascii_digit());
        w.starts_with("<<")
    })
}

/// A value piece's script bytes, in the file, pushed to `out`. An exact run that crosses a
/// continuation is split at the join so every piece stays one to one with the file.
fn split_piece(logical: &LogicalLine, offset: usize, piece: ValuePiece, out: &mut Vec<ValuePiece>) {
    let (start, end) = (piece.text.start + offset, piece.text.end + offset);
    if !piece.exact {
        out.push(ValuePiece {
            text: logical.span(start, end),
            ..piece
        });
        return;
    }
    let before = out.len();
    for (file_span, logical_start) in logical.segments_overlapping(start, end) {
        let logical_end = logical_start + file_span.len();
        let (s, e) = (start.max(logical_start), end.min(logical_end));
        if s >= e {
            continue;
        }
        let value_start = piece.value_start + (s - start);
        out.push(ValuePiece {
            value_start,
            value_end: value_start + (e - s),
            text: Span::new(
                file_span.start + (s - logical_start),
                file_span.start + (e - logical_start),
            ),
            exact: true,
        });
    }
    if out.len() == before {
        out.push(ValuePiece {
            text: logical.span(start, end),
            ..piece
        });
    }
}

/// The commands of a script with their spans mapped into the file. A script only this RUN
/// holds (one too long for the script cache) is mapped in place; a shared one is copied first.
fn map_script(
    script: Arc<Script>,
    span: &dyn Fn(Span) -> Span,
    piece: &dyn Fn(ValuePiece, &mut Vec<ValuePiece>),
) -> Vec<SimpleCommand> {
    let mut commands = Arc::try_unwrap(script)
        .map(|owned| owned.commands)
        .unwrap_or_else(|shared| shared.commands.clone());
    let mut mapped = Vec::new();
    let mut word = |w: &mut Word| {
        w.span = span(w.span);
        mapped.clear();
        for &p in &w.pieces {
            piece(p, &mut mapped);
        }
        // Usually as many pieces as before, so the word's own vector is reused.
        w.pieces.clear();
        w.pieces.extend_from_slice(&mapped);
    };
    for c in &mut commands {
        c.span = span(c.span);
        for a in &mut c.assignments {
            a.span = span(a.span);
            a.name_span = span(a.name_span);
            if let Some(value) = &mut a.value {
                word(value);
            }
        }
        c.words.iter_mut().for_each(&mut word);
        for r in &mut c.redirects {
            r.span = span(r.span);
            if let Some(target) = &mut r.target {
                word(target);
            }
            r.heredoc_body = r.heredoc_body.map(span);
        }
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<Run> {
        let df = crate::syntax::parse(text);
        let model = Model::build(&df);
        analyse(&df, &model)
    }

    #[test]
    fn spans_cross_continuations() {
        let text = "FROM python\nRUN pip install \\\n  # comment\n    --no-cache-dir \"fla\"sk\n";
        let r = runs(text);
        let words = &r[0].commands[0].words;
        let flag = &words[2];
        assert_eq!(flag.value, "--no-cache-dir");
        assert_eq!(flag.span.text(text), "--no-cache-dir");
        let pkg = &words[3];
        assert_eq!(pkg.value, "flask");
        assert_eq!(pkg.text_span(0..5).text(text), "fla\"sk");
    }

    #[test]
    fn heredoc_scripts_and_data() {
        let text = "FROM x\nRUN <<EOF\npip install --no-cache-dir a\nEOF\nRUN cat <<EOF > /f\npip install b\nEOF\nRUN python3 <<EOF\nimport os\nEOF\n";
        let r = runs(text);
        let names: Vec<Vec<&str>> = r
            .iter()
            .map(|run| run.commands.iter().filter_map(|c| c.name()).collect())
            .collect();
        assert_eq!(names, vec![vec!["pip"], vec!["cat"], vec!["python3"]]);
        let flag = &r[0].commands[0].words[2];
        assert_eq!(flag.span.text(text), "--no-cache-dir");
    }

    #[test]
    fn powershell_is_skipped() {
        let r = runs("FROM x\nSHELL [\"powershell\", \"-Command\"]\nRUN Write-Host hi\n");
        assert!(r.is_empty());
    }
}
