//! DC004's apt mount takes the package lists out of the image: found by the end-to-end builds
//! (fixtures/rules/DC012/good_run_reads_manifest.Dockerfile), whose fixed file did not build
//! because a later RUN installs without `apt-get update`.

use dlint::rules::{LintOptions, RuleSelection, lint};
use dlint::source::SourceFile;

/// Whether DC004 reports the first RUN's `apt-get install`, and whether it offers a fix.
fn dc004_on_first_run(text: &str) -> (bool, bool) {
    let source = SourceFile::new("Dockerfile", text.to_string());
    let found = lint(
        &source,
        &RuleSelection::only(&["DC004"]),
        &LintOptions::default(),
    );
    let on_first = found
        .iter()
        .find(|d| source.line_col(d.span.start).line == 2);
    (
        on_first.is_some(),
        on_first.is_some_and(|d| d.fix.is_some()),
    )
}

#[test]
fn no_apt_mount_when_a_later_run_reads_the_lists_left_in_the_image() {
    let reads_later = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n";
    assert_eq!(dc004_on_first_run(reads_later), (true, false));
    let refreshes_later = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git\n";
    assert_eq!(dc004_on_first_run(refreshes_later), (true, true));
}
