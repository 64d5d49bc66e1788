//! Listing of a build context directory.

use std::cmp::Ordering;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::dockerignore::{DockerIgnore, MatchInfo, find_ignore_file, normalize_rel};

/// One entry of the build context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextFile {
    /// `/`-separated path relative to the context root (never empty).
    pub rel_path: String,
    /// Size in bytes (link length for symlinks, 0 for directories).
    pub size: u64,
    pub is_dir: bool,
    /// Symlinks are listed, never followed (as BuildKit transfers them).
    pub is_symlink: bool,
    /// Only for excluded directories: the walk did not descend into it
    /// (BuildKit's pruning), so its contents are not listed.
    pub pruned: bool,
}

/// Options for [`Context::scan`].
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Skip excluded directories when no exception can re-include anything
    /// below them (what BuildKit does). Default `true`. With `false`, every
    /// excluded file is listed in [`Context::excluded`], at a cost on trees
    /// such as `node_modules`.
    pub prune_excluded_dirs: bool,
    /// Stop after this many entries (files + excluded); sets `truncated`.
    pub max_entries: Option<usize>,
    /// Stop descending below this depth; sets `truncated`.
    pub max_depth: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            prune_excluded_dirs: true,
            max_entries: None,
            max_depth: 512,
        }
    }
}

/// A build context: what BuildKit would transfer, plus what it would leave
/// out because of the ignore file.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub root: PathBuf,
    /// Entries sent to the builder, sorted by path components. Includes
    /// excluded directories that are kept because a descendant is
    /// re-included by an exception (BuildKit sends those parents too).
    pub files: Vec<ContextFile>,
    /// Entries present on disk but left out by the ignore file, same order.
    pub excluded: Vec<ContextFile>,
    /// The parsed ignore file (empty if there is none).
    pub ignore: DockerIgnore,
    /// Path of the ignore file used, if any.
    pub ignore_file: Option<PathBuf>,
    /// Non-fatal problems (unreadable directories, non-UTF-8 names, ...).
    pub warnings: Vec<String>,
    /// The scan stopped early because of a limit in [`ScanOptions`].
    pub truncated: bool,
}

/// Which list an entry lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryRef {
    /// Index into [`Context::files`].
    Included(usize),
    /// Index into [`Context::excluded`].
    Excluded(usize),
}

/// Component-wise path order: all descendants of a directory directly
/// follow it.
pub fn cmp_rel_paths(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

impl Context {
    /// Finds the ignore file for `dockerfile` (see [`find_ignore_file`]),
    /// parses it and scans `root` with default options. With no Dockerfile,
    /// only `<root>/.dockerignore` is considered.
    pub fn load(root: &Path, dockerfile: Option<&Path>) -> io::Result<Context> {
        let ignore_file = match dockerfile {
            Some(df) => find_ignore_file(root, df),
            None => {
                let p = root.join(".dockerignore");
                p.is_file().then_some(p)
            }
        };
        let ignore = match &ignore_file {
            Some(p) => DockerIgnore::parse(&String::from_utf8_lossy(&fs::read(p)?)),
            None => DockerIgnore::default(),
        };
        let mut ctx = Context::scan(root, ignore, &ScanOptions::default())?;
        ctx.ignore_file = ignore_file;
        Ok(ctx)
    }

    /// Walks `root` applying `ignore`. Symlinks are never followed, so the
    /// walk cannot leave the root or loop.
    pub fn scan(root: &Path, ignore: DockerIgnore, opts: &ScanOptions) -> io::Result<Context> {
        let meta = fs::metadata(root)?;
        if !meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("build context {} is not a directory", root.display()),
            ));
        }
        let mut ctx = Context {
            root: root.to_path_buf(),
            ignore,
            ..Context::default()
        };
        let mut walker = Walker {
            opts,
            ignore: &ctx.ignore,
            files: Vec::new(),
            excluded: Vec::new(),
            warnings: Vec::new(),
            truncated: false,
        };
        walker.walk(root, "", None, 0);
        let Walker {
            mut files,
            mut excluded,
            warnings,
            truncated,
            ..
        } = walker;
        files.sort_by(|a, b| cmp_rel_paths(&a.rel_path, &b.rel_path));
        excluded.sort_by(|a, b| cmp_rel_paths(&a.rel_path, &b.rel_path));
        ctx.files = files;
        ctx.excluded = excluded;
        ctx.warnings = warnings;
        ctx.truncated = truncated;
        Ok(ctx)
    }

    /// Looks an exact (normalised) path up in either list.
    pub fn find(&self, rel_path: &str) -> Option<EntryRef> {
        let p = normalize_rel(rel_path);
        if let Some(i) = find_in(&self.files, &p) {
            return Some(EntryRef::Included(i));
        }
        find_in(&self.excluded, &p).map(EntryRef::Excluded)
    }

    /// The entry behind an [`EntryRef`].
    pub fn entry(&self, r: EntryRef) -> &ContextFile {
        match r {
            EntryRef::Included(i) => &self.files[i],
            EntryRef::Excluded(i) => &self.excluded[i],
        }
    }

    /// Is the path excluded by the ignore file (see
    /// [`DockerIgnore::is_excluded`])? Works for paths that do not exist.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.ignore.is_excluded(rel_path)
    }

    /// Indices of the descendants of directory `dir` in `list`
    /// (`""` = the root, i.e. everything).
    pub fn descendants(list: &[ContextFile], dir: &str) -> std::ops::Range<usize> {
        if dir.is_empty() {
            return 0..list.len();
        }
        let start = list.partition_point(|e| cmp_rel_paths(&e.rel_path, dir) != Ordering::Greater);
        let prefix = format!("{dir}/");
        let len = list[start..]
            .iter()
            .take_while(|e| e.rel_path.starts_with(&prefix))
            .count();
        start..start + len
    }

    /// The innermost pruned excluded directory containing `rel_path`.
    pub fn pruned_ancestor(&self, rel_path: &str) -> Option<usize> {
        let p = normalize_rel(rel_path);
        let mut best = None;
        for (i, _) in p.match_indices('/') {
            if let Some(idx) = find_in(&self.excluded, &p[..i])
                && self.excluded[idx].pruned
            {
                best = Some(idx);
            }
        }
        best
    }
}

