//! What a new user meets first: the README's example configuration, `check --fix`, `--help`,
//! rule URLs, `rules --output-format json`, `-v`, `--stdin-filename`, completions, `--version`
//! and the README's links.

mod common;
use common::{dlint, dlint_with_stdin, project, repo_root};

const UNFIXED: &str = "FROM python:3.12\nRUN pip install --no-cache-dir flask\n";

fn readme() -> String {
    std::fs::read_to_string(repo_root().join("README.md")).unwrap()
}

/// The first ```toml block after `heading` in the README.
fn readme_toml_after(heading: &str) -> String {
    let text = readme();
    let from = text.find(heading).expect("the README has the heading");
    let block = &text[from..];
    let start = block.find("```toml\n").expect("a toml block follows") + "```toml\n".len();
    let end = block[start..].find("```").unwrap() + start;
    block[start..end].to_string()
}

#[test]
fn the_readme_example_configuration_loads() {
    let example = readme_toml_after("### Example configuration");
    assert!(example.contains("select"), "{example}");
    let p = project(&[
        ("dlint.toml", &example),
        ("Dockerfile", "FROM alpine:3.20\n"),
    ]);
    let run = dlint(p.path(), &["check", "-v", "--output-format", "concise"]);
    assert_ne!(run.code, 2, "the README's example does not load: {run:?}");
    assert!(
        run.stderr.contains("using configuration dlint.toml"),
        "{run:?}"
    );
}

#[test]
fn check_fix_does_what_fix_does() {
    let via_check = project(&[("Dockerfile", UNFIXED)]);
    let via_fix = project(&[("Dockerfile", UNFIXED)]);
    let a = dlint(
        via_check.path(),
        &["check", "--fix", "--output-format", "concise"],
    );
    let b = dlint(via_fix.path(), &["fix", "--output-format", "concise"]);
    let fixed =
        |p: &tempfile::TempDir| std::fs::read_to_string(p.path().join("Dockerfile")).unwrap();
    assert_ne!(fixed(&via_fix), UNFIXED, "{b:?}");
    assert_eq!(fixed(&via_check), fixed(&via_fix), "{a:?}");
    assert_eq!(
        (a.code, &a.stdout, &a.stderr),
        (b.code, &b.stdout, &b.stderr)
    );
}

