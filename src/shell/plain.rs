//! A direct reading of the plainest scripts, without tree-sitter: words of ordinary characters
//! joined by `&&`, `||`, `;` and `|` (`apt-get update && apt-get install -y curl`). Anything
//! else (quotes, `$`, redirects, braces, keywords, assignments, `sh -c`, newlines) is left to
//! the full parser. About a third of the corpus's RUN scripts (an eighth of their bytes) are
//! this plain, and long generated lines usually are; for them tree-sitter and the walk over
//! its tree were most of a run. `tests/corpus.rs` checks that both readings agree on every corpus script this one
//! accepts.

use super::nested::nested_script;
use super::{Connector, Nesting, Script, SimpleCommand, ValuePiece, Word};
use crate::source::Span;

/// Command names the shell treats as syntax (keywords, declarations, tests): their commands
/// are not plain even when their words are.
const NOT_PLAIN_NAMES: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "coproc", "export", "declare", "typeset", "local",
    "readonly", "unset",
];

/// Bytes of a plain word: nothing the shell would quote, substitute, redirect or treat as an
/// operator. Glob and tilde characters (`*`, `?`, `~`) are kept as written, as the full
/// parser keeps them; `=` is allowed outside the command name (`--opt=value`).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'_' | b'.'
                | b'/'
                | b':'
                | b'@'
                | b'%'
                | b'+'
                | b','
                | b'-'
                | b'='
                | b'*'
                | b'?'
                | b'~'
                | b'^'
        )
}

/// Bytes that tree-sitter-bash reads as a plain word in every position (the tests found it
/// reading some names with `@`, `%` or `+:` in them as errors, and `9%` as a broken number).
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-' | b':')
}

/// The commands of `text` if it is plain, else `None`.
pub(super) fn parse(text: &str) -> Option<Script> {
    let bytes = text.as_bytes();
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut connector_before = None;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' => at += 1,
            operator @ (b'&' | b'|' | b';') => {
                let next = bytes.get(at + 1).copied();
                let (connector, len) = match (operator, next) {
                    (b'&', Some(b'&')) => (Connector::AndAnd, 2),
                    (b'|', Some(b'|')) => (Connector::OrOr, 2),
                    (b'|', Some(b'&')) | (b';', Some(b';' | b'&')) | (b'&', _) => return None,
                    (b'|', _) => (Connector::Pipe, 1),
                    _ => (Connector::Semi, 1),
                };
                commands.push(command(std::mem::take(&mut words), connector_before)?);
                connector_before = Some(connector);
                at += len;
            }
            b if is_word_byte(b) => {
                let start = at;
                while at < bytes.len() && is_word_byte(bytes[at]) {
                    at += 1;
                }
                // tree-sitter-bash reads `=~`, `==` and alike as test operators, and a word
                // that starts with a digit as a number, which some characters after it break.
                let word = &bytes[start..at];
                if word[0] == b'='
                    || (word[0].is_ascii_digit() && !word.iter().all(|&b| is_name_byte(b)))
                {
                    return None;
                }
                words.push(plain_word(text, start, at));
            }
            _ => return None,
        }
    }
    // A script ending in an operator (or with no command at all) is not plain.
    commands.push(command(words, connector_before)?);
    Some(Script {
        commands,
        has_errors: false,
    })
}

fn command(words: Vec<Word>, connector_before: Option<Connector>) -> Option<SimpleCommand> {
    let (first, last) = (words.first()?, words.last()?);
    // Command names keep to name bytes (`a=b` would be an assignment, `a@b` an error).
    if !first.value.bytes().all(is_name_byte)
        || !first
            .value
            .starts_with(|c: char| c.is_ascii_alphabetic() || "_./".contains(c))
        || NOT_PLAIN_NAMES.contains(&first.value.as_str())
        || nested_script(&words).is_some()
    {
        return None;
    }
    Some(SimpleCommand {
        span: Span::new(first.span.start, last.span.end),
        assignments: Vec::new(),
        words,
        redirects: Vec::new(),
        connector_before,
        depth: Nesting::default(),
        nested_from: None,
    })
}

fn plain_word(text: &str, start: usize, end: usize) -> Word {
    let span = Span::new(start, end);
    Word {
        span,
        value: text[start..end].to_owned(),
        is_literal: true,
        pieces: vec![ValuePiece {
            value_start: 0,
            value_end: end - start,
            text: span,
            exact: true,
        }],
    }
}
