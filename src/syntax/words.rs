//! Word-level scanning of an instruction's logical line, as BuildKit does it: the keyword, the
//! `--flags`, and the quote-aware word splitting used by ENV, LABEL and ARG.

/// Whitespace as Go's `unicode.IsSpace` sees a single byte converted to a rune (BuildKit's flag
/// scanner works on bytes, so the UTF-8 continuation bytes 0x85 and 0xA0 count as blanks).
pub(crate) fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

/// The ASCII blanks of BuildKit's `[\t\v\f\r ]+` splitting.
pub(crate) fn is_split_blank(c: char) -> bool {
    matches!(c, '\t' | '\x0B' | '\x0C' | '\r' | ' ')
}

/// A word with its byte range in the scanned text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ScannedWord {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Splits `--flag[=value]` words off the front of `line`. Returns the offset where the arguments
/// start (or `line.len()` when there are none) and the flags with their raw ranges.
pub(crate) fn extract_flags(line: &str) -> (usize, Vec<ScannedWord>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let b = line.as_bytes();
    let len = b.len();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut blank_ok = false;
    let mut quote = 0u8;
    let mut pos = 0;
    while pos <= len {
        if phase == Phase::Spaces {
            if pos == len {
                break;
            }
            let ch = b[pos];
            if is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == len || b[pos + 1] != b'-' {
                return (pos, flags);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if pos == len {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(ScannedWord {
                    text: word,
                    start: word_start,
                    end: pos,
                });
            }
            break;
        }
        let mut ch = b[pos];
        if phase == Phase::Word {
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (pos, flags);
                }
                if blank_ok || !word.is_empty() {
                    flags.push(ScannedWord {
                        text: std::mem::take(&mut word),
                        start: word_start,
                        end: pos,
                    });
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == b'\\' {
                if pos + 1 == len {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = b[pos];
            }
            // BuildKit widens each byte to a rune; for ASCII (all real flags) that is the byte.
            word.push(ch as char);
            pos += 1;
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == b'\\' {
            if pos + 1 == len {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = b[pos];
        }
        word.push(ch as char);
        pos += 1;
    }
    (len, flags)
}

/// BuildKit's `parseWords`: split on blanks outside quotes, keeping quotes and escapes in the
/// words (they are removed later, at evaluation).
pub(crate) fn split_words(rest: &str, escape: char) -> Vec<ScannedWord> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut start = 0;
    let len = rest.len();
    let char_at = |pos: usize| -> (char, usize) {
        let c = rest[pos..].chars().next().unwrap_or('\0');
        (c, c.len_utf8())
    };
    let mut pos = 0;
    loop {
        if phase == Phase::Spaces {
            if pos >= len {
                break;
            }
            let (ch, w) = char_at(pos);
            if ch.is_whitespace() {
                pos += w;
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        if pos >= len {
            if blank_ok || !word.is_empty() {
                words.push(ScannedWord {
                    text: word,
                    start,
                    end: len,
                });
            }
            break;
        }
        let (mut ch, mut w) = char_at(pos);
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(ScannedWord {
                        text: std::mem::take(&mut word),
                        start,
                        end: pos,
                    });
                }
                word.clear();
                blank_ok = false;
                pos += w;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if pos + w == len {
                    pos += w;
                    continue;
                }
                word.push(ch);
                pos += w;
                (ch, w) = char_at(pos);
            }
            word.push(ch);
            pos += w;
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if pos + w == len {
                phase = Phase::Word;
                pos += w;
                continue;
            }
            pos += w;
            word.push(ch);
            (ch, w) = char_at(pos);
        }
        word.push(ch);
        pos += w;
    }
    words
}

/// Go's `strconv.Quote`, used by BuildKit in error messages and in its parse dumps.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0C' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0B' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7F => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint` sufficient for Dockerfile text: letters, marks,
/// numbers, punctuation, symbols and the ASCII space are printable; other spaces and control
/// or format characters are not.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32, 0x00AD | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(line: &str) -> (String, Vec<String>) {
        let (at, f) = extract_flags(line);
        (
            line[at..].trim().to_string(),
            f.into_iter().map(|w| w.text).collect(),
        )
    }

    #[test]
    fn flags_are_split_off() {
        assert_eq!(flags("--link a b"), ("a b".into(), vec!["--link".into()]));
        assert_eq!(
            flags("--mount=type=cache,target=/x  -- echo hi"),
            (
                "echo hi".into(),
                vec!["--mount=type=cache,target=/x".into()]
            )
        );
        assert_eq!(flags("--a=\"b c\" x"), ("x".into(), vec!["--a=b c".into()]));
        assert_eq!(flags("-- foo"), ("foo".into(), vec![]));
        assert_eq!(flags("--x"), ("".into(), vec!["--x".into()]));
    }

    #[test]
    fn words_keep_quotes() {
        let w: Vec<_> = split_words(r#"a="b c" d=e\ f"#, '\\')
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(w, vec![r#"a="b c""#, r"d=e\ f"]);
    }

    #[test]
    fn go_quote_matches_go() {
        assert_eq!(go_quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(go_quote("é\u{1}"), "\"é\\x01\"");
    }
}
