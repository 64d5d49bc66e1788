//! A cache mount a non-root user cannot write to: pip turns its cache off (measured on
//! BuildKit 0.13 with `USER 1000` and a mount without `uid=`), so the mount stays empty. Before,
//! `dlint fix` moved a misplaced mount (DC005) without giving it to the user, while DC004 added a
//! second one at the same place: the file had two mounts at /home/app/.cache/pip and the later,
//! root's, hid the other.

use dlint::fix::fix_until_stable;
use dlint::rules::{LintOptions, RuleSelection, lint};
use dlint::source::SourceFile;

fn fixed(text: &str) -> String {
    let lint_text = |t: &str| {
        lint(
            &SourceFile::new("Dockerfile", t.to_string()),
            &RuleSelection::default(),
            &LintOptions::default(),
        )
    };
    fix_until_stable(text, true, &lint_text).text
}

fn run_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.contains("pip install"))
        .expect("the pip RUN")
}

#[test]
fn a_misplaced_mount_is_moved_once_and_given_to_the_user() {
    let text = "FROM python:3.12-slim\nRUN useradd --create-home --uid 1000 app\nUSER 1000:1000\nRUN --mount=type=cache,target=/root/.cache/pip pip install --user flask==3.0.3\n";
    assert_eq!(
        run_line(&fixed(text)),
        "RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000,gid=1000 pip install --user flask==3.0.3"
    );
}

#[test]
fn a_mount_in_place_is_given_to_the_user_keeping_its_other_fields() {
    let text = "FROM python:3.12-slim\nUSER 1000:1000\nENV HOME=/home/app\nRUN --mount=type=cache,gid=1000,target=/home/app/.cache/pip,sharing=locked pip install --user flask==3.0.3\n";
    assert_eq!(
        run_line(&fixed(text)),
        "RUN --mount=type=cache,gid=1000,target=/home/app/.cache/pip,sharing=locked,uid=1000 pip install --user flask==3.0.3"
    );
    let quoted = "FROM python:3.12-slim\nUSER 1000:1000\nENV HOME=/home/app\nRUN --mount=\"type=cache,target=/home/app/.cache/pip\" pip install --user flask==3.0.3\n";
    assert_eq!(
        run_line(&fixed(quoted)),
        "RUN --mount=\"type=cache,target=/home/app/.cache/pip,uid=1000,gid=1000\" pip install --user flask==3.0.3"
    );
}

#[test]
fn an_unknown_uid_is_reported_without_a_fix() {
    let text = "FROM python:3.12-slim\nRUN useradd --create-home app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install --user flask==3.0.3\n";
    let found = lint(
        &SourceFile::new("Dockerfile", text.to_string()),
        &RuleSelection::only(&["DC005"]),
        &LintOptions::default(),
    );
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("cannot write to it"),
        "{}",
        found[0].message
    );
    assert!(found[0].fix.is_none());
    assert_eq!(fixed(text), text);
}
