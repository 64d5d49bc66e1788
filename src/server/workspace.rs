//! Per-document configuration and build contexts. dlint.toml or .hadolint.yaml is found from the
//! document's directory, as the command line finds it; the build context is that directory.
//! Both are cached until a watched file changes (`workspace/didChangeWatchedFiles`) or a
//! document is saved.

use crate::commands::contexts::BuildContexts;
use crate::config::resolve::{FileSettings, Overrides, Resolver};
use crate::context::Context;
use crate::discover::Input;
use crate::syntax::Dockerfile;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Workspace {
    resolver: Resolver,
    contexts: BuildContexts,
}

/// The settings a document is linted with, or why there are none.
pub enum DocumentSettings {
    Lint(Box<FileSettings>),
    /// `exclude` in the configuration names the file.
    Excluded,
    /// The configuration does not load: the message names file, line and column.
    Invalid(String),
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            resolver: fresh_resolver(),
            contexts: fresh_contexts(),
        }
    }

    /// Forget every configuration and context read so far.
    pub fn reload(&mut self) {
        *self = Workspace::new();
    }

    /// Forget the build contexts (files were added or removed).
    pub fn forget_contexts(&mut self) {
        self.contexts = fresh_contexts();
    }

    /// The settings of the document at `path` (`-` for a document with no file).
    pub fn settings_for(&mut self, path: &Path) -> DocumentSettings {
        let invalid = |e: crate::config::ConfigError| DocumentSettings::Invalid(e.render(false));
        match self.resolver.is_excluded(path) {
            Err(e) => return invalid(e),
            Ok(true) => return DocumentSettings::Excluded,
            Ok(false) => {}
        }
        match self.resolver.settings_for(path) {
            Ok(settings) => DocumentSettings::Lint(Box::new(settings)),
            Err(e) => invalid(e),
        }
    }

    /// The build context of a document at `path`: its directory (none without a file).
    pub fn context_for(&self, path: Option<&Path>, syntax: &Dockerfile) -> Option<Arc<Context>> {
        let input = Input::File(path?.to_path_buf());
        let root = self.contexts.root_of(&input)?;
        self.contexts.for_dockerfile(root, input.path(), syntax)
    }

    /// The context of a Compose service (its own directory).
    pub fn service_context(
        &self,
        root: PathBuf,
        dockerfile: &Path,
        syntax: &Dockerfile,
    ) -> Option<Arc<Context>> {
        self.contexts.for_dockerfile(root, dockerfile, syntax)
    }
}

fn fresh_resolver() -> Resolver {
    Resolver::new(Overrides::default()).expect("no --config file to read")
}

fn fresh_contexts() -> BuildContexts {
    BuildContexts::new(None).expect("no --context directory to check")
}
