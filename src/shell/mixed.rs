//! Long scripts that are plain but for a few commands: `apt-get update && apt-get install -y
//! a b c && VERSION=$(cat v) make && if [ -f x ]; then rm -rf /var/lib/apt/lists/*; fi`.
//! The script is cut into its commands (at `&&`, `||`, `;`, `|`, the keywords of `if`,
//! `case` and loops, `{ }` and `( )`); each command the plain reader takes is read by it,
//! and tree-sitter parses the rest with every run of plain commands replaced by the
//! placeholder command `:`, so the commands around them keep their structure. Each placeholder's command then gives
//! its place (the connector before it, the constructs it sits in) to the plain commands it
//! stood for, and the other commands are moved back to their places in the script.
//!
//! Cutting needs to know where a command ends, so anything that makes that uncertain gives up
//! here and leaves the whole script to tree-sitter: newlines, comments, heredocs, `case`
//! inside `$(..)`, `[[ ]]`, `(( ))`, functions, `$'...'`, backquotes, background jobs,
//! unbalanced quotes or brackets. A mistake in the cut still cannot change the reading silently unless tree-sitter
//! reads the placeholder script without error, which is why `tests/corpus.rs` and the
//! property tests compare the result with the full parse.

use super::plain::read_commands;
use super::{Connector, Script, SimpleCommand, parse_script_with_tree_sitter};
use crate::source::Span;

/// One simple command's text, and how it is joined to the command before it.
struct Slot {
    start: usize,
    end: usize,
    /// The operator right before it (`None` after a keyword, a bracket or at the start).
    connector_before: Option<Connector>,
    /// Only that operator lies between this command and the one before: a run of plain
    /// commands joined this way is one placeholder.
    joined: bool,
}

/// The commands of `text` read as above, or `None` when it cannot be cut with certainty,
/// has no plain command worth the trouble, or tree-sitter finds an error in the rest.
pub(super) fn parse(text: &str) -> Option<Script> {
    let slots = split(text)?;
    // Each command's plain reading, if it has one.
    let plain: Vec<Option<Vec<SimpleCommand>>> = slots
        .iter()
        .map(|s| read_commands(&text[..s.end], s.start, s.connector_before))
        .collect();
    let plain_bytes: usize = slots
        .iter()
        .zip(&plain)
        .filter(|(_, p)| p.is_some())
        .map(|(s, _)| s.end - s.start)
        .sum();
    // The placeholder parse costs about what a full parse of the rest costs: only worth it
    // when a good share of the script is plain.
    if plain_bytes * 4 < text.len() {
        return None;
    }
    let runs = plain_runs(&slots, plain);
    let skeleton = Skeleton::new(text, &runs);
    let parsed = parse_script_with_tree_sitter(&skeleton.text);
    if parsed.has_errors {
        return None;
    }
    let mut runs = runs.into_iter();
    let mut commands = Vec::with_capacity(parsed.commands.len() + slots.len());
    // Where each of the placeholder parse's commands went in `commands`.
    let mut moved_to: Vec<Option<usize>> = Vec::with_capacity(parsed.commands.len());
    for mut command in parsed.commands {
        if skeleton
            .placeholders
            .binary_search(&command.span.start)
            .is_ok()
        {
            let bare = command.span.text(&skeleton.text) == ":"
                && command.words.len() == 1
                && command.assignments.is_empty()
                && command.redirects.is_empty()
                && command.nested_from.is_none();
            if !bare {
                return None;
            }
            let mut run = runs.next()?.commands;
            run[0].connector_before = command.connector_before;
            for plain in &mut run {
                plain.depth = command.depth;
            }
            moved_to.push(None);
            commands.extend(run);
            continue;
        }
        skeleton.move_back(&mut command)?;
        if let Some(from) = command.nested_from {
            command.nested_from = Some((*moved_to.get(from)?)?);
        }
        moved_to.push(Some(commands.len()));
        commands.push(command);
    }
    if runs.next().is_some() {
        return None;
    }
    Some(Script {
        commands,
        has_errors: false,
    })
}

/// Plain commands joined by operators only, and the text they span.
struct PlainRun {
    start: usize,
    end: usize,
    commands: Vec<SimpleCommand>,
}

