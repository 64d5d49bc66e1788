//! dlint's ShellCheck findings against hadolint's on the shared corpus (`DLINT_CORPUS`, and
//! ShellCheck installed): the share of hadolint's findings (same file, RUN and SC code) that
//! dlint reports too. hadolint's findings are data in `tests/data/hadolint-shellcheck.tsv`
//! (made by `bench/shellcheck_compare.py`); those in PowerShell, cmd and zsh stages, where
//! dlint runs no ShellCheck by design, and files hadolint cannot parse are left out.

mod common;

use dlint::rules::{LintOptions, RuleSelection, lint};
use dlint::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Reached with Debian's ShellCheck 0.9.0 (98.2%); the floor only ever rises.
const MATCH_FLOOR: f64 = 97.5;
const MATCH_TARGET: f64 = 95.0;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("DLINT_CORPUS")?);
    dir.join("files").is_dir().then_some(dir)
}

#[test]
fn shellcheck_findings_match_hadolints() {
    let Some(dir) = corpus() else {
        common::notice("shellcheck_corpus skipped: corpus not found (set DLINT_CORPUS)");
        return;
    };
    if dlint::rules::shell::runner::program().is_none() {
        common::notice(
            "shellcheck_corpus skipped: shellcheck not installed (apt-get install shellcheck)",
        );
        return;
    }
    let data = include_str!("data/hadolint-shellcheck.tsv");
    let mut expected: BTreeMap<String, BTreeSet<(usize, String)>> = BTreeMap::new();
    let mut unparsed = BTreeSet::new();
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        match f[3] {
            "unparsed" => {
                unparsed.insert(f[0].to_string());
            }
            "yes" => {
                expected
                    .entry(f[0].to_string())
                    .or_default()
                    .insert((f[1].parse().unwrap(), f[2].to_string()));
            }
            _ => {}
        }
    }
    let sources: Vec<SourceFile> = expected
        .keys()
        .filter_map(|path| {
            let text = std::fs::read_to_string(dir.join("files").join(path)).ok()?;
            Some(SourceFile::new(path.as_str(), text))
        })
        .collect();
    dlint::rules::shell::prefetch(&sources);
    let selection = RuleSelection::only(&["SC"]);
    let (mut total, mut matched) = (0usize, 0usize);
    let mut missed = Vec::new();
    for source in &sources {
        let syntax = dlint::syntax::parse(&source.text);
        let found: BTreeSet<(usize, String)> = lint(source, &selection, &LintOptions::default())
            .into_iter()
            .filter_map(|d| {
                let line = source.line_col(d.span.start).line;
                let inst = syntax
                    .instructions
                    .iter()
                    .find(|i| i.start_line <= line && line <= i.end_line)?;
                Some((inst.start_line, d.code.to_string()))
            })
            .collect();
        let wanted = &expected[source.path.to_str().unwrap()];
        total += wanted.len();
        for key in wanted {
            if found.contains(key) {
                matched += 1;
            } else {
                missed.push(format!("{}:{} {}", source.path.display(), key.0, key.1));
            }
        }
    }
    let ratio = 100.0 * matched as f64 / total.max(1) as f64;
    println!(
        "ShellCheck findings: {matched} of hadolint's {total} matched ({ratio:.1}%; target {MATCH_TARGET}%, floor {MATCH_FLOOR}%); {} files hadolint cannot parse left out",
        unparsed.len()
    );
    for m in missed.iter().take(30) {
        println!("  hadolint only: {m}");
    }
    assert!(
        ratio >= MATCH_FLOOR,
        "match ratio {ratio:.1}% below the floor {MATCH_FLOOR}%"
    );
}
