//! ShellCheck inside RUN, end to end through the binary: positions, dialects, variables,
//! suppressions, selection, PowerShell stages, fixes, and a missing ShellCheck (simulated
//! with an empty PATH). Cases that need ShellCheck print a notice and pass when it is absent.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn dlint() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dlint"));
    cmd.env_remove("DLINT_OUTPUT_FORMAT").env("NO_COLOR", "1");
    cmd
}

/// Whether ShellCheck is installed; prints why a test is skipped when it is not.
fn have_shellcheck(test: &str) -> bool {
    // The same search as dlint's: `$DLINT_SHELLCHECK`, else PATH.
    let found = dlint::rules::shell::runner::program().is_some();
    if !found {
        common::notice(&format!(
            "shellcheck not installed, {test} skipped (apt-get install shellcheck)"
        ));
    }
    found
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Out {
    let out = cmd.output().expect("dlint runs");
    let out = Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

/// `line:col CODE` of every finding of `check --output-format concise` on one file.
fn findings(text: &str, extra: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", text);
    let out = run(dlint()
        .args([
            "check",
            "--isolated",
            "--output-format",
            "concise",
            "--exit-zero",
        ])
        .args(extra)
        .arg(&path));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix(&format!("{}:", path.display()))?;
            let mut parts = rest.splitn(3, ':');
            let (line, col, tail) = (parts.next()?, parts.next()?, parts.next()?);
            let code = tail.split_whitespace().next()?;
            Some(format!("{line}:{col} {code}"))
        })
        .collect()
}

fn sc(text: &str) -> Vec<String> {
    findings(text, &["--select", "SC"])
}

#[test]
fn positions_through_continuations_comments_and_escapes() {
    if !have_shellcheck("positions") {
        return;
    }
    let text = "FROM alpine:3\nRUN echo hi \\\n  # a comment line\n    && echo $foo\n";
    assert_eq!(sc(text), ["4:13 SC2086", "4:13 SC2154"]);
    let text = "# escape=`\nFROM alpine:3\nRUN echo hi `\n    && echo $foo\n";
    assert_eq!(sc(text), ["4:13 SC2086", "4:13 SC2154"]);
    let crlf = "FROM alpine:3\r\nRUN echo hi \\\r\n    && echo $foo\r\n";
    assert_eq!(sc(crlf), ["3:13 SC2086", "3:13 SC2154"]);
}

#[test]
fn positions_in_heredocs() {
    if !have_shellcheck("heredocs") {
        return;
    }
    // A script body, with a tab before the command (json1 counts it as one column) ...
    let text = "FROM alpine:3\nRUN <<EOF\nset -e\n\techo $foo\nEOF\n";
    assert_eq!(sc(text), ["4:7 SC2086", "4:7 SC2154"]);
    // ... and a data heredoc of a command line, whose expansions the shell still runs.
    let text = "FROM alpine:3\nRUN cat <<EOF > /etc/x.conf\nname=$(hostname)\nhome=$foo\nEOF\n";
    assert_eq!(sc(text), ["4:6 SC2154"]);
}

#[test]
fn dialect_from_shell_and_shebang() {
    if !have_shellcheck("dialects") {
        return;
    }
    let bashism = "RUN [[ -f /etc/os-release ]] && echo yes\n";
    assert_eq!(sc(&format!("FROM alpine:3\n{bashism}")), ["2:5 SC3010"]);
    let bash =
        format!("FROM alpine:3\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n{bashism}");
    assert!(sc(&bash).is_empty());
    let shebang = "FROM alpine:3\nRUN <<EOF\n#!/bin/bash\n[[ -f /x ]] && echo yes\nEOF\n";
    assert!(sc(shebang).is_empty());
    let python = "FROM alpine:3\nRUN <<EOF\n#!/usr/bin/env python3\nprint($x)\nEOF\n";
    assert!(sc(python).is_empty());
}

#[test]
fn no_shellcheck_for_powershell_cmd_or_exec_form() {
    if !have_shellcheck("PowerShell stages") {
        return;
    }
    let text = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n\
        SHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]\n\
        RUN $x = Get-Item .; Write-Host $x.FullName\n\
        SHELL [\"cmd\", \"/S\", \"/C\"]\n\
        RUN if exist %x% (echo yes)\n\
        FROM alpine:3\n\
        RUN [\"sh\", \"-c\", \"echo $foo\"]\n";
    assert!(sc(text).is_empty());
    // A stage built FROM a PowerShell stage keeps its SHELL.
    let text = "FROM mcr.microsoft.com/powershell AS ps\nSHELL [\"pwsh\", \"-c\"]\nFROM ps\nRUN Write-Host $env:foo\n";
    assert!(sc(text).is_empty());
}

