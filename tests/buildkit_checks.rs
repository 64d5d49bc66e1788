//! BuildKit's refusals and build checks through the command line: every file `docker build`
//! refuses is an error at the right line with exit code 1; checks answer to their BuildKit
//! names in selectors, suppressions and `dlint rule`; the `# check=` directive's options.

mod common;
use common::*;

/// `path:line:col: CODE ...` lines of a concise report: (line, code).
fn findings(run: &Run) -> Vec<(usize, String)> {
    run.stdout
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(4, ':');
            let _path = parts.next()?;
            let line = parts.next()?.parse().ok()?;
            let _col = parts.next()?;
            let code = parts.next()?.split_whitespace().next()?.to_string();
            Some((line, code))
        })
        .collect()
}

fn check_text(text: &str, extra: &[&str]) -> Run {
    let p = project(&[("Dockerfile", text)]);
    let mut args = vec!["check", "--output-format", "concise"];
    args.extend_from_slice(extra);
    args.push("Dockerfile");
    dlint(p.path(), &args)
}

#[test]
fn every_refused_file_is_an_error_at_its_line_with_exit_1() {
    for (text, line) in [
        ("FROM alpine\nFROBNICATE x\n", 2),
        ("FROM alpine\nCOPY onlyone\n", 2),
        ("FROM alpine\nCOPY --frm=x a b\n", 2),
        ("FROM\n", 1),
        ("FROM alpine\nEXPOSE\n", 2),
        ("FROM alpine\nWORKDIR\n", 2),
        ("RUN echo hi\nFROM alpine\n", 1),
        ("ARG A=1\n", 1),
    ] {
        let run = check_text(text, &["--select", "DL1000"]);
        assert_eq!(run.code, 1, "{text:?}: {run:?}");
        assert!(
            findings(&run).contains(&(line, "DL1000".to_string())),
            "{text:?} must be refused at line {line}: {run:?}"
        );
        assert!(run.stdout.contains("BuildKit refuses this"), "{run:?}");
    }
}

#[test]
fn other_rules_still_run_after_a_refusal() {
    let run = check_text("FROM alpine\nFROBNICATE x\nMAINTAINER me\n", &[]);
    let codes: Vec<String> = findings(&run).into_iter().map(|(_, c)| c).collect();
    assert!(codes.contains(&"DL1000".to_string()), "{run:?}");
    assert!(codes.contains(&"DL4000".to_string()), "{run:?}");
}

#[test]
fn checks_answer_to_their_buildkit_names() {
    let text = "FROM alpine AS Build\nRUN echo hi\n";
    let run = check_text(text, &["--select", "StageNameCasing"]);
    assert_eq!(findings(&run), [(1, "BK001".to_string())], "{run:?}");
    let skipped = check_text(
        &format!("# check=skip=StageNameCasing\n{text}"),
        &["--select", "StageNameCasing"],
    );
    assert_eq!(skipped.code, 0, "{skipped:?}");
    let p = project(&[]);
    let doc = dlint(p.path(), &["rule", "StageNameCasing"]);
    assert_eq!(doc.code, 0, "{doc:?}");
    assert!(doc.stdout.contains("BK001"), "{doc:?}");
    // One name for three hadolint rules.
    let run = check_text(
        "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n",
        &["--select", "MultipleInstructionsDisallowed"],
    );
    let codes: Vec<String> = findings(&run).into_iter().map(|(_, c)| c).collect();
    assert_eq!(codes, ["DL4003", "DL4004"], "{run:?}");
}

#[test]
fn json_args_twins_report_once_and_share_suppressions() {
    let run = check_text("FROM alpine\nCMD echo hi\n", &["--select", "BK005,DL3025"]);
    assert_eq!(findings(&run), [(2, "BK005".to_string())], "{run:?}");
    // With SHELL set only hadolint's rule reports.
    let run = check_text(
        "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo hi\n",
        &["--select", "BK005,DL3025"],
    );
    assert_eq!(findings(&run), [(3, "DL3025".to_string())], "{run:?}");
    // A hadolint suppression of DL3025 silences BuildKit's twin too.
    let run = check_text(
        "FROM alpine\n# hadolint ignore=DL3025\nCMD echo hi\n",
        &["--select", "BK005,DL3025,DX100"],
    );
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn check_directive_error_and_experimental() {
    // A warning-level check, with the fail level at error: exit 0 ...
    let text = "FROM alpine\nENV PORT 8080\n";
    let run = check_text(
        text,
        &["--select", "LegacyKeyValueFormat", "--fail-level", "error"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // ... and `error=true` makes it an error that fails the run.
    let run = check_text(
        &format!("# check=error=true\n{text}"),
        &["--select", "LegacyKeyValueFormat", "--fail-level", "error"],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("BK009"), "{run:?}");
    // Experimental checks run only when the directive (or a selector) names them.
    let described = "# the tools\nFROM alpine AS build\n";
    let run = check_text(described, &[]);
    assert!(!run.stdout.contains("BK013"), "{run:?}");
    let run = check_text(
        &format!("# check=experimental=InvalidDefinitionDescription\n\n{described}"),
        &[],
    );
    assert!(run.stdout.contains("BK013"), "{run:?}");
    let run = check_text(&format!("# check=experimental=all\n\n{described}"), &[]);
    assert!(run.stdout.contains("BK013"), "{run:?}");
    // An option BuildKit does not know makes the build fail.
    let run = check_text("# check=skipp=all\nFROM alpine\n", &["--select", "DL1000"]);
    assert_eq!(findings(&run), [(1, "DL1000".to_string())], "{run:?}");
}
