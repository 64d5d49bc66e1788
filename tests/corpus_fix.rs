//! Fixing every corpus file (`DLINT_CORPUS`) with all rules and unsafe fixes: the result
//! parses without new syntax errors, fixing it again changes nothing, no fix is dropped, and
//! files with no fixable findings come back byte for byte.

mod common;
use dlint::fix::fix_until_stable;
use dlint::rules::{LintOptions, RuleSelection, lint};
use dlint::source::SourceFile;
use std::path::PathBuf;

#[test]
fn fixes_are_sound_on_the_corpus() {
    let Some(dir) = std::env::var_os("DLINT_CORPUS").map(PathBuf::from) else {
        common::notice(concat!(
            module_path!(),
            ": skipped, corpus not found (set DLINT_CORPUS)"
        ));
        return;
    };
    let records = std::fs::read_to_string(dir.join("buildkit.jsonl")).unwrap();
    let selection = RuleSelection::default();
    let (mut files, mut fixed_files, mut applied) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in records.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let rel = record["path"].as_str().unwrap();
        let path = dir.join("files").join(rel);
        let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) else {
            continue;
        };
        files += 1;
        let lint_fn = |t: &str| {
            lint(
                &SourceFile::new(&path, t.to_string()),
                &selection,
                &LintOptions::default(),
            )
        };
        let fixable = lint_fn(&text).iter().any(|d| d.fix.is_some());
        let once = fix_until_stable(&text, true, &lint_fn);
        if !fixable && once.text != text {
            failures.push(format!("{rel}: changed although nothing was fixable"));
        }
        if once.text != text {
            fixed_files += 1;
            applied += once.applied.len();
        }
        let before = dlint::syntax::parse(&text).errors.len();
        let after = dlint::syntax::parse(&once.text).errors.len();
        if after > before {
            failures.push(format!(
                "{rel}: fixed output has {after} syntax errors (had {before})"
            ));
        }
        if !once.dropped.is_empty() {
            failures.push(format!("{rel}: dropped fixes {:?}", once.dropped));
        }
        let twice = fix_until_stable(&once.text, true, &lint_fn);
        if twice.text != once.text {
            let codes: Vec<&str> = twice.applied.iter().map(|a| a.code).collect();
            failures.push(format!("{rel}: a second fix changed the file ({codes:?})"));
        }
    }
    println!(
        "corpus fix: {files} files, {fixed_files} changed by {applied} fixes, {} failures",
        failures.len()
    );
    for f in failures.iter().take(30) {
        println!("  {f}");
    }
    assert!(
        failures.is_empty(),
        "{} corpus files failed the fix checks",
        failures.len()
    );
}