#[test]
fn build_variables_are_known() {
    if !have_shellcheck("variables") {
        return;
    }
    let text = "FROM alpine:3 AS base\nENV app_home=/app\nARG version\nFROM base\nARG flavour\nRUN echo $app_home $version $flavour $other\n";
    assert_eq!(sc(text), ["6:38 SC2086", "6:38 SC2154"]);
    // An ARG after the RUN is not known to it.
    let text = "FROM alpine:3\nRUN echo $late\nARG late\n";
    assert_eq!(sc(text), ["2:10 SC2086", "2:10 SC2154"]);
}

#[test]
fn suppressions() {
    if !have_shellcheck("suppressions") {
        return;
    }
    let text = "FROM alpine:3\n\
        # hadolint ignore=SC2086,SC2154\n\
        RUN echo $a\n\
        # dlint ignore=SC2154 -- set by the base image\n\
        RUN echo \"$b\"\n\
        RUN <<EOF\n\
        # shellcheck disable=SC2154\n\
        echo \"$c\"\n\
        EOF\n\
        # dlint ignore=SC2046\n\
        RUN echo \"$d\"\n";
    let found = findings(text, &["--select", "SC,DX100"]);
    assert_eq!(found, ["10:16 DX100", "11:11 SC2154"], "{found:?}");
}

#[test]
fn selection_by_code_prefix_and_configuration() {
    if !have_shellcheck("selection") {
        return;
    }
    let text = "FROM alpine:3\nRUN cd /x; echo $a `pwd`\n";
    let all = sc(text);
    assert_eq!(
        all,
        [
            "2:5 SC2164",
            "2:17 SC2086",
            "2:17 SC2154",
            "2:20 SC2006",
            "2:20 SC2046"
        ]
    );
    assert_eq!(findings(text, &["--select", "SC2154"]), ["2:17 SC2154"]);
    let prefixes = findings(text, &["--select", "sc200,SC204"]);
    assert_eq!(prefixes, ["2:20 SC2006", "2:20 SC2046"]);
    let ignored = findings(text, &["--select", "SC", "--ignore", "SC20,SC2164"]);
    assert_eq!(ignored, ["2:17 SC2154"]);
    let extended = findings(text, &["--select", "SC2154", "--extend-select", "SC2164"]);
    assert_eq!(extended, ["2:5 SC2164", "2:17 SC2154"]);
    assert!(findings(text, &["--select", "DC001"]).is_empty());
    assert!(findings(text, &["--select", "SC2", "--ignore", "shellcheck"]).is_empty());
    // Configuration: `select` names codes, `per-file-ignores` takes some away.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", text);
    write(
        dir.path(),
        "dlint.toml",
        "select = [\"SC2\"]\n[per-file-ignores]\n\"Dockerfile\" = [\"SC2086\", \"SC2154\"]\n",
    );
    let out = run(Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["check", "--output-format", "concise", "--exit-zero"])
        .arg(&path));
    let codes: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|c| c.starts_with("SC"))
        .collect();
    assert_eq!(codes, ["SC2164", "SC2006", "SC2046"], "{}", out.stdout);
}

#[test]
fn unsafe_fixes_are_byte_minimal_and_stay_inside_one_line() {
    if !have_shellcheck("fixes") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let text = "FROM alpine:3\nARG x\nRUN echo $x/$y \\\n    && ls `pwd`\n";
    let path = write(dir.path(), "Dockerfile", text);
    let out = run(dlint()
        .args([
            "fix",
            "--isolated",
            "--unsafe-fixes",
            "--select",
            "SC2086,SC2006",
        ])
        .arg(&path));
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "FROM alpine:3\nARG x\nRUN echo $x/\"$y\" \\\n    && ls $(pwd)\n"
    );
    // Without --unsafe-fixes nothing changes.
    write(dir.path(), "Dockerfile", text);
    run(dlint()
        .args(["fix", "--isolated", "--select", "SC"])
        .arg(&path));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn rule_page_points_to_the_wiki() {
    let out = run(Command::new(env!("CARGO_BIN_EXE_dlint")).args(["rule", "sc2086"]));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .contains("https://www.shellcheck.net/wiki/SC2086")
    );
    let out = run(Command::new(env!("CARGO_BIN_EXE_dlint")).args(["rule", "SC"]));
    assert!(out.stdout.contains("## Findings left out"));
}