/// The maximal runs of plainly read commands, in script order.
fn plain_runs(slots: &[Slot], plain: Vec<Option<Vec<SimpleCommand>>>) -> Vec<PlainRun> {
    let mut runs: Vec<PlainRun> = Vec::new();
    let mut in_run = false;
    for (slot, commands) in slots.iter().zip(plain) {
        match commands {
            Some(commands) if in_run && slot.joined => {
                let run = runs.last_mut().expect("a run");
                run.end = slot.end;
                run.commands.extend(commands);
            }
            Some(commands) => {
                runs.push(PlainRun {
                    start: slot.start,
                    end: slot.end,
                    commands,
                });
                in_run = true;
            }
            None => in_run = false,
        }
    }
    runs
}

/// The text tree-sitter parses: the script with each run of plain commands replaced by `:`.
struct Skeleton {
    text: String,
    /// Where each `:` placeholder is in `text`.
    placeholders: Vec<usize>,
    /// Stretches copied from the script: (start in `text`, start in the script, length).
    copied: Vec<(usize, usize, usize)>,
}

impl Skeleton {
    fn new(script: &str, runs: &[PlainRun]) -> Skeleton {
        let mut skeleton = Skeleton {
            text: String::with_capacity(script.len()),
            placeholders: Vec::new(),
            copied: Vec::new(),
        };
        // `from` is where the script's next uncopied byte is.
        let mut from = 0;
        for run in runs {
            skeleton.copy(script, from, run.start);
            skeleton.text.push(' ');
            skeleton.placeholders.push(skeleton.text.len());
            skeleton.text.push_str(": ");
            from = run.end;
        }
        skeleton.copy(script, from, script.len());
        skeleton
    }

    fn copy(&mut self, script: &str, start: usize, end: usize) {
        if start < end {
            self.copied.push((self.text.len(), start, end - start));
            self.text.push_str(&script[start..end]);
        }
    }

    /// `span` of the skeleton in the script, if it lies within one copied stretch.
    fn span_back(&self, span: Span) -> Option<Span> {
        let index = self
            .copied
            .partition_point(|&(at, _, _)| at <= span.start)
            .checked_sub(1)?;
        let (at, script_at, len) = self.copied[index];
        (span.end <= at + len)
            .then(|| Span::new(span.start - at + script_at, span.end - at + script_at))
    }

    /// Moves every span of `command` from the skeleton to the script.
    fn move_back(&self, command: &mut SimpleCommand) -> Option<()> {
        let mut ok = true;
        command.for_each_span_mut(&mut |span| match self.span_back(*span) {
            Some(moved) => *span = moved,
            None => ok = false,
        });
        ok.then_some(())
    }
}

