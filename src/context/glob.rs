//! Path cleaning and Go `path/filepath.Match` compatible globbing.
//!
//! Docker and BuildKit are written in Go; both `.dockerignore` validation and
//! COPY/ADD source wildcards are defined in terms of Go's `path.Clean` and
//! `filepath.Match` (with `/` as the separator). This module re-implements
//! those two functions so the rest of the context layer can follow them
//! exactly.

/// Error returned for a malformed glob pattern (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern;

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

impl std::error::Error for BadPattern {}

/// Lexical path cleaning with the rules of Go's `path.Clean`:
/// repeated slashes collapse, `.` elements vanish, `x/..` pairs cancel,
/// `..` directly under the root of a rooted path disappears, trailing
/// slashes are dropped and an empty result becomes `"."`.
pub fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for comp in p.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if matches!(out.last(), Some(last) if *last != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    let joined = out.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// True if a single path component contains an unescaped wildcard
/// (`*`, `?` or `[`), the test BuildKit uses to split a COPY source into a
/// literal directory part and a wildcard part.
pub fn has_wildcard(component: &str) -> bool {
    let b = component.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Go `filepath.Match(pattern, name)` on a Unix host.
///
/// `*` matches any run of non-`/` characters, `?` one non-`/` character,
/// `[...]` a character class (`^` negates, `a-z` ranges, `\` escapes) and
/// `\x` the literal `x`. The whole name must match. Like Go (1.16+), the
/// entire pattern is validated, so a syntax error anywhere is reported even
/// when the match fails early.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern;
    let mut name = name;
    'outer: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // Trailing '*' matches the rest of the name unless it has a '/'.
            return Ok(!name.contains('/'));
        }
        // Look for a match at the current position.
        let (t, ok, err) = match_chunk(chunk, name);
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if err {
            return Err(BadPattern);
        }
        if star {
            // Look for a match skipping i+1 bytes; cannot skip '/'.
            for (i, c) in name.char_indices() {
                if c == '/' {
                    break;
                }
                let after = &name[i + c.len_utf8()..];
                let (t, ok, err) = match_chunk(chunk, after);
                if ok {
                    // A final chunk must consume the whole name.
                    if pattern.is_empty() && !t.is_empty() {
                        continue;
                    }
                    name = t;
                    continue 'outer;
                }
                if err {
                    return Err(BadPattern);
                }
            }
        }
        // No match: still validate the rest of the pattern.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            let (_, _, err) = match_chunk(chunk, "");
            if err {
                return Err(BadPattern);
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Validates a pattern with Go's `filepath.Match` syntax rules.
pub fn validate_pattern(pattern: &str) -> Result<(), BadPattern> {
    go_match(pattern, ".").map(|_| ())
}

/// Splits off leading stars and the following chunk (up to the next star
/// outside a character class).
fn scan_chunk(pattern: &str) -> (bool, &str, &str) {
    let mut p = pattern;
    let mut star = false;
    while let Some(rest) = p.strip_prefix('*') {
        p = rest;
        star = true;
    }
    let b = p.as_bytes();
    let mut in_range = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    // `i` can only land inside a multi-byte char after a backslash skip;
    // move forward to a boundary (the skipped char is then part of chunk).
    while !p.is_char_boundary(i) {
        i += 1;
    }
    (star, &p[..i], &p[i..])
}

/// Matches one chunk (no stars) at the start of `s`.
/// Returns (rest of s, matched, pattern error).
fn match_chunk<'a>(chunk: &str, s: &'a str) -> (&'a str, bool, bool) {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while let Some(c0) = chunk.chars().next() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c0 {
            '[' => {
                let mut r = '\0';
                if !failed {
                    let c = s.chars().next().unwrap_or('\0');
                    r = c;
                    s = &s[c.len_utf8()..];
                }
                chunk = &chunk[1..];
                let mut negated = false;
                if let Some(rest) = chunk.strip_prefix('^') {
                    negated = true;
                    chunk = rest;
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if nrange > 0
                        && let Some(rest) = chunk.strip_prefix(']')
                    {
                        chunk = rest;
                        break;
                    }
                    let Some((lo, rest)) = get_esc(chunk) else {
                        return ("", false, true);
                    };
                    chunk = rest;
                    let mut hi = lo;
                    if let Some(rest) = chunk.strip_prefix('-') {
                        let Some((h, rest)) = get_esc(rest) else {
                            return ("", false, true);
                        };
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            '?' => {
                if !failed {
                    let c = s.chars().next().unwrap_or('\0');
                    if c == '/' {
                        failed = true;
                    }
                    s = &s[c.len_utf8().min(s.len())..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                let lit = if c0 == '\\' {
                    chunk = &chunk[1..];
                    match chunk.chars().next() {
                        Some(c) => c,
                        None => return ("", false, true),
                    }
                } else {
                    c0
                };
                if !failed {
                    match s.chars().next() {
                        Some(c) if c == lit => s = &s[c.len_utf8()..],
                        _ => failed = true,
                    }
                }
                chunk = &chunk[lit.len_utf8()..];
            }
        }
    }
    if failed {
        ("", false, false)
    } else {
        (s, true, false)
    }
}

/// One (possibly escaped) character of a class range. `None` = bad pattern.
fn get_esc(chunk: &str) -> Option<(char, &str)> {
    let mut chunk = chunk;
    let first = chunk.chars().next()?;
    if first == '-' || first == ']' {
        return None;
    }
    if first == '\\' {
        chunk = &chunk[1..];
    }
    let c = chunk.chars().next()?;
    let rest = &chunk[c.len_utf8()..];
    if rest.is_empty() {
        return None;
    }
    Some((c, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go() {
        let cases = [
            ("", "."),
            (".", "."),
            ("./a", "a"),
            ("a//b", "a/b"),
            ("a/b/", "a/b"),
            ("/a/../..", "/"),
            ("../a", "../a"),
            ("a/../../b", "../b"),
            ("/../x", "/x"),
            ("a/./b/.", "a/b"),
            ("//", "/"),
        ];
        for (i, o) in cases {
            assert_eq!(clean_path(i), o, "clean({i:?})");
        }
    }

    #[test]
    fn match_matches_go() {
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[]a]", "]", Err(BadPattern)),
            ("[-]", "-", Err(BadPattern)),
            ("[x-]", "x", Err(BadPattern)),
            ("\\", "a", Err(BadPattern)),
            ("[a-b-c]", "a", Err(BadPattern)),
            ("[", "a", Err(BadPattern)),
            ("[^", "a", Err(BadPattern)),
            ("[^bc", "a", Err(BadPattern)),
            ("a[", "a", Err(BadPattern)),
            ("a[", "ab", Err(BadPattern)),
            ("a[", "x", Err(BadPattern)),
            ("a/b[", "x", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
            ("**", "a", Ok(true)),
            ("**", "a/b", Ok(false)),
        ];
        for (p, n, want) in cases {
            assert_eq!(&go_match(p, n), want, "match({p:?}, {n:?})");
        }
    }

    #[test]
    fn wildcard_detection() {
        assert!(has_wildcard("*.txt"));
        assert!(has_wildcard("a?"));
        assert!(has_wildcard("[ab]"));
        assert!(!has_wildcard("a\\*b"));
        assert!(!has_wildcard("plain"));
    }
}
