//! The line-oriented driver: parser directives, comments, continuation lines and heredoc bodies,
//! as BuildKit reads them, while recording a token for every byte of the input.

use super::heredoc_words::openers;
use super::instruction::{ParsedLine, flag_from_word, pair_to_key_value, parse_line};
use super::tree::*;
use crate::source::Span;
use std::collections::HashMap;

/// BuildKit reads lines with Go's `bufio.Scanner`, which refuses longer ones.
const MAX_LINE: usize = 65535;
const BOM: &str = "\u{feff}";

#[derive(Clone, Copy)]
struct Line {
    start: usize,
    /// End of the content: before the trailing `\r`s and `\n`.
    content_end: usize,
    /// Start of the next line.
    next: usize,
}

struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl Lines<'_> {
    fn line_at(&self, start: usize) -> Option<Line> {
        if start >= self.text.len() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let newline = bytes[start..].iter().position(|&b| b == b'\n');
        let (end, next) = match newline {
            Some(i) => (start + i, start + i + 1),
            None => (self.text.len(), self.text.len()),
        };
        let mut content_end = end;
        while content_end > start && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        Some(Line {
            start,
            content_end,
            next,
        })
    }
    fn next_line(&mut self) -> Option<Line> {
        let line = self.line_at(self.pos)?;
        self.pos = line.next;
        Some(line)
    }
}

struct Parser<'a> {
    text: &'a str,
    lines: Lines<'a>,
    line_no: usize,
    escape: char,
    directives_done: bool,
    directives: Vec<Directive>,
    instructions: Vec<Instruction>,
    errors: Vec<SyntaxError>,
    tokens: Vec<Token>,
    /// Every line's start by its content (and by its content without leading tabs), built the
    /// first time a heredoc terminator is not near its opener, so that finding terminators (or
    /// finding there is none) stays linear in the size of the file.
    line_index: Option<LineIndex<'a>>,
}

/// Line starts by content, in file order.
struct LineIndex<'a> {
    exact: HashMap<&'a str, Vec<usize>>,
    tabs_stripped: HashMap<&'a str, Vec<usize>>,
}

/// How many lines a terminator search reads before it turns to the line index.
const HEREDOC_SCAN_LINES: usize = 256;

pub fn parse(text: &str) -> Dockerfile {
    let mut p = Parser {
        text,
        lines: Lines { text, pos: 0 },
        line_no: 0,
        escape: '\\',
        directives_done: false,
        directives: Vec::new(),
        instructions: Vec::new(),
        errors: Vec::new(),
        tokens: Vec::new(),
        line_index: None,
    };
    if text.starts_with(BOM) {
        p.token(TokenKind::Bom, 0, BOM.len());
        p.lines.pos = BOM.len();
    }
    p.run();
    if p.instructions.is_empty() && p.errors.is_empty() {
        p.errors.push(SyntaxError {
            message: "file with no instructions".into(),
            span: Span::empty(text.len()),
        });
    }
    debug_assert!(covers(&p.tokens, text.len()), "tokens must cover the input");
    Dockerfile {
        escape: p.escape,
        directives: p.directives,
        instructions: p.instructions,
        errors: p.errors,
        tokens: p.tokens,
    }
}

fn covers(tokens: &[Token], len: usize) -> bool {
    let mut at = 0;
    for t in tokens {
        if t.span.start != at {
            return false;
        }
        at = t.span.end;
    }
    at == len
}

enum DirectiveLine {
    Not,
    Known {
        name: String,
        value_start: usize,
        value_end: usize,
    },
}

impl<'a> Parser<'a> {
    fn token(&mut self, kind: TokenKind, start: usize, end: usize) {
        if start < end {
            self.tokens.push(Token {
                kind,
                span: Span::new(start, end),
            });
        }
    }

    fn newline(&mut self, line: Line) {
        self.token(TokenKind::Newline, line.content_end, line.next);
    }

    fn error(&mut self, message: impl Into<String>, span: Span) {
        self.errors.push(SyntaxError {
            message: message.into(),
            span,
        });
    }

    fn check_length(&mut self, line: Line) {
        let end = if self.text.as_bytes().get(line.next.wrapping_sub(1)) == Some(&b'\n')
            && line.next > line.start
        {
            line.next - 1
        } else {
            line.next
        };
        // The BOM counts: BuildKit strips it after reading the line.
        let start = if line.start == BOM.len() && self.text.starts_with(BOM) {
            0
        } else {
            line.start
        };
        if end - start > MAX_LINE {
            self.error(
                format!("dockerfile line greater than max allowed size of {MAX_LINE}"),
                Span::new(line.start, line.content_end.min(line.start + 1)),
            );
        }
    }

