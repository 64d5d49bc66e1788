//! Every rule against its fixtures: `fixtures/rules/<CODE>/bad_*.Dockerfile` must trigger it,
//! `good_*.Dockerfile` must not; each fixture's diagnostics and fixed output (with unsafe fixes)
//! are compared with its `.snap` file; every fix parses, re-checks clean and is stable. Each
//! rule's doc page example triggers it and its "use instead" does not.
//!
//! Rules that read the build context get `fixtures/rules/<CODE>/context/` as theirs (fixtures
//! and doc examples alike); a fixture's own `<name>.Dockerfile.dockerignore` applies to it, as
//! BuildKit's Dockerfile-specific ignore file does.
//!
//! A rule off by default runs on its own fixtures and doc examples; a rule's options for them
//! come from `fixtures/rules/<CODE>/dlint.toml` (`[rules.CODE]` tables, as in `dlint.toml`).
//!
//! `DLINT_UPDATE_SNAPSHOTS=1 cargo test --test rules` rewrites the snapshots.

mod common;

use dlint::fix::fix_until_stable;
use dlint::rules::{LintOptions, RuleSelection, lint, registry};
use dlint::source::SourceFile;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

/// The findings of rule `code` alone, with every rule running (a suppression rule needs the
/// findings of the rules it silences).
fn lint_only(code: &str, path: &Path, text: &str) -> Vec<dlint::diagnostic::Diagnostic> {
    let source = SourceFile::new(path, text.to_string());
    let context_dir = fixtures_dir().join(code).join("context");
    let build_context = context_dir
        .is_dir()
        .then(|| dlint::context::Context::load(&context_dir, Some(path)).unwrap());
    let options = LintOptions {
        build_context: build_context.as_ref(),
    };
    let mut found = lint(&source, &selection_for(code), &options);
    // ShellCheck's findings carry their own SC codes; they belong to the rule `SC`.
    found.retain(|d| dlint::rules::registry_code(d.code) == code);
    found
}

/// Whether rule `code` can run here: the ShellCheck rule needs `shellcheck` (tests of it are
/// skipped, with a notice, where it is not installed).
fn runnable(code: &str) -> bool {
    let missing =
        code == dlint::rules::shell::RULE_CODE && dlint::rules::shell::runner::program().is_none();
    if missing {
        common::notice(&format!(
            "shellcheck not installed, the fixtures of {code} are skipped (apt-get install shellcheck)"
        ));
    }
    !missing
}

/// Every default rule, plus `code` even when it is off by default, with the options of
/// `fixtures/rules/<CODE>/dlint.toml`.
fn selection_for(code: &str) -> RuleSelection {
    let mut selection = RuleSelection::default();
    selection.set_enabled(code, true);
    let options_file = fixtures_dir().join(code).join("dlint.toml");
    if let Ok(text) = std::fs::read_to_string(options_file) {
        let table: toml::Table = text.parse().expect("fixture dlint.toml parses");
        let mut options = dlint::rules::RuleOptions::new();
        for (rule, value) in table["rules"].as_table().expect("[rules] tables") {
            let meta = dlint::rules::find(rule).expect("a known rule");
            options.insert(meta.code, value.as_table().expect("a table").clone());
        }
        selection.set_options(options);
    }
    selection
}

fn snapshot(code: &str, path: &Path, text: &str) -> String {
    let source = SourceFile::new(path, text.to_string());
    let mut out = String::from("# diagnostics\n");
    for d in lint_only(code, path, text) {
        let at = source.line_col(d.span.start);
        let fix = match &d.fix {
            Some(f) => format!(" [{} fix: {}]", f.applicability.as_str(), f.description),
            None => String::new(),
        };
        out.push_str(&format!(
            "{}:{} {} {}{}\n",
            at.line, at.column, d.code, d.message, fix
        ));
    }
    let fixed = fix_until_stable(text, true, &|t| lint_only(code, path, t));
    out.push_str("# fixed (--unsafe-fixes)\n");
    out.push_str(&fixed.text);
    out
}

fn fixtures(code: &str) -> Vec<PathBuf> {
    let dir = fixtures_dir().join(code);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

/// A rule kept only so that configurations naming it load, whose doc page says what replaced
/// it (hadolint's DL3042): it never reports, so it has no bad fixtures and its example is what
/// the replacing rule reports.
fn replaced(rule: &dyn dlint::rules::Rule) -> bool {
    rule.doc().contains("\n## Replaced by\n")
}

#[test]
fn every_rule_has_fixtures_and_docs() {
    for rule in registry() {
        let meta = rule.meta();
        let files = fixtures(meta.code);
        let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            replaced(*rule) || files.iter().any(|p| name(p).starts_with("bad_")),
            "{} needs bad_ fixtures",
            meta.code
        );
        assert!(
            files.iter().any(|p| name(p).starts_with("good_")),
            "{} needs good_ fixtures",
            meta.code
        );
        let doc = rule.doc();
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## Use instead",
            "## Fix",
            "## References",
        ] {
            assert!(
                doc.contains(section),
                "rules/{}.md lacks `{section}`",
                meta.code
            );
        }
    }
}

