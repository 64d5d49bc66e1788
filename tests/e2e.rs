//! The end-to-end builds (`e2e/run`) need root, Debian's docker.io and debootstrap, and several
//! minutes; `cargo test` runs them only when `DLINT_E2E=1` is set, and otherwise says so.

use std::io::Write;
use std::path::Path;
use std::process::Command;

#[test]
fn end_to_end_builds_run_only_when_requested() {
    if std::env::var_os("DLINT_E2E").is_none() {
        // Written to the process's stderr, not through the test harness's capture, so that a plain
        // `cargo test` shows it.
        let _ = writeln!(
            std::io::stderr(),
            "note: the end-to-end builds (e2e/) were skipped: they need root and a Docker Engine. \
             Run them with `sudo e2e/run` (see e2e/README.md), or `DLINT_E2E=1 cargo test --test e2e` as root."
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(root.join("e2e/run"))
        .current_dir(root)
        .status()
        .expect("e2e/run could not be started");
    assert!(status.success(), "e2e/run failed: {status}");
}

/// The harness's own unit tests (the bases and `# syntax=` it reads from a Dockerfile, the
/// config differences a fix announces, the wheels it fetches), which need no engine, run on
/// every `cargo test`. unittest passes when it finds no test at all, so the count is checked.
#[test]
fn harness_self_tests_pass() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e");
    let out = Command::new("python3")
        .args(["-m", "unittest", "discover", "-s", "tests", "-t", "."])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(&e2e)
        .output()
        .expect("python3 could not be started");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the harness's self-tests failed:\n{report}"
    );
    let ran: usize = report
        .lines()
        .find_map(|l| l.strip_prefix("Ran ")?.split(' ').next()?.parse().ok())
        .unwrap_or(0);
    assert!(ran > 0, "no harness self-test was found:\n{report}");
}
