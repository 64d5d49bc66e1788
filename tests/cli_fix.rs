//! `dlint fix` end to end through the binary: in place, `--diff`, stdin, and idempotence.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn dlint(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn origin_story() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/amas/backend");
    for name in ["Dockerfile", "requirements.txt", "main.py"] {
        std::fs::copy(src.join(name), dir.path().join(name)).unwrap();
    }
    let text = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    (dir, text)
}

#[test]
fn diff_prints_headers_writes_nothing_and_exits_1() {
    let (dir, before) = origin_story();
    let out = dlint(
        &["fix", "--diff", "--unsafe-fixes", "Dockerfile"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"),
        "{stdout}"
    );
    assert!(stdout.contains(
        "+RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt"
    ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        before
    );
}

#[test]
fn fix_in_place_then_nothing_left() {
    let (dir, _) = origin_story();
    let out = dlint(
        &["fix", "--unsafe-fixes", "--show-fixes", "Dockerfile"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("DC001") && stderr.contains("DC002") && stderr.contains("DC003"),
        "{stderr}"
    );
    let fixed = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(fixed.contains("COPY requirements.txt .\n\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n\nCOPY . .\n"), "{fixed}");
    assert!(!fixed.contains("PIP_NO_CACHE_DIR") && !fixed.contains("--no-cache-dir"));
    // A second run changes nothing and finds nothing.
    let again = dlint(&["fix", "--unsafe-fixes", "Dockerfile"], dir.path());
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        fixed
    );
    let check = dlint(&["check", "Dockerfile"], dir.path());
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn safe_fix_reorders_with_the_context_and_leaves_the_env() {
    let (dir, _) = origin_story();
    let out = dlint(&["fix", "Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let fixed = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    // The context shows requirements.txt is all the install reads: the reorder is safe.
    assert!(
        fixed.contains(
            "COPY requirements.txt .\n\nRUN pip install -r requirements.txt\n\nCOPY . .\n"
        ),
        "{fixed}"
    );
    // Removing the ENV changes the image's environment: only with --unsafe-fixes.
    assert!(fixed.contains("PIP_NO_CACHE_DIR=1"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("DC002") && !stdout.contains("DC003"),
        "{stdout}"
    );
}

#[test]
fn stdin_fix_writes_the_fixed_text_to_stdout() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["fix", "-", "--stdin-filename", "api/Dockerfile"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM python:3.12\r\nRUN pip install --no-cache-dir flask\r\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "FROM python:3.12\r\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\r\n"
    );
}
