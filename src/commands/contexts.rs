//! Build contexts for the files of one run: which directory is each file's context, and
//! listing each context once, however many Dockerfiles share it.

use crate::context::{Context, DockerIgnore, ScanOptions, find_ignore_file};
use crate::discover::Input;
use crate::syntax::{Dockerfile, Keyword};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A context with more entries than this is listed only this far, and marked truncated: a
/// Dockerfile in a home directory must not make a lint run walk millions of files.
const MAX_CONTEXT_ENTRIES: usize = 500_000;

/// The same directory with a different ignore file (`app.Dockerfile.dockerignore`) is a
/// different context.
type ContextKey = (PathBuf, Option<PathBuf>);

/// Filled by the first file that needs the context; the others wait for it.
type ContextSlot = Arc<OnceLock<Option<Arc<Context>>>>;

pub struct BuildContexts {
    /// `--context DIR`: every file's context.
    explicit: Option<PathBuf>,
    loaded: Mutex<HashMap<ContextKey, ContextSlot>>,
}

impl BuildContexts {
    pub fn new(explicit: Option<PathBuf>) -> Result<BuildContexts, super::RunError> {
        if let Some(dir) = &explicit
            && !dir.is_dir()
        {
            return Err(super::RunError {
                path: Some(dir.clone()),
                message: "the build context (--context) is not a directory".to_string(),
            });
        }
        Ok(BuildContexts {
            explicit,
            loaded: Mutex::new(HashMap::new()),
        })
    }

    /// The context directory of an input: `--context`, else the Dockerfile's directory. For
    /// standard input that is the directory of `--stdin-filename` when it exists (editors and
    /// pre-commit pipe a file's text under its name); none without a name.
    pub fn root_of(&self, input: &Input) -> Option<PathBuf> {
        if let Some(dir) = &self.explicit {
            return Some(dir.clone());
        }
        let path = input.path();
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        match input {
            Input::Stdin(_) if path == Path::new("-") || !dir.is_dir() => None,
            Input::Stdin(_) | Input::File(_) => Some(dir),
        }
    }

    /// The build context `root` of `dockerfile`, listed once per run, or None when the file
    /// copies nothing from it (then listing it would be wasted work).
    pub fn for_dockerfile(
        &self,
        root: PathBuf,
        dockerfile: &Path,
        syntax: &Dockerfile,
    ) -> Option<Arc<Context>> {
        if !copies_from_context(syntax) {
            return None;
        }
        let ignore_file = find_ignore_file(&root, dockerfile);
        let slot = {
            let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
            loaded
                .entry((root.clone(), ignore_file.clone()))
                .or_default()
                .clone()
        };
        slot.get_or_init(|| load(&root, ignore_file).map(Arc::new))
            .clone()
    }

    /// List the context `root` of `dockerfile` again, bypassing what this run has loaded
    /// (after `dlint fix` created a `.dockerignore`).
    pub fn reload(&self, root: &Path, dockerfile: &Path) -> Option<Arc<Context>> {
        let ignore_file = find_ignore_file(root, dockerfile);
        load(root, ignore_file).map(Arc::new)
    }
}

/// Whether any instruction copies from the build context (COPY/ADD without `--from`).
pub fn copies_from_context(syntax: &Dockerfile) -> bool {
    syntax
        .instructions
        .iter()
        .any(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none())
}

/// An unreadable context is no context: the rules that need one stay silent.
fn load(root: &Path, ignore_file: Option<PathBuf>) -> Option<Context> {
    let ignore = match &ignore_file {
        Some(p) => DockerIgnore::parse(&String::from_utf8_lossy(&std::fs::read(p).ok()?)),
        None => DockerIgnore::default(),
    };
    let options = ScanOptions {
        max_entries: Some(MAX_CONTEXT_ENTRIES),
        ..ScanOptions::default()
    };
    let mut context = Context::scan(root, ignore, &options).ok()?;
    context.ignore_file = ignore_file;
    Some(context)
}
