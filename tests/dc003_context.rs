//! DC003 with the build context at hand: the manifests are checked against it, pip's
//! `-r`/`-c` includes are followed, local references withdraw the finding, and the fix becomes
//! safe and copies exactly the files that exist.

mod common;
use common::*;
use dlint::context::Context;
use dlint::fix::fix_until_stable;
use dlint::rules::{LintOptions, RuleSelection, lint};
use dlint::source::SourceFile;

/// DC003's findings and the result of applying only safe fixes.
fn run(name: &str) -> (Vec<dlint::diagnostic::Diagnostic>, String) {
    let root = fixture_project(name);
    let dockerfile = root.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).unwrap();
    let context = Context::load(&root, Some(&dockerfile)).unwrap();
    let options = LintOptions {
        build_context: Some(&context),
    };
    let selection = RuleSelection::only(&["DC003"]);
    let lint_text = |t: &str| {
        lint(
            &SourceFile::new(&dockerfile, t.to_string()),
            &selection,
            &options,
        )
    };
    let found = lint_text(&text);
    let fixed = fix_until_stable(&text, false, &lint_text);
    (found, fixed.text)
}

#[test]
fn pip_includes_are_followed_but_a_manifest_below_a_folder_gets_no_fix() {
    // requirements.txt includes `-r requirements/base.txt`. One COPY of both to `.` would put
    // base.txt at ./base.txt and the install would fail (the end-to-end harness built it), so
    // the finding stays and no fix is offered.
    let (found, fixed) = run("dc003-pip-includes");
    assert_eq!(found.len(), 1);
    assert!(found[0].fix.is_none(), "{:?}", found[0].fix);
    let original =
        std::fs::read_to_string(fixture_project("dc003-pip-includes").join("Dockerfile")).unwrap();
    assert_eq!(fixed, original);
}

#[test]
fn a_local_reference_means_the_install_needs_the_source() {
    let (found, _) = run("dc003-editable");
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn only_the_lockfiles_that_exist_are_copied() {
    let (found, fixed) = run("dc003-node-lockfile");
    assert_eq!(found.len(), 1);
    assert!(fixed.contains("COPY package.json package-lock.json .\n\nRUN --mount=type=cache,target=/root/.npm npm ci\n\nCOPY . .\n"), "{fixed}");
}

/// DC003's findings and the result of applying every fix (unsafe ones too) without the build
/// context, the way the fuzzer and a Dockerfile on standard input are linted.
fn run_without_context(name: &str) -> (Vec<dlint::diagnostic::Diagnostic>, String) {
    let text = std::fs::read_to_string(fixture_project(name).join("Dockerfile")).unwrap();
    let selection = RuleSelection::only(&["DC003"]);
    let options = LintOptions::default();
    let lint_text = |t: &str| {
        lint(
            &SourceFile::new("Dockerfile", t.to_string()),
            &selection,
            &options,
        )
    };
    let found = lint_text(&text);
    let fixed = fix_until_stable(&text, true, &lint_text);
    assert!(fixed.dropped.is_empty(), "{:?}", fixed.dropped);
    (found, fixed.text)
}

#[test]
fn a_run_that_also_builds_is_not_moved_above_the_sources() {
    // `pnpm install && pnpm run build`: moved above `COPY . .`, the build has no sources.
    for (found, fixed) in [
        run("dc003-build-in-run"),
        run_without_context("dc003-build-in-run"),
    ] {
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].fix.is_none(), "{:?}", found[0].fix);
        let help = found[0].help.as_deref().unwrap();
        assert!(help.contains("`pnpm run build`"), "{help}");
        assert!(fixed.contains("COPY . .\nRUN pnpm install"), "{fixed}");
    }
}

#[test]
fn a_file_beside_the_manifest_is_not_taken_for_a_directory() {
    // `COPY mvnw pom.xml ./`: mvnw is a file (the context says so); without the context it
    // may be either, and nothing is guessed.
    let (found, fixed) = run("dc003-mvnw-file");
    assert!(found.is_empty(), "{found:#?}");
    assert!(!fixed.contains("mvnw/"), "{fixed}");
    let (found, fixed) = run_without_context("dc003-mvnw-file");
    assert!(found.is_empty(), "{found:#?}");
    assert!(!fixed.contains("mvnw/"), "{fixed}");
}

#[test]
fn every_source_of_a_copy_is_read_for_what_it_is() {
    // `COPY app requirements.txt .`: the manifest is the named file, not app/requirements.txt.
    let (found, fixed) = run("dc003-multi-source");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].fix.as_ref().unwrap().applicability,
        dlint::diagnostic::Applicability::Safe
    );
    assert_eq!(
        fixed,
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY app requirements.txt .\nCMD [\"python\", \"main.py\"]\n"
    );
    // Fixed again, nothing changes.
    let root = fixture_project("dc003-multi-source");
    let context = Context::load(&root, Some(&root.join("Dockerfile"))).unwrap();
    let options = LintOptions {
        build_context: Some(&context),
    };
    let selection = RuleSelection::only(&["DC003"]);
    let lint_text = |t: &str| {
        lint(
            &SourceFile::new(root.join("Dockerfile"), t.to_string()),
            &selection,
            &options,
        )
    };
    assert_eq!(fix_until_stable(&fixed, true, &lint_text).text, fixed);
}

#[test]
fn a_directory_named_beside_other_directories_is_found_in_the_context() {
    // Without the context the manifest could come from any of the directories: no fix.
    let text =
        "FROM python:3.12\nWORKDIR /srv\nCOPY src deps .\nRUN pip install -r requirements.txt\n";
    let found = lint(
        &SourceFile::new("Dockerfile", text.to_string()),
        &RuleSelection::only(&["DC003"]),
        &LintOptions::default(),
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].fix.is_none());
}
