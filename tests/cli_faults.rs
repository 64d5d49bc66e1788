//! The command line under faults: each case checks the message, the exit code, and that the
//! other files of the run were still processed (a "witness" file with a known finding).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const WITNESS_NAME: &str = "witness.Dockerfile";
/// An unterminated heredoc: a syntax error (DL1000) on line 2, whatever rules exist.
const WITNESS: &str = "FROM alpine:3.20\nRUN <<EOF\necho unterminated\n";

fn dlint() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dlint"));
    cmd.env_remove("DLINT_OUTPUT_FORMAT").env("NO_COLOR", "1");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("dlint runs");
    let run = Run {
        code: status
            .code()
            .expect("dlint exits, it is not killed by a signal"),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: without_shellcheck_notice(&String::from_utf8_lossy(&stderr)),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "dlint panicked:\n{}",
        run.stderr
    );
    run
}

/// stderr without the notice that ShellCheck is not installed: whether it shows depends on the
/// machine, not on the fault under test.
fn without_shellcheck_notice(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("dlint: shellcheck not found"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A temporary directory holding the witness file.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let witness = dir.path().join(WITNESS_NAME);
    std::fs::write(&witness, WITNESS).unwrap();
    (dir, witness)
}

fn check(dir: &Path, args: &[&str]) -> Run {
    run(dlint()
        .current_dir(dir)
        .args(["check", "--output-format", "concise"])
        .args(args))
}

#[track_caller]
fn assert_witness_reported(r: &Run) {
    assert!(
        r.stdout.contains(&format!("{WITNESS_NAME}:2:")) && r.stdout.contains("DL1000"),
        "the other file must still be linted; stdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
}

/// Whether this process can read a file whose mode is 000 (root, CAP_DAC_OVERRIDE): then
/// permission-based faults cannot be produced with chmod.
fn permissions_are_bypassed(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    readable
}

#[test]
fn missing_path_is_reported_and_the_rest_is_linted() {
    let (dir, _) = workspace();
    let r = check(dir.path(), &["does-not-exist", WITNESS_NAME]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("does-not-exist: no such file or directory"),
        "{}",
        r.stderr
    );
    assert_witness_reported(&r);
}

#[test]
fn directory_named_dockerfile() {
    let (dir, _) = workspace();
    std::fs::create_dir(dir.path().join("Dockerfile")).unwrap();
    std::fs::write(
        dir.path().join("Dockerfile").join("Dockerfile"),
        "FROM alpine\n",
    )
    .unwrap();
    // Named explicitly: an error that names it.
    let r = check(dir.path(), &["Dockerfile", WITNESS_NAME]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("Dockerfile: is a directory"),
        "{}",
        r.stderr
    );
    assert_witness_reported(&r);
    // Found by a walk: not a file, so not linted; the files inside it are.
    let r = check(dir.path(), &["."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_witness_reported(&r);
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = workspace();
    let path = if permissions_are_bypassed(dir.path()) {
        // chmod 000 does not stop root. /proc/self/mem is a regular file that no process can
        // read from offset 0 (EIO), which is an unreadable file as far as dlint can tell.
        println!(
            "notice: running with permission bypass (root); using /proc/self/mem instead of chmod 000"
        );
        if !Path::new("/proc/self/mem").exists() {
            println!("notice: /proc/self/mem missing; unreadable-file case skipped");
            return;
        }
        PathBuf::from("/proc/self/mem")
    } else {
        let p = dir.path().join("locked.Dockerfile");
        std::fs::write(&p, "FROM alpine\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        p
    };
    let r = check(dir.path(), &[path.to_str().unwrap(), WITNESS_NAME]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let expected = format!("dlint: error: {}: ", path.display());
    assert!(r.stderr.contains(&expected), "{}", r.stderr);
    assert_witness_reported(&r);
}

#[test]
fn non_utf8_file_names_the_file_and_offset() {
    let (dir, _) = workspace();
    std::fs::write(
        dir.path().join("latin1.Dockerfile"),
        b"FROM alpine\nLABEL a=\xe9t\xe9\n",
    )
    .unwrap();
    let r = check(dir.path(), &["latin1.Dockerfile", WITNESS_NAME]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("latin1.Dockerfile: not valid UTF-8 (invalid byte at offset 20)"),
        "{}",
        r.stderr
    );
    assert_witness_reported(&r);
}

#[test]
fn binary_files() {
    let (dir, _) = workspace();
    // Not UTF-8 at all: refused like any non-UTF-8 file.
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.extend((0..=255u8).cycle().take(4096));
    std::fs::write(dir.path().join("a.out.Dockerfile"), &elf).unwrap();
    // Valid UTF-8 full of control characters and NULs: linted as text, without a crash.
    let mut nuls: Vec<u8> = (0..4096u32).map(|i| (i % 32) as u8).collect();
    nuls.extend(b"\nRUN <<EOF\n");
    std::fs::write(dir.path().join("nul.Dockerfile"), &nuls).unwrap();
    let r = check(
        dir.path(),
        &["a.out.Dockerfile", "nul.Dockerfile", WITNESS_NAME],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("a.out.Dockerfile: not valid UTF-8 (invalid byte at offset 144)"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("nul.Dockerfile"), "{}", r.stderr);
    assert!(r.stdout.contains("nul.Dockerfile:"), "{}", r.stdout);
    assert_witness_reported(&r);
}

#[test]
fn empty_file_is_a_finding_not_a_failure() {
    let (dir, _) = workspace();
    std::fs::write(dir.path().join("empty.Dockerfile"), "").unwrap();
    let r = check(dir.path(), &["empty.Dockerfile", WITNESS_NAME]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert!(
        r.stdout
            .contains("empty.Dockerfile:1:1: DL1000 syntax error: file with no instructions"),
        "{}",
        r.stdout
    );
    assert_witness_reported(&r);
}

/// 50 MB: a FROM, then mostly comment lines, then the finding at the very end.
#[test]
fn fifty_megabyte_file() {
    let (dir, _) = workspace();
    let mut text = String::with_capacity(50 << 20);
    text.push_str("FROM alpine:3.20\n");
    let filler = "# a comment line that pads this file out to fifty megabytes, 0123456789\n";
    while text.len() < 50 << 20 {
        text.push_str(filler);
    }
    let lines = text.lines().count();
    text.push_str("RUN <<EOF\necho unterminated\n");
    std::fs::write(dir.path().join("big.Dockerfile"), &text).unwrap();
    let r = check(dir.path(), &["big.Dockerfile", WITNESS_NAME]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("big.Dockerfile:{}:", lines + 1)),
        "{}",
        r.stdout
    );
    assert_witness_reported(&r);
}

#[test]
fn symlink_loops_in_a_walked_tree() {
    let (dir, _) = workspace();
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("a/b")).unwrap();
    std::os::unix::fs::symlink("..", tree.join("a/b/up")).unwrap();
    std::os::unix::fs::symlink("loop", tree.join("a/loop")).unwrap();
    std::os::unix::fs::symlink("Dockerfile.self", tree.join("a/Dockerfile.self")).unwrap();
    std::fs::write(tree.join("a/b/Dockerfile"), WITNESS).unwrap();
    let r = check(dir.path(), &["tree"]);
    // A directory loop is not followed; a Dockerfile-named link to itself cannot be read.
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("tree/a/Dockerfile.self: ")
            && r.stderr.to_lowercase().contains("symbolic links"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("tree/a/b/Dockerfile:2:"), "{}", r.stdout);
    assert_eq!(
        r.stdout.matches("tree/a/b/Dockerfile:2:").count(),
        1,
        "linted once, not once per loop: {}",
        r.stdout
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    let (dir, _) = workspace();
    for i in 0..2000 {
        std::fs::write(dir.path().join(format!("{i:04}.Dockerfile")), "").unwrap();
    }
    for format in ["concise", "full", "json", "sarif"] {
        let mut child = dlint()
            .current_dir(dir.path())
            .args(["check", "--output-format", format, "."])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        // The reading end is closed here, like `dlint check | head -1`.
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(
            without_shellcheck_notice(&stderr),
            "",
            "{format}: nothing on stderr"
        );
        assert_eq!(status.code(), Some(1), "{format}: findings, not a failure");
    }
}

// ---- fix ----------------------------------------------------------------------------------

/// Candidates for a file `dlint fix` changes; the first one some rule fixes is used.
const FIXABLE: &[&str] = &[
    "FROM python:3.12-slim\nRUN pip install flask\n",
    "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n",
    "FROM node:22\nRUN npm install\n",
    "FROM alpine:3.20\nRUN apk add curl\n",
];

/// A Dockerfile that `dlint fix` changes, with its fixed text; None (and a notice) while no
/// rule offers a safe fix.
fn fixable() -> Option<(&'static str, String)> {
    for text in FIXABLE {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, text).unwrap();
        run(dlint().args(["fix", "-q"]).arg(&path));
        let fixed = std::fs::read_to_string(&path).unwrap();
        if fixed != *text {
            return Some((text, fixed));
        }
    }
    println!("notice: no rule fixes any candidate input yet; fix fault case skipped");
    None
}

fn fix(dir: &Path, args: &[&str]) -> Run {
    run(dlint()
        .current_dir(dir)
        .args(["fix", "--output-format", "concise"])
        .args(args))
}

#[test]
fn fix_refuses_a_read_only_file_and_fixes_the_others() {
    use std::os::unix::fs::PermissionsExt;
    let Some((text, fixed)) = fixable() else {
        return;
    };
    let (dir, _) = workspace();
    let ro = dir.path().join("ro.Dockerfile");
    let rw = dir.path().join("rw.Dockerfile");
    std::fs::write(&ro, text).unwrap();
    std::fs::write(&rw, text).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let r = fix(
        dir.path(),
        &["ro.Dockerfile", "rw.Dockerfile", WITNESS_NAME],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("ro.Dockerfile: cannot write the fixed file (left unchanged)"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), text);
    assert_eq!(std::fs::read_to_string(&rw).unwrap(), fixed);
    assert_eq!(
        std::fs::metadata(&ro).unwrap().permissions().mode() & 0o777,
        0o444
    );
    assert_witness_reported(&r);
}

#[test]
fn fix_through_a_symlink_keeps_the_link() {
    let Some((text, fixed)) = fixable() else {
        return;
    };
    let (dir, _) = workspace();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::write(dir.path().join("real/Dockerfile"), text).unwrap();
    std::os::unix::fs::symlink("real/Dockerfile", dir.path().join("link.Dockerfile")).unwrap();
    let r = fix(dir.path(), &["link.Dockerfile", WITNESS_NAME]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let link = dir.path().join("link.Dockerfile");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("real/Dockerfile")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("real/Dockerfile")).unwrap(),
        fixed
    );
    assert_witness_reported(&r);
}

/// The temporary file cannot be written. Directory permissions do not stop root, so the file
/// size limit does it: under `ulimit -f 0` (with SIGXFSZ ignored) every write to a regular
/// file fails with EFBIG, while pipes (the report) still work.
#[test]
fn fix_leaves_the_original_untouched_when_the_temp_file_fails() {
    let Some((text, _)) = fixable() else {
        return;
    };
    let (dir, _) = workspace();
    std::fs::write(dir.path().join("Dockerfile"), text).unwrap();
    let r = run(Command::new("sh")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .arg("-c")
        .arg("ulimit -f 0 && trap '' XFSZ && exec \"$0\" fix --output-format concise Dockerfile witness.Dockerfile")
        .arg(env!("CARGO_BIN_EXE_dlint")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Dockerfile: cannot write the fixed file (left unchanged)"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        text
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert_witness_reported(&r);
}

#[test]
fn concurrent_fixes_never_mix() {
    let Some((text, fixed)) = fixable() else {
        return;
    };
    // A large file makes a torn write visible: many fixable RUNs.
    let body: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let head = text.lines().next().unwrap();
    let original = format!("{head}\n{}", body.repeat(500));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, &original).unwrap();
    run(dlint().args(["fix", "-q"]).arg(&path));
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_ne!(expected, original);
    assert!(expected.starts_with(fixed.lines().next().unwrap()));
    for _ in 0..5 {
        std::fs::write(&path, &original).unwrap();
        let children: Vec<_> = (0..2)
            .map(|_| {
                dlint()
                    .args(["fix", "-q", "--output-format", "concise"])
                    .arg(&path)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert_ne!(out.status.code(), Some(2), "{stderr}");
        }
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(
            now == expected,
            "after two concurrent fixes the file is neither the original nor the fixed text"
        );
    }
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary files left behind");
}
