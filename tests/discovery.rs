//! Which files a walk finds: `Dockerfile-*` names and Dockerfiles in hidden folders
//! (`.devcontainer`, `.github`), never `.git` or ignored paths; a walk that finds nothing says
//! so; a named file that is not a Dockerfile is an error naming it.

mod common;
use common::*;

/// The files named in `concise` output, in order.
fn files(run: &Run) -> Vec<String> {
    let mut files: Vec<String> = run
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|f| !f.starts_with("Found") && !f.contains(' '))
        .map(str::to_string)
        .collect();
    files.dedup();
    files
}

#[test]
fn the_walk_finds_dashed_names_and_hidden_folders_but_not_ignored_paths() {
    let run = dlint(
        &fixture_project("discovery"),
        &["check", "--output-format", "concise", "--select", "DC001"],
    );
    assert_eq!(
        files(&run),
        [
            ".devcontainer/Dockerfile",
            ".github/docker/ci.Dockerfile",
            "Dockerfile-dev"
        ],
        "{run:?}"
    );
    assert_eq!(run.code, 1, "{run:?}");
}

#[test]
fn the_walk_never_enters_git_data() {
    let dir = project(&[
        (
            ".git/refs/Dockerfile",
            "FROM a:1\nRUN pip install --no-cache-dir x==1\n",
        ),
        ("Dockerfile", "FROM a:1\n"),
    ]);
    let run = dlint(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains(".git"), "{run:?}");
}

#[test]
fn a_walk_that_finds_nothing_says_so_and_does_not_claim_a_pass() {
    for args in [
        &["check", "--output-format", "concise"][..],
        &["check", "--output-format", "full"][..],
        &["fix"][..],
    ] {
        let run = dlint(&fixture_project("no-dockerfiles"), args);
        // Nothing to lint is not a failure (a repository may have no Dockerfile yet).
        assert_eq!(run.code, 0, "{args:?} {run:?}");
        assert!(
            !run.stdout.contains("All checks passed"),
            "{args:?} {run:?}"
        );
        assert!(
            run.stderr.contains("no Dockerfiles found under ."),
            "{args:?} {run:?}"
        );
    }
    let run = dlint(
        &fixture_project("no-dockerfiles"),
        &["check", "--output-format", "concise"],
    );
    assert_eq!(run.stdout, "No Dockerfiles found.\n", "{run:?}");
}

#[test]
fn a_named_path_that_is_missing_or_not_a_dockerfile_is_an_error_naming_it() {
    let dir = project(&[
        ("notes.txt", "hello world\n"),
        (
            "build.df",
            "# syntax=docker/dockerfile:1\nFROM alpine:3.20\n",
        ),
    ]);
    let run = dlint(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "notes.txt",
            "missing",
        ],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("notes.txt: not a Dockerfile"),
        "{run:?}"
    );
    assert!(run.stderr.contains("missing: no such file"), "{run:?}");
    // Any name is fine when the file reads as a Dockerfile.
    let run = dlint(
        dir.path(),
        &["check", "--output-format", "concise", "build.df"],
    );
    assert_eq!(run.code, 0, "{run:?}");
}