#[test]
fn fixtures_trigger_or_not() {
    for rule in registry() {
        let code = rule.meta().code;
        if !runnable(code) {
            continue;
        }
        for path in fixtures(code) {
            let text = std::fs::read_to_string(&path).unwrap();
            let found = lint_only(code, &path, &text);
            let name = path.file_name().unwrap().to_string_lossy();
            if name.starts_with("bad_") {
                assert!(!found.is_empty(), "{} must trigger {code}", path.display());
            } else if name.starts_with("good_") {
                assert!(
                    found.is_empty(),
                    "{} must not trigger {code}: {found:#?}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn fixes_parse_recheck_clean_and_are_stable() {
    for rule in registry() {
        let code = rule.meta().code;
        if !runnable(code) {
            continue;
        }
        for path in fixtures(code) {
            let text = std::fs::read_to_string(&path).unwrap();
            let before = dlint::syntax::parse(&text).errors.len();
            let lint_fn = |t: &str| lint_only(code, &path, t);
            let once = fix_until_stable(&text, true, &lint_fn);
            let after = dlint::syntax::parse(&once.text);
            assert!(
                after.errors.len() <= before,
                "{}: the fix broke the parse: {:?}",
                path.display(),
                after.errors
            );
            // A fix that creates a file (DC007's .dockerignore) is written by `dlint fix`, not
            // by the text engine: its finding stays until the file exists.
            let left: Vec<_> = lint_fn(&once.text)
                .into_iter()
                .filter(|d| d.fix.as_ref().is_some_and(|f| !f.edits.is_empty()))
                .collect();
            assert!(
                left.is_empty(),
                "{}: fixable findings remain after fixing: {left:#?}",
                path.display()
            );
            let twice = fix_until_stable(&once.text, true, &lint_fn);
            assert_eq!(
                twice.text,
                once.text,
                "{}: a second fix changed the file",
                path.display()
            );
            assert!(
                once.dropped.is_empty(),
                "{}: fixes were dropped: {:?}",
                path.display(),
                once.dropped
            );
        }
    }
}

#[test]
fn snapshots_match() {
    let update = std::env::var_os("DLINT_UPDATE_SNAPSHOTS").is_some();
    let mut mismatches = Vec::new();
    for rule in registry() {
        let code = rule.meta().code;
        if !runnable(code) {
            continue;
        }
        for path in fixtures(code) {
            let text = std::fs::read_to_string(&path).unwrap();
            let actual = snapshot(code, &path, &text);
            let snap = path.with_extension("Dockerfile.snap");
            if update {
                std::fs::write(&snap, &actual).unwrap();
                continue;
            }
            match std::fs::read_to_string(&snap) {
                Ok(expected) if expected == actual => {}
                Ok(expected) => mismatches.push(format!(
                    "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                    snap.display()
                )),
                Err(_) => mismatches.push(format!(
                    "{}: missing (run with DLINT_UPDATE_SNAPSHOTS=1)",
                    snap.display()
                )),
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The ```dockerfile blocks under a heading of a doc page.
fn doc_block(doc: &str, heading: &str) -> Option<String> {
    let rest = &doc[doc.find(heading)? + heading.len()..];
    let rest = &rest[rest.find("```dockerfile")? + "```dockerfile".len()..];
    Some(
        rest[..rest.find("```")?]
            .trim_start_matches('\n')
            .to_string(),
    )
}

#[test]
fn doc_examples_trigger_and_use_instead_does_not() {
    for rule in registry() {
        let meta = rule.meta();
        if !runnable(meta.code) {
            continue;
        }
        let doc = rule.doc();
        let path = Path::new("Dockerfile");
        let example =
            doc_block(doc, "## Example").unwrap_or_else(|| panic!("{}: no example", meta.code));
        assert!(
            replaced(*rule) || !lint_only(meta.code, path, &example).is_empty(),
            "{}: the doc example must trigger it",
            meta.code
        );
        let instead = doc_block(doc, "## Use instead")
            .unwrap_or_else(|| panic!("{}: no use instead", meta.code));
        let found = lint_only(meta.code, path, &instead);
        assert!(
            found.is_empty(),
            "{}: the doc's \"use instead\" must not trigger it: {found:#?}",
            meta.code
        );
    }
}
