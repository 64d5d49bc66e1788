//! The rules that read the build context (DC007, DC008, DC009) over the projects in
//! `fixtures/projects/`, and the DC007 fix end to end through the `dlint` binary.

mod common;
use common::*;
use dlint::context::Context;
use dlint::diagnostic::Diagnostic;
use dlint::rules::{LintOptions, RuleSelection, lint};
use dlint::source::{LineIndex, SourceFile};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The rules under test: the others (the cache rules) have fixtures of their own.
fn context_rules() -> RuleSelection {
    RuleSelection::only(&["DC007", "DC008", "DC009"])
}

const SELECT: &str = "--select=DC007,DC008,DC009";

/// Lint `root/Dockerfile` with `root` as its build context.
fn lint_project(root: &Path) -> (String, Vec<Diagnostic>) {
    let dockerfile = root.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).unwrap();
    let context = Context::load(root, Some(&dockerfile)).unwrap();
    let source = SourceFile::new(dockerfile, text.clone());
    let options = LintOptions {
        build_context: Some(&context),
    };
    (text, lint(&source, &context_rules(), &options))
}

/// (line, code) of every finding.
fn lines(text: &str, diagnostics: &[Diagnostic]) -> Vec<(usize, &'static str)> {
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| (index.line_col(text, d.span.start).line, d.code))
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn dc007_reports_a_whole_context_copy_without_dockerignore() {
    let (text, diagnostics) = lint_project(&fixture_project("no-dockerignore"));
    // `COPY dist/` copies a directory with nothing unneeded in it: no finding there.
    assert_eq!(lines(&text, &diagnostics), vec![(5, "DC007")]);
    let message = &diagnostics[0].message;
    assert!(message.starts_with("COPY of `.` sends the whole build context"));
    assert!(message.contains("13 files (28.7 KB)"), "{message}");
    assert!(
        message.contains("biggest: .venv (20.1 KB, 2 files), node_modules (8.0 KB, 1 file)"),
        "{message}"
    );
    let fix = diagnostics[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.applicability, dlint::diagnostic::Applicability::Unsafe);
    assert!(fix.edits.is_empty());
    let new_file = fix.creates.as_ref().expect("creates a file");
    assert!(new_file.path.ends_with(".dockerignore"));
    let patterns: Vec<&str> = new_file
        .content
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect();
    // Not `dist` (copied by name), not `build` (a RUN runs a script in it), not the
    // `.env.example` template.
    // The last line keeps the new file itself out of `COPY . .`.
    assert_eq!(
        patterns,
        vec![
            ".env",
            ".venv",
            ".vscode",
            "node_modules",
            "**/__pycache__",
            ".dockerignore"
        ]
    );
    // The description names where the excluded files used to land in the image.
    assert!(
        fix.description.ends_with(
            "; the image no longer gets /app/.env, /app/.venv, /app/.vscode, /app/node_modules, /app/src/__pycache__"
        ),
        "{}",
        fix.description
    );
}