/// Cuts `text` into its simple commands, or `None` where unsure (see the module comment).
fn split(text: &str) -> Option<Vec<Slot>> {
    let bytes = text.as_bytes();
    if bytes.contains(&b'\n') || text.contains("<<") {
        return None;
    }
    let mut slots: Vec<Slot> = Vec::new();
    // Where the command being read starts, if one is.
    let mut open: Option<usize> = None;
    // The operator after the last command, if nothing else came after it.
    let mut connector_before: Option<Connector> = None;
    let mut joined = false;
    // Open compound commands, innermost last.
    let mut stack: Vec<Compound> = Vec::new();
    // Whether the next word is in command position (where keywords are keywords).
    let mut command_position = true;
    // Whether the next word is a redirect's target.
    let mut target = false;
    // Whether anything an operator may follow came since the last operator or opening
    // keyword (a command, the end of a compound command, the list of a `for`).
    let mut something = false;
    let close = |open: &mut Option<usize>, end: usize, slots: &mut Vec<Slot>, connector, joined| {
        if let Some(start) = open.take() {
            slots.push(Slot {
                start,
                end,
                connector_before: connector,
                joined,
            });
        }
    };
    let mut at = 0;
    while at < bytes.len() {
        let next = bytes.get(at + 1).copied();
        if stack.last() == Some(&Compound::Case(CasePart::Patterns)) {
            // `a|b)`, `(a)`, `*)`, or the `esac` that ends it: no commands here. (An `esac`
            // right after a branch's commands, without `;;`, is left to tree-sitter: it reads
            // some of those its own way.)
            match bytes[at] {
                b' ' | b'\t' | b'|' | b'(' => at += 1,
                // tree-sitter-bash reads a command written right after the `)` (`*)cmd`)
                // its own way in some branches.
                b')' if !matches!(next, Some(b' ' | b'\t')) => return None,
                b')' => {
                    if let Some(top) = stack.last_mut() {
                        *top = Compound::Case(CasePart::Body);
                    }
                    command_position = true;
                    something = false;
                    connector_before = None;
                    joined = false;
                    at += 1;
                }
                b';' | b'&' | b'<' | b'>' | b'#' => return None,
                _ => {
                    let word_start = at;
                    at = word_end(bytes, at)?;
                    if &text[word_start..at] == "esac" {
                        stack.pop();
                        command_position = false;
                        something = true;
                    }
                }
            }
            continue;
        }
        // `;;`, `;&` and `;;&` end a branch of the `case` they are in.
        if bytes[at] == b';'
            && matches!(next, Some(b';' | b'&'))
            && stack.last() == Some(&Compound::Case(CasePart::Body))
        {
            close(&mut open, at, &mut slots, connector_before, joined);
            if let Some(top) = stack.last_mut() {
                *top = Compound::Case(CasePart::Patterns);
            }
            at += if bytes[at..].starts_with(b";;&") {
                3
            } else {
                2
            };
            continue;
        }
        let operator = match (bytes[at], next) {
            (b' ' | b'\t', _) => {
                at += 1;
                continue;
            }
            (b'&', Some(b'&')) => Some((Connector::AndAnd, 2)),
            (b'|', Some(b'|')) => Some((Connector::OrOr, 2)),
            (b'|', Some(b'&')) | (b';', Some(b';' | b'&')) => return None,
            (b'|', _) => Some((Connector::Pipe, 1)),
            (b';', _) => Some((Connector::Semi, 1)),
            _ => None,
        };
        if let Some((connector, len)) = operator {
            // An operator ends a command; one with nothing before it is left to tree-sitter.
            if !something {
                return None;
            }
            something = false;
            // The next command is joined to this one only if a command ends here.
            let ends_command = open.is_some();
            close(&mut open, at, &mut slots, connector_before, joined);
            connector_before = Some(connector);
            joined = ends_command;
            command_position = true;
            target = false;
            at += len;
            continue;
        }
        match bytes[at] {
            b'#' => return None,
            b'&' | b'<' | b'>' => {
                // A redirect operator: `>`, `>>`, `<`, `>&`, `<&`, `&>`, `&>>`, `>|`, `<>`.
                // (`&` alone, a background job, and `<(..)`/`>(..)` give up.)
                let mut end = at + 1;
                if bytes[at] == b'&' && !matches!(next, Some(b'>')) {
                    return None;
                }
                // A word ending in digits right before the operator (`a0>f`, `-2>&1`):
                // tree-sitter-bash's reading of those depends on what comes before them.
                let digits = bytes[..at].iter().rev().take_while(|b| b.is_ascii_digit());
                let before = at - digits.count();
                if before < at
                    && before > 0
                    && !matches!(bytes[before - 1], b' ' | b'\t' | b';' | b'&' | b'|' | b'(')
                {
                    return None;
                }
                while end < bytes.len() && matches!(bytes[end], b'<' | b'>' | b'&' | b'|') {
                    end += 1;
                }
                if end - at > 3 || bytes.get(end) == Some(&b'(') {
                    return None;
                }
                // A redirect may come first in a command (`>f cmd`).
                if command_position && open.is_none() {
                    open = Some(at);
                }
                target = true;
                something = true;
                at = end;
            }
            b'(' => {
                // A subshell; `((` is arithmetic, and `(` elsewhere a function or an array.
                if !command_position || open.is_some() || next == Some(b'(') {
                    return None;
                }
                stack.push(Compound::Other);
                connector_before = None;
                joined = false;
                something = false;
                at += 1;
            }
            b')' => {
                close(&mut open, at, &mut slots, connector_before, joined);
                if stack.pop() != Some(Compound::Other) {
                    return None;
                }
                command_position = false;
                joined = false;
                something = true;
                at += 1;
            }
            _ => {
                let word_start = at;
                at = word_end(bytes, at)?;
                let word = &text[word_start..at];
                something = true;
                if target {
                    target = false;
                    continue;
                }
                if stack.last() == Some(&Compound::Case(CasePart::Subject)) {
                    if word == "in"
                        && let Some(top) = stack.last_mut()
                    {
                        *top = Compound::Case(CasePart::Patterns);
                    }
                    continue;
                }
                if !command_position {
                    continue;
                }
                let keyword = open.is_none();
                match word {
                    "if" | "while" | "until" | "{" if keyword => {
                        stack.push(Compound::Other);
                        something = false;
                    }
                    "then" | "do" | "else" | "elif" if keyword => something = false,
                    "for" if keyword => {
                        // Its name and list are not commands.
                        stack.push(Compound::Other);
                        command_position = false;
                    }
                    "case" if keyword => {
                        stack.push(Compound::Case(CasePart::Subject));
                        command_position = false;
                    }
                    "fi" | "done" | "}" if keyword => {
                        if stack.pop() != Some(Compound::Other) {
                            return None;
                        }
                        command_position = false;
                    }
                    "case" | "esac" | "select" | "function" | "coproc" | "[[" | "]]" | "((" => {
                        return None;
                    }
                    _ => {
                        open.get_or_insert(word_start);
                        // The command's name comes after its assignments.
                        command_position = is_assignment(word);
                        continue;
                    }
                }
                // After a keyword: a new command, joined to nothing the cut knows of.
                connector_before = None;
                joined = false;
            }
        }
    }
    close(&mut open, text.len(), &mut slots, connector_before, joined);
    (stack.is_empty() && !slots.is_empty()).then_some(slots)
}

