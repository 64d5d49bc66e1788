//! Finding heredoc openers (`<<EOF`, `<<-"EOF"`, `3<<EOF`) in an instruction line the way BuildKit
//! does: split the line into shell-like words (quotes and escapes kept), then read each word that
//! has the form `[fd]<<[-]NAME`.

/// A heredoc opener found in a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Opener {
    pub name: String,
    pub fd: u32,
    pub chomp: bool,
    pub expand: bool,
    /// Byte range of the opener word in the scanned line.
    pub start: usize,
    pub end: usize,
}

/// The openers of `line`, in order. An error is BuildKit's: a malformed delimiter word.
pub(crate) fn openers(line: &str) -> Result<Vec<Opener>, String> {
    if !line.contains("<<") {
        return Ok(Vec::new());
    }
    // BuildKit ignores a lexing failure of the whole line: it then finds no heredocs.
    let Ok(words) = Lexer::new(line, true, true).words() else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for (word, start) in words {
        if let Some(opener) = opener_from_word(&word, start)? {
            found.push(opener);
        }
    }
    Ok(found)
}

fn opener_from_word(word: &str, start: usize) -> Result<Option<Opener>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let fd = word[..digits].parse::<u32>().unwrap_or(0);
    let words = Lexer::new(rest, false, false).words()?;
    if words.len() != 1 {
        return Ok(None);
    }
    let raw = Lexer::new(rest, true, false).words()?;
    if raw.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |s: &str| s.chars().filter(|c| matches!(c, '\'' | '"')).count();
    let name = words.into_iter().next().map(|w| w.0).unwrap_or_default();
    Ok(Some(Opener {
        expand: quotes(&name) == quotes(&raw[0].0),
        name,
        fd,
        chomp,
        start,
        end: start + word.len(),
    }))
}

/// Words under construction: blanks outside quotes end a word.
struct WordBuilder {
    words: Vec<(String, usize)>,
    word: String,
    start: usize,
    in_word: bool,
}

impl WordBuilder {
    fn add_char(&mut self, ch: char, at: usize) {
        if ch.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                self.words
                    .push((std::mem::take(&mut self.word), self.start));
                self.in_word = false;
            }
        } else {
            self.add_raw(&ch.to_string(), at);
        }
    }
    fn add_str(&mut self, s: &str, at: usize) {
        for ch in s.chars() {
            self.add_char(ch, at);
        }
    }
    fn add_raw(&mut self, s: &str, at: usize) {
        if self.word.is_empty() {
            self.start = at;
        }
        self.word.push_str(s);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<(String, usize)> {
        if !self.word.is_empty() {
            self.words.push((self.word, self.start));
        }
        self.words
    }
}

/// A small model of BuildKit's shell lexer with no variables set (unset ones are kept verbatim).
struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    raw_quotes: bool,
    raw_escapes: bool,
}

const ESCAPE: char = '\\';

impl<'a> Lexer<'a> {
    fn new(text: &'a str, raw_quotes: bool, raw_escapes: bool) -> Self {
        Lexer {
            text,
            pos: 0,
            raw_quotes,
            raw_escapes,
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn words(mut self) -> Result<Vec<(String, usize)>, String> {
        let raw_escapes = self.raw_escapes;
        self.stop_on(None, raw_escapes).map(|(_, words)| words)
    }

    fn stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<(String, usize)>), String> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let result = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        result
    }

    fn stop_on_inner(
        &mut self,
        stop: Option<char>,
    ) -> Result<(String, Vec<(String, usize)>), String> {
        let mut result = String::new();
        let mut words = WordBuilder {
            words: Vec::new(),
            word: String::new(),
            start: 0,
            in_word: false,
        };
        while let Some(ch) = self.peek() {
            let at = self.pos;
            if Some(ch) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match ch {
                '$' => {
                    let s = self.dollar()?;
                    result.push_str(&s);
                    words.add_str(&s, at);
                }
                '\'' => {
                    let s = self.single_quoted()?;
                    result.push_str(&s);
                    words.add_raw(&s, at);
                }
                '"' => {
                    let s = self.double_quoted()?;
                    result.push_str(&s);
                    words.add_raw(&s, at);
                }
                _ => {
                    self.next();
                    if ch == ESCAPE {
                        if self.raw_escapes {
                            words.add_raw(&ch.to_string(), at);
                            result.push(ch);
                        }
                        let Some(escaped) = self.next() else { break };
                        words.add_raw(&escaped.to_string(), at);
                        result.push(escaped);
                    } else {
                        words.add_char(ch, at);
                        result.push(ch);
                    }
                }
            }
        }
        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        Ok((result, words.finish()))
    }

    fn single_quoted(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let open = self.next();
        if self.raw_quotes {
            out.extend(open);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                Some('\'') => {
                    if self.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quoted(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let open = self.next();
        if self.raw_quotes {
            out.extend(open);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    );
                }
                Some('"') => {
                    self.next();
                    if self.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => out.push_str(&self.dollar()?),
                Some(_) => {
                    let mut ch = self.next().unwrap_or_default();
                    if ch == ESCAPE {
                        if self.raw_escapes {
                            out.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some('"' | '$' | ESCAPE) => ch = self.next().unwrap_or_default(),
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !(ch.is_alphanumeric() || ch == '_') {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    /// `$name` or `${...}`; with no variables set, the text is kept as written.
    fn dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.name();
        let ch = self.next();
        match ch {
            Some('}') => Ok(format!("${{{name}}}")),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut modifier = ch.unwrap_or_default().to_string();
                let mut op = ch;
                if ch == Some(':') {
                    op = self.next();
                    modifier.push(op.unwrap_or('\u{FFFD}'));
                }
                let raw = matches!(op, Some('#' | '%'));
                let (word, _) = self.stop_on(Some('}'), raw).map_err(|e| {
                    if self.peek().is_none() {
                        "syntax error: missing '}'".to_string()
                    } else {
                        e
                    }
                })?;
                Ok(format!("${{{name}{modifier}{word}}}"))
            }
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let (pattern, _) = self.stop_on(Some('/'), true)?;
                let (replacement, _) = self.stop_on(Some('}'), true)?;
                Ok(format!("${{{name}/{pattern}/{replacement}}}"))
            }
            other => Err(format!(
                "unsupported modifier ({}) in substitution",
                other.unwrap_or('\u{FFFD}')
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<(String, u32, bool, bool)> {
        openers(line)
            .unwrap()
            .into_iter()
            .map(|o| (o.name, o.fd, o.chomp, o.expand))
            .collect()
    }

    #[test]
    fn finds_openers() {
        assert_eq!(names("RUN <<EOF"), vec![("EOF".into(), 0, false, true)]);
        assert_eq!(
            names("COPY <<a <<\"b\" /x"),
            vec![("a".into(), 0, false, true), ("b".into(), 0, false, false)]
        );
        assert_eq!(
            names("RUN 2<<-EOF cat"),
            vec![("EOF".into(), 2, true, true)]
        );
        assert_eq!(
            names("RUN <<EOF>file"),
            vec![("EOF>file".into(), 0, false, true)]
        );
        assert!(names("RUN cat<<EOF").is_empty());
        assert!(names("RUN echo ${a <<EOF").is_empty());
        assert!(names("RUN echo \"it's <<EOF").is_empty());
        assert!(names("RUN echo '<<EOF'").is_empty());
    }

    #[test]
    fn opener_positions() {
        let o = openers("RUN  <<-EOF x").unwrap();
        assert_eq!((o[0].start, o[0].end), (5, 11));
    }
}