    fn next_line(&mut self) -> Option<Line> {
        let line = self.lines.next_line()?;
        self.line_no += 1;
        self.check_length(line);
        Some(line)
    }

    fn run(&mut self) {
        while let Some(line) = self.next_line() {
            let content = &self.text[line.start..line.content_end];
            let body_start = line.start + (content.len() - content.trim_start().len());
            let body = &self.text[body_start..line.content_end];
            let is_directive = self.directive(body, body_start);
            self.token(TokenKind::Whitespace, line.start, body_start);
            if body.starts_with('#') {
                let kind = if is_directive {
                    TokenKind::Directive
                } else {
                    TokenKind::Comment
                };
                self.token(kind, body_start, line.content_end);
                self.newline(line);
                continue;
            }
            let (cut, continues) = continuation(body, self.escape);
            if !continues && body.is_empty() {
                self.newline(line);
                continue;
            }
            self.instruction(line, body_start, cut, continues);
        }
    }

    /// Handles a possible parser directive; true when `body` is one.
    fn directive(&mut self, body: &str, body_start: usize) -> bool {
        if self.directives_done {
            return false;
        }
        let DirectiveLine::Known {
            name,
            value_start,
            value_end,
        } = directive_line(body)
        else {
            self.directives_done = true;
            return false;
        };
        let value = body[value_start..value_end].to_string();
        let span = Span::new(body_start, body_start + body.len());
        if self.directives.iter().any(|d| d.name == name) {
            self.error(
                format!("only one {name} parser directive can be used"),
                span,
            );
            return true;
        }
        if name == "escape" {
            match value.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => {
                    self.error(
                        format!("invalid escape token '{value}' does not match ` or \\"),
                        span,
                    );
                    return true;
                }
            }
        }
        self.directives.push(Directive {
            name,
            value,
            span,
            value_span: Span::new(body_start + value_start, body_start + value_end),
        });
        true
    }

    fn instruction(&mut self, first: Line, body_start: usize, cut: usize, continues: bool) {
        let start_line = self.line_no;
        let mut logical = LogicalLine::at(body_start);
        logical.push(body_start, &self.text[body_start..body_start + cut]);
        self.token(TokenKind::Text, body_start, body_start + cut);
        self.token(TokenKind::Continuation, body_start + cut, first.content_end);
        self.newline(first);
        let mut open = continues;
        while open {
            let Some(line) = self.next_line() else { break };
            let content = &self.text[line.start..line.content_end];
            let trimmed = content.trim_start();
            let body_start = line.content_end - trimmed.len();
            if trimmed.starts_with('#') {
                self.token(TokenKind::Whitespace, line.start, body_start);
                self.token(TokenKind::Comment, body_start, line.content_end);
                self.newline(line);
                continue;
            }
            if trimmed.is_empty() {
                self.token(TokenKind::Whitespace, line.start, line.content_end);
                self.newline(line);
                continue;
            }
            let (cut, continues) = continuation(content, self.escape);
            logical.push(line.start, &content[..cut]);
            self.token(TokenKind::Text, line.start, line.start + cut);
            self.token(TokenKind::Continuation, line.start + cut, line.content_end);
            self.newline(line);
            open = continues;
        }
        let text_end = self.lines.pos;
        let parsed = match parse_line(&logical.text, 0, self.escape) {
            Ok(parsed) => parsed,
            Err(message) => {
                let span = logical.span(0, logical.text.len());
                self.error(message, span);
                return;
            }
        };
        let heredocs = if parsed.heredoc_capable() {
            match openers(&logical.text) {
                Ok(found) => found
                    .into_iter()
                    .filter_map(|o| self.heredoc_body(o, &logical))
                    .collect(),
                Err(message) => {
                    let span = logical.span(0, logical.text.len());
                    self.error(message, span);
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        };
        let end = self.lines.pos.max(text_end);
        let instruction = build(
            parsed,
            &logical,
            Span::new(first.start, end),
            start_line,
            self.line_no,
            heredocs,
        );
        self.instructions.push(instruction);
    }

    /// Reads the body of one heredoc; on a missing terminator reports it and reads nothing, so
    /// the lines after stay visible to the rest of the linter.
    fn heredoc_body(
        &mut self,
        opener: super::heredoc_words::Opener,
        logical: &LogicalLine,
    ) -> Option<Heredoc> {
        let marker_span = logical.span(opener.start, opener.end);
        let body_start = self.lines.pos;
        let Some(terminator) = self.find_terminator(body_start, &opener.name, opener.chomp) else {
            self.error("unterminated heredoc", marker_span);
            return None;
        };
        while self.lines.pos <= terminator.start {
            self.next_line();
        }
        let term_start =
            terminator.content_end - self.text[terminator.start..terminator.content_end].len();
        self.token(TokenKind::HeredocBody, body_start, terminator.start);
        self.token(
            TokenKind::HeredocTerminator,
            term_start,
            terminator.content_end,
        );
        self.newline(terminator);
        Some(Heredoc {
            name: opener.name,
            fd: opener.fd,
            chomp: opener.chomp,
            expand: opener.expand,
            content: self.text[body_start..terminator.start].to_string(),
            marker_span,
            body_span: Span::new(body_start, terminator.start),
            terminator_span: Span::new(terminator.start, terminator.content_end),
        })
    }
}

impl<'a> Parser<'a> {
    /// The first line at or after `from` that ends a heredoc named `name`.
    fn find_terminator(&mut self, from: usize, name: &str, chomp: bool) -> Option<Line> {
        let is_terminator = |line: &Line| {
            let content = &self.text[line.start..line.content_end];
            let content = if chomp {
                content.trim_start_matches('\t')
            } else {
                content
            };
            content == name
        };
        let mut pos = from;
        for _ in 0..HEREDOC_SCAN_LINES {
            let line = self.lines.line_at(pos)?;
            if is_terminator(&line) {
                return Some(line);
            }
            pos = line.next;
        }
        let text = self.text;
        let index = self.line_index.get_or_insert_with(|| LineIndex::new(text));
        let starts = if chomp {
            index.tabs_stripped.get(name)
        } else {
            index.exact.get(name)
        }?;
        let at = starts[starts.partition_point(|&start| start < pos)..].first()?;
        self.lines.line_at(*at)
    }
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut index = LineIndex {
            exact: HashMap::new(),
            tabs_stripped: HashMap::new(),
        };
        let lines = Lines { text, pos: 0 };
        let mut pos = 0;
        while let Some(line) = lines.line_at(pos) {
            let content = &text[line.start..line.content_end];
            index.exact.entry(content).or_default().push(line.start);
            index
                .tabs_stripped
                .entry(content.trim_start_matches('\t'))
                .or_default()
                .push(line.start);
            pos = line.next;
        }
        index
    }
}

