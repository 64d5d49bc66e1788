//! Positions as LSP counts them: 0-based lines, columns in UTF-16 code units. dlint counts in
//! byte offsets; this converts both ways and applies incremental edits.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// Line starts of one text, for converting offsets and positions.
pub struct LineMap {
    starts: Vec<usize>,
}

impl LineMap {
    pub fn new(text: &str) -> LineMap {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineMap { starts }
    }

    /// The position of byte `offset` (clamped to the text, and to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column: usize = text[self.starts[line]..offset]
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, text: &str, span: crate::source::Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte offset of `position`. A column past the end of its line means the line's end
    /// (before its line break), a line past the end means the end of the text: what LSP asks.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |&next| next - 1);
        let line = &text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

/// Apply one `didChange` content change: a range replaced, or (no range) the whole text.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let map = LineMap::new(text);
            let start = map.offset(text, range.start);
            let end = map.offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // "é" is 2 bytes and 1 unit, "😀" is 4 bytes and 2 units.
        let text = "FROM a\nLABEL x=\"é😀\" y=1\r\nRUN b";
        let map = LineMap::new(text);
        let y = text.find("y=").unwrap();
        // `LABEL x="` 9 units, `é` 1, `😀` 2, `" ` 2.
        assert_eq!(map.position(text, y), Position::new(1, 14));
        assert_eq!(map.offset(text, Position::new(1, 14)), y);
        let run = text.find("RUN").unwrap();
        assert_eq!(map.position(text, run), Position::new(2, 0));
        // Past the end of a line: its end, before "\r\n".
        assert_eq!(
            map.offset(text, Position::new(1, 99)),
            text.find("\r\n").unwrap()
        );
        assert_eq!(map.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(map.position(text, text.len()), Position::new(2, 5));
    }

    #[test]
    fn incremental_changes_apply_in_utf16() {
        let mut text = "FROM a\nLABEL k=\"ü\"\n".to_string();
        let change = |sl, sc, el, ec, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: t.to_string(),
        };
        apply_change(&mut text, change(1, 9, 1, 10, "😀"));
        assert_eq!(text, "FROM a\nLABEL k=\"😀\"\n");
        apply_change(&mut text, change(1, 11, 1, 11, "x"));
        assert_eq!(text, "FROM a\nLABEL k=\"😀x\"\n");
        apply_change(&mut text, change(0, 5, 1, 0, "b\n"));
        assert_eq!(text, "FROM b\nLABEL k=\"😀x\"\n");
    }
}
