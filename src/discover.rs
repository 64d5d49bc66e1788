//! Which files to lint: explicit paths as given, directories walked (respecting .gitignore,
//! .ignore and hidden-file conventions) for Dockerfile-like and Compose file names, and `-`
//! for stdin.

use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    /// Standard input, reported under this name.
    Stdin(PathBuf),
}

impl Input {
    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Stdin(p) => p,
        }
    }
}

#[derive(Debug)]
pub struct DiscoveryError {
    pub path: PathBuf,
    pub message: String,
}

/// Whether a file name is a Dockerfile by dlint's conventions.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") || lower.ends_with(".containerignore") {
        return false;
    }
    // `Dockerfile-dev` is a Dockerfile; `Dockerfile-notes.md` is not.
    let dashed = (lower.starts_with("dockerfile-") || lower.starts_with("containerfile-"))
        && !NOT_DOCKERFILE_EXTENSIONS
            .iter()
            .any(|ext| lower.ends_with(ext));
    lower == "dockerfile"
        || lower == "containerfile"
        || dashed
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

/// Extensions that make a `Dockerfile-*` name something else (notes, scripts, data).
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    ".md", ".txt", ".rst", ".json", ".yml", ".yaml", ".toml", ".sh", ".py", ".js", ".ts", ".bak",
    ".orig", ".swp",
];

/// Folders the walk never enters, hidden or not: version-control data. Other hidden folders
/// (`.devcontainer`, `.github`, `.ci`) often hold Dockerfiles and are walked; ignore files
/// (`.gitignore`, `.ignore`) still apply.
const NEVER_WALKED: &[&str] = &[".git", ".hg", ".svn", ".jj", ".bzr"];

/// Whether an explicitly named file is a Dockerfile: by its name, or (any name) by its first
/// line being a Dockerfile instruction, comment or parser directive.
fn looks_like_dockerfile(path: &Path) -> bool {
    let name = file_name(path);
    if is_dockerfile_name(&name) || crate::compose::is_compose_name(&name) {
        return true;
    }
    let Ok(text) = read_text(path) else {
        // Unreadable: reading it later reports why.
        return true;
    };
    let df = crate::syntax::parse(&text);
    match df.instructions.first() {
        Some(first) => first.keyword != crate::syntax::Keyword::Unknown,
        // Only comments and blank lines: an empty Dockerfile, not some other file.
        None => text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#')
        }),
    }
}

/// What the command-line paths expand to.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Sorted by path.
    pub inputs: Vec<Input>,
    /// Missing paths, files that are not Dockerfiles, unreadable folders.
    pub errors: Vec<DiscoveryError>,
    /// Folders walked in which no Dockerfile or Compose file was found.
    pub empty_walks: Vec<PathBuf>,
}

/// Expand the command-line paths into inputs. Missing paths and named files that are not
/// Dockerfiles are errors; the rest are still returned.
/// Named paths from which their metadata is asked for in parallel.
const PARALLEL_STAT_MIN: usize = 256;

pub fn discover(paths: &[PathBuf], stdin_filename: Option<&Path>) -> Discovered {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut empty_walks = Vec::new();
    // A system call per path named: on two threads when there are many (a shell glob or
    // `xargs` can name thousands), before the files are linted in parallel.
    let metadata = |path: &PathBuf| std::fs::metadata(path);
    let metas: Vec<_> = if paths.len() >= PARALLEL_STAT_MIN {
        use rayon::prelude::*;
        paths.par_iter().map(metadata).collect()
    } else {
        paths.iter().map(metadata).collect()
    };
    for (path, meta) in paths.iter().zip(metas) {
        if path.as_os_str() == "-" {
            let name = stdin_filename
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("-"));
            inputs.push(Input::Stdin(name));
            continue;
        }
        match meta {
            Err(e) => errors.push(DiscoveryError {
                path: path.clone(),
                message: describe_io_error(&e),
            }),
            Ok(meta) if meta.is_dir() && !is_dockerfile_name(&file_name(path)) => {
                let before = inputs.len();
                walk(path, &mut inputs, &mut errors);
                if inputs.len() == before {
                    empty_walks.push(path.clone());
                }
            }
            Ok(meta) if meta.is_file() && !looks_like_dockerfile(path) => {
                errors.push(DiscoveryError {
                    path: path.clone(),
                    message: "not a Dockerfile: neither its name (Dockerfile, Dockerfile.*, Dockerfile-*, *.Dockerfile, a Compose file) nor its first line (an instruction) says it is one".to_string(),
                })
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    inputs.sort();
    inputs.dedup();
    Discovered {
        inputs,
        errors,
        empty_walks,
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn walk(root: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<DiscoveryError>) {
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .follow_links(false)
        .hidden(false)
        .filter_entry(|entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && NEVER_WALKED.contains(&entry.file_name().to_string_lossy().as_ref()))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry
                    .file_type()
                    .is_some_and(|t| t.is_file() || t.is_symlink());
                let name = entry.file_name().to_string_lossy();
                if is_file && (is_dockerfile_name(&name) || crate::compose::is_compose_name(&name))
                {
                    let path = entry.into_path();
                    let path = path
                        .strip_prefix("./")
                        .map(Path::to_path_buf)
                        .unwrap_or(path);
                    inputs.push(Input::File(path));
                }
            }
            Err(e) => errors.push(DiscoveryError {
                path: root.to_path_buf(),
                message: e.to_string(),
            }),
        }
    }
}

pub fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Read a file as UTF-8 text; errors name the problem (and the byte offset for bad UTF-8).
pub fn read_text(path: &Path) -> Result<String, String> {
    use std::io::Read;
    // The open file's metadata, not the path's: one path lookup per file, not two.
    let mut file = std::fs::File::open(path).map_err(|e| describe_io_error(&e))?;
    let meta = file.metadata().map_err(|e| describe_io_error(&e))?;
    if meta.is_dir() {
        return Err("is a directory, not a Dockerfile".to_string());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| describe_io_error(&e))?;
    decode(bytes)
}

pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {}); Dockerfiles must be UTF-8 text",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for yes in [
            "Dockerfile",
            "Containerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "x.dockerfile",
            "dockerfile",
            "Dockerfile-dev",
            "Containerfile-ci",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "README.md",
            "docker-compose.yml",
            "Dockerfiles",
            "Dockerfile-notes.md",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
