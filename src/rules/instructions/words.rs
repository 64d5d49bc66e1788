//! The blank-separated words of an instruction's arguments with their spans in the file, for
//! rules that point at one word (FROM's image, EXPOSE's ports, COPY's destination).

use crate::source::Span;
use crate::syntax::Instruction;

/// Each word of the arguments as written (quotes kept) and its span in the file.
pub fn arg_words(inst: &Instruction) -> Vec<(&str, Span)> {
    let text = inst.args();
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let blank = matches!(c, ' ' | '\t' | '\x0B' | '\x0C' | '\r' | '\n');
        match (blank, start) {
            (true, Some(s)) => {
                let span = inst.logical.span(inst.args_start + s, inst.args_start + i);
                out.push((&text[s..i], span));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}