/// A compound command the cut is inside of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compound {
    /// `if`, a loop, `{ }` or `( )`.
    Other,
    Case(CasePart),
}

/// Where the cut is in a `case`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CasePart {
    /// The word before `in`.
    Subject,
    /// Before a branch's `)`.
    Patterns,
    /// In a branch's commands.
    Body,
}

/// `NAME=...` or `NAME+=...`: a command's name comes after it.
fn is_assignment(word: &str) -> bool {
    let name_end = word
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(word.len());
    name_end > 0
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && (word[name_end..].starts_with('=') || word[name_end..].starts_with("+="))
}

/// The end of the word at `at`: up to a blank, an operator or a bracket, stepping over
/// quotes, escapes and substitutions.
fn word_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(&b) = bytes.get(at) {
        at = match b {
            b' ' | b'\t' | b'&' | b'|' | b';' | b'<' | b'>' | b')' => break,
            // `a(`: a function definition, an array or a glob pattern.
            b'(' => return None,
            _ => skip_unit(bytes, at)?,
        };
    }
    Some(at)
}

/// The end of the unit at `at`: one byte, an escape, a quoted string or a substitution.
fn skip_unit(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes[at] {
        b'\\' => (at + 2 <= bytes.len()).then_some(at + 2),
        b'\'' => Some(at + 2 + bytes[at + 1..].iter().position(|&b| b == b'\'')?),
        b'"' => skip_double_quoted(bytes, at),
        // tree-sitter-bash can read a backquote inside a later quoted string as closing an
        // earlier one (`` echo `r` | f ' ` ' ``): scripts with backquotes are left to it.
        b'`' => None,
        b'$' => match bytes.get(at + 1) {
            Some(b'(') => skip_nested(bytes, at + 1, b'(', b')'),
            Some(b'{') => skip_nested(bytes, at + 1, b'{', b'}'),
            // `$'...'` has escapes of its own.
            Some(b'\'') => None,
            _ => Some(at + 1),
        },
        _ => Some(at + 1),
    }
}

fn skip_double_quoted(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        match *bytes.get(at)? {
            b'"' => return Some(at + 1),
            b'\'' => at += 1,
            _ => at = skip_unit(bytes, at)?,
        }
    }
}

/// The end of `$(..)`, `$((..))` or `${..}` whose opening bracket is at `at`.
fn skip_nested(bytes: &[u8], mut at: usize, open: u8, close: u8) -> Option<usize> {
    let start = at;
    let mut depth = 0usize;
    loop {
        let b = *bytes.get(at)?;
        if b == open {
            depth += 1;
            at += 1;
        } else if b == close {
            depth -= 1;
            at += 1;
            if depth == 0 {
                // A `case` inside `$(..)` has `)` of its own: the count above was wrong.
                let inner = &bytes[start..at];
                if open == b'(' && inner.windows(4).any(|w| w == b"case") {
                    return None;
                }
                return Some(at);
            }
        } else if b == b'#' && open == b'(' && matches!(bytes[at - 1], b' ' | b'\t' | b';') {
            // A comment could hide the closing bracket.
            return None;
        } else {
            at = skip_unit(bytes, at)?;
        }
    }
}