#[test]
fn dc007_is_silent_with_an_ignore_file_or_without_a_context() {
    let (text, diagnostics) = lint_project(&fixture_project("dockerignore-excludes"));
    assert!(
        !lines(&text, &diagnostics)
            .iter()
            .any(|(_, c)| *c == "DC007")
    );

    let root = fixture_project("no-dockerignore");
    let text = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let source = SourceFile::new(PathBuf::from("-"), text);
    let found = lint(&source, &context_rules(), &LintOptions::default());
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn dc007_honours_the_dockerfile_specific_ignore_file_and_finds_git() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git/objects")).unwrap();
    std::fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(root.join("app.py"), "print(1)\n").unwrap();
    std::fs::write(root.join("Dockerfile"), "FROM python:3.12\nCOPY . /app\n").unwrap();
    let (_, diagnostics) = lint_project(root);
    assert_eq!(diagnostics.len(), 1);
    let new_file = diagnostics[0]
        .fix
        .as_ref()
        .unwrap()
        .creates
        .as_ref()
        .unwrap();
    assert!(new_file.content.lines().any(|l| l == ".git"));

    std::fs::write(root.join("Dockerfile.dockerignore"), ".git\n").unwrap();
    let (_, diagnostics) = lint_project(root);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

#[test]
fn dc008_reports_sources_the_ignore_file_excludes() {
    let (text, diagnostics) = lint_project(&fixture_project("dockerignore-excludes"));
    // CHANGELOG.md is re-included by `!CHANGELOG.md`; site/ is not excluded.
    assert_eq!(
        lines(&text, &diagnostics),
        vec![(2, "DC008"), (3, "DC008"), (5, "DC008")]
    );
    assert!(
        diagnostics[0]
            .message
            .contains(".dockerignore line 3 (`**/*.md`): the build fails")
    );
    assert!(diagnostics[1].message.contains("nothing is copied"));
    assert!(diagnostics[2].message.contains("line 5 (`secrets`)"));
    assert_eq!(diagnostics[0].span.text(&text), "README.md");
}

#[test]
fn dc009_reports_missing_and_outside_sources_only() {
    let (text, diagnostics) = lint_project(&fixture_project("missing-sources"));
    // Not reported: `yarn.lock*` (an empty wildcard copies nothing without failing), `$ENTRY`
    // (expands to server.js, present), `$NOT_DEFINED`, the heredoc, the URL, `--from`.
    assert_eq!(
        lines(&text, &diagnostics),
        vec![(4, "DC009"), (5, "DC009"), (6, "DC009")]
    );
    assert!(
        diagnostics[0]
            .message
            .contains("`requirements-dev.txt` does not exist")
    );
    assert!(diagnostics[1].message.contains("outside the build context"));
    assert_eq!(
        diagnostics[2].help.as_deref(),
        Some("did you mean `config.yaml`?")
    );
}

#[test]
fn dc009_is_silent_when_every_source_exists() {
    let (_, diagnostics) =
        lint_project(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/amas/backend"));
    assert!(
        !diagnostics
            .iter()
            .any(|d| d.code == "DC009" || d.code == "DC008"),
        "{diagnostics:?}"
    );
}

#[test]
fn dc007_fix_creates_the_dockerignore_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("app");
    copy_dir(&fixture_project("no-dockerignore"), &root);
    let dockerfile_before = std::fs::read_to_string(root.join("Dockerfile")).unwrap();

    // Safe fixes only: the file is not created.
    let Run { code, .. } = dlint(&root, &["fix", SELECT, "--output-format", "concise", "."]);
    assert_eq!(code, 1, "DC007 remains");
    assert!(!root.join(".dockerignore").exists());

    // --diff shows a new file and writes nothing.
    let Run { code, stdout, .. } = dlint(&root, &["fix", SELECT, "--diff", "--unsafe-fixes", "."]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1,9 @@\n"),
        "{stdout}"
    );
    assert!(!root.join(".dockerignore").exists());

    let Run { code, stderr, .. } = dlint(
        &root,
        &[
            "fix",
            SELECT,
            "--unsafe-fixes",
            "--output-format",
            "concise",
            ".",
        ],
    );
    assert_eq!(code, 0, "nothing left to report: {stderr}");
    let written = std::fs::read_to_string(root.join(".dockerignore")).unwrap();
    assert!(written.contains("\n.venv\n"));
    assert_eq!(
        std::fs::read_to_string(root.join("Dockerfile")).unwrap(),
        dockerfile_before,
        "the Dockerfile is not touched"
    );
    // The written ignore file parses cleanly and keeps every named source in the context.
    let (text, diagnostics) = lint_project(&root);
    assert!(lines(&text, &diagnostics).is_empty(), "{diagnostics:?}");

    // A second run changes nothing.
    let Run { code, stdout, .. } = dlint(&root, &["fix", SELECT, "--diff", "--unsafe-fixes", "."]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(
        std::fs::read_to_string(root.join(".dockerignore")).unwrap(),
        written
    );
}

#[test]
fn context_flag_sets_the_context_of_stdin_and_rejects_non_directories() {
    let root = fixture_project("missing-sources");
    let out = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["check", SELECT, "--output-format", "concise", "--context"])
        .arg(&root)
        .arg("-")
        .stdin(std::fs::File::open(root.join("Dockerfile")).unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("DC009").count(), 3, "{stdout}");

    let out = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["check", "--context"])
        .arg(root.join("Dockerfile"))
        .arg(root.join("Dockerfile"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn compose_services_are_linted_with_their_own_contexts() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The directory walk finds compose.yaml and both Dockerfiles; each Dockerfile a service
    // builds is linted once, with the service's context.
    let Run {
        code,
        stdout,
        stderr,
    } = dlint(
        repo,
        &[
            "check",
            "--output-format",
            "concise",
            "fixtures/projects/compose",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let findings: Vec<&str> = stdout.lines().filter(|l| l.contains(": DC")).collect();
    assert_eq!(findings.len(), 5, "{stdout}");
    assert!(findings[0].starts_with("fixtures/projects/compose/api/Dockerfile:5:5: DC004"));
    assert!(findings[1].starts_with("fixtures/projects/compose/api/Dockerfile:6:6: DC007"));
    // The inline Dockerfile's finding carries the Compose file's line.
    assert!(
        findings[2].starts_with("fixtures/projects/compose/compose.yaml:18:6: DC009 `jobs.py`")
    );
    // A build arg that turns pip's cache off is reported where it is set: in the Compose file
    // (through the `x-python-build` anchor), because the api Dockerfile declares the ARG.
    assert!(
        findings[3].starts_with("fixtures/projects/compose/compose.yaml:3:5: DC002 build arg `PIP_NO_CACHE_DIR` of service `api`"),
        "{}",
        findings[3]
    );
    assert!(findings[4].starts_with("fixtures/projects/compose/web/Dockerfile:3:6: DC009 `dist/`"));
    // `fix` never edits the Compose file; it fixes the Dockerfiles its services build, with
    // the services' contexts (as `check` does).
    let Run { code, stdout, .. } = dlint(
        repo,
        &["fix", "--diff", "fixtures/projects/compose/compose.yaml"],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(!stdout.contains("compose.yaml"), "{stdout}");
    assert!(
        stdout.contains("+++ b/fixtures/projects/compose/api/Dockerfile"),
        "{stdout}"
    );
}

#[test]
fn dc009_stays_silent_when_no_source_is_in_the_assumed_context() {
    // Built as `docker build -f docker/Dockerfile .` from a repository root: nothing it copies
    // is next to it, so the default context is the wrong one, not every COPY.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("Dockerfile"),
        "FROM golang:1.23\nCOPY go.mod go.sum ./\nCOPY . .\n",
    )
    .unwrap();
    let (_, diagnostics) = lint_project(root);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // One source present is evidence enough: the other is reported.
    std::fs::write(root.join("go.mod"), "module x\n").unwrap();
    let (_, diagnostics) = lint_project(root);
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0]
            .message
            .starts_with("`go.sum` does not exist")
    );
}

#[test]
fn dc010_reports_git_left_in_by_a_dockerignore_unless_the_build_runs_git() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (path, text) in [
        (".dockerignore", "*.log\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".git/config", "[core]\n"),
        ("app.py", "print(1)\n"),
        (
            "Dockerfile",
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        ),
    ] {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let run = dlint(
        root,
        &["check", "--output-format", "concise", "--select", "DC010"],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("Dockerfile:3:6: DC010 .dockerignore does not exclude `.git/`"),
        "{run:?}"
    );
    // A build that runs git (a version from the history) needs it: no finding.
    std::fs::write(
        root.join("Dockerfile"),
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN git describe --tags > VERSION\n",
    )
    .unwrap();
    let run = dlint(
        root,
        &["check", "--output-format", "concise", "--select", "DC010"],
    );
    assert_eq!(run.code, 0, "{run:?}");
}
