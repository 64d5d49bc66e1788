//! The scripts ShellCheck reads, built from dlint's exact view of each RUN: the shell-form
//! command line (continuations joined, comment lines dropped, as the shell gets it), heredoc
//! bodies that run as scripts, a shebang naming the dialect, and the build's variables. Every
//! byte that comes from the Dockerfile keeps its file offset, so each finding maps back exactly.

use crate::analysis::model::Model;
use crate::analysis::runs::{Run, only_heredoc_openers};
use crate::source::Span;
use crate::syntax::{Dockerfile, Heredoc, Instruction, Keyword};
use std::collections::BTreeSet;

/// The shells ShellCheck understands, as RUN's `SHELL` or a heredoc's shebang names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sh,
    Bash,
    Dash,
    /// Checked as dash by ShellCheck (busybox's shell too).
    Ash,
    Ksh,
}

impl Dialect {
    /// The dialect of a program (`/bin/bash`, `sh.exe`, `mksh`); None for shells ShellCheck
    /// does not check (zsh, fish, PowerShell, cmd, ...).
    pub fn of_program(program: &str) -> Option<Dialect> {
        let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
        let base = base.to_ascii_lowercase();
        Some(match base.trim_end_matches(".exe") {
            "sh" => Dialect::Sh,
            "bash" => Dialect::Bash,
            "dash" => Dialect::Dash,
            "ash" | "busybox" => Dialect::Ash,
            "ksh" | "mksh" | "ksh93" => Dialect::Ksh,
            _ => return None,
        })
    }

    /// The dialect a shebang line (without `#!`) names: `/bin/bash -e`, `/usr/bin/env sh`,
    /// `/bin/busybox sh`.
    pub fn of_shebang(line: &str) -> Option<Dialect> {
        let mut words = line.split_whitespace();
        let mut program = words.next()?;
        let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
        if base(program) == "env" {
            program = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
        }
        if base(program) == "busybox" {
            return words.next().map_or(Some(Dialect::Ash), Dialect::of_program);
        }
        Dialect::of_program(program)
    }

    fn shebang(self) -> &'static str {
        match self {
            Dialect::Sh => "#!/bin/sh\n",
            Dialect::Bash => "#!/bin/bash\n",
            Dialect::Dash => "#!/bin/dash\n",
            Dialect::Ash => "#!/bin/ash\n",
            Dialect::Ksh => "#!/bin/ksh\n",
        }
    }
}

/// A stretch of the script copied from the file byte for byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    script: usize,
    file: usize,
    len: usize,
    /// In a heredoc body, where a fix may add lines.
    heredoc: bool,
}

/// One script for ShellCheck and the map from its bytes back to the Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellScript {
    /// Index into `Dockerfile::instructions` of its RUN.
    pub instruction: usize,
    pub text: String,
    /// Sorted by `script`; bytes between pieces (shebang, variables, joins) are dlint's own.
    pieces: Vec<Piece>,
}

/// Where a range of a script sits in the file, when it was copied whole from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exact {
    pub span: Span,
    pub in_heredoc: bool,
}

impl ShellScript {
    fn piece_at(&self, at: usize) -> Option<&Piece> {
        let i = self
            .pieces
            .partition_point(|p| p.script <= at)
            .checked_sub(1)?;
        let piece = &self.pieces[i];
        (at < piece.script + piece.len).then_some(piece)
    }

    /// The file span of script range `[start, end)`: from the file byte of `start` to just
    /// past the file byte of `end - 1`. None when `start` is not from the file.
    pub fn file_span(&self, start: usize, end: usize) -> Option<Span> {
        let first = self.piece_at(start)?;
        let file_start = first.file + (start - first.script);
        if end <= start {
            return Some(Span::empty(file_start));
        }
        let file_end = self
            .piece_at(end - 1)
            .map_or(file_start + 1, |p| p.file + (end - 1 - p.script) + 1);
        Some(Span::new(file_start, file_end.max(file_start)))
    }

