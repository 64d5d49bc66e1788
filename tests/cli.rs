//! The command line as CI systems and people meet it: exit codes, configuration files,
//! suppression comments, exclusion, and migration from hadolint.

mod common;
use common::*;

const CLEAN: &str = "FROM alpine:3.20\nRUN echo hello\n";
/// One error (DL1000, no fix).
const BROKEN: &str = "FROM alpine:3.20\nENV PATH\n";
/// One style finding with a safe fix (DX100, unused suppression).
const STALE: &str = "FROM alpine:3.20\n# dlint ignore=DL1000\nRUN echo hello\n";

fn codes(run: &Run) -> Vec<String> {
    // `concise` lines: path:line:col: CODE ...
    run.stdout
        .lines()
        .filter_map(|l| l.split(": ").nth(1))
        .filter_map(|rest| rest.split(' ').next())
        .filter(|c| c.starts_with('D'))
        .map(str::to_string)
        .collect()
}

fn check(dir: &std::path::Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--output-format", "concise"];
    args.extend_from_slice(extra);
    dlint(dir, &args)
}

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_when_clean_1_on_findings_2_on_failures() {
    let p = project(&[("clean/Dockerfile", CLEAN), ("broken/Dockerfile", BROKEN)]);
    assert_eq!(check(p.path(), &["clean"]).code, 0);
    let run = check(p.path(), &["broken"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(codes(&run), ["DL1000"]);
    // A missing file fails the run, and the other files are still reported.
    let run = check(p.path(), &["missing/Dockerfile", "broken"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("missing/Dockerfile: no such file"),
        "{run:?}"
    );
    assert_eq!(codes(&run), ["DL1000"]);
    // Bad arguments.
    assert_eq!(
        check(p.path(), &["--output-format", "xml", "clean"]).code,
        2
    );
    assert_eq!(check(p.path(), &["--fail-level", "loud", "clean"]).code, 2);
    assert_eq!(dlint(p.path(), &["check", "--no-such-flag"]).code, 2);
}

#[test]
fn exit_2_on_a_file_that_is_not_utf8() {
    let p = project(&[("Dockerfile", CLEAN)]);
    std::fs::write(p.path().join("Dockerfile"), b"FROM a:1\nRUN \xff\n").unwrap();
    let run = check(p.path(), &["Dockerfile"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("not valid UTF-8"), "{run:?}");
}

#[test]
fn fail_level_and_exit_zero() {
    let p = project(&[("style/Dockerfile", STALE), ("error/Dockerfile", BROKEN)]);
    // Style findings do not fail by default (fail level info)...
    let run = check(p.path(), &["style"]);
    assert_eq!((run.code, codes(&run)), (0, vec!["DX100".to_string()]));
    // ...but do at fail level style.
    assert_eq!(check(p.path(), &["--fail-level", "style", "style"]).code, 1);
    assert_eq!(
        check(p.path(), &["--failure-threshold", "style", "style"]).code,
        1
    );
    assert_eq!(check(p.path(), &["--fail-level", "none", "error"]).code, 0);
    assert_eq!(check(p.path(), &["--fail-level", "error", "error"]).code, 1);
    assert_eq!(check(p.path(), &["--exit-zero", "error"]).code, 0);
}

#[test]
fn selectors_accept_codes_prefixes_names_and_all_and_suggest_on_typos() {
    let p = project(&[(
        "Dockerfile",
        "FROM a:1\nHEALTHCHECK NONE\n# dlint ignore=DL1000\nENV PATH\nENV X\n",
    )]);
    let run = |sel: &[&str]| codes(&check(p.path(), sel));
    assert_eq!(run(&[]), ["DL1000"]);
    assert_eq!(run(&["--select", "DX"]), Vec::<String>::new());
    assert_eq!(run(&["--select", "syntax-error"]), ["DL1000"]);
    assert_eq!(
        run(&["--select", "ALL", "--ignore", "DL1"]),
        Vec::<String>::new()
    );
    assert_eq!(
        run(&["--select", "DX100", "--extend-select", "DL1000"]),
        ["DL1000"]
    );
    let bad = check(p.path(), &["--select", "synax-error"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("closest known: syntax-error"),
        "{bad:?}"
    );
}

#[test]
fn fix_exit_codes() {
    let p = project(&[("Dockerfile", STALE), ("broken/Dockerfile", BROKEN)]);
    // --diff: 1 when something would change, and nothing is written.
    let run = dlint(p.path(), &["fix", "--diff", "Dockerfile"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("-# dlint ignore=DL1000"), "{run:?}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("Dockerfile")).unwrap(),
        STALE
    );
    // fix: 0 when nothing is left, even though the file changed...
    let run = dlint(p.path(), &["fix", "Dockerfile"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("Dockerfile")).unwrap(),
        CLEAN
    );
    // ...and --diff on the fixed file: 0.
    assert_eq!(dlint(p.path(), &["fix", "--diff", "Dockerfile"]).code, 0);
    // --exit-non-zero-on-fix: 1 when a file changed, 0 when none did.
    std::fs::write(p.path().join("Dockerfile"), STALE).unwrap();
    let run = dlint(p.path(), &["fix", "--exit-non-zero-on-fix", "Dockerfile"]);
    assert_eq!(run.code, 1, "{run:?}");
    let run = dlint(p.path(), &["fix", "--exit-non-zero-on-fix", "Dockerfile"]);
    assert_eq!(run.code, 0, "{run:?}");
    // What fix cannot fix still fails the run.
    assert_eq!(dlint(p.path(), &["fix", "broken"]).code, 1);
}

#[test]
fn fix_reads_stdin_and_writes_the_fixed_text_to_stdout() {
    let p = project(&[]);
    let run = dlint_with_stdin(
        p.path(),
        &["fix", "--stdin-filename", "app/Dockerfile", "-"],
        STALE,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, CLEAN);
}

#[cfg(unix)]
#[test]
fn fix_exit_2_when_the_file_cannot_be_written() {
    use std::os::unix::fs::PermissionsExt;
    let p = project(&[("ro/Dockerfile", STALE)]);
    let dir = p.path().join("ro");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root may write anyway; then there is nothing to test.
    let writable = std::fs::write(dir.join("probe"), "").is_ok();
    if !writable {
        let run = dlint(p.path(), &["fix", "ro/Dockerfile"]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains("cannot write the fixed file"),
            "{run:?}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("Dockerfile")).unwrap(),
            STALE
        );
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Configuration

#[test]
fn nearest_configuration_wins_and_command_line_overrides() {
    let p = project(&[
        ("dlint.toml", "ignore = [\"DL1000\"]\n"),
        ("a/Dockerfile", BROKEN),
        ("b/.dlint.toml", "fail-level = \"style\"\n"),
        ("b/Dockerfile", BROKEN),
    ]);
    let run = check(p.path(), &["a"]);
    assert_eq!((run.code, codes(&run)), (0, vec![]));
    // b's own file applies, not the root's: DL1000 runs.
    let run = check(p.path(), &["b"]);
    assert_eq!((run.code, codes(&run)), (1, vec!["DL1000".to_string()]));
    // --isolated: no configuration; --config: that one for every file.
    assert_eq!(codes(&check(p.path(), &["--isolated", "a"])), ["DL1000"]);
    assert!(codes(&check(p.path(), &["--config", "dlint.toml", "b"])).is_empty());
    // The command line's selection comes after the configuration's.
    assert_eq!(
        codes(&check(p.path(), &["--extend-select", "DL1000", "a"])),
        ["DL1000"]
    );
}

#[test]
fn severity_overrides_per_file_ignores_and_output_format() {
    let p = project(&[
        (
            "dlint.toml",
            "output-format = \"json\"\n[severity]\nsyntax-error = \"style\"\n\
             [per-file-ignores]\n\"legacy/**\" = [\"DL1000\"]\n",
        ),
        ("Dockerfile", BROKEN),
        ("legacy/old/Dockerfile", BROKEN),
    ]);
    let run = dlint(p.path(), &["check"]);
    // Style now, so the run does not fail; json from the configuration; legacy ignored.
    assert_eq!(run.code, 0, "{run:?}");
    let found: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{run:?}");
    assert_eq!(found[0]["file"], "Dockerfile");
    assert_eq!(found[0]["severity"], "style");
}

#[test]
fn exclude_skips_walked_files_and_force_exclude_explicit_ones() {
    let p = project(&[
        (
            "dlint.toml",
            "exclude = [\"vendor/\", \"*.generated.Dockerfile\"]\n",
        ),
        ("Dockerfile", CLEAN),
        ("vendor/x/Dockerfile", BROKEN),
        ("api.generated.Dockerfile", BROKEN),
    ]);
    assert_eq!(check(p.path(), &[]).code, 0);
    // Named on the command line: linted anyway, unless --force-exclude.
    assert_eq!(check(p.path(), &["vendor/x/Dockerfile"]).code, 1);
    let run = check(
        p.path(),
        &[
            "--force-exclude",
            "vendor/x/Dockerfile",
            "api.generated.Dockerfile",
        ],
    );
    assert_eq!((run.code, codes(&run)), (0, vec![]), "{run:?}");
}

#[test]
fn configuration_errors_name_file_line_and_key() {
    let cases = [
        (
            "select = [\"DL\"]\nselct = [\"DL1000\"]\n",
            "dlint.toml:2:1",
            "`selct`",
        ),
        (
            "[rules.DL9999]\nlimit = 1\n",
            "dlint.toml:1:8",
            "unknown rule `DL9999`",
        ),
        (
            "[severity]\nDL1000 = \"loud\"\n",
            "dlint.toml:2:10",
            "unknown severity `loud`",
        ),
        (
            "[per-file-ignores]\n\"a/**\" = [\"DY1\"]\n",
            "dlint.toml:2:11",
            "`DY1`",
        ),
        (
            "exclude = \"vendor\"\n",
            "dlint.toml:1:11",
            "expected a sequence",
        ),
    ];
    for (text, place, key) in cases {
        let p = project(&[("dlint.toml", text), ("Dockerfile", CLEAN)]);
        let run = check(p.path(), &[]);
        assert_eq!(run.code, 2, "{text}: {run:?}");
        assert!(run.stderr.contains(place), "{text}: {run:?}");
        assert!(run.stderr.contains(key), "{text}: {run:?}");
        assert_eq!(run.stdout, "", "{text}");
    }
}

#[test]
fn rule_options_are_validated_by_rule() {
    let p = project(&[
        ("dlint.toml", "[rules.syntax-error]\nanything = 1\n"),
        ("Dockerfile", CLEAN),
    ]);
    assert_eq!(check(p.path(), &[]).code, 0);
}

#[test]
fn hadolint_configuration_carries_over_when_no_dlint_configuration_applies() {
    let p = project(&[
        (
            ".hadolint.yaml",
            "ignored:\n  - DL1000\n  - DL3008\noverride:\n  error: [DX100]\n",
        ),
        ("a/Dockerfile", BROKEN),
        ("b/Dockerfile", "FROM a:1\n# dlint ignore=DL9999\nRUN x\n"),
        ("c/dlint.toml", ""),
        ("c/Dockerfile", BROKEN),
    ]);
    let run = check(p.path(), &["-v", "a", "b"]);
    // DL1000 ignored; DX100 is an error now, so the run fails.
    assert_eq!(
        (run.code, codes(&run)),
        (1, vec!["DX100".to_string()]),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("using hadolint configuration .hadolint.yaml"),
        "{run:?}"
    );
    // A dlint configuration wins over hadolint's, and nothing is said about hadolint.
    let run = check(p.path(), &["-v", "c"]);
    assert_eq!(codes(&run), ["DL1000"]);
    assert!(!run.stderr.contains("hadolint"), "{run:?}");
}

#[test]
fn hadolint_settings_fail_levels_pragmas_and_broken_files() {
    let p = project(&[
        (
            "a/.hadolint.yaml",
            "no-fail: true\ndisable-ignore-pragma: true\nignored: [SC2086, DL9999]\n",
        ),
        (
            "a/Dockerfile",
            "FROM a:1\n# hadolint ignore=DL1000\nENV PATH\n# dlint ignore=DL1000\nENV HOME\n",
        ),
        ("b/.hadolint.yml", "ignored:\n  - DL1000\nno-fail: maybe\n"),
        ("b/Dockerfile", BROKEN),
    ]);
    // hadolint's comments no longer count, dlint's still do; no-fail keeps the exit code 0.
    let run = check(p.path(), &["-v", "a"]);
    assert_eq!(
        (run.code, codes(&run)),
        (0, vec!["DL1000".to_string()]),
        "{run:?}"
    );
    // A code dlint does not know is passed over with a note; a ShellCheck code is not unknown.
    assert!(run.stderr.contains("DL9999"), "{run:?}");
    assert!(!run.stderr.contains("SC2086"), "{run:?}");
    // A wrong-typed value stops the run, naming the file and line.
    let run = check(p.path(), &["b"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains(".hadolint.yml:3:"), "{run:?}");
}

#[test]
fn stdin_filename_is_used_for_configuration_and_reports() {
    let p = project(&[("legacy/dlint.toml", "ignore = [\"DL1000\"]\n")]);
    let args = ["check", "--output-format", "concise", "--stdin-filename"];
    let run = dlint_with_stdin(
        p.path(),
        &[&args[..], &["legacy/Dockerfile", "-"]].concat(),
        BROKEN,
    );
    assert_eq!(run.code, 0, "{run:?}");
    let run = dlint_with_stdin(
        p.path(),
        &[&args[..], &["new/Dockerfile", "-"]].concat(),
        BROKEN,
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.starts_with("new/Dockerfile:2:1: DL1000"),
        "{run:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Suppressions

#[test]
fn every_suppression_form_silences_its_rule() {
    let forms = [
        "FROM a:1\n# dlint ignore=DL1000\nENV PATH\n",
        "FROM a:1\n# dlint ignore=syntax-error -- tracked in #12\n# another comment\n\nENV PATH\n",
        "# dlint global ignore=DL1000\nFROM a:1\nENV PATH\n",
        "FROM a:1\n# hadolint ignore=DL1000\nENV PATH\n",
        "# hadolint global ignore=DL1000,DL3999\nFROM a:1\nENV PATH\n",
        "# check=skip=syntax-error\nFROM a:1\nENV PATH\n",
        "# check=skip=all\nFROM a:1\nENV PATH\n",
        "FROM a:1\n# check=skip=DL1000\nENV PATH\n",
    ];
    for text in forms {
        let p = project(&[("Dockerfile", text)]);
        let run = check(p.path(), &["--fail-level", "style"]);
        assert_eq!((run.code, codes(&run)), (0, vec![]), "{text}\n{run:?}");
    }
}

#[test]
fn suppressions_do_not_silence_other_rules_or_other_places() {
    let cases = [
        // Another rule.
        ("FROM a:1\n# dlint ignore=DX100\nENV PATH\n", vec!["DL1000"]),
        (
            "FROM a:1\n# hadolint ignore=DL3008\nENV PATH\n",
            vec!["DX100", "DL1000"],
        ),
        // Another instruction: the suppression covers only the next one, and is unused.
        (
            "FROM a:1\n# dlint ignore=DL1000\nRUN x\nENV PATH\n",
            vec!["DX100", "DL1000"],
        ),
        // Inside a continuation a comment is part of the instruction, not a suppression.
        (
            "FROM a:1\nRUN x \\\n# dlint ignore=DL1000\n  y\nENV PATH\n",
            vec!["DL1000"],
        ),
    ];
    for (text, want) in cases {
        let p = project(&[("Dockerfile", text)]);
        assert_eq!(codes(&check(p.path(), &[])), want, "{text}");
    }
}

#[test]
fn verbose_output_shows_what_was_silenced_and_why() {
    let p = project(&[(
        "Dockerfile",
        "FROM a:1\n# dlint ignore=DL1000 -- fixed upstream\nENV PATH\n",
    )]);
    let run = check(p.path(), &["-v"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains(
            "Dockerfile:3:1: DL1000 silenced by the suppression on line 2: fixed upstream"
        ),
        "{run:?}"
    );
}

#[test]
fn unused_suppressions_are_fixed_away() {
    let text =
        "# dlint global ignore=DL1000\nFROM a:1\n# dlint ignore=DX100,DL1000\n# keep me\nRUN x\n";
    let p = project(&[("Dockerfile", text)]);
    let run = check(p.path(), &[]);
    assert_eq!(codes(&run), ["DX100", "DX100"], "{run:?}");
    let run = dlint(p.path(), &["fix", "Dockerfile"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("Dockerfile")).unwrap(),
        "FROM a:1\n# dlint ignore=DX100\n# keep me\nRUN x\n"
    );
    // Not reported for a rule that is not selected.
    let p = project(&[("Dockerfile", text)]);
    assert!(codes(&check(p.path(), &["--ignore", "DL1000"])).is_empty());
}

#[test]
fn dl3042_explains_that_dc001_replaces_it_and_configurations_naming_it_load() {
    let p = project(&[
        (
            ".hadolint.yaml",
            "ignored: [DL3042]\noverride:\n  error: [DL3042]\n",
        ),
        (
            "Dockerfile",
            "FROM python:3.12\n# hadolint ignore=DL3042\nRUN pip install --no-cache-dir flask==3.0.3\n",
        ),
    ]);
    let run = dlint(p.path(), &["rule", "DL3042"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("## Replaced by"), "{run:?}");
    assert!(run.stdout.contains("DC001"), "{run:?}");
    // The configuration loads; DC001 still reports the flag, DL3042 never reports.
    let run = check(p.path(), &[]);
    assert_eq!(codes(&run), ["DC001"], "{run:?}");
}
