//! `dlint cache`: which steps a change re-runs, over `fixtures/projects/multistage-cache` (a
//! build stage, an assets stage, a test stage the target does not need, and a final stage
//! copying from the first two) and `fixtures/amas/backend`.

mod common;
use common::*;
use dlint::analysis::cache_plan::{CachePlan, PlanInput, Status, plan};
use dlint::context::Context;
use std::path::Path;
use std::process::Command;

fn plan_for(root: &Path, changed: &[&str], target: Option<&str>) -> CachePlan {
    let dockerfile = root.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).unwrap();
    let syntax = dlint::syntax::parse(&text);
    let model = dlint::analysis::model::Model::build(&syntax);
    let context = Context::load(root, Some(&dockerfile)).unwrap();
    let changed: Vec<String> = changed.iter().map(|s| s.to_string()).collect();
    plan(&PlanInput {
        dockerfile: &dockerfile,
        syntax: &syntax,
        model: &model,
        context: &context,
        changed: &changed,
        target,
    })
}

/// The lines of the steps that re-run, per stage.
fn rebuilt_lines(plan: &CachePlan) -> Vec<Vec<usize>> {
    plan.stages
        .iter()
        .map(|s| {
            s.steps
                .iter()
                .filter(|st| st.status == Status::Rebuilt)
                .map(|st| st.line)
                .collect()
        })
        .collect()
}

#[test]
fn a_source_change_carries_into_the_final_stage_through_copy_from() {
    let p = plan_for(&fixture_project("multistage-cache"), &["src/app.py"], None);
    assert_eq!(
        rebuilt_lines(&p),
        vec![vec![6, 7], vec![], vec![], vec![23, 24]]
    );
    let build = &p.stages[0];
    assert!(build.steps[3].first_rebuilt);
    assert_eq!(build.steps[3].reason, "copies src/app.py, which changed");
    assert_eq!(build.steps[4].reason, "runs after line 6, which re-runs");
    let last = &p.stages[3];
    assert!(last.steps[1].first_rebuilt);
    assert_eq!(
        last.steps[1].reason,
        "copies /src of stage `build`, which its step at line 6 re-runs and may change (BuildKit keys this on the content: if it comes out the same, this step stays cached)"
    );
    // The test stage is not needed by the final stage: not built, not counted.
    assert!(!p.stages[2].built);
    assert!(
        p.stages[2]
            .steps
            .iter()
            .all(|s| s.status == Status::NotBuilt)
    );
    assert_eq!((p.summary.steps, p.summary.rebuilt), (13, 4));
    assert_eq!(
        p.summary.text,
        "a change to src/app.py re-runs 4 of 13 steps; no dependency install re-runs"
    );
}

#[test]
fn a_manifest_change_reruns_the_install_and_reports_its_cache_mount() {
    let p = plan_for(
        &fixture_project("multistage-cache"),
        &["requirements.txt"],
        None,
    );
    assert_eq!(
        rebuilt_lines(&p),
        vec![vec![4, 5, 6, 7], vec![], vec![], vec![23, 24]]
    );
    let install = p.stages[0].steps[2].install.as_ref().unwrap();
    assert_eq!(install.manager, "pip");
    assert_eq!(install.manifests, vec!["requirements.txt"]);
    assert!(install.cache_mount);
    assert_eq!(p.summary.installs_rebuilt, 1);
    assert_eq!(
        p.summary.text,
        "a change to requirements.txt re-runs 6 of 13 steps, including `pip install -r requirements.txt` (downloads reused from its cache mount)"
    );

    let p = plan_for(
        &fixture_project("multistage-cache"),
        &["web/package-lock.json"],
        None,
    );
    assert_eq!(
        rebuilt_lines(&p),
        vec![vec![], vec![11, 12, 13, 14], vec![], vec![24]]
    );
    assert_eq!(
        p.summary.text,
        "a change to web/package-lock.json re-runs 5 of 13 steps, including `npm ci` (all packages re-downloaded: no cache mount)"
    );
}

