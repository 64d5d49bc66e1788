//! A direct reading of the plainest scripts, without tree-sitter: simple commands joined by
//! `&&`, `||`, `;` and `|`, whose words are ordinary characters, `'...'`, `"..."` and the
//! expansions `$NAME` and `${NAME}`, with redirects after the words (`>f`, `2>&1`, `<in`,
//! `>>"$LOG"`): `pip install -r "$APP/requirements.txt" >/dev/null && rm -rf x`. Anything else
//! (escapes, `$(..)`, other `$` forms, heredocs, braces, keywords, assignments, `sh -c`,
//! newlines) is left to the full parser, and so are the words and redirects tree-sitter-bash
//! reads in its own ways. 4,959 of the corpus's 8,511 RUN scripts (27% of their bytes) are this
//! plain, and long generated lines usually are. `tests/corpus.rs` checks that both readings
//! agree on every corpus script this one accepts, and a property test in `tests.rs` does the
//! same on generated scripts.

use super::nested::nested_script;
use super::word::WordBuilder;
use super::{Connector, Nesting, Redirect, Script, SimpleCommand, Word};
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
    Some(Script {
        commands: read_commands(text, 0, None)?,
        has_errors: false,
    })
}

/// The commands of `text[start..]` if it is plain, else `None`; the first one is joined to
/// what came before by `connector_before` (for a part of a longer script, see `mixed.rs`).
/// Spans are offsets into `text`.
pub(super) fn read_commands(
    text: &str,
    start: usize,
    mut connector_before: Option<Connector>,
) -> Option<Vec<SimpleCommand>> {
    let bytes = text.as_bytes();
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut redirects: Vec<Redirect> = Vec::new();
    let mut at = start;
    while at < bytes.len() {
        let next = bytes.get(at + 1).copied();
        match bytes[at] {
            b' ' | b'\t' => at += 1,
            operator @ (b'&' | b'|' | b';') => {
                let (connector, len) = match (operator, next) {
                    (b'&', Some(b'&')) => (Connector::AndAnd, 2),
                    (b'|', Some(b'|')) => (Connector::OrOr, 2),
                    (b'|', Some(b'&')) | (b';', Some(b';' | b'&')) | (b'&', _) => return None,
                    (b'|', _) => (Connector::Pipe, 1),
                    _ => (Connector::Semi, 1),
                };
                let command_words = std::mem::take(&mut words);
                let command_redirects = std::mem::take(&mut redirects);
                commands.push(command(
                    text,
                    command_words,
                    command_redirects,
                    connector_before,
                )?);
                connector_before = Some(connector);
                at += len;
            }
            b'<' | b'>' => {
                // `a0>f`: tree-sitter-bash reads a digit before the operator as a descriptor
                // even inside a word.
                if at > start && bytes[at - 1].is_ascii_digit() {
                    return None;
                }
                let (redirect, end) = read_redirect(text, at, at)?;
                redirects.push(redirect);
                at = end;
            }
            _ => {
                // A file descriptor right before `<` or `>` belongs to the redirect (`2>&1`).
                // tree-sitter-bash reads `0` and descriptors of several digits as arguments.
                // And after the word `-` it reads `- 2` as something else.
                if matches!(bytes[at], b'1'..=b'9') && matches!(next, Some(b'<' | b'>')) {
                    if words.last().is_some_and(|w| w.span.text(text) == "-") {
                        return None;
                    }
                    let (redirect, end) = read_redirect(text, at, at + 1)?;
                    redirects.push(redirect);
                    at = end;
                    continue;
                }
                if bytes[at].is_ascii_digit()
                    && bytes[at..]
                        .iter()
                        .find(|b| !b.is_ascii_digit())
                        .is_some_and(|b| matches!(b, b'<' | b'>'))
                {
                    return None;
                }
                // Words after a redirect: tree-sitter-bash files them under it.
                if !redirects.is_empty() {
                    return None;
                }
                let (word, end) = read_word(text, at)?;
                words.push(word);
                at = end;
            }
        }
    }
    // A script ending in an operator (or with no command at all) is not plain.
    commands.push(command(text, words, redirects, connector_before)?);
    Some(commands)
}

/// Reads the redirect whose file descriptor (if any) starts at `start` and whose operator
/// starts at `op_at`: `>`, `>>`, `<`, `>&` and `<&`, then its target word. (`&>` is left to
/// the full parser: tree-sitter-bash drops it from a command after `&&`.)
fn read_redirect(text: &str, start: usize, op_at: usize) -> Option<(Redirect, usize)> {
    let bytes = text.as_bytes();
    let rest = &text[op_at..];
    let operator = [">>", ">&", "<&", ">", "<"]
        .into_iter()
        .find(|op| rest.starts_with(op))?;
    let mut at = op_at + operator.len();
    // Here-documents, here-strings, `<>`, `>|`, `<(..)`, `>(..)` and closing a descriptor
    // (`>&-`, one token to tree-sitter-bash) are left to the full parser.
    let closes = operator.ends_with('&') && bytes.get(at) == Some(&b'-');
    if closes || matches!(bytes.get(at), Some(b'<' | b'>' | b'|' | b'(' | b'&')) {
        return None;
    }
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    let (target, end) = read_word(text, at)?;
    Some((
        Redirect {
            span: Span::new(start, end),
            operator: operator.to_owned(),
            target: Some(target),
            heredoc_body: None,
        },
        end,
    ))
}