#[test]
fn missing_shellcheck_is_a_notice_unless_named() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let text = "FROM alpine:3\n# hadolint ignore=SC2086\nRUN echo $a\n";
    let a = write(dir.path(), "a.Dockerfile", text);
    let b = write(dir.path(), "b.Dockerfile", text);
    let without = |cmd: &mut Command| {
        cmd.env("PATH", empty.path()).env_remove("DLINT_SHELLCHECK");
        run(cmd)
    };
    let out = without(
        dlint()
            .args(["check", "--isolated", "--output-format", "concise"])
            .args([&a, &b]),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stderr.matches("shellcheck not found").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("apt-get install shellcheck"));
    assert!(!out.stdout.contains("SC2086") && !out.stdout.contains("DX100"));
    for selector in ["SC2086", "SC", "shellcheck"] {
        let out = without(
            dlint()
                .args(["check", "--isolated", "--select", selector])
                .arg(&a),
        );
        assert_eq!(out.code, 2, "{selector}: {}", out.stderr);
        assert!(
            out.stderr.contains("shellcheck was not found"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("apt-get install shellcheck"));
    }
    let out = without(
        dlint()
            .args(["check", "--isolated", "--extend-select", "SC2"])
            .arg(&a),
    );
    assert_eq!(out.code, 2);
}

#[test]
fn one_notice_not_one_error_when_shellcheck_breaks() {
    // A "shellcheck" that fails: the run goes on, with one notice.
    let dir = tempfile::tempdir().unwrap();
    let fake = write(
        dir.path(),
        "shellcheck",
        "#!/bin/sh\necho broken >&2\nexit 3\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let a = write(dir.path(), "a.Dockerfile", "FROM alpine:3\nRUN echo $a\n");
    let b = write(dir.path(), "b.Dockerfile", "FROM alpine:3\nRUN echo $b\n");
    let out = run(dlint()
        .env("DLINT_SHELLCHECK", &fake)
        .args(["check", "--output-format", "concise"])
        .args([&a, &b]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("shellcheck failed").count(),
        1,
        "{}",
        out.stderr
    );
}

/// A fake `shellcheck` made of a shell script.
#[cfg(unix)]
fn fake_shellcheck(dir: &Path, script: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let fake = write(dir, "shellcheck", script);
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    fake
}

#[test]
fn a_huge_run_is_left_out_with_a_note_and_the_others_are_checked() {
    if !have_shellcheck("a_huge_run_is_left_out_with_a_note_and_the_others_are_checked") {
        return;
    }
    // A megabyte of `&&` would take ShellCheck minutes and gigabytes.
    let text = format!(
        "FROM alpine:3\nRUN {}true\nRUN echo $undefined\n",
        "echo x && ".repeat(100_000)
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "Dockerfile", &text);
    let out = run(dlint()
        .args([
            "check",
            "--isolated",
            "--select",
            "SC",
            "--output-format",
            "concise",
        ])
        .arg(&path));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains(":3:10: SC2154"), "{}", out.stdout);
    assert!(!out.stdout.contains(":2:"), "{}", out.stdout);
    assert!(
        out.stderr.contains(
            ":2: ShellCheck did not check this RUN: its script of 976 KiB is above the 64 KiB"
        ),
        "{}",
        out.stderr
    );
    // `fix` lints again after each round of fixes (here DL3047's): the note is said once.
    std::fs::write(&path, format!("{text}RUN wget https://example.com/x\n")).unwrap();
    let out = run(dlint()
        .args(["fix", "--isolated", "--select", "SC,DL3047", "--diff"])
        .arg(&path));
    assert!(out.stdout.contains("wget -q"), "{}", out.stdout);
    assert_eq!(
        out.stderr
            .matches("ShellCheck did not check this RUN")
            .count(),
        1,
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_shellcheck_that_hangs_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let fake = fake_shellcheck(dir.path(), "#!/bin/sh\nexec sleep 120\n");
    let a = write(dir.path(), "Dockerfile", "FROM alpine:3\nRUN echo $a\n");
    let out = run(dlint()
        .env("DLINT_SHELLCHECK", &fake)
        .env("DLINT_SHELLCHECK_TIMEOUT", "0.5")
        .args(["check", "--isolated", "--output-format", "concise"])
        .arg(&a));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("ran longer than 0.5 s on 1 script(s) and was stopped"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn shellcheck_runs_with_its_memory_limited() {
    // The fake reports the address-space limit it was started with.
    let dir = tempfile::tempdir().unwrap();
    let fake = fake_shellcheck(
        dir.path(),
        "#!/bin/sh\necho \"limit $(ulimit -v)\" >&2\nexit 3\n",
    );
    let a = write(dir.path(), "Dockerfile", "FROM alpine:3\nRUN echo $a\n");
    let out = run(dlint()
        .env("DLINT_SHELLCHECK", &fake)
        .args(["check", "--isolated", "--output-format", "concise"])
        .arg(&a));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("limit 2097152"), "{}", out.stderr);
}
