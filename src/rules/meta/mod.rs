//! Findings about the file and its suppressions rather than about the build: syntax errors
//! (DL1000) and unused suppression comments (DX100).

pub mod syntax_error;
pub mod unused_suppression;
