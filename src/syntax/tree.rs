//! The parsed form of a Dockerfile: instructions with exact spans, plus a flat token list that
//! covers every byte of the input, so printing the tokens gives the file back unchanged.

use crate::source::Span;

#[derive(Clone, Debug)]
pub struct Dockerfile {
    /// The escape character in effect (`\` or `` ` ``), set by the `escape` directive.
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    pub errors: Vec<SyntaxError>,
    /// Contiguous, in order, covering the whole input.
    pub tokens: Vec<Token>,
}

impl Dockerfile {
    /// The input text, rebuilt from the tokens (the lossless property).
    pub fn print(&self, source: &str) -> String {
        self.tokens.iter().map(|t| t.span.text(source)).collect()
    }

    /// Comment lines (standalone or inside continuations), in order.
    pub fn comments(&self) -> impl Iterator<Item = Span> + '_ {
        self.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Comment)
            .map(|t| t.span)
    }
}

/// A parser directive at the top of the file (`# syntax=...`, `# escape=...`, `# check=...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower case.
    pub name: String,
    pub value: String,
    /// The directive's line, without its newline.
    pub span: Span,
    pub value_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Bom,
    Directive,
    Comment,
    Whitespace,
    Newline,
    /// An instruction's text on one physical line (keyword, flags, arguments).
    Text,
    /// The escape character ending a line, with the blanks after it.
    Continuation,
    HeredocBody,
    HeredocTerminator,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Instruction keywords BuildKit knows; anything else parses as `Unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub fn from_word(word: &str) -> Keyword {
        const ALL: [(&str, Keyword); 18] = [
            ("add", Keyword::Add),
            ("arg", Keyword::Arg),
            ("cmd", Keyword::Cmd),
            ("copy", Keyword::Copy),
            ("entrypoint", Keyword::Entrypoint),
            ("env", Keyword::Env),
            ("expose", Keyword::Expose),
            ("from", Keyword::From),
            ("healthcheck", Keyword::Healthcheck),
            ("label", Keyword::Label),
            ("maintainer", Keyword::Maintainer),
            ("onbuild", Keyword::Onbuild),
            ("run", Keyword::Run),
            ("shell", Keyword::Shell),
            ("stopsignal", Keyword::Stopsignal),
            ("user", Keyword::User),
            ("volume", Keyword::Volume),
            ("workdir", Keyword::Workdir),
        ];
        ALL.iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(word))
            .map(|(_, k)| *k)
            .unwrap_or(Keyword::Unknown)
    }

    /// Instructions whose arguments may open heredocs.
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }
}

/// `--name=value` or `--name` before an instruction's arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// As BuildKit hands it on: quotes and escapes processed, e.g. `--mount=type=cache,target=/x`.
    pub text: String,
    /// Without the leading `--`.
    pub name: String,
    pub value: Option<String>,
    /// The whole flag as written.
    pub span: Span,
    pub name_span: Span,
    pub value_span: Option<Span>,
}

/// A `KEY=value` pair of ENV, LABEL or ARG (or the legacy `ENV KEY value`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    /// As written: quotes kept (BuildKit keeps them here too).
    pub value: Option<String>,
    pub span: Span,
    pub key_span: Span,
    pub value_span: Option<Span>,
    /// Written as `KEY=value` (false for the legacy `ENV KEY value` and a bare `ARG NAME`).
    pub equals: bool,
}

impl KeyValue {
    /// The value with shell-style quotes removed, as the build would see it (no expansion).
    pub fn unquoted_value(&self) -> Option<String> {
        self.value.as_deref().map(unquote)
    }
}

/// Remove `"..."`/`'...'` quoting and backslash escapes the way Docker's word processing does.
pub fn unquote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    pub fd: u32,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// Unquoted delimiter: the body is subject to expansion.
    pub expand: bool,
    /// The body exactly as in the file (line endings kept, tabs not stripped).
    pub content: String,
    /// The `<<EOF` word in the instruction line.
    pub marker_span: Span,
    pub body_span: Span,
    /// The terminator line, without its newline; empty at end of file when unterminated.
    pub terminator_span: Span,
}

/// Docker's logical line: continuation lines joined, in-continuation comment and blank lines
/// dropped, escape characters at line ends removed. Maps every offset back to the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogicalLine {
    pub text: String,
    /// (offset in `text`, offset in the file) at the start of each contiguous piece.
    segments: Vec<(usize, usize)>,
    /// Where an empty logical line sits in the file (a lone escape character at the end of
    /// the file, say), so even its empty spans point into its instruction.
    anchor: usize,
}

impl LogicalLine {
    /// An empty logical line that starts at `file_offset`.
    pub(crate) fn at(file_offset: usize) -> Self {
        LogicalLine {
            anchor: file_offset,
            ..LogicalLine::default()
        }
    }

    pub(crate) fn push(&mut self, file_offset: usize, piece: &str) {
        if piece.is_empty() {
            return;
        }
        self.segments.push((self.text.len(), file_offset));
        self.text.push_str(piece);
    }

    /// The file offset of logical offset `at` (a position between characters).
    pub fn to_file(&self, at: usize) -> usize {
        if self.segments.is_empty() {
            return self.anchor;
        }
        let i = match self.segments.binary_search_by_key(&at, |s| s.0) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let (logical, file) = self.segments[i];
        file + (at - logical.min(at))
    }

    /// The file span of logical range `[start, end)`. The end maps to just past the last
    /// character, so a span that crosses a continuation ends on the right line.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let file_start = self.to_file(start);
        if end <= start {
            return Span::empty(file_start);
        }
        Span::new(file_start, self.to_file(end - 1) + 1)
    }

    /// Where the logical text's pieces sit in the file, so multi-line spans can be split:
    /// (file span, logical start) of each piece, in order.
    pub fn segments(&self) -> impl Iterator<Item = (Span, usize)> + '_ {
        (0..self.segments.len()).map(|i| self.segment(i))
    }

    /// The pieces of [`LogicalLine::segments`] that overlap the logical range `[start, end)`,
    /// found by binary search (a RUN with 100,000 continuation lines has as many pieces).
    pub fn segments_overlapping(
        &self,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = (Span, usize)> + '_ {
        let first = self
            .segments
            .partition_point(|s| s.0 <= start)
            .saturating_sub(1);
        (first..self.segments.len())
            .take_while(move |&i| i == first || self.segments[i].0 < end)
            .map(|i| self.segment(i))
    }

    fn segment(&self, i: usize) -> (Span, usize) {
        let (logical, file) = self.segments[i];
        let end = self
            .segments
            .get(i + 1)
            .map(|s| s.0)
            .unwrap_or(self.text.len());
        (Span::new(file, file + (end - logical)), logical)
    }
}

#[derive(Clone, Debug)]
pub struct Instruction {
    /// From the first byte of the first line to the end of the last line, newline included.
    pub span: Span,
    /// 1-based, as BuildKit counts (heredoc bodies included in `end_line`).
    pub start_line: usize,
    pub end_line: usize,
    /// As written (any case).
    pub keyword_text: String,
    pub keyword: Keyword,
    pub keyword_span: Span,
    pub flags: Vec<Flag>,
    pub logical: LogicalLine,
    /// The arguments after the flags, as a range of `logical.text`.
    pub args_start: usize,
    pub args_end: usize,
    /// Exec form (`["a", "b"]`).
    pub json: bool,
    /// BuildKit's argument list, exactly as its parser hands it on (the `value` of the corpus).
    pub values: Vec<String>,
    /// ENV/LABEL/ARG pairs.
    pub pairs: Vec<KeyValue>,
    pub heredocs: Vec<Heredoc>,
    /// ONBUILD's triggered instruction.
    pub inner: Option<Box<Instruction>>,
}

impl Instruction {
    pub fn args(&self) -> &str {
        &self.logical.text[self.args_start..self.args_end]
    }
    pub fn args_span(&self) -> Span {
        self.logical.span(self.args_start, self.args_end)
    }
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags
            .iter()
            .filter(move |f| f.name.eq_ignore_ascii_case(name))
    }
    /// The instruction that takes effect: ONBUILD's inner one, or itself.
    pub fn effective(&self) -> &Instruction {
        self.inner.as_deref().unwrap_or(self)
    }
    /// The last byte of the instruction's own text (before heredoc bodies), for insertions.
    pub fn text_end(&self) -> usize {
        self.logical
            .to_file(self.logical.text.len().saturating_sub(1))
            + 1
    }
}
