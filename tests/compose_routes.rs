//! Compose: a Dockerfile reached through several services and Compose files is reported once,
//! under its normalised path, and `fix` uses the services' build contexts as `check` does.

mod common;
use common::*;
use std::path::Path;

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn one_report_per_file_under_its_normalised_path() {
    let run = dlint(
        &fixture_project("compose-routes"),
        &["check", "--output-format", "concise", "--select", "DC003"],
    );
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains("DC003")).collect();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(
        lines[0].starts_with("docker/api.Dockerfile:3:1: DC003 [*]"),
        "{run:?}"
    );
}

#[test]
fn fix_uses_the_service_context_like_check() {
    // The Dockerfile's own folder has no requirements.txt; the services' context (the project
    // root) has: the reorder is proven there, so it is a safe fix, and `fix` applies it.
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture_project("compose-routes"), dir.path());
    let run = dlint(dir.path(), &["fix", "--select", "DC003"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("Fixed 1 problem in 1 file."), "{run:?}");
    let fixed = std::fs::read_to_string(dir.path().join("docker/api.Dockerfile")).unwrap();
    assert_eq!(
        fixed,
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app/main.py\"]\n"
    );
}

#[test]
fn a_fix_that_holds_in_one_context_only_is_not_applied() {
    // A second service builds the same Dockerfile from a context without requirements.txt:
    // the finding stays, its fix (proven only for the first context) is not offered.
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture_project("compose-routes"), dir.path());
    std::fs::write(
        dir.path().join("deploy/compose.prod.yaml"),
        "services:\n  api:\n    build:\n      context: .\n      dockerfile: ../docker/api.Dockerfile\n",
    )
    .unwrap();
    let run = dlint(
        dir.path(),
        &["check", "--output-format", "concise", "--select", "DC003"],
    );
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains("DC003")).collect();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(!lines[0].contains("[*]"), "{run:?}");
}
