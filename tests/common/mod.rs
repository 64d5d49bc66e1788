//! Running the `dlint` binary in tests: in a chosen directory, with a clean environment, and
//! comparing its output with snapshot files.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dlint"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("DLINT_OUTPUT_FORMAT")
        .env("NO_COLOR", "1");
    cmd
}

/// Run dlint in `dir` with `args` and `stdin` as standard input.
pub fn dlint_with_stdin(dir: &Path, args: &[&str], stdin: &str) -> Run {
    let mut child = command(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dlint runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn dlint(dir: &Path, args: &[&str]) -> Run {
    dlint_with_stdin(dir, args, "")
}

/// A temporary project with these files (path, contents).
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A project under `fixtures/projects/` (a build context with its Dockerfile).
pub fn fixture_project(name: &str) -> PathBuf {
    repo_root().join("fixtures/projects").join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compare `actual` with `tests/snapshots/NAME` byte for byte; `DLINT_UPDATE_SNAPSHOTS=1`
/// writes it instead.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = repo_root().join("tests/snapshots").join(name);
    if std::env::var_os("DLINT_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with DLINT_UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        panic!("snapshot {name} differs (DLINT_UPDATE_SNAPSHOTS=1 rewrites it):\n{diff}");
    }
}

/// Say that a test skipped part of its work, where `cargo test` shows it: the test harness
/// captures `println!` and `eprintln!` of passing tests, not writes to the stderr handle.
pub fn notice(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "NOTICE: {message}");
}