fn build(
    parsed: ParsedLine,
    logical: &LogicalLine,
    span: Span,
    start_line: usize,
    end_line: usize,
    heredocs: Vec<Heredoc>,
) -> Instruction {
    let text = &logical.text;
    let inner = parsed.inner.map(|inner| {
        Box::new(build(
            *inner,
            logical,
            span,
            start_line,
            end_line,
            Vec::new(),
        ))
    });
    Instruction {
        span,
        start_line,
        end_line,
        keyword_span: logical.span(parsed.keyword_range.0, parsed.keyword_range.1),
        keyword_text: parsed.keyword_text,
        keyword: parsed.keyword,
        flags: parsed
            .flags
            .iter()
            .map(|w| flag_from_word(w, logical, text))
            .collect(),
        logical: logical.clone(),
        args_start: parsed.args_range.0,
        args_end: parsed.args_range.1,
        json: parsed.json,
        values: parsed.values,
        pairs: parsed
            .pairs
            .iter()
            .map(|p| pair_to_key_value(p, logical))
            .collect(),
        heredocs,
        inner,
    }
}

/// Strip a line-continuation escape (and the blanks after it) from the end of `line`, as
/// BuildKit's `(?:[^E])E[ \t]*$|^E[ \t]*$` does: an escape preceded by another escape does not
/// continue the line. Returns the length kept and whether the line continues.
fn continuation(line: &str, escape: char) -> (usize, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let Some(before) = trimmed.strip_suffix(escape) else {
        return (line.len(), false);
    };
    if before.ends_with(escape) {
        return (line.len(), false);
    }
    (before.len(), true)
}

