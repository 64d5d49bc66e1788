//! Variable references in a Dockerfile word, the way BuildKit's word processor (`shell.Lex`)
//! reads them: `$NAME`, `${NAME}` and `${NAME<op>word}`, none inside single quotes or after the
//! escape character. Processing a word also expands it and says which names were found and
//! which were not, as BuildKit's linter asks.

use std::collections::BTreeSet;
use std::ops::Range;

/// One `$NAME` or `${NAME...}` in a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    /// Byte range of the name within the word.
    pub name_range: Range<usize>,
}

/// A processed word: its expansion and the names looked up.
#[derive(Debug, Default)]
pub struct Processed {
    pub result: String,
    pub matched: BTreeSet<String>,
    pub unmatched: BTreeSet<String>,
    pub references: Vec<Reference>,
}

/// Expand `word`, looking names up with `lookup`.
pub fn process(word: &str, escape: char, lookup: &dyn Fn(&str) -> Option<String>) -> Processed {
    let mut out = Processed::default();
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut i = 0;
    out.result = expand_until(word, &chars, &mut i, escape, lookup, &mut out, None);
    out
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A name a `$NAME` reference can spell: only such names are offered in place of another
/// (an ARG named `A..` can be declared but never referenced; offering it made the fix grow the
/// reference on every round).
pub(crate) fn is_referable(name: &str) -> bool {
    !name.is_empty() && name.chars().all(is_name_char)
}

/// Expand from `chars[*i]` until `stop` (unquoted) or the end.
fn expand_until(
    word: &str,
    chars: &[(usize, char)],
    i: &mut usize,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Processed,
    stop: Option<char>,
) -> String {
    let mut result = String::new();
    let mut double = false;
    while *i < chars.len() {
        let (_, c) = chars[*i];
        if Some(c) == stop && !double {
            return result;
        }
        if c == escape {
            if let Some(&(_, next)) = chars.get(*i + 1) {
                result.push(next);
                *i += 2;
            } else {
                result.push(c);
                *i += 1;
            }
            continue;
        }
        match c {
            '\'' if !double => {
                *i += 1;
                while *i < chars.len() && chars[*i].1 != '\'' {
                    result.push(chars[*i].1);
                    *i += 1;
                }
                *i += 1;
            }
            '"' => {
                double = !double;
                *i += 1;
            }
            '$' => {
                *i += 1;
                result.push_str(&dollar(word, chars, i, escape, lookup, out));
            }
            _ => {
                result.push(c);
                *i += 1;
            }
        }
    }
    result
}

fn byte_at(word: &str, chars: &[(usize, char)], i: usize) -> usize {
    chars.get(i).map_or(word.len(), |&(b, _)| b)
}

fn look(
    name: &str,
    range: Range<usize>,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Processed,
) -> Option<String> {
    out.references.push(Reference {
        name: name.to_string(),
        name_range: range,
    });
    let value = lookup(name);
    if value.is_some() {
        out.matched.insert(name.to_string());
    } else {
        out.unmatched.insert(name.to_string());
    }
    value
}

/// After a `$` (at `chars[*i]`).
fn dollar(
    word: &str,
    chars: &[(usize, char)],
    i: &mut usize,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Processed,
) -> String {
    match chars.get(*i).map(|c| c.1) {
        Some('{') => {
            *i += 1;
            let start = *i;
            while *i < chars.len() && is_name_char(chars[*i].1) {
                *i += 1;
            }
            let range = byte_at(word, chars, start)..byte_at(word, chars, *i);
            let name = word[range.clone()].to_string();
            if name.is_empty() {
                // `${}` or `${#...}`: not a variable BuildKit looks up here; keep the text.
                let rest = expand_until(word, chars, i, escape, lookup, out, Some('}'));
                *i += 1;
                return format!("${{{rest}}}");
            }
            let value = look(&name, range, lookup, out);
            if chars.get(*i).map(|c| c.1) == Some('}') {
                *i += 1;
                return value.unwrap_or_default();
            }
            // A modifier: `:-`, `-`, `:+`, `+`, `:?`, `?`, or a pattern operator.
            let colon = chars.get(*i).map(|c| c.1) == Some(':');
            if colon {
                *i += 1;
            }
            let op = chars.get(*i).map(|c| c.1).unwrap_or('}');
            *i += 1;
            let alt = expand_until(word, chars, i, escape, lookup, out, Some('}'));
            *i += 1;
            let set = value.as_deref().is_some_and(|v| !colon || !v.is_empty());
            match op {
                '-' => {
                    if set {
                        value.unwrap_or_default()
                    } else {
                        alt
                    }
                }
                '+' => {
                    if set {
                        alt
                    } else {
                        String::new()
                    }
                }
                _ => value.unwrap_or_default(),
            }
        }
        Some(c) if is_name_char(c) => {
            let start = *i;
            while *i < chars.len() && is_name_char(chars[*i].1) {
                *i += 1;
            }
            let range = byte_at(word, chars, start)..byte_at(word, chars, *i);
            let name = word[range.clone()].to_string();
            look(&name, range, lookup, out).unwrap_or_default()
        }
        _ => "$".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "A" => Some("x".into()),
            "E" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn expands_and_records_lookups() {
        let p = process("$A/${B}/${C:-d}/${A:+y}/${E:-e}/'$Q'/\\$R", '\\', &env);
        assert_eq!(p.result, "x//d/y/e/$Q/$R");
        assert_eq!(
            p.unmatched.iter().map(String::as_str).collect::<Vec<_>>(),
            ["B", "C"]
        );
        assert!(p.matched.contains("A") && p.matched.contains("E"));
        assert_eq!(p.references[1].name_range, 5..6);
        let p = process("\"$A\"-${X:-$Y}", '\\', &env);
        assert_eq!(p.result, "x-");
        assert!(p.unmatched.contains("Y"));
    }
}
