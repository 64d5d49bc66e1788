//! The CI recipes in the README (its "In CI and pre-commit" section) work as documented: every `dlint` command line in its
//! code blocks runs against a fixture with findings, with the exit code and output shape the
//! recipe relies on; the pre-commit recipe names hooks that exist.

mod common;
use common::*;

/// The README's recipes, between its `<!-- recipes` and `<!-- /recipes -->` markers.
fn recipes_section() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- recipes")
        .expect("README has a recipes section");
    let end = readme
        .find("<!-- /recipes -->")
        .expect("the recipes section ends");
    readme[start..end].to_string()
}

/// `dlint ...` command lines inside the document's code blocks.
fn documented_commands(doc: &str) -> Vec<Vec<String>> {
    let mut in_block = false;
    let mut out = Vec::new();
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let Some(at) = line.find("dlint check").or_else(|| line.find("dlint fix")) else {
            continue;
        };
        out.push(line[at..].split_whitespace().map(str::to_string).collect());
    }
    out
}

/// A copy of the formats fixture: one error and fixable style findings.
fn fixture() -> tempfile::TempDir {
    let root = repo_root().join("fixtures/pipeline");
    let dir = tempfile::tempdir().unwrap();
    for name in ["Dockerfile", "api.Dockerfile"] {
        std::fs::copy(root.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn value_after(args: &[String], flag: &str) -> Option<String> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1).cloned()
}

#[test]
fn every_documented_command_runs_as_the_recipe_expects() {
    let doc = recipes_section();
    let commands = documented_commands(&doc);
    assert!(commands.len() >= 3, "found {commands:?}");
    for command in commands {
        let dir = fixture();
        let args: Vec<&str> = command[1..].iter().map(String::as_str).collect();
        let run = dlint(dir.path(), &args);
        let expected_code = if command.iter().any(|a| a == "--exit-zero") {
            0
        } else {
            1
        };
        assert_eq!(run.code, expected_code, "{command:?}: {run:?}");
        let report = match value_after(&command, "--output-file") {
            Some(file) => {
                assert_eq!(run.stdout, "", "{command:?}");
                std::fs::read_to_string(dir.path().join(file)).unwrap()
            }
            None => run.stdout.clone(),
        };
        let format = value_after(&command, "--output-format").unwrap_or_default();
        match format.as_str() {
            "github" => {
                assert!(!report.is_empty());
                for line in report.lines() {
                    assert!(
                        line.starts_with("::error file=")
                            || line.starts_with("::warning file=")
                            || line.starts_with("::notice file="),
                        "{command:?}: {line}"
                    );
                }
            }
            "sarif" => {
                let sarif: serde_json::Value = serde_json::from_str(&report).unwrap();
                assert_eq!(sarif["version"], "2.1.0");
                assert_eq!(sarif["runs"][0]["tool"]["driver"]["name"], "dlint");
                assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
            }
            "gitlab" => {
                let issues: serde_json::Value = serde_json::from_str(&report).unwrap();
                let issues = issues.as_array().unwrap();
                assert_eq!(issues.len(), 3);
                for issue in issues {
                    for key in ["description", "check_name", "fingerprint", "severity"] {
                        assert!(issue.get(key).is_some(), "{command:?}: {issue}");
                    }
                    assert!(issue["location"]["lines"]["begin"].is_u64());
                }
            }
            other => panic!("no shape check for format {other:?} in {command:?}"),
        }
    }
}

#[test]
fn pre_commit_recipe_names_hooks_that_exist_and_pass_force_exclude() {
    let doc = recipes_section();
    let hooks = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let used: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: "))
        .collect();
    assert_eq!(used, ["dlint-fix", "dlint"]);
    for id in used {
        assert!(hooks.contains(&format!("- id: {id}\n")), "{id}");
    }
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .collect();
    // Each hook, and its build-from-source variant, passes --force-exclude.
    assert_eq!(
        entries,
        [
            "dlint check --force-exclude",
            "dlint fix --force-exclude",
            "dlint check --force-exclude",
            "dlint fix --force-exclude"
        ]
    );
}

#[test]
fn pre_commit_file_pattern_matches_dockerfile_names() {
    let hooks = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let pattern = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("files: "))
        .unwrap()
        .trim_matches('\'');
    let exclude = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("exclude: "))
        .unwrap()
        .trim_matches('\'');
    let files = regex::Regex::new(pattern).unwrap();
    let exclude = regex::Regex::new(exclude).unwrap();
    let matches = |path: &str| files.is_match(path) && !exclude.is_match(path);
    for yes in [
        "Dockerfile",
        "app/Dockerfile",
        "Containerfile",
        "Dockerfile.dev",
        "x/Containerfile.prod",
        "api.Dockerfile",
        "api.dockerfile",
        "web.Containerfile",
    ] {
        assert!(matches(yes), "{yes}");
    }
    for no in [
        "Dockerfile/README.md",
        "docs/dockerfiles.md",
        "Makefile",
        "a.dockerignore",
        "Dockerfile.dockerignore",
    ] {
        assert!(!matches(no), "{no}");
    }
}
