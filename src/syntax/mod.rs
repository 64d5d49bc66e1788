//! The lossless Dockerfile parser. It reads a file exactly as BuildKit's parser does
//! (moby/buildkit `frontend/dockerfile/parser`), keeps a span for every part, and records a
//! token for every byte so the file prints back unchanged.

mod dump;
mod heredoc_words;
mod instruction;
mod parser;
mod tree;
mod words;

pub use dump::{buildkit_record, sexp_dump};
pub(crate) use heredoc_words::openers as heredoc_openers;
pub use parser::parse;
pub use tree::*;
pub use words::go_quote;
