//! Cache-mount fixes over whole projects in `fixtures/projects/` (written to be built by the
//! real-builder harness, before and after the fix): heredoc scripts get their setup inside the
//! body, and a dependency chain gets the same mount on every step that reads it.

mod common;
use common::*;

fn fixed(project: &str) -> String {
    let run = dlint(
        &repo_root(),
        &[
            "fix",
            "--diff",
            "--unsafe-fixes",
            "--select",
            "DC004",
            &format!("fixtures/projects/{project}/Dockerfile"),
        ],
    );
    assert_eq!(run.code, 1, "a fix is offered: {run:?}");
    run.stdout
}

#[test]
fn heredoc_setup_goes_inside_the_script() {
    let diff = fixed("heredoc-apt");
    assert!(
        diff.contains("+RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked <<EOF\n"),
        "{diff}"
    );
    // After the shebang, before the script's first command.
    assert!(
        diff.contains(" #!/bin/sh\n+rm -f /etc/apt/apt.conf.d/docker-clean && "),
        "{diff}"
    );
    assert!(!diff.contains("&& <<EOF"), "{diff}");
}

#[test]
fn go_download_and_build_share_the_module_cache_mount() {
    let diff = fixed("go-download-then-build");
    assert!(
        diff.contains("+RUN --mount=type=cache,target=/go/pkg/mod go mod download\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build"),
        "{diff}"
    );
    // The fix is safe: `fix` without --unsafe-fixes applies it too.
    let run = dlint(
        &repo_root(),
        &[
            "check",
            "--select",
            "DC004",
            "--output-format",
            "concise",
            "fixtures/projects/go-download-then-build/Dockerfile",
        ],
    );
    assert!(run.stdout.contains("DC004 [*]"), "{run:?}");
}

/// With the build context at hand, a build step of a project without the manager's manifests
/// (no go.mod) downloads nothing and is not reported; without the context it is.
#[test]
fn a_build_without_manifests_in_the_context_is_not_reported() {
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--select", "DC004", "--output-format", "concise"];
        args.extend_from_slice(extra);
        dlint(&repo_root(), &args)
    };
    let with_context = check(&["fixtures/projects/go-no-module/Dockerfile"]);
    assert_eq!(with_context.code, 0, "{with_context:?}");
    let stdin =
        std::fs::read_to_string(fixture_project("go-no-module").join("Dockerfile")).unwrap();
    let without = dlint_with_stdin(
        &repo_root(),
        &[
            "check",
            "--select",
            "DC004",
            "--output-format",
            "concise",
            "-",
        ],
        &stdin,
    );
    assert!(without.stdout.contains("DC004"), "{without:?}");
}