#[test]
fn ignored_unused_and_deleted_files() {
    // NOTES.md is excluded by .dockerignore: never sent, busts nothing.
    let p = plan_for(&fixture_project("multistage-cache"), &["NOTES.md"], None);
    assert_eq!(p.summary.rebuilt, 0);
    assert!(
        p.stages[0].steps[1]
            .reason
            .contains("NOTES.md excluded by .dockerignore")
    );
    assert_eq!(
        p.summary.text,
        "a change to NOTES.md re-runs 0 of 13 steps: everything stays cached"
    );
    // Only the test stage copies tests/, and the target does not build it.
    let p = plan_for(
        &fixture_project("multistage-cache"),
        &["tests/test_app.py"],
        None,
    );
    assert_eq!(p.summary.rebuilt, 0);
    // A deleted file under a copied directory changes that copy.
    let p = plan_for(
        &fixture_project("multistage-cache"),
        &["src/removed.py"],
        None,
    );
    assert_eq!(rebuilt_lines(&p)[0], vec![6, 7]);
}

#[test]
fn a_target_builds_its_stages_and_inherits_a_busted_base() {
    let p = plan_for(
        &fixture_project("multistage-cache"),
        &["src/util.py"],
        Some("test"),
    );
    assert_eq!(
        p.stages.iter().map(|s| s.built).collect::<Vec<_>>(),
        vec![true, false, true, false]
    );
    assert_eq!(
        rebuilt_lines(&p),
        vec![vec![6, 7], vec![], vec![17, 18], vec![]]
    );
    assert_eq!(
        p.stages[2].steps[0].reason,
        "its base stage `build` re-runs steps"
    );
    assert_eq!((p.summary.steps, p.summary.rebuilt), (7, 4));
}

#[test]
fn amas_backend_reruns_its_install_for_any_source_change() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/amas/backend");
    let p = plan_for(&root, &["main.py"], None);
    assert_eq!(rebuilt_lines(&p), vec![vec![9, 11]]);
    assert_eq!(
        p.summary.text,
        "a change to main.py re-runs 2 of 3 steps, including `pip install --no-cache-dir -r requirements.txt` (all packages re-downloaded: no cache mount)"
    );
}

#[test]
fn cli_json_shape_and_changed_paths_from_the_current_directory() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Run {
        code,
        stdout,
        stderr,
    } = dlint(
        repo,
        &[
            "cache",
            "fixtures/projects/multistage-cache/Dockerfile",
            "--output-format",
            "json",
            "--changed",
            // Relative to the current directory, inside the context.
            "fixtures/projects/multistage-cache/src/app.py",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["changed"], serde_json::json!(["src/app.py"]));
    assert_eq!(json["stages"][0]["index"], 0);
    assert_eq!(json["stages"][0]["name"], "build");
    assert_eq!(json["stages"][3]["name"], serde_json::Value::Null);
    let step = &json["stages"][0]["steps"][2];
    assert_eq!(step["line"], 5);
    assert_eq!(step["status"], "cached");
    assert_eq!(step["install"]["manager"], "pip");
    assert_eq!(step["install"]["cache_mount"], true);
    assert_eq!(json["stages"][0]["steps"][3]["status"], "rebuilt");
    assert_eq!(
        json["summary"],
        serde_json::json!({
            "steps": 13,
            "rebuilt": 4,
            "installs_rebuilt": 0,
            "text": "a change to src/app.py re-runs 4 of 13 steps; no dependency install re-runs"
        })
    );
}