fn command(
    text: &str,
    words: Vec<Word>,
    redirects: Vec<Redirect>,
    connector_before: Option<Connector>,
) -> Option<SimpleCommand> {
    let (first, last) = (words.first()?, words.last()?);
    let end = redirects.last().map_or(last.span.end, |r| r.span.end);
    // Command names are written with name bytes only (`a=b` would be an assignment, `a@b` an
    // error; quotes and expansions are left to the full parser).
    let name = first.span.text(text);
    if !name.bytes().all(is_name_byte)
        || !name.starts_with(|c: char| c.is_ascii_alphabetic() || "_./".contains(c))
        || NOT_PLAIN_NAMES.contains(&name)
        || nested_script(&words).is_some()
    {
        return None;
    }
    Some(SimpleCommand {
        span: Span::new(first.span.start, end),
        assignments: Vec::new(),
        words,
        redirects,
        connector_before,
        depth: Nesting::default(),
        nested_from: None,
    })
}

/// Reads the word starting at `start`: unquoted runs of word bytes, `'...'`, `"..."` and the
/// expansions `$NAME` and `${NAME}` (outside or inside double quotes), in any concatenation.
/// `None` for anything else (escapes, substitutions, parameter operators, braces, globs of
/// brackets, ...), and for the words tree-sitter-bash reads in its own ways.
fn read_word(text: &str, start: usize) -> Option<(Word, usize)> {
    let bytes = text.as_bytes();
    let mut word = WordBuilder::new(text, 0);
    let mut at = start;
    let mut quoted_or_expanded = false;
    // The number of the part being read, from 1 (unquoted runs, quoted strings and
    // expansions are parts).
    let mut parts = 0;
    loop {
        parts += 1;
        match bytes.get(at) {
            Some(&b) if is_word_byte(b) => {
                let run = at;
                while at < bytes.len() && is_word_byte(bytes[at]) {
                    at += 1;
                }
                word.push_exact(run, at);
            }
            Some(b'\'') => {
                let close = at + 1 + text[at + 1..].find('\'')?;
                if text[at + 1..close].contains('\n') {
                    return None;
                }
                word.push_exact(at + 1, close);
                at = close + 1;
                quoted_or_expanded = true;
            }
            Some(b'"') => {
                at += 1;
                loop {
                    match *bytes.get(at)? {
                        b'"' => break,
                        b'$' => {
                            let end = expansion_end(bytes, at)?;
                            word.push_expansion(at, end);
                            at = end;
                        }
                        b'\\' | b'`' | b'\n' => return None,
                        _ => {
                            let run = at;
                            while at < bytes.len()
                                && !matches!(bytes[at], b'"' | b'$' | b'\\' | b'`' | b'\n')
                            {
                                at += 1;
                            }
                            word.push_exact(run, at);
                        }
                    }
                }
                at += 1;
                quoted_or_expanded = true;
            }
            Some(b'$') => {
                let end = expansion_end(bytes, at)?;
                // tree-sitter-bash splits a word at an unbraced `$NAME` that has two parts
                // before it and more after it (`a${B}$C-` reads as `a${B}$` and `C-`).
                if parts > 2 && bytes[at + 1] != b'{' && continues_word(bytes, end) {
                    return None;
                }
                word.push_expansion(at, end);
                at = end;
                quoted_or_expanded = true;
            }
            _ => break,
        }
    }
    let raw = &bytes[start..at];
    // tree-sitter-bash reads `=~`, `==` and alike as test operators, and a word that starts
    // with a digit as a number, which some characters after it break.
    if raw.is_empty()
        || raw[0] == b'='
        || (raw[0].is_ascii_digit()
            && (quoted_or_expanded || !raw.iter().all(|&b| is_name_byte(b))))
    {
        return None;
    }
    Some((word.finish(Span::new(start, at)), at))
}

fn continues_word(bytes: &[u8], at: usize) -> bool {
    bytes
        .get(at)
        .is_some_and(|&b| is_word_byte(b) || matches!(b, b'\'' | b'"' | b'$'))
}

/// The end of `$NAME` or `${NAME}` at `at`, or `None` for any other `$` form.
fn expansion_end(bytes: &[u8], at: usize) -> Option<usize> {
    let braced = bytes.get(at + 1) == Some(&b'{');
    let name_start = at + 1 + usize::from(braced);
    let first = *bytes.get(name_start)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let mut end = name_start + 1;
    while bytes
        .get(end)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
    {
        end += 1;
    }
    if braced {
        (bytes.get(end) == Some(&b'}')).then_some(end + 1)
    } else {
        Some(end)
    }
}
