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
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

/// Expand the command-line paths into inputs, sorted by path. Missing paths are errors; the
/// rest are still returned.
pub fn discover(
    paths: &[PathBuf],
    stdin_filename: Option<&Path>,
) -> (Vec<Input>, Vec<DiscoveryError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let name = stdin_filename
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("-"));
            inputs.push(Input::Stdin(name));
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(DiscoveryError {
                path: path.clone(),
                message: describe_io_error(&e),
            }),
            Ok(meta) if meta.is_dir() && !is_dockerfile_name(&file_name(path)) => {
                walk(path, &mut inputs, &mut errors)
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    inputs.sort();
    inputs.dedup();
    (inputs, errors)
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
    let meta = std::fs::metadata(path).map_err(|e| describe_io_error(&e))?;
    if meta.is_dir() {
        return Err("is a directory, not a Dockerfile".to_string());
    }
    let bytes = std::fs::read(path).map_err(|e| describe_io_error(&e))?;
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
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "README.md",
            "docker-compose.yml",
            "Dockerfiles",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
