//! From one logical line to an instruction's parts, following BuildKit's dispatch: the keyword,
//! the flags, then per-keyword argument parsing (exec form, key/value pairs, plain words).

use super::tree::{Flag, KeyValue, Keyword, LogicalLine};
use super::words::{ScannedWord, extract_flags, go_quote, is_split_blank, split_words};

/// An instruction's parts, with ranges in the logical text (`base` already added).
pub(crate) struct ParsedLine {
    pub keyword_text: String,
    pub keyword: Keyword,
    pub keyword_range: (usize, usize),
    pub flags: Vec<ScannedWord>,
    pub args_range: (usize, usize),
    pub json: bool,
    pub values: Vec<String>,
    pub pairs: Vec<RawPair>,
    pub inner: Option<Box<ParsedLine>>,
}

pub(crate) struct RawPair {
    pub key: String,
    pub value: Option<String>,
    pub range: (usize, usize),
    pub key_range: (usize, usize),
    pub value_range: Option<(usize, usize)>,
    pub equals: bool,
}

impl ParsedLine {
    /// The instruction that decides heredoc handling: ONBUILD's inner one, or itself.
    pub fn heredoc_capable(&self) -> bool {
        let target = self.inner.as_deref().unwrap_or(self);
        target.keyword.takes_heredocs() && !target.json
    }
}

/// Parse `line[base..]` (the part of the logical line this instruction covers).
pub(crate) fn parse_line(text: &str, base: usize, escape: char) -> Result<ParsedLine, String> {
    let line = &text[base..];
    let lead = line.len() - line.trim_start().len();
    let trimmed = line.trim();
    let kw_len = trimmed.find(is_split_blank).unwrap_or(trimmed.len());
    let keyword_text = trimmed[..kw_len].to_string();
    let keyword = Keyword::from_word(&keyword_text);
    let keyword_range = (base + lead, base + lead + kw_len);

    let mut flags = Vec::new();
    let mut args_range = (keyword_range.1, keyword_range.1);
    if kw_len < trimmed.len() {
        let after_kw = &trimmed[kw_len..];
        let blanks = after_kw.len() - after_kw.trim_start_matches(is_split_blank).len();
        let rest_start = keyword_range.1 + blanks;
        let rest = &trimmed[kw_len + blanks..];
        let (args_at, scanned) = extract_flags(rest);
        flags = scanned
            .into_iter()
            .map(|mut w| {
                w.start += rest_start;
                w.end += rest_start;
                w
            })
            .collect();
        let args = &rest[args_at..];
        let args_lead = args.len() - args.trim_start().len();
        let args_trimmed = args.trim();
        let start = rest_start + args_at + args_lead;
        args_range = (start, start + args_trimmed.len());
    }
    let args = &text[args_range.0..args_range.1];

    let mut parsed = ParsedLine {
        keyword_text,
        keyword,
        keyword_range,
        flags,
        args_range,
        json: false,
        values: Vec::new(),
        pairs: Vec::new(),
        inner: None,
    };
    let at = args_range.0;
    match keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => match parse_json(args)? {
            Some(list) => (parsed.json, parsed.values) = (true, list),
            None => parsed.values = split_blanks(args),
        },
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => {
            if !args.is_empty() {
                match parse_json(args)? {
                    Some(list) => (parsed.json, parsed.values) = (true, list),
                    None => parsed.values = vec![args.to_string()],
                }
            }
        }
        Keyword::Env | Keyword::Label => {
            let name = if keyword == Keyword::Env {
                "ENV"
            } else {
                "LABEL"
            };
            parsed.pairs = parse_name_values(args, at, escape, name)?;
            for pair in &parsed.pairs {
                parsed.values.push(pair.key.clone());
                parsed.values.push(pair.value.clone().unwrap_or_default());
            }
        }
        Keyword::Arg => {
            for w in split_words(args, escape) {
                let (key, value) = match w.text.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (w.text.clone(), None),
                };
                parsed.values.push(w.text.clone());
                parsed
                    .pairs
                    .push(pair_at(key, value, at + w.start, at + w.end));
            }
        }
        Keyword::Expose | Keyword::From => parsed.values = split_blanks(args),
        Keyword::Healthcheck => {
            let b = args.as_bytes();
            let sep = b
                .iter()
                .position(|&c| super::words::is_space_byte(c))
                .unwrap_or(b.len());
            if sep > 0 {
                let next = sep
                    + b[sep..]
                        .iter()
                        .take_while(|&&c| super::words::is_space_byte(c))
                        .count();
                parsed.values.push(args[..sep].to_string());
                let cmd = &args[next..];
                if !cmd.is_empty() {
                    match parse_json(cmd)? {
                        Some(list) => {
                            parsed.json = true;
                            parsed.values.extend(list);
                        }
                        None => parsed.values.push(cmd.to_string()),
                    }
                }
            }
        }
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
            if !args.is_empty() {
                parsed.values.push(args.to_string());
            }
        }
        Keyword::Onbuild => {
            if !args.is_empty() {
                let inner = parse_line(text, at, escape)?;
                parsed.values = inner.values.clone();
                parsed.inner = Some(Box::new(inner));
            }
        }
        Keyword::Unknown => parsed.values.push(String::new()),
    }
    Ok(parsed)
}

