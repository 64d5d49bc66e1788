//! An open document: its text as the editor has it (never written to disk), its version, and
//! what dlint found in it last.

use super::position::LineMap;
use lsp_types::Url;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dockerfile,
    /// A Compose file: its services' inline Dockerfiles and the build arguments it sets.
    Compose,
}

pub struct Document {
    pub uri: Url,
    pub text: String,
    pub version: i32,
    pub kind: Kind,
    /// The file, for a `file:` document: configuration and build context are found from it.
    pub path: Option<PathBuf>,
    /// The last lint of this text (None after a change, until linted again).
    pub findings: Option<Vec<crate::diagnostic::Diagnostic>>,
}

impl Document {
    /// A document dlint lints, or None for one it does not (a YAML file that is no Compose
    /// file, a language it does not know).
    pub fn open(uri: Url, language_id: &str, version: i32, text: String) -> Option<Document> {
        let path = uri.to_file_path().ok();
        let name = uri
            .path_segments()
            .and_then(|mut s| s.next_back())
            .map(|s| s.to_string())
            .unwrap_or_default();
        let kind = if crate::compose::is_compose_name(&name) {
            Kind::Compose
        } else if language_id.eq_ignore_ascii_case("dockerfile")
            || language_id.eq_ignore_ascii_case("containerfile")
            || crate::discover::is_dockerfile_name(&name)
        {
            Kind::Dockerfile
        } else {
            return None;
        };
        Some(Document {
            uri,
            text,
            version,
            kind,
            path,
            findings: None,
        })
    }

    pub fn lines(&self) -> LineMap {
        LineMap::new(&self.text)
    }

    /// The path configuration is looked up for (`-`: the server's working directory).
    pub fn config_path(&self) -> PathBuf {
        self.path.clone().unwrap_or_else(|| PathBuf::from("-"))
    }

    pub fn source(&self) -> crate::source::SourceFile {
        crate::source::SourceFile::new(self.config_path(), self.text.clone())
    }
}
