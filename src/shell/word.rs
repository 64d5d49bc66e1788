//! Shell words: their unquoted value and the map from value bytes back to script bytes.

use std::ops::Range;

use tree_sitter::Node;

use crate::source::Span;

/// One word of a command line (an argv entry, an assignment value, a redirect target).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Raw extent in the script text, quotes included.
    pub span: Span,
    /// The value the shell sees before expansion: quotes removed, backslash escapes and
    /// `$'...'` escapes resolved. Expansions (`$X`, `${X}`, `$(..)`, `` `..` ``, `$((..))`)
    /// are kept verbatim as raw text.
    pub value: String,
    /// False when the value contains an expansion, so the real argument is unknown.
    pub is_literal: bool,
    /// Where each run of `value` comes from, in value order, covering all of `value`.
    pub pieces: Vec<ValuePiece>,
}

/// A run of a word's value and the script bytes it was produced from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValuePiece {
    /// Start of the run in `Word::value`.
    pub value_start: usize,
    /// End of the run in `Word::value`.
    pub value_end: usize,
    /// The script bytes the run comes from.
    pub text: Span,
    /// True when value and text bytes correspond one to one (plain or quoted text); false
    /// for an escape such as `\"` or `\x41`, whose value maps to the escape as a whole.
    pub exact: bool,
}

impl Word {
    /// The script span that produced `value_range` of the value, e.g. the bytes of
    /// `--no-cache-dir` inside `"--no-cache-dir"`. A range that starts or ends inside an
    /// escape widens to the whole escape. An empty range maps to an empty span.
    pub fn text_span(&self, value_range: Range<usize>) -> Span {
        let start = self.text_offset(value_range.start, Side::Start);
        if value_range.end <= value_range.start {
            return Span::empty(start);
        }
        let end = self.text_offset(value_range.end, Side::End);
        Span::new(start, end.max(start))
    }

    fn text_offset(&self, value_offset: usize, side: Side) -> usize {
        let Some(last) = self.pieces.last() else {
            // Empty value such as `""`: point just inside the opening quote, if any.
            return (self.span.start + 1).min(self.span.end);
        };
        if value_offset >= last.value_end {
            return last.text.end;
        }
        // The piece holding the byte at `value_offset` (for a start) or just before it (for an end).
        let probe = match side {
            Side::Start => value_offset,
            Side::End => value_offset.saturating_sub(1),
        };
        let index = self.pieces.partition_point(|p| p.value_end <= probe);
        let piece = &self.pieces[index];
        match (piece.exact, side) {
            (true, _) => piece.text.start + (value_offset - piece.value_start),
            (false, Side::Start) => piece.text.start,
            (false, Side::End) => piece.text.end,
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Start,
    End,
}

/// Node kinds whose text is an expansion: kept verbatim and making the word non-literal.
const EXPANSION_KINDS: &[&str] = &[
    "simple_expansion",
    "expansion",
    "command_substitution",
    "arithmetic_expansion",
    "process_substitution",
];

pub(crate) fn is_expansion(kind: &str) -> bool {
    EXPANSION_KINDS.contains(&kind)
}

/// Word nodes nest only a few levels in real scripts; past this, text is taken verbatim so
/// that hostile input such as `a=a=a=...` cannot exhaust the stack.
const MAX_WORD_DEPTH: usize = 32;

/// Builds a `Word` from a syntax node of `text`.
pub(crate) fn build_word(node: Node, text: &str) -> Word {
    let mut builder = WordBuilder::new(text, node.end_byte() - node.start_byte());
    builder.push_node(node, 0);
    builder.finish(Span::new(node.start_byte(), node.end_byte()))
}

/// Builds a `Word` from raw text that tree-sitter keeps as one leaf but may contain quotes,
/// such as a heredoc delimiter `'EOF'`.
pub(crate) fn build_quoted_leaf(span: Span, text: &str) -> Word {
    let mut builder = WordBuilder::new(text, span.len());
    builder.push_quoted_text(span);
    builder.finish(span)
}

/// A word whose value is its raw text, e.g. a keyword such as `export` or `[[`.
pub(crate) fn build_verbatim(span: Span, text: &str) -> Word {
    let mut builder = WordBuilder::new(text, span.len());
    builder.push_exact(span.start, span.end);
    builder.finish(span)
}

/// Builds a word's value and pieces run by run; contiguous exact runs merge into one piece.
pub(super) struct WordBuilder<'a> {
    text: &'a str,
    value: String,
    pieces: Vec<ValuePiece>,
    is_literal: bool,
}

impl<'a> WordBuilder<'a> {
    /// `text_len`: the word's raw length, which its value rarely exceeds. Most words are one
    /// piece, so the piece vector starts with room for one (the default growth would give four).
    pub(super) fn new(text: &'a str, text_len: usize) -> Self {
        WordBuilder {
            text,
            value: String::with_capacity(text_len),
            pieces: Vec::with_capacity(1),
            is_literal: true,
        }
    }