    /// The file bytes of script range `[start, end)` when the range lies inside one copied
    /// piece, so replacing them changes exactly those script bytes. An empty range at the
    /// join of two pieces belongs to the piece before it when `after_end` (an insertion that
    /// ends a word), otherwise to the piece after it.
    pub fn exact(&self, start: usize, end: usize, after_end: bool) -> Option<Exact> {
        let piece = if start == end && after_end && start > 0 {
            self.piece_at(start - 1)
                .filter(|p| p.script + p.len == start)
                .or_else(|| self.piece_at(start))?
        } else if start == end {
            self.piece_at(start).or_else(|| {
                self.piece_at(start.checked_sub(1)?)
                    .filter(|p| p.script + p.len == start)
            })?
        } else {
            self.piece_at(start)?
        };
        if end > piece.script + piece.len || start < piece.script {
            return None;
        }
        let file_start = piece.file + (start - piece.script);
        Some(Exact {
            span: Span::new(file_start, file_start + (end - start)),
            in_heredoc: piece.heredoc,
        })
    }
}

struct Builder {
    text: String,
    pieces: Vec<Piece>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            text: String::new(),
            pieces: Vec::new(),
        }
    }

    fn own(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Copy file text starting at `file`, leaving out the `\r` of CRLF line ends (the shell
    /// would read it as part of the word; Dockerfiles edited on Windows have them throughout).
    fn copy(&mut self, text: &str, file: usize, heredoc: bool) {
        let mut at = 0;
        for (i, _) in text.match_indices("\r\n") {
            self.copy_exact(&text[at..i], file + at, heredoc);
            at = i + 1;
        }
        self.copy_exact(&text[at..], file + at, heredoc);
    }

    fn copy_exact(&mut self, text: &str, file: usize, heredoc: bool) {
        if text.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            script: self.text.len(),
            file,
            len: text.len(),
            heredoc,
        });
        self.text.push_str(text);
    }

    fn ends_line(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn finish(self, instruction: usize) -> ShellScript {
        ShellScript {
            instruction,
            text: self.text,
            pieces: self.pieces,
        }
    }
}

/// BuildKit's predefined proxy arguments: every RUN can rely on them.
const PREDEFINED: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Up to this many variables in effect, all of them are declared to ShellCheck, as hadolint
/// does (ShellCheck's "did you mean" advice, SC2153, compares a name with every one declared);
/// beyond it, only those the script mentions, so a stage inheriting thousands of ENVs does not
/// make every script as long as all of them.
const ALL_VARIABLES_UP_TO: usize = 500;

/// How many declarations of all variables one file's scripts may have in total (a real file:
/// tens of RUNs with tens of variables); beyond it, scripts declare only what they mention.
const ALL_VARIABLES_PER_FILE: usize = 20_000;

/// The variables a RUN can rely on, as shell lines: every ARG and ENV in effect (with the ARGs
/// of the parent stages, as hadolint has it) and BuildKit's predefined proxy arguments. A
/// value of `1` tells ShellCheck the name is set and needs no quoting, as for hadolint.
///
/// `budget` is how many more names the file's scripts may declare in full: a file of thousands
/// of stages, each with a few hundred variables, would otherwise still give ShellCheck a
/// quadratic amount of declarations.
fn variables_prelude(
    df: &Dockerfile,
    model: &Model,
    instruction: usize,
    script: &[&str],
    budget: &mut usize,
) -> String {
    let names = match all_variables(df, model, instruction) {
        Some(all) if all.len() <= *budget => {
            *budget -= all.len();
            all
        }
        _ => mentioned_variables(df, model, instruction, script),
    };
    let mut out = String::new();
    for name in names.into_iter().filter(|n| is_shell_name(n)) {
        out.push_str("export ");
        out.push_str(name);
        out.push_str("=1\n");
    }
    out
}

