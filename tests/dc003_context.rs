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
fn pip_includes_are_followed_and_the_fix_is_safe() {
    let (found, fixed) = run("dc003-pip-includes");
    assert_eq!(found.len(), 1);
    let fix = found[0].fix.as_ref().unwrap();
    assert_eq!(
        fix.applicability,
        dlint::diagnostic::Applicability::Safe,
        "{}",
        fix.description
    );
    assert_eq!(
        fixed,
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt requirements/base.txt constraints.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"
    );
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