fn pair_at(key: String, value: Option<String>, start: usize, end: usize) -> RawPair {
    let key_end = start + key.len();
    RawPair {
        value_range: value.as_ref().map(|_| ((key_end + 1).min(end), end)),
        equals: value.is_some(),
        key,
        value,
        range: (start, end),
        key_range: (start, key_end.min(end)),
    }
}

/// ENV and LABEL: `k=v k2=v2`, or the legacy `KEY value with spaces`.
fn parse_name_values(
    args: &str,
    at: usize,
    escape: char,
    name: &str,
) -> Result<Vec<RawPair>, String> {
    let words = split_words(args, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.text.contains('=') {
        let Some(split) = args.find(is_split_blank) else {
            return Err(format!("{name} must have two arguments"));
        };
        let value_start =
            split + args[split..].len() - args[split..].trim_start_matches(is_split_blank).len();
        let key = args[..split].to_string();
        let value = args[value_start..].to_string();
        return Ok(vec![RawPair {
            key,
            value: Some(value),
            range: (at, at + args.len()),
            key_range: (at, at + split),
            value_range: Some((at + value_start, at + args.len())),
            equals: false,
        }]);
    }
    words
        .into_iter()
        .map(|w| match w.text.split_once('=') {
            Some((k, v)) => Ok(pair_at(
                k.to_string(),
                Some(v.to_string()),
                at + w.start,
                at + w.end,
            )),
            None => Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                go_quote(&w.text)
            )),
        })
        .collect()
}

fn split_blanks(args: &str) -> Vec<String> {
    if args.is_empty() {
        return Vec::new();
    }
    args.split(is_split_blank)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Exec form: `Ok(Some(list))` for a JSON array of strings, `Ok(None)` when the text is not JSON
/// (BuildKit then falls back to shell form), an error for a JSON array holding non-strings.
fn parse_json(args: &str) -> Result<Option<Vec<String>>, String> {
    let rest = args.trim_start();
    if !rest.starts_with('[') {
        return Ok(None);
    }
    // BuildKit decodes the first JSON value and ignores whatever follows it.
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Vec<serde_json::Value>>();
    let Some(Ok(items)) = stream.next() else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            _ => Err(
                "when using JSON array syntax, arrays must be comprised of strings only"
                    .to_string(),
            ),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

pub(crate) fn flag_from_word(word: &ScannedWord, logical: &LogicalLine, text: &str) -> Flag {
    let raw = &text[word.start..word.end];
    let name_start = word.start + 2.min(raw.len());
    let eq = raw.find('=').map(|i| word.start + i);
    let name_end = eq.unwrap_or(word.end);
    let (name, value) = match word.text.get(2..).unwrap_or("").split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (word.text.get(2..).unwrap_or("").to_string(), None),
    };
    Flag {
        text: word.text.clone(),
        name,
        value,
        span: logical.span(word.start, word.end),
        name_span: logical.span(name_start, name_end),
        value_span: eq.map(|e| logical.span(e + 1, word.end)),
    }
}

pub(crate) fn pair_to_key_value(pair: &RawPair, logical: &LogicalLine) -> KeyValue {
    KeyValue {
        key: pair.key.clone(),
        value: pair.value.clone(),
        span: logical.span(pair.range.0, pair.range.1),
        key_span: logical.span(pair.key_range.0, pair.key_range.1),
        value_span: pair.value_range.map(|(s, e)| logical.span(s, e)),
        equals: pair.equals,
    }
}