pub(crate) fn find_in(list: &[ContextFile], p: &str) -> Option<usize> {
    list.binary_search_by(|e| cmp_rel_paths(&e.rel_path, p))
        .ok()
}

struct Walker<'a> {
    opts: &'a ScanOptions,
    ignore: &'a DockerIgnore,
    files: Vec<ContextFile>,
    excluded: Vec<ContextFile>,
    warnings: Vec<String>,
    truncated: bool,
}

impl Walker<'_> {
    fn full(&mut self) -> bool {
        if let Some(max) = self.opts.max_entries
            && self.files.len() + self.excluded.len() >= max
        {
            self.truncated = true;
        }
        self.truncated
    }

    /// Walks one directory; returns whether anything below was included.
    fn walk(&mut self, abs: &Path, rel: &str, parent: Option<&MatchInfo>, depth: usize) -> bool {
        if depth >= self.opts.max_depth {
            self.truncated = true;
            self.warnings
                .push(format!("{rel}: maximum depth reached, not descending"));
            return false;
        }
        let rd = match fs::read_dir(abs) {
            Ok(rd) => rd,
            Err(e) => {
                self.warnings.push(format!("{}: {e}", display_rel(rel)));
                return false;
            }
        };
        let mut entries: Vec<(String, fs::DirEntry)> = Vec::new();
        for ent in rd {
            match ent {
                Ok(ent) => {
                    let name = ent.file_name();
                    let name = match name.to_str() {
                        Some(s) => s.to_string(),
                        None => {
                            let lossy = name.to_string_lossy().into_owned();
                            self.warnings.push(format!(
                                "{}: file name is not valid UTF-8 (listed as {lossy:?})",
                                display_rel(rel)
                            ));
                            lossy
                        }
                    };
                    entries.push((name, ent));
                }
                Err(e) => self.warnings.push(format!("{}: {e}", display_rel(rel))),
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));

        let mut any_included = false;
        for (name, ent) in entries {
            if self.full() {
                break;
            }
            let child_rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            // DirEntry::metadata does not follow symlinks.
            let meta = match ent.metadata() {
                Ok(m) => m,
                Err(e) => {
                    self.warnings.push(format!("{child_rel}: {e}"));
                    continue;
                }
            };
            let ft = meta.file_type();
            let (is_excl, info) = if self.ignore.is_empty() {
                (false, MatchInfo::default())
            } else {
                self.ignore.match_entry(&child_rel, parent)
            };
            let mut entry = ContextFile {
                rel_path: child_rel,
                size: if ft.is_dir() { 0 } else { meta.len() },
                is_dir: ft.is_dir(),
                is_symlink: ft.is_symlink(),
                pruned: false,
            };
            if ft.is_dir() {
                if is_excl
                    && self.opts.prune_excluded_dirs
                    && self.ignore.can_skip_excluded_dir(&entry.rel_path)
                {
                    entry.pruned = true;
                    self.excluded.push(entry);
                    continue;
                }
                let below = self.walk(&ent.path(), &entry.rel_path, Some(&info), depth + 1);
                if !is_excl || below {
                    any_included = true;
                    self.files.push(entry);
                } else {
                    self.excluded.push(entry);
                }
            } else if is_excl {
                self.excluded.push(entry);
            } else {
                any_included = true;
                self.files.push(entry);
            }
        }
        any_included
    }
}

fn display_rel(rel: &str) -> &str {
    if rel.is_empty() { "." } else { rel }
}