#[test]
fn help_lists_the_allowed_values() {
    let p = project(&[]);
    let run = dlint(p.path(), &["check", "--help"]);
    let help = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for format in dlint::output::OutputFormat::ALL {
        assert!(help.contains(format.as_str()), "{format} missing: {help}");
    }
    assert!(
        help.contains("[possible values: error, warning, info, style, none]"),
        "{help}"
    );
    let run = dlint(p.path(), &["check", "--output-format", "yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("possible values"), "{run:?}");
    // Levels are accepted in any case, as before.
    let run = dlint(
        p.path(),
        &["check", "--fail-level", "WARNING", "--exit-zero"],
    );
    assert_ne!(run.code, 2, "{run:?}");
}

#[test]
fn json_and_sarif_carry_the_rule_documentation_url() {
    let p = project(&[("Dockerfile", UNFIXED)]);
    let url = dlint::rules::doc_url("DC001");
    assert!(url.ends_with("/rules/DC001.md"), "{url}");
    assert!(url.starts_with("https://"), "{url}");
    let json = dlint(p.path(), &["check", "--output-format", "json"]);
    let records: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let dc001 = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "DC001")
        .expect("DC001 reported");
    assert_eq!(dc001["url"], url.as_str());
    let sarif = dlint(p.path(), &["check", "--output-format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = rules.iter().find(|r| r["id"] == "DC001").unwrap();
    assert_eq!(rule["helpUri"], url.as_str());
    // Every rule has its page, and the URL names it.
    for rule in dlint::rules::registry() {
        let code = rule.meta().code;
        assert!(repo_root().join(format!("rules/{code}.md")).is_file());
        assert!(dlint::rules::doc_url(code).ends_with(&format!("/{code}.md")));
    }
}

#[test]
fn rules_as_json() {
    let p = project(&[]);
    let run = dlint(p.path(), &["rules", "--output-format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), dlint::rules::registry().len());
    let dl1000 = rules.iter().find(|r| r["code"] == "DL1000").unwrap();
    assert_eq!(dl1000["name"], "syntax-error");
    assert_eq!(dl1000["severity"], "error");
    assert_eq!(dl1000["fixable"], false);
    assert_eq!(dl1000["url"], dlint::rules::doc_url("DL1000").as_str());
}

#[test]
fn verbose_names_the_configuration_in_use() {
    let p = project(&[
        ("app/dlint.toml", "ignore = [\"DC001\"]\n"),
        ("app/Dockerfile", UNFIXED),
        ("hl/.hadolint.yaml", "ignored: [DL3008]\n"),
        ("hl/Dockerfile", "FROM alpine:3.20\n"),
        ("plain/Dockerfile", "FROM alpine:3.20\n"),
    ]);
    for (dir, says) in [
        ("app", "using configuration app/dlint.toml"),
        ("hl", "using hadolint configuration hl/.hadolint.yaml"),
        ("plain", "no configuration file applies to plain/Dockerfile"),
    ] {
        let run = dlint(p.path(), &["check", "-v", dir]);
        assert!(run.stderr.contains(says), "{dir}: {run:?}");
    }
}

#[test]
fn stdin_filename_gives_the_build_context() {
    // DC009 needs the context: the file COPY names is missing from `app/`.
    let p = project(&[("app/present.txt", "x")]);
    let text = "FROM alpine:3.20\nCOPY present.txt missing.txt /srv/\n";
    let args = ["check", "--output-format", "concise", "--stdin-filename"];
    let run = dlint_with_stdin(
        p.path(),
        &[&args[..], &["app/Dockerfile", "-"]].concat(),
        text,
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("app/Dockerfile:2:"), "{run:?}");
    assert!(run.stdout.contains("DC009"), "{run:?}");
    assert!(run.stdout.contains("missing.txt"), "{run:?}");
    assert!(!run.stdout.contains("present.txt"), "{run:?}");
    // A name in a directory that does not exist gives no context: the rule stays silent.
    let run = dlint_with_stdin(
        p.path(),
        &[&args[..], &["nowhere/Dockerfile", "-"]].concat(),
        text,
    );
    assert!(!run.stdout.contains("DC009"), "{run:?}");
    // `--context` still wins.
    let run = dlint_with_stdin(
        p.path(),
        &[&args[..], &["nowhere/Dockerfile", "--context", "app", "-"]].concat(),
        text,
    );
    assert!(run.stdout.contains("DC009"), "{run:?}");
}

#[test]
fn fixing_stdin_creates_no_files() {
    // DC007 would create a .dockerignore next to a file; for standard input it must not.
    let p = project(&[("app/main.py", "print()\n"), ("app/.venv/bin/python", "")]);
    let text = "FROM python:3.12\nCOPY . /app\n";
    let checked = dlint_with_stdin(
        p.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--stdin-filename",
            "app/Dockerfile",
            "-",
        ],
        text,
    );
    assert!(checked.stdout.contains("DC007"), "{checked:?}");
    let run = dlint_with_stdin(
        p.path(),
        &[
            "fix",
            "--unsafe-fixes",
            "--stdin-filename",
            "app/Dockerfile",
            "-",
        ],
        text,
    );
    assert_ne!(run.code, 2, "{run:?}");
    assert!(!p.path().join("app/.dockerignore").exists(), "{run:?}");
}

#[test]
fn completions_for_each_shell() {
    let p = project(&[]);
    for (shell, marker) in [
        ("bash", "_dlint()"),
        ("zsh", "#compdef dlint"),
        ("fish", "complete -c dlint"),
    ] {
        let run = dlint(p.path(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        assert!(run.stdout.contains(marker), "{shell}: {run:?}");
        assert!(run.stdout.contains("output-format"), "{shell}");
    }
    assert_eq!(dlint(p.path(), &["completions", "tcsh"]).code, 2);
}

#[test]
fn version_names_the_commit() {
    let p = project(&[]);
    let run = dlint(p.path(), &["--version"]);
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        run.stdout.starts_with(&format!("dlint {version}")),
        "{run:?}"
    );
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repo_root())
        .output();
    match head {
        Ok(out) if out.status.success() => {
            let commit = String::from_utf8(out.stdout).unwrap();
            assert_eq!(
                run.stdout.trim(),
                format!("dlint {version} ({})", commit.trim()),
                "built from a checkout: the commit is in the version"
            );
        }
        _ => eprintln!("NOTICE: no git checkout; --version has no commit to show"),
    }
}

#[test]
fn readme_links_only_to_files_that_exist() {
    let text = readme();
    let mut checked = 0;
    for (i, _) in text.match_indices("](") {
        let rest = &text[i + 2..];
        let target = &rest[..rest.find(')').unwrap()];
        if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
            continue;
        }
        let path = target.split('#').next().unwrap();
        assert!(
            repo_root().join(path).exists(),
            "README links to {target}, which is not in the repository"
        );
        checked += 1;
    }
    assert!(checked > 0, "the README links to files of the repository");
    for name in ["INTERFACES.md", "ARCHITECTURE.md", "CACHE-FACTS.md"] {
        for (i, _) in text.match_indices(name) {
            let before = &text[..i];
            assert!(
                before.ends_with("docs/"),
                "the README names {name} without its place (docs/{name})"
            );
        }
    }
}