    pub(super) fn finish(self, span: Span) -> Word {
        Word {
            span,
            value: self.value,
            is_literal: self.is_literal,
            pieces: self.pieces,
        }
    }

    fn push_node(&mut self, node: Node, depth: usize) {
        let (start, end) = (node.start_byte(), node.end_byte());
        match node.kind() {
            kind if is_expansion(kind) => self.push_expansion(start, end),
            _ if depth > MAX_WORD_DEPTH => self.push_verbatim_checked(node),
            "raw_string" => {
                let (inner_start, inner_end) = self.quoted_inner(start, end, "'", b'\'');
                self.push_exact(inner_start, inner_end);
            }
            "string" => self.push_double_quoted(node),
            "translated_string" => {
                // `$"..."`: a locale-translated double-quoted string.
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.push_node(child, depth + 1);
                }
            }
            "ansi_c_string" => self.push_ansi_c(start, end),
            "concatenation" | "command_name" | "variable_assignment" => {
                self.push_children_and_gaps(node, depth)
            }
            "word" | "number" | "extglob_pattern" | "regex" | "variable_name" | "test_operator" => {
                if node.named_child_count() == 0 {
                    self.push_unquoted(start, end);
                } else {
                    self.push_verbatim_checked(node);
                }
            }
            _ => self.push_verbatim_checked(node),
        }
    }