/// The ARGs of the stages a stage is built `FROM`, nearest first.
fn parent_args<'d>(
    df: &'d Dockerfile,
    model: &Model,
    stage: Option<usize>,
) -> impl Iterator<Item = &'d str> {
    let mut chain = Vec::new();
    let mut parent = stage.and_then(|s| model.stages[s].base_stage);
    while let Some(p) = parent.filter(|_| chain.len() < model.stages.len()) {
        chain.push(model.stages[p].body.clone());
        parent = model.stages[p].base_stage;
    }
    chain.into_iter().flat_map(move |body| {
        df.instructions[body]
            .iter()
            .filter(|inst| inst.keyword == Keyword::Arg)
            .flat_map(|inst| inst.pairs.iter().map(|pair| pair.key.as_str()))
    })
}

/// Every variable in effect, or None when there are more than [`ALL_VARIABLES_UP_TO`].
fn all_variables<'d>(
    df: &'d Dockerfile,
    model: &'d Model,
    instruction: usize,
) -> Option<BTreeSet<&'d str>> {
    let state = &model.states[instruction];
    if state.vars.size() > ALL_VARIABLES_UP_TO {
        return None;
    }
    let mut names: BTreeSet<&str> = PREDEFINED.iter().copied().collect();
    names.extend(state.vars.keys().map(String::as_str));
    for name in parent_args(df, model, state.stage) {
        names.insert(name);
        if names.len() > ALL_VARIABLES_UP_TO + PREDEFINED.len() {
            return None;
        }
    }
    Some(names)
}

/// The variables in effect that the script mentions.
fn mentioned_variables<'t>(
    df: &'t Dockerfile,
    model: &Model,
    instruction: usize,
    script: &[&'t str],
) -> BTreeSet<&'t str> {
    let state = &model.states[instruction];
    let mentioned: BTreeSet<&str> = script.iter().flat_map(|t| referenced_names(t)).collect();
    let (mut known, mut unknown): (BTreeSet<&str>, BTreeSet<&str>) = mentioned
        .into_iter()
        .partition(|n| PREDEFINED.contains(n) || state.vars.get(*n).is_some());
    for name in parent_args(df, model, state.stage) {
        if unknown.is_empty() {
            break;
        }
        if let Some(name) = unknown.take(name) {
            known.insert(name);
        }
    }
    known
}

/// The names a script expands (`$NAME`, `${NAME}`, `${#NAME}`, `${NAME:-x}`), found by their
/// `$`; a superset is harmless (a name declared and not used is never reported).
fn referenced_names(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('$').filter_map(move |(i, _)| {
        let rest = &text[i + 1..];
        let rest = rest
            .strip_prefix('{')
            .map_or(rest, |r| r.trim_start_matches(['#', '!']));
        let len = rest
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .unwrap_or(rest.len());
        let name = &rest[..len];
        is_shell_name(name).then_some(name)
    })
}

fn is_shell_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Every script of the file's shell-form RUNs (`runs`: those under a POSIX shell): the
/// command line with its heredocs, and each heredoc body that runs as a script; then the
/// command lines of `ONBUILD RUN`, which run in the images built on this one.
pub fn scripts(text: &str, df: &Dockerfile, model: &Model, runs: &[Run]) -> Vec<ShellScript> {
    let mut out = Vec::new();
    let mut budget = ALL_VARIABLES_PER_FILE;
    for (index, inst) in df.instructions.iter().enumerate() {
        let Some(inner) = inst.inner.as_deref() else {
            continue;
        };
        let state = &model.states[index];
        let dialect = Dialect::of_program(state.shell.first().map_or("/bin/sh", |s| s));
        if let (Keyword::Run, false, Some(dialect)) = (inner.keyword, inner.json, dialect) {
            let prelude =
                variables_prelude(df, model, index, &script_texts(text, inner), &mut budget);
            out.push(command_line(text, inner, index, dialect, &prelude));
        }
    }
    for run in runs {
        let inst = &df.instructions[run.instruction];
        let state = &model.states[run.instruction];
        let Some(dialect) = Dialect::of_program(state.shell.first().map_or("/bin/sh", |s| s))
        else {
            continue;
        };
        let prelude = variables_prelude(
            df,
            model,
            run.instruction,
            &script_texts(text, inst),
            &mut budget,
        );
        if !only_heredoc_openers(inst.args()) {
            out.push(command_line(text, inst, run.instruction, dialect, &prelude));
        }
        for &h in &run.script_heredocs {
            if let Some(script) =
                heredoc_script(text, &inst.heredocs[h], run.instruction, dialect, &prelude)
            {
                out.push(script);
            }
        }
    }
    out
}

