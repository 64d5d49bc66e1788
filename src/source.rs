//! A file's text and the mapping between byte offsets and line/column positions.

use std::path::PathBuf;

/// A half-open byte range `[start, end)` into a file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }
    pub const fn len(&self) -> usize {
        self.end - self.start
    }
    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn text(self, source: &str) -> &str {
        &source[self.start..self.end]
    }
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line, so offsets map to line/column in O(log n).
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// An ASCII text's columns are byte distances: no need to count characters, which on a
    /// long line with many findings cost a pass over the line per finding.
    ascii: bool,
    /// For other texts, the number of characters before each block of [`CHAR_BLOCK`]
    /// bytes, so a column costs at most two blocks' counting, however long its line.
    chars_before_block: Vec<usize>,
}

const CHAR_BLOCK: usize = 4096;

/// Characters in `bytes`: the bytes that do not continue a UTF-8 sequence.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        let ascii = text.is_ascii();
        let mut chars_before_block = Vec::new();
        if !ascii {
            let mut before = 0;
            for block in text.as_bytes().chunks(CHAR_BLOCK) {
                chars_before_block.push(before);
                before += count_chars(block);
            }
            // For the end of a text whose length is a whole number of blocks.
            chars_before_block.push(before);
        }
        LineIndex {
            line_starts,
            ascii,
            chars_before_block,
        }
    }

    /// Number of lines; a final line without newline counts, an empty tail after `\n` does too.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_start(&self, line0: usize) -> usize {
        self.line_starts[line0.min(self.line_starts.len() - 1)]
    }

    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line0 = self.line_of(offset);
        let start = self.line_starts[line0];
        LineCol {
            line: line0 + 1,
            column: if self.ascii {
                offset - start + 1
            } else {
                self.chars_before(text, offset) - self.chars_before(text, start) + 1
            },
        }
    }

    /// Characters in `text[..offset]` (`offset` on a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / CHAR_BLOCK;
        let counted = self.chars_before_block.get(block).copied().unwrap_or(0);
        counted + count_chars(&text.as_bytes()[block * CHAR_BLOCK..offset])
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A Dockerfile as read from disk or stdin.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it or as the walk found it; used in every report.
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            lines,
        }
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    pub fn display_path(&self) -> String {
        self.path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "FROM a\nRUN é x\r\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 7), LineCol { line: 2, column: 1 });
        // after the two-byte é
        assert_eq!(idx.line_col(text, 13), LineCol { line: 2, column: 6 });
        assert_eq!(
            idx.line_col(text, text.len()),
            LineCol { line: 3, column: 5 }
        );
    }

    #[test]
    fn columns_of_long_non_ascii_lines_count_characters() {
        // Lines across several blocks of the character index, with multi-byte characters
        // on both sides of block boundaries.
        // 1926 makes the text 9 blocks long exactly.
        for tail in [5000, 1926] {
            check_columns(&format!(
                "FROM a\nRUN {}\n{}",
                "é€x😀 ".repeat(3000),
                "ü".repeat(tail)
            ));
        }
    }

    fn check_columns(text: &str) {
        let text = text.to_string();
        let idx = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(97).chain([(text.len(), ' ')]) {
            let line0 = idx.line_of(offset);
            let start = idx.line_start(line0);
            let want = LineCol {
                line: line0 + 1,
                column: text[start..offset].chars().count() + 1,
            };
            assert_eq!(idx.line_col(&text, offset), want, "offset {offset}");
        }
    }
}
