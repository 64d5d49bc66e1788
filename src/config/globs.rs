//! Globs over paths, relative to the directory of the configuration file that holds them
//! (`exclude`, `per-file-ignores`).
//!
//! They read like `.gitignore` lines: a pattern without `/` matches a name at any depth
//! (`*.generated.Dockerfile`, `vendor`); one with `/` is anchored at the configuration's
//! directory (`legacy/**`, `/Dockerfile`); `*` stays within one directory, `**` crosses them.
//! A pattern matching a directory covers everything below it.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct PathGlobs {
    dir: PathBuf,
    set: GlobSet,
}

impl PathGlobs {
    /// `dir` must be absolute; the error names the bad pattern.
    pub fn new(dir: &Path, patterns: &[&str]) -> Result<PathGlobs, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let mut p = pattern.trim();
            p = p.strip_prefix("./").unwrap_or(p);
            p = p.strip_suffix('/').unwrap_or(p);
            let anchored = match p.strip_prefix('/') {
                Some(rest) => rest.to_string(),
                None if p.contains('/') => p.to_string(),
                None => format!("**/{p}"),
            };
            let glob = GlobBuilder::new(&anchored)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("invalid glob `{pattern}`: {}", e.kind()))?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| format!("invalid glob: {}", e.kind()))?;
        Ok(PathGlobs {
            dir: dir.to_path_buf(),
            set,
        })
    }

    /// Whether `file` (absolute) or a directory above it, up to the globs' directory, matches.
    pub fn matches(&self, file: &Path) -> bool {
        let Ok(relative) = file.strip_prefix(&self.dir) else {
            return false;
        };
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.set.is_match(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_like() {
        let dir = Path::new("/repo");
        let g = PathGlobs::new(dir, &["vendor/", "/Dockerfile", "legacy/*.Dockerfile"]).unwrap();
        assert!(g.matches(Path::new("/repo/vendor/Dockerfile")));
        assert!(g.matches(Path::new("/repo/a/vendor/b/Dockerfile")));
        assert!(g.matches(Path::new("/repo/Dockerfile")));
        assert!(!g.matches(Path::new("/repo/app/Dockerfile")));
        assert!(g.matches(Path::new("/repo/legacy/x.Dockerfile")));
        assert!(!g.matches(Path::new("/repo/legacy/deep/x.Dockerfile")));
        assert!(!g.matches(Path::new("/elsewhere/vendor/Dockerfile")));
        assert!(PathGlobs::new(dir, &["a[b"]).unwrap_err().contains("a[b"));
    }
}