/// BuildKit's directive syntax: `#` then `key = value` with key `[a-zA-Z][a-zA-Z0-9]*`; only
/// `syntax`, `escape` and `check` are directives.
fn directive_line(body: &str) -> DirectiveLine {
    let Some(after_hash) = body.strip_prefix('#') else {
        return DirectiveLine::Not;
    };
    let rest = after_hash.trim_start();
    let offset = body.len() - rest.len();
    let key_len = rest
        .char_indices()
        .take_while(|&(i, c)| {
            if i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        })
        .count();
    if key_len == 0 {
        return DirectiveLine::Not;
    }
    let is_go_space = |c: char| matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ');
    let after_key = rest[key_len..].trim_start_matches(is_go_space);
    let Some(after_eq) = after_key.strip_prefix('=') else {
        return DirectiveLine::Not;
    };
    let value = after_eq.trim_start_matches(is_go_space);
    let value_trimmed = value.trim_end_matches(is_go_space);
    if value_trimmed.is_empty() {
        return DirectiveLine::Not;
    }
    let name = rest[..key_len].to_ascii_lowercase();
    if !matches!(name.as_str(), "syntax" | "escape" | "check") {
        return DirectiveLine::Not;
    }
    let value_start = offset + (rest.len() - value.len());
    DirectiveLine::Known {
        name,
        value_start,
        value_end: value_start + value_trimmed.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_rules() {
        assert_eq!(continuation("RUN a \\", '\\'), (6, true));
        assert_eq!(continuation("RUN a \\  \t", '\\'), (6, true));
        assert_eq!(continuation("\\", '\\'), (0, true));
        assert_eq!(continuation("RUN a \\\\", '\\'), (8, false));
        assert_eq!(continuation("RUN a `", '`'), (6, true));
        assert_eq!(continuation("RUN a \\", '`'), (7, false));
    }

    #[test]
    fn round_trip_and_lines() {
        let text = "\u{feff}# syntax=docker/dockerfile:1\nFROM a AS b\r\n\nRUN x \\\n  # c\n\n  y\nRUN <<EOF\nhi\nEOF\n";
        let df = parse(text);
        assert_eq!(df.print(text), text);
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        assert_eq!(df.directives[0].value, "docker/dockerfile:1");
        let lines: Vec<_> = df
            .instructions
            .iter()
            .map(|i| (i.start_line, i.end_line))
            .collect();
        assert_eq!(lines, vec![(2, 2), (4, 7), (8, 10)]);
        assert_eq!(df.instructions[1].values, vec!["x   y"]);
        assert_eq!(df.instructions[2].heredocs[0].content, "hi\n");
    }

    #[test]
    fn empty_instruction_spans_point_into_it() {
        // A lone escape character at the end of the file makes an instruction with an empty
        // logical line; its spans must still point at it, not at the start of the file.
        let text = "\n\\";
        let df = parse(text);
        let inst = &df.instructions[0];
        assert_eq!(inst.span, Span::new(1, 2));
        assert_eq!(inst.keyword_span, Span::empty(1));
        assert_eq!(inst.args_span(), Span::empty(1));
    }

    #[test]
    fn heredoc_terminators_far_away_and_missing() {
        // Far beyond the linear scan: found through the line index, with the right lines.
        let filler = "echo x\n".repeat(HEREDOC_SCAN_LINES * 2);
        let text = format!("FROM a\nRUN <<-EOT\n{filler}\t\tEOT\nRUN <<A <<B\nB\nA\nB\n");
        let df = parse(&text);
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        let run = &df.instructions[1];
        assert_eq!(run.heredocs[0].content, filler);
        assert_eq!(run.end_line, 3 + HEREDOC_SCAN_LINES * 2);
        let two = &df.instructions[2];
        assert_eq!(two.heredocs[0].content, "B\n");
        assert_eq!(two.heredocs[1].content, "");
        // Many distinct unterminated names: each reported, every line still parsed.
        let text: String = (0..2000).map(|i| format!("RUN <<E{i}\n")).collect();
        let df = parse(&format!("FROM a\n{text}"));
        assert_eq!(df.errors.len(), 2000);
        assert_eq!(df.instructions.len(), 2001);
    }

    #[test]
    fn segments_overlapping_matches_a_full_scan() {
        let text = "RUN a \\\n  bb \\\n# c\n\n ccc \\\n d\n";
        let logical = &parse(text).instructions[0].logical;
        let len = logical.text.len();
        for start in 0..=len {
            for end in start..=len {
                let fast: Vec<_> = logical.segments_overlapping(start, end).collect();
                let slow: Vec<_> = logical
                    .segments()
                    .filter(|(span, at)| {
                        let seg_end = at + span.len();
                        start < seg_end && (*at < end || *at <= start)
                    })
                    .collect();
                for seg in &slow {
                    assert!(fast.contains(seg), "{start}..{end}: {seg:?} missing");
                }
            }
        }
    }
}
