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
    assert!(fixed.contains("COPY package.json package-lock.json ./\n\nRUN --mount=type=cache,target=/root/.npm npm ci\n\nCOPY . .\n"), "{fixed}");
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

/// Manifest contents that make an install read more than its manifests: the finding is
/// withdrawn, as for pip's `-e .` (each project is flagged once the reason is taken out).
#[test]
fn an_install_that_reads_the_project_is_not_moved() {
    for (project, reason) in [
        ("dc003-node-postinstall", "a postinstall script"),
        ("dc003-node-local-dep", "a file: dependency"),
        ("dc003-composer-path-repo", "a path repository"),
        ("dc003-gemfile-gemspec", "a gemspec line"),
    ] {
        let (found, _) = run(project);
        assert!(found.is_empty(), "{project} ({reason}): {found:#?}");
    }
}

/// The same projects without what reads the project are flagged, so the test above can fail.
#[test]
fn without_the_reason_the_same_installs_are_flagged() {
    let cases = [
        (
            "dc003-node-postinstall",
            "package.json",
            "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
        ),
        (
            "dc003-node-local-dep",
            "package.json",
            "{\"name\": \"x\", \"dependencies\": {\"shared\": \"^1.0.0\"}}\n",
        ),
        (
            "dc003-composer-path-repo",
            "composer.json",
            "{\"require\": {\"acme/greeter\": \"*\"}}\n",
        ),
        (
            "dc003-gemfile-gemspec",
            "Gemfile",
            "source \"https://rubygems.org\"\n# gemspec is not read here\ngem \"rack\"\n",
        ),
    ];
    for (project, manifest, replacement) in cases {
        let dir = copy_project(project);
        std::fs::write(dir.path().join(manifest), replacement).unwrap();
        let found = lint_in(dir.path());
        assert_eq!(found.len(), 1, "{project}: {found:#?}");
    }
}

/// A context that holds the folder the install writes (`node_modules`): moving `COPY . .`
/// after `npm ci` would copy it over the installed one, so the fix is unsafe and says why.
#[test]
fn a_context_holding_the_install_output_makes_the_fix_unsafe() {
    let dir = copy_project("dc003-node-lockfile");
    std::fs::create_dir_all(dir.path().join("node_modules/left-over")).unwrap();
    std::fs::remove_file(dir.path().join(".dockerignore")).unwrap();
    let found = lint_in(dir.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    let fix = found[0].fix.as_ref().expect("an unsafe fix");
    assert_eq!(fix.applicability, dlint::diagnostic::Applicability::Unsafe);
    assert!(
        fix.description.contains("node_modules"),
        "{}",
        fix.description
    );
    // Ignored by .dockerignore, it is no longer in the way.
    std::fs::write(dir.path().join(".dockerignore"), "node_modules\n").unwrap();
    let found = lint_in(dir.path());
    let fix = found[0].fix.as_ref().unwrap();
    assert_eq!(
        fix.applicability,
        dlint::diagnostic::Applicability::Safe,
        "{}",
        fix.description
    );
}

/// With the context at hand, the message names the manifests it has, not every one the
/// manager could read.
#[test]
fn the_message_names_the_manifests_the_context_has() {
    let (found, _) = run("dc003-node-lockfile");
    assert!(
        found[0]
            .message
            .contains("needs only package.json, package-lock.json:"),
        "{}",
        found[0].message
    );
}

fn copy_project(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_project(name), dir.path());
    dir
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// DC003's findings for the Dockerfile in `root`, with `root` as the build context.
fn lint_in(root: &std::path::Path) -> Vec<dlint::diagnostic::Diagnostic> {
    let dockerfile = root.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).unwrap();
    let context = Context::load(root, Some(&dockerfile)).unwrap();
    let options = LintOptions {
        build_context: Some(&context),
    };
    lint(
        &SourceFile::new(&dockerfile, text),
        &RuleSelection::only(&["DC003"]),
        &options,
    )
}