/// Keep the scripts of the first [`MAX_SCRIPTS_PER_FILE`](super::runner::MAX_SCRIPTS_PER_FILE)
/// distinct texts; the instruction of the first script left out and how many were, if any.
pub fn keep_first_distinct(scripts: &mut Vec<ShellScript>) -> Option<(usize, usize)> {
    let mut distinct: std::collections::HashSet<String> = std::collections::HashSet::new();
    let before = scripts.len();
    let mut first_left_out = None;
    scripts.retain(|s| {
        let kept = distinct.contains(s.text.as_str())
            || (distinct.len() < super::runner::MAX_SCRIPTS_PER_FILE
                && distinct.insert(s.text.clone()));
        if !kept && first_left_out.is_none() {
            first_left_out = Some(s.instruction);
        }
        kept
    });
    first_left_out.map(|i| (i, before - scripts.len()))
}

/// The texts of a RUN's scripts: its command line and its heredoc bodies.
fn script_texts<'t>(text: &'t str, inst: &'t Instruction) -> Vec<&'t str> {
    std::iter::once(inst.args())
        .chain(inst.heredocs.iter().map(|h| h.body_span.text(text)))
        .collect()
}

/// The shell-form command line as the shell reads it, followed by its heredocs (bodies and
/// terminators), which the shell reads as part of the same script.
fn command_line(
    text: &str,
    inst: &Instruction,
    index: usize,
    dialect: Dialect,
    prelude: &str,
) -> ShellScript {
    let mut b = Builder::new();
    b.own(dialect.shebang());
    b.own(prelude);
    let (start, end) = (inst.args_start, inst.args_end);
    for (file_span, logical_start) in inst.logical.segments_overlapping(start, end) {
        let logical_end = logical_start + file_span.len();
        let (s, e) = (start.max(logical_start), end.min(logical_end));
        if s < e {
            let file = file_span.start + (s - logical_start);
            b.copy(&inst.logical.text[s..e], file, false);
        }
    }
    for heredoc in &inst.heredocs {
        b.ends_line();
        b.copy(heredoc.body_span.text(text), heredoc.body_span.start, true);
        b.ends_line();
        let terminator = heredoc.terminator_span;
        b.copy(terminator.text(text), terminator.start, true);
    }
    b.ends_line();
    b.finish(index)
}

/// A heredoc body that runs as a script: its own shebang decides the dialect, else the
/// SHELL in effect. None for a shebang naming a shell ShellCheck does not check.
fn heredoc_script(
    text: &str,
    heredoc: &Heredoc,
    index: usize,
    dialect: Dialect,
    prelude: &str,
) -> Option<ShellScript> {
    let body = heredoc.body_span.text(text);
    let file = heredoc.body_span.start;
    let mut b = Builder::new();
    match body.strip_prefix("#!") {
        Some(rest) => {
            let line_end = body.find('\n').map_or(body.len(), |i| i + 1);
            Dialect::of_shebang(rest.lines().next().unwrap_or_default())?;
            b.copy(&body[..line_end], file, true);
            b.ends_line();
            b.own(prelude);
            b.copy(&body[line_end..], file + line_end, true);
        }
        None => {
            b.own(dialect.shebang());
            b.own(prelude);
            b.copy(body, file, true);
        }
    }
    b.ends_line();
    Some(b.finish(index))
}
