//! Every output format, through the binary, byte for byte against `tests/snapshots/`.
//! The fixture (`fixtures/pipeline`) has an error without a fix and style findings with safe
//! fixes, in two files, so ordering, severities and fixes all show. The runs select only the
//! rules the fixture is about, so that new rules do not churn these snapshots.

mod common;
use common::*;

const SELECT: &str = "--select=DL1000,DX100";

/// The driver's version changes with every release; the snapshot holds a placeholder.
fn without_version(text: &str) -> String {
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    text.replace(&version, "\"version\": \"VERSION\"")
}

fn fixture() -> std::path::PathBuf {
    repo_root().join("fixtures/pipeline")
}

#[test]
fn every_format_matches_its_snapshot() {
    let formats = [
        "full",
        "concise",
        "json",
        "json-lines",
        "github",
        "gitlab",
        "sarif",
        "checkstyle",
        "junit",
    ];
    for format in formats {
        let run = dlint(
            &fixture(),
            &[
                "check",
                "--isolated",
                SELECT,
                "--output-format",
                format,
                ".",
            ],
        );
        assert_eq!(run.code, 1, "{format}: {run:?}");
        assert_eq!(run.stderr, "", "{format}");
        assert_snapshot(
            &format!("check.{format}.txt"),
            &without_version(&run.stdout),
        );
    }
}

#[test]
fn statistics_match_their_snapshots() {
    for format in ["full", "json"] {
        let run = dlint(
            &fixture(),
            &[
                "check",
                "--isolated",
                SELECT,
                "--statistics",
                "--output-format",
                format,
                ".",
            ],
        );
        assert_eq!(run.code, 1, "{run:?}");
        assert_snapshot(&format!("statistics.{format}.txt"), &run.stdout);
    }
}

#[test]
fn environment_variable_chooses_the_format_and_output_file_takes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let run = command(&fixture(), &["check", "--isolated", SELECT, "-o"])
        .arg(&report)
        .arg(".")
        .env("DLINT_OUTPUT_FORMAT", "json")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&report).unwrap();
    assert_snapshot("check.json.txt", &written);
}
