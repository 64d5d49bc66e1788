//! Writing fixed files safely: a temporary file in the same directory, then an atomic rename,
//! keeping the original's permissions; a symlink is followed so the link stays a link.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Replace the contents of `path` atomically. On any failure the original is untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let target = resolve_symlinks(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    if permissions.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let tmp = written_temp_file(&target, contents)?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Create `path` with `contents`, atomically, failing with `AlreadyExists` when something is
/// already there: a fix that creates a file (`.dockerignore`) never replaces one. The new file
/// gets the usual mode for a project file (0644), not the temporary file's 0600.
pub fn create_new_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "the file already exists",
        ));
    }
    let tmp = written_temp_file(path, contents)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    // No-clobber rename: if the file appeared since the check above, it is kept.
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file beside `path` (same directory, so the rename is atomic) holding
/// `contents`, flushed to disk.
fn written_temp_file(path: &Path, contents: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".dlint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// The final target of a chain of symlinks (relative links resolve against their directory).
fn resolve_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_new_never_overwrites() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".dockerignore");
        create_new_atomic(&path, b".git\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), ".git\n");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
        let again = create_new_atomic(&path, b"other\n").unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), ".git\n");
        // Only the file itself is left: no temporary files behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writes_through_symlink_and_keeps_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("Dockerfile.real");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("Dockerfile");
        std::os::unix::fs::symlink("Dockerfile.real", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn read_only_file_is_refused_and_untouched() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_atomic(&path, b"new").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn dangling_link_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("Dockerfile");
        std::os::unix::fs::symlink("missing", &link).unwrap();
        assert!(write_atomic(&link, b"new").is_err());
        assert!(!dir.path().join("missing").exists());
    }

    #[test]
    fn concurrent_writers_leave_one_whole_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        let a = "a".repeat(1 << 20);
        let b = "b".repeat(1 << 19);
        std::fs::write(&path, "old").unwrap();
        std::thread::scope(|s| {
            for text in [&a, &b] {
                let path = &path;
                s.spawn(move || {
                    for _ in 0..20 {
                        write_atomic(path, text.as_bytes()).unwrap();
                    }
                });
            }
        });
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(now == a || now == b, "a torn write: {} bytes", now.len());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