    /// Concatenated parts; bytes between child nodes (operators like `=`) are unquoted text.
    fn push_children_and_gaps(&mut self, node: Node, depth: usize) {
        let mut at = node.start_byte();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.start_byte() > at {
                self.push_unquoted(at, child.start_byte());
            }
            if child.is_named() {
                self.push_node(child, depth + 1);
            } else {
                self.push_unquoted(child.start_byte(), child.end_byte());
            }
            at = at.max(child.end_byte());
        }
        if node.end_byte() > at {
            self.push_unquoted(at, node.end_byte());
        }
    }

    /// Text of a node we do not take apart (arrays, error nodes): verbatim, and non-literal
    /// if any expansion hides inside.
    fn push_verbatim_checked(&mut self, node: Node) {
        if contains_expansion(node) {
            self.is_literal = false;
        }
        self.push_exact(node.start_byte(), node.end_byte());
    }

    /// The bytes between the quotes of a quoted node; a quote that error recovery left out
    /// is simply not stripped.
    fn quoted_inner(&self, start: usize, end: usize, open: &str, close: u8) -> (usize, usize) {
        let inner_start = if self.text[start..end].starts_with(open) {
            start + open.len()
        } else {
            start
        };
        let inner_end = if end > inner_start && self.text.as_bytes()[end - 1] == close {
            end - 1
        } else {
            end
        };
        (inner_start, inner_end)
    }

    /// An expansion, kept verbatim: the word's value is no longer known.
    pub(super) fn push_expansion(&mut self, start: usize, end: usize) {
        self.is_literal = false;
        self.push_exact(start, end);
    }

    pub(super) fn push_exact(&mut self, start: usize, end: usize) {
        if start >= end {
            return;
        }
        let value_start = self.value.len();
        self.value.push_str(&self.text[start..end]);
        let piece = ValuePiece {
            value_start,
            value_end: self.value.len(),
            text: Span::new(start, end),
            exact: true,
        };
        push_merged(&mut self.pieces, piece);
    }

    /// An escape: `produced` stands for the whole of `text[start..end]`.
    fn push_escape(&mut self, produced: &str, start: usize, end: usize) {
        if produced.is_empty() {
            return;
        }
        let value_start = self.value.len();
        self.value.push_str(produced);
        self.pieces.push(ValuePiece {
            value_start,
            value_end: self.value.len(),
            text: Span::new(start, end),
            exact: false,
        });
    }

    /// Unquoted text: `\c` is `c`, backslash-newline disappears.
    fn push_unquoted(&mut self, start: usize, end: usize) {
        self.push_backslashed(start, end, |_| true);
    }

    /// Inside double quotes a backslash only escapes `$`, `` ` ``, `"`, `\` and newline.
    fn push_double_quoted(&mut self, node: Node) {
        let (inner_start, inner_end) =
            self.quoted_inner(node.start_byte(), node.end_byte(), "\"", b'"');
        let mut at = inner_start;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if !is_expansion(child.kind()) || child.start_byte() < at {
                continue;
            }
            self.push_backslashed(at, child.start_byte(), is_double_quote_escapable);
            self.is_literal = false;
            self.push_exact(child.start_byte(), child.end_byte());
            at = child.end_byte();
        }
        if inner_end > at {
            self.push_backslashed(at, inner_end, is_double_quote_escapable);
        }
    }

    fn push_backslashed(&mut self, start: usize, end: usize, escapable: impl Fn(char) -> bool) {
        let segment = &self.text[start..end];
        let mut run_start = start;
        let mut chars = segment.char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            if c != '\\' {
                continue;
            }
            let Some(&(next_offset, next)) = chars.peek() else {
                break; // a trailing lone backslash stays literal
            };
            if !escapable(next) {
                continue;
            }
            chars.next();
            let escape_start = start + offset;
            let escape_end = start + next_offset + next.len_utf8();
            self.push_exact(run_start, escape_start);
            if next != '\n' {
                let mut buf = [0; 4];
                self.push_escape(next.encode_utf8(&mut buf), escape_start, escape_end);
            }
            run_start = escape_end;
        }
        self.push_exact(run_start, end);
    }

    /// A leaf whose raw text may mix unquoted, `'...'` and `"..."` parts (no expansions are
    /// interpreted: heredoc delimiters are never expanded).
    fn push_quoted_text(&mut self, span: Span) {
        let bytes = self.text.as_bytes();
        let mut at = span.start;
        while at < span.end {
            match bytes[at] {
                quote @ (b'\'' | b'"') => {
                    let close = self.text[at + 1..span.end]
                        .find(quote as char)
                        .map_or(span.end, |i| at + 1 + i);
                    if quote == b'\'' {
                        self.push_exact(at + 1, close);
                    } else {
                        self.push_backslashed(at + 1, close, is_double_quote_escapable);
                    }
                    at = (close + 1).min(span.end);
                }
                _ => {
                    let next_quote = self.text[at..span.end]
                        .find(['\'', '"'])
                        .map_or(span.end, |i| at + i);
                    self.push_unquoted(at, next_quote);
                    at = next_quote;
                }
            }
        }
    }

    /// `$'...'`: C-style escapes as bash decodes them.
    fn push_ansi_c(&mut self, start: usize, end: usize) {
        let (inner_start, inner_end) = self.quoted_inner(start, end, "$'", b'\'');
        let inner = &self.text[inner_start..inner_end];
        let mut run_start = inner_start;
        let mut offset = 0;
        while let Some(found) = inner[offset..].find('\\') {
            let escape_at = offset + found;
            let Some((produced, escape_len)) = decode_ansi_c_escape(&inner[escape_at + 1..]) else {
                offset = escape_at + 1;
                continue;
            };
            let escape_start = inner_start + escape_at;
            let escape_end = escape_start + 1 + escape_len;
            self.push_exact(run_start, escape_start);
            self.push_escape(&produced, escape_start, escape_end);
            run_start = escape_end;
            offset = escape_at + 1 + escape_len;
        }
        self.push_exact(run_start, inner_end);
    }
}