#[test]
fn cli_reads_changes_from_git_and_asks_for_changed_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("Dockerfile"),
        "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
    )
    .unwrap();
    std::fs::write(root.join("requirements.txt"), "flask\n").unwrap();
    std::fs::write(root.join("app.py"), "print(1)\n").unwrap();

    let Run { code, stderr, .. } = dlint(root, &["cache"]);
    if Command::new("git").arg("--version").output().is_err() {
        assert_eq!(code, 2);
        return;
    }
    assert_eq!(code, 2, "not a repository yet");
    assert!(stderr.contains("--changed"), "{stderr}");

    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .current_dir(root)
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    let Run { code, stdout, .. } = dlint(root, &["cache"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("no change re-runs 0 of 3 steps: everything stays cached\n"));

    std::fs::write(root.join("app.py"), "print(2)\n").unwrap();
    let Run { stdout, .. } = dlint(root, &["cache"]);
    assert!(
        stdout
            .ends_with("a change to app.py re-runs 1 of 3 steps; no dependency install re-runs\n"),
        "{stdout}"
    );
    std::fs::write(root.join("requirements.txt"), "flask\nrequests\n").unwrap();
    git(&["add", "requirements.txt"]);
    let Run { stdout, .. } = dlint(root, &["cache"]);
    assert!(
        stdout.ends_with("a change to app.py and 1 other file re-runs 3 of 3 steps, including `pip install -r requirements.txt` (all packages re-downloaded: no cache mount)\n"),
        "{stdout}"
    );
}

#[test]
fn a_read_only_mount_from_a_stage_is_keyed_on_the_mounted_content() {
    let root = fixture_project("cache-mount-from");
    // A source change re-runs the stage's `COPY src/ src/`, which writes /build/src, not
    // /wheels: the install that mounts /wheels stays cached; the COPY of /build/src re-runs.
    let p = plan_for(&root, &["src/app.py"], None);
    assert_eq!(rebuilt_lines(&p), vec![vec![6], vec![11]], "{p:#?}");
    let install = &p.stages[1].steps[1];
    assert_eq!(install.status, Status::Cached);
    assert!(
        install.reason.starts_with(
            "mounts /wheels of stage `wheels`, which re-runs steps but none that writes there"
        ),
        "{}",
        install.reason
    );
    // A requirements change re-runs `pip wheel`, a RUN that may write anywhere: the mount's
    // content may change, and the reason says so.
    let p = plan_for(&root, &["requirements.txt"], None);
    assert_eq!(
        rebuilt_lines(&p),
        vec![vec![4, 5, 6], vec![10, 11]],
        "{p:#?}"
    );
    assert!(
        p.stages[1].steps[1].reason.contains("may change"),
        "{}",
        p.stages[1].steps[1].reason
    );
}

/// A build step that downloads (`mvn package` after `COPY . .`, nothing warmed up) is a
/// dependency install for the plan: the summary must not say that no install re-runs.
#[test]
fn a_build_step_that_downloads_counts_as_an_install() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = dlint(
        repo,
        &[
            "cache",
            "fixtures/projects/maven-build-downloads/Dockerfile",
            "--output-format",
            "json",
            "--changed",
            "fixtures/projects/maven-build-downloads/src/main/java/app/Main.java",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let step = &json["stages"][0]["steps"][2];
    assert_eq!(step["status"], "rebuilt", "{step}");
    assert_eq!(step["install"]["manager"], "maven", "{step}");
    assert_eq!(step["install"]["cache_mount"], false);
    assert_eq!(json["summary"]["installs_rebuilt"], 1);
    let text = json["summary"]["text"].as_str().unwrap();
    assert!(!text.contains("no dependency install re-runs"), "{text}");
}

/// The manifests named for an install are those the build context has: npm's optional
/// `npm-shrinkwrap.json` and `.npmrc` are not listed for a project without them.
#[test]
fn only_manifests_the_context_has_are_listed() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = dlint(
        repo,
        &[
            "cache",
            "fixtures/projects/dc003-node-lockfile/Dockerfile",
            "--changed",
            "fixtures/projects/dc003-node-lockfile/server.js",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("npm install from package.json, package-lock.json re-runs"),
        "{}",
        run.stdout
    );
}

/// `dlint cache DIR` reads DIR/Dockerfile, as `docker build DIR` does.
#[test]
fn a_directory_stands_for_its_dockerfile() {
    let repo = &repo_root();
    let Run {
        code,
        stdout,
        stderr,
    } = dlint(
        repo,
        &[
            "cache",
            "fixtures/projects/multistage-cache",
            "--changed",
            "fixtures/projects/multistage-cache/src/app.py",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("changed: src/app.py"), "{stdout}");
}
