//! The GitHub Action's scripts (action/*.sh) run in a fake runner environment: GITHUB_OUTPUT,
//! GITHUB_PATH and RUNNER_TEMP are temporary files, `dlint` is the binary under test, and the
//! install step's Python is a stand-in that records what it is asked to do.

mod common;
use common::{project, repo_root};
use std::path::Path;
use std::process::Command;

/// A PATH with the binary under test first.
fn path_with_dlint() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_dlint")).parent().unwrap();
    format!("{}:/usr/bin:/bin", bin.display())
}

struct Step {
    code: i32,
    stdout: String,
    outputs: String,
}

fn run_step(dir: &Path, env: &[(&str, &str)]) -> Step {
    let outputs = dir.join("github-output");
    std::fs::write(&outputs, "").unwrap();
    let out = Command::new("bash")
        .arg(repo_root().join("action/run.sh"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", path_with_dlint())
        .env("NO_COLOR", "1")
        .env("GITHUB_OUTPUT", &outputs)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Step {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        outputs: std::fs::read_to_string(&outputs).unwrap(),
    }
}

const BROKEN: &str = "FROM alpine:3.20\nENV PATH\n";

#[test]
fn findings_become_annotations_and_fail_the_step() {
    let p = project(&[
        ("app/Dockerfile", BROKEN),
        ("ok/Dockerfile", "FROM alpine:3.20\n"),
    ]);
    let step = run_step(p.path(), &[("INPUT_PATHS", "app ok")]);
    assert_eq!(step.code, 1, "{}", step.stdout);
    assert!(
        step.stdout.contains("::error file=app/Dockerfile,line=2"),
        "{}",
        step.stdout
    );
    assert_eq!(step.outputs, "exit-code=1\n");
    assert!(!p.path().join("dlint.sarif").exists());

    let step = run_step(p.path(), &[("INPUT_PATHS", "ok")]);
    assert_eq!((step.code, step.outputs.as_str()), (0, "exit-code=0\n"));
}

#[test]
fn args_reach_dlint() {
    let p = project(&[("Dockerfile", BROKEN)]);
    let step = run_step(p.path(), &[("INPUT_ARGS", "--ignore DL1000")]);
    assert_eq!(step.code, 0, "{}", step.stdout);
    let step = run_step(p.path(), &[("INPUT_ARGS", "--fail-level none")]);
    assert_eq!(step.code, 0, "{}", step.stdout);
    assert!(step.stdout.contains("::error"), "{}", step.stdout);
}

#[test]
fn sarif_is_written_even_when_findings_fail_the_step() {
    let p = project(&[("Dockerfile", BROKEN)]);
    let step = run_step(
        p.path(),
        &[
            ("INPUT_SARIF", "true"),
            ("INPUT_SARIF_FILE", "out/dlint.sarif"),
        ],
    );
    // The report's directory does not exist: dlint cannot write it, the step fails with 2.
    assert_eq!(step.code, 2, "{}", step.stdout);
    assert_eq!(step.outputs, "exit-code=2\n");

    std::fs::create_dir(p.path().join("out")).unwrap();
    let step = run_step(
        p.path(),
        &[
            ("INPUT_SARIF", "true"),
            ("INPUT_SARIF_FILE", "out/dlint.sarif"),
            ("INPUT_ARGS", "--exit-zero"),
        ],
    );
    assert_eq!(step.code, 0, "{}", step.stdout);
    let step = run_step(
        p.path(),
        &[
            ("INPUT_SARIF", "true"),
            ("INPUT_SARIF_FILE", "out/dlint.sarif"),
        ],
    );
    assert_eq!(step.code, 1, "{}", step.stdout);
    assert_eq!(step.outputs, "sarif-file=out/dlint.sarif\nexit-code=1\n");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.path().join("out/dlint.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "DL1000");
}

/// A stand-in for python3: `-m venv DIR` makes DIR/bin/python (itself) and DIR/bin/dlint;
/// anything else is logged.
const FAKE_PYTHON: &str = r#"#!/bin/bash
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin"
    cp "$0" "$3/bin/python"
    printf '#!/bin/bash\necho "dlint 0.0.0-fake"\n' > "$3/bin/dlint"
    chmod +x "$3/bin/python" "$3/bin/dlint"
    exit 0
fi
echo "$*" >> "$FAKE_LOG"
"#;

fn install(dir: &Path, version: &str) -> (i32, String, String, String) {
    use std::os::unix::fs::PermissionsExt;
    let python = dir.join("python3");
    std::fs::write(&python, FAKE_PYTHON).unwrap();
    std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
    let runner_temp = dir.join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let github_path = dir.join("github-path");
    let log = dir.join("log");
    std::fs::write(&log, "").unwrap();
    let out = Command::new("bash")
        .arg(repo_root().join("action/install.sh"))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("DLINT_PYTHON", &python)
        .env("RUNNER_TEMP", &runner_temp)
        .env("GITHUB_PATH", &github_path)
        .env("GITHUB_ACTION_PATH", "/actions/dlint")
        .env("INPUT_VERSION", version)
        .env("FAKE_LOG", &log)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        std::fs::read_to_string(&log).unwrap(),
        std::fs::read_to_string(&github_path).unwrap_or_default(),
    )
}

#[test]
fn install_puts_a_venv_with_dlint_on_the_path() {
    let p = project(&[]);
    let (code, stdout, log, github_path) = install(p.path(), "0.1.0");
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        log,
        "-m pip install --quiet --disable-pip-version-check dockerfile-dlint==0.1.0\n"
    );
    let venv_bin = p.path().join("runner-temp/dlint-venv/bin");
    assert_eq!(github_path, format!("{}\n", venv_bin.display()));
    assert!(stdout.contains("dlint 0.0.0-fake"), "{stdout}");

    let p = project(&[]);
    let (code, _, log, _) = install(p.path(), "");
    assert_eq!(code, 0);
    assert_eq!(
        log,
        "-m pip install --quiet --disable-pip-version-check /actions/dlint\n"
    );
}

#[test]
fn action_yml_runs_the_tested_scripts_with_its_inputs() {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    let action = &docs[0];
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = action["inputs"].as_hash().unwrap();
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let scripts: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert_eq!(
        scripts,
        [
            r#"bash "$GITHUB_ACTION_PATH/action/install.sh""#,
            r#"bash "$GITHUB_ACTION_PATH/action/run.sh""#
        ]
    );
    // Every input reaches a script as INPUT_<NAME>, and the scripts read those variables.
    let scripts_text = std::fs::read_to_string(repo_root().join("action/run.sh")).unwrap()
        + &std::fs::read_to_string(repo_root().join("action/install.sh")).unwrap();
    for (name, _) in inputs {
        let name = name.as_str().unwrap();
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        let passed = steps
            .iter()
            .any(|s| s["env"][var.as_str()].as_str() == Some(&format!("${{{{ inputs.{name} }}}}")));
        assert!(passed, "input {name} is not passed as {var}");
        assert!(scripts_text.contains(&var), "no script reads {var}");
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif"))
        })
        .expect("a SARIF upload step");
    assert!(upload["if"].as_str().unwrap().contains("always()"));
}
