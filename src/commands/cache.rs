//! `dlint cache`: which steps a change re-runs. The analysis is `crate::analysis::cache_plan`; this reads
//! the inputs (the Dockerfile, its context, the changed files) and prints the plan.

use super::{EXIT_FAILURE, EXIT_OK, RunError, report_errors};
use crate::analysis::cache_plan::{CachePlan, PlanInput, Status, changed_files_from_git, plan};
use crate::cli::{CacheArgs, TextOrJson};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(args: &CacheArgs) -> u8 {
    match build_plan(args) {
        Ok(plan) => {
            let text = match args.output_format {
                TextOrJson::Json => serde_json::to_string_pretty(&plan).expect("plain data") + "\n",
                TextOrJson::Text => render_text(&plan, args.explain),
            };
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if super::output_failed(&e) => EXIT_FAILURE,
                _ => EXIT_OK,
            }
        }
        Err(e) => {
            report_errors(&[e]);
            EXIT_FAILURE
        }
    }
}

fn build_plan(args: &CacheArgs) -> Result<CachePlan, RunError> {
    let error = |path: Option<&Path>, message: String| RunError {
        path: path.map(Path::to_path_buf),
        message,
    };
    let dockerfile = args
        .dockerfile
        .clone()
        .unwrap_or_else(|| PathBuf::from("Dockerfile"));
    // A directory stands for the Dockerfile in it, as `docker build DIR` reads it.
    let dockerfile = if dockerfile.is_dir() {
        dockerfile.join("Dockerfile")
    } else {
        dockerfile
    };
    let text = crate::discover::read_text(&dockerfile).map_err(|m| error(Some(&dockerfile), m))?;
    let root = match &args.context {
        Some(dir) => dir.clone(),
        None => match dockerfile.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    let context = crate::context::Context::load(&root, Some(&dockerfile)).map_err(|e| {
        error(
            Some(&root),
            format!(
                "cannot read the build context: {}",
                crate::discover::describe_io_error(&e)
            ),
        )
    })?;
    let changed = match &args.changed {
        Some(paths) => paths.iter().map(|p| context_relative(&root, p)).collect(),
        None => changed_files_from_git(&root).map_err(|m| {
            error(
                Some(&root),
                format!("cannot tell what changed ({m}); name the files with --changed PATH..."),
            )
        })?,
    };
    let syntax = crate::syntax::parse(&text);
    let model = crate::analysis::model::Model::build(&syntax);
    if let Some(target) = &args.target {
        let known = model.stages.iter().enumerate().any(|(i, s)| {
            s.name.as_deref() == Some(target.to_ascii_lowercase().as_str())
                || target.parse::<usize>() == Ok(i)
        });
        if !known {
            return Err(error(
                Some(&dockerfile),
                format!("no stage named `{target}`"),
            ));
        }
    }
    Ok(plan(&PlanInput {
        dockerfile: &dockerfile,
        syntax: &syntax,
        model: &model,
        context: &context,
        changed: &changed,
        target: args.target.as_deref(),
    }))
}

/// A `--changed` path as the context sees it: a path that lies inside the context when read
/// from the current directory is made relative to the context; any other is taken as
/// relative to the context already (`--changed main.py` with `--context backend`).
fn context_relative(root: &Path, path: &Path) -> String {
    let absolute = |p: &Path| -> Option<PathBuf> {
        // A deleted file cannot be canonicalised: canonicalise its directory.
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(std::fs::canonicalize(dir).ok()?.join(p.file_name()?))
    };
    if let (Some(file), Ok(root_abs)) = (absolute(path), std::fs::canonicalize(root))
        && let Ok(rel) = file.strip_prefix(&root_abs)
        && path.components().count() > 1
    {
        return rel.to_string_lossy().replace('\\', "/");
    }
    crate::context::normalize_rel(&path.to_string_lossy())
}

fn render_text(plan: &CachePlan, explain: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} (build context {})\nchanged: {}\n",
        plan.dockerfile,
        plan.context,
        if plan.changed.is_empty() {
            "nothing".to_string()
        } else {
            plan.changed.join(", ")
        }
    ));
    for stage in &plan.stages {
        let name = stage
            .name
            .as_deref()
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        let built = if stage.built {
            ""
        } else {
            " - not built: the target does not need it"
        };
        out.push_str(&format!(
            "\nstage {}{name} (FROM {}, line {}){built}\n",
            stage.index, stage.base, stage.line
        ));
        if !stage.built && !explain {
            continue;
        }
        for step in &stage.steps {
            let status = match step.status {
                Status::Cached => "cached ",
                Status::Rebuilt => "RE-RUN ",
                Status::NotBuilt => "unbuilt",
            };
            out.push_str(&format!(
                "  {status}  line {:<4} {}\n",
                step.line, step.instruction
            ));
            if step.first_rebuilt {
                out.push_str(&format!(
                    "{:21}^ the cache stops here: {}\n",
                    "", step.reason
                ));
            } else if explain {
                out.push_str(&format!("{:21}{}\n", "", step.reason));
            }
            if let Some(install) = step
                .install
                .as_ref()
                .filter(|_| step.status == Status::Rebuilt)
            {
                let manifests = if install.manifests.is_empty() {
                    String::new()
                } else {
                    format!(" from {}", install.manifests.join(", "))
                };
                let downloads = if install.cache_mount {
                    "downloads reused from the cache mount"
                } else {
                    "every package downloaded again: no cache mount"
                };
                out.push_str(&format!(
                    "{:21}{} install{manifests} re-runs: {downloads}\n",
                    "", install.manager
                ));
                if explain && !install.manifests.is_empty() && !manifests_changed(plan, install) {
                    out.push_str(&format!(
                        "{:21}its manifests did not change: copied alone before it, it would stay cached\n",
                        ""
                    ));
                }
            }
        }
    }
    out.push('\n');
    out.push_str(&plan.summary.text);
    out.push('\n');
    out
}

/// Whether a changed file has the name of one of the install's manifests. Manifests are named
/// as the install reads them, relative to its working directory in the image; the file name
/// is what both sides share.
fn manifests_changed(plan: &CachePlan, install: &crate::analysis::cache_plan::Install) -> bool {
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    plan.changed.iter().any(|changed| {
        install
            .manifests
            .iter()
            .any(|m| crate::context::glob::go_match(&name(m), &name(changed)) == Ok(true))
    })
}