fn is_double_quote_escapable(c: char) -> bool {
    matches!(c, '$' | '`' | '"' | '\\' | '\n')
}

/// Decodes the escape after a backslash in `$'...'`: the produced text and how many bytes
/// after the backslash it used. `None` leaves the backslash as a literal character.
fn decode_ansi_c_escape(rest: &str) -> Option<(String, usize)> {
    let first = rest.chars().next()?;
    let simple = match first {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'e' | 'E' => Some('\x1b'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        '\\' | '\'' | '"' | '?' => Some(first),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c.to_string(), first.len_utf8()));
    }
    let (radix, max_digits, skip) = match first {
        'x' => (16, 2, 1),
        'u' => (16, 4, 1),
        'U' => (16, 8, 1),
        '0'..='7' => (8, 3, 0),
        _ => return None,
    };
    let digits: String = rest[skip..]
        .chars()
        .take_while(|c| c.is_digit(radix))
        .take(max_digits)
        .collect();
    if digits.is_empty() {
        return None;
    }
    let code = u32::from_str_radix(&digits, radix).ok()?;
    let produced = if first == 'u' || first == 'U' {
        char::from_u32(code)?.to_string()
    } else {
        // `\xHH` and octal escapes are single bytes; keep only those that are valid UTF-8 alone.
        char::from_u32(code).filter(char::is_ascii)?.to_string()
    };
    Some((produced, skip + digits.len()))
}

/// Whether an expansion node occurs anywhere under `node`, without recursion.
fn contains_expansion(node: Node) -> bool {
    let mut cursor = node.walk();
    loop {
        if is_expansion(cursor.node().kind()) {
            return true;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == node {
                return false;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
        }
    }
}

/// Maps spans and words parsed from a word's value (the script of `sh -c '...'`) back into
/// the text that word came from.
#[derive(Clone, Copy)]
pub(crate) struct ValueOrigin<'w> {
    pub word: &'w Word,
    /// Where the nested script starts in `word.value` (non-zero for `--command=...`).
    pub value_offset: usize,
}

impl ValueOrigin<'_> {
    pub fn span(&self, local: Span) -> Span {
        self.word
            .text_span(local.start + self.value_offset..local.end + self.value_offset)
    }

    pub fn word(&self, local: Word) -> Word {
        let mut pieces: Vec<ValuePiece> = Vec::with_capacity(local.pieces.len());
        for piece in &local.pieces {
            let from = piece.text.start + self.value_offset;
            let to = piece.text.end + self.value_offset;
            if !piece.exact {
                let text = self.word.text_span(from..to);
                pieces.push(ValuePiece { text, ..*piece });
                continue;
            }
            // An exact run may straddle several pieces of the outer word: split it there.
            let outer = &self.word.pieces;
            let mut index = outer.partition_point(|p| p.value_end <= from);
            while let Some(outer_piece) = outer.get(index).filter(|p| p.value_start < to) {
                let overlap_start = from.max(outer_piece.value_start);
                let overlap_end = to.min(outer_piece.value_end);
                let text = if outer_piece.exact {
                    let base = outer_piece.text.start - outer_piece.value_start;
                    Span::new(base + overlap_start, base + overlap_end)
                } else {
                    outer_piece.text
                };
                let value_start = piece.value_start + (overlap_start - from);
                let value_end = piece.value_start + (overlap_end - from);
                push_merged(
                    &mut pieces,
                    ValuePiece {
                        value_start,
                        value_end,
                        text,
                        exact: outer_piece.exact,
                    },
                );
                index += 1;
            }
        }
        Word {
            span: self.span(local.span),
            pieces,
            ..local
        }
    }
}

/// Appends `piece`, extending the last one instead when both are exact and contiguous.
fn push_merged(pieces: &mut Vec<ValuePiece>, piece: ValuePiece) {
    if let Some(last) = pieces.last_mut()
        && last.exact
        && piece.exact
        && last.text.end == piece.text.start
        && last.value_end == piece.value_start
    {
        last.value_end = piece.value_end;
        last.text.end = piece.text.end;
        return;
    }
    pieces.push(piece);
}
