//! What a change to some files will rebuild: for every build step of every stage, whether the
//! layer cache still holds it after the change, and why.
//!
//! The model follows BuildKit's cache keys:
//! - A step is a RUN, COPY, ADD or WORKDIR: what BuildKit runs and caches (its `[n/m]` lines).
//!   FROM is not counted: the base image is resolved by its digest, which a change to the
//!   build context does not touch. Config-only instructions (ENV, ARG, LABEL, USER, EXPOSE,
//!   CMD, ...) run nothing and produce no layer.
//! - A COPY/ADD from the build context re-runs when one of the files it copies changed (its
//!   key includes their checksums). A file `.dockerignore` excludes is never sent, so it
//!   busts nothing. Heredoc and URL sources do not depend on the context.
//! - A step re-runs when a step before it in the same stage re-ran (its parent changed).
//! - A stage whose base is a rebuilt stage re-runs all its steps.
//! - A `COPY --from=<stage>` and a read-only `RUN --mount=from=<stage>` are keyed on the content
//!   of the paths they read from that stage, not on the stage's steps: they re-run only if that
//!   content changes. Statically: a path no re-run step of the stage (or of its bases) writes
//!   keeps its content, so the step stays cached; a path a re-run COPY or WORKDIR writes, or
//!   any path once a RUN there re-ran (a RUN may write anywhere), may change, so the step is
//!   shown as re-running, and the reason says it is a "may" (the content can come out the
//!   same, and then BuildKit keeps the step). A read-write mount (`rw`) is keyed on the whole
//!   stage: it re-runs whenever the stage re-runs.
//! - Only the stages the target needs are built (BuildKit skips the others); the target is the
//!   last stage unless one is named.

use crate::analysis::copies::{self, CopyInstruction, SourceKind};
use crate::analysis::model::Model;
use crate::context::{Context, SourceMatch, SourceOptions, normalize_rel, resolve_source_with};
use crate::syntax::{Dockerfile, Instruction, Keyword};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// Everything the analysis needs: one parsed Dockerfile, its build context, and the paths
/// (relative to the context root) that changed.
pub struct PlanInput<'a> {
    pub dockerfile: &'a Path,
    pub syntax: &'a Dockerfile,
    pub model: &'a Model,
    pub context: &'a Context,
    pub changed: &'a [String],
    /// The stage to build (`--target`); the last stage when None.
    pub target: Option<&'a str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CachePlan {
    pub dockerfile: String,
    pub context: String,
    pub changed: Vec<String>,
    /// The stage built (its name, or its index when unnamed).
    pub target: Option<String>,
    pub stages: Vec<StagePlan>,
    pub summary: Summary,
}

#[derive(Clone, Debug, Serialize)]
pub struct StagePlan {
    pub index: usize,
    pub name: Option<String>,
    /// The image or stage it starts from, as written after FROM (variables expanded).
    pub base: String,
    pub line: usize,
    /// False for stages the target does not need: BuildKit does not build them.
    pub built: bool,
    pub steps: Vec<Step>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Cached,
    Rebuilt,
    /// In a stage the target does not need.
    NotBuilt,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub line: usize,
    /// The instruction on one line (continuations joined, runs of blanks collapsed).
    pub instruction: String,
    pub status: Status,
    pub reason: String,
    /// The first step of its stage to re-run: where the cache stops.
    pub first_rebuilt: bool,
    /// The dependency install this step runs, if any.
    pub install: Option<Install>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Install {
    pub manager: String,
    /// The command as written (words joined by one space).
    pub command: String,
    /// The manifests the install reads when it needs nothing else; empty when it names
    /// packages or needs the source.
    pub manifests: Vec<String>,
    /// Whether it reads the project's source (`pip install .`).
    pub needs_source: bool,
    /// A `RUN --mount=type=cache` holds the manager's download cache, so a re-run reuses
    /// what earlier builds downloaded.
    pub cache_mount: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Steps in the stages that are built.
    pub steps: usize,
    pub rebuilt: usize,
    pub installs_rebuilt: usize,
    /// One sentence, e.g. "a change to src/app.py re-runs 4 of 9 steps, including ...".
    pub text: String,
}

/// Analyse which steps `input.changed` re-runs.
pub fn plan(input: &PlanInput) -> CachePlan {
    let copies = copies::analyse(input.syntax, input.model);
    let installs = installs(input);
    let changed: Vec<String> = input.changed.iter().map(|p| normalize_rel(p)).collect();
    let stages = &input.model.stages;
    let target = match input.target {
        Some(name) => stage_by_reference(input.model, name, stages.len()),
        None => stages.len().checked_sub(1),
    };
    let built = needed_stages(input, &copies, target);
    // Per stage: whether any of its steps re-runs (its result differs from the cached one),
    // and what those re-run steps may have written.
    let mut stage_rebuilt = vec![false; stages.len()];
    let mut writers: Vec<Vec<Writer>> = vec![Vec::new(); stages.len()];
    let mut plans = Vec::new();
    for stage in stages {
        let from = &input.syntax.instructions[stage.from];
        let mut plan = StagePlan {
            index: stage.index,
            name: stage.name.clone(),
            base: stage.base.clone(),
            line: from.start_line,
            built: built[stage.index],
            steps: Vec::new(),
        };
        // Why every step from here on re-runs, once something has.
        let mut busted: Option<String> = stage.base_stage.filter(|&b| stage_rebuilt[b]).map(|b| {
            format!(
                "its base stage {} re-runs steps",
                stage_label(input.model, b)
            )
        });
        let mut stage_writers: Vec<Writer> = stage
            .base_stage
            .filter(|&b| stage_rebuilt[b])
            .map(|b| writers[b].clone())
            .unwrap_or_default();
        for index in stage.body.clone() {
            let inst = &input.syntax.instructions[index];
            if !is_step(inst) {
                continue;
            }
            let stages_so_far = StagesSoFar {
                rebuilt: &stage_rebuilt,
                writers: &writers,
            };
            let own = own_bust(input, index, &copies, &changed, &stages_so_far);
            let (status, reason, first) = match (&busted, own) {
                (Some(why), _) => (Status::Rebuilt, why.clone(), false),
                (None, Ok(why)) => {
                    busted = Some(format!(
                        "runs after line {}, which re-runs",
                        inst.start_line
                    ));
                    (Status::Rebuilt, why, true)
                }
                (None, Err(why)) => (Status::Cached, why, false),
            };
            if status == Status::Rebuilt {
                stage_writers.push(Writer {
                    line: inst.start_line,
                    target: written_path(input, index, inst),
                });
            }
            let (status, reason) = if plan.built {
                (status, reason)
            } else {
                (
                    Status::NotBuilt,
                    "its stage is not needed for the target, so BuildKit does not build it"
                        .to_string(),
                )
            };
            plan.steps.push(Step {
                line: inst.start_line,
                instruction: one_line(inst),
                status,
                reason,
                first_rebuilt: first && plan.built,
                install: installs
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map(|(_, x)| x.clone()),
            });
        }
        stage_rebuilt[stage.index] = busted.is_some();
        writers[stage.index] = stage_writers;
        plans.push(plan);
    }
    let summary = summarise(&changed, &plans);
    CachePlan {
        dockerfile: input.dockerfile.display().to_string(),
        context: input.context.root.display().to_string(),
        changed,
        target: target.map(|t| stage_label_plain(input.model, t)),
        stages: plans,
        summary,
    }
}

/// Instructions BuildKit runs as cached steps.
fn is_step(inst: &Instruction) -> bool {
    matches!(
        inst.keyword,
        Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir
    )
}

/// Whether the step itself (not its position) re-runs: Ok(why) if so, Err(why not).
fn own_bust(
    input: &PlanInput,
    index: usize,
    copies: &[CopyInstruction],
    changed: &[String],
    stages: &StagesSoFar,
) -> Result<String, String> {
    let inst = &input.syntax.instructions[index];
    let model = input.model;
    let stage_rebuilt = stages.rebuilt;
    if let Some(copy) = copies.iter().find(|c| c.instruction == index) {
        if let Some(from) = &copy.from {
            return match stage_by_reference(model, from, index_stage(model, index)) {
                Some(s) if stage_rebuilt[s] => {
                    let paths: Vec<String> = copy
                        .sources
                        .iter()
                        .map(|src| literal_prefix(&src.expanded))
                        .collect();
                    content_may_change(model, s, &paths, &stages.writers[s], "copies")
                }
                Some(s) => Err(format!(
                    "copies from stage {}, which stays cached",
                    stage_label(model, s)
                )),
                None => Err(format!(
                    "copies from the image `{from}`, not from the context"
                )),
            };
        }
        let hits = changed_files_copied(input.context, copy, changed);
        return if hits.is_empty() {
            Err(not_copied_reason(input.context, copy, changed))
        } else {
            Ok(format!("copies {}, which changed", list_paths(&hits)))
        };
    }
    let mut kept = None;
    if inst.keyword == Keyword::Run {
        for (from, source, read_only) in mount_sources(inst) {
            match from {
                Some(from) => {
                    let Some(s) = stage_by_reference(model, &from, index_stage(model, index))
                    else {
                        continue;
                    };
                    if !stage_rebuilt[s] {
                        continue;
                    }
                    if !read_only {
                        return Ok(format!(
                            "mounts stage {} read-write, and that stage re-runs steps",
                            stage_label(model, s)
                        ));
                    }
                    let path = literal_prefix(&source);
                    match content_may_change(model, s, &[path], &stages.writers[s], "mounts") {
                        Ok(why) => return Ok(why),
                        Err(why) => kept = Some(why),
                    }
                }
                None => {
                    let bound = normalize_rel(&source);
                    let hits: Vec<&String> = changed
                        .iter()
                        .filter(|p| under(p, &bound) && !input.context.is_excluded(p))
                        .collect();
                    if !hits.is_empty() {
                        return Ok(format!(
                            "bind-mounts {}, which changed",
                            list_paths(&hits.into_iter().cloned().collect::<Vec<_>>())
                        ));
                    }
                }
            }
        }
    }
    Err(kept.unwrap_or_else(|| {
        "nothing before it in the stage re-runs, and the step itself is unchanged".to_string()
    }))
}

/// The stages planned so far: whether each re-ran, and what its re-run steps may write.
struct StagesSoFar<'a> {
    rebuilt: &'a [bool],
    writers: &'a [Vec<Writer>],
}

/// A step that re-ran, and where it writes in its stage's file system.
#[derive(Clone, Debug)]
struct Writer {
    line: usize,
    /// The path a COPY/ADD/WORKDIR writes at or below; None for a RUN, which may write
    /// anywhere.
    target: Option<String>,
}

/// Where a step writes: a COPY/ADD's destination, a WORKDIR's directory; None (anywhere) for
/// a RUN.
fn written_path(input: &PlanInput, index: usize, inst: &Instruction) -> Option<String> {
    let state = &input.model.states[index];
    match inst.keyword {
        Keyword::Copy | Keyword::Add => {
            let dest = state.expand(&crate::syntax::unquote(inst.values.last()?));
            Some(crate::paths::resolve(&state.workdir, &dest))
        }
        Keyword::Workdir => Some(state.workdir.clone()),
        _ => None,
    }
}

/// A source path up to its first wildcard, absolute (`/out/*.whl` is `/out`).
fn literal_prefix(source: &str) -> String {
    let cut = source.find(['*', '?', '[']).unwrap_or(source.len());
    let literal = &source[..cut];
    let literal = if cut < source.len() {
        literal.rsplit_once('/').map_or("", |(d, _)| d)
    } else {
        literal
    };
    crate::paths::resolve("/", literal)
}

/// Whether the content of `paths` in stage `s` (which re-ran) may have changed: Ok(why) when
/// a re-run step there writes at, above or below one of them, Err(why not) otherwise.
fn content_may_change(
    model: &Model,
    s: usize,
    paths: &[String],
    writers: &[Writer],
    verb: &str,
) -> Result<String, String> {
    let overlaps = |target: &str, path: &str| {
        crate::analysis::mounts::Mount::covers_path(target, path)
            || crate::analysis::mounts::Mount::covers_path(path, target)
    };
    let shown = paths.join(" ");
    let writer = writers.iter().find(|w| match &w.target {
        None => true,
        Some(t) => paths.iter().any(|p| overlaps(t, p)),
    });
    match writer {
        Some(w) => Ok(format!(
            "{verb} {shown} of stage {}, which its step at line {} re-runs and may change (BuildKit keys this on the content: if it comes out the same, this step stays cached)",
            stage_label(model, s),
            w.line
        )),
        None => Err(format!(
            "{verb} {shown} of stage {}, which re-runs steps but none that writes there; BuildKit keys this on the content, which stays the same",
            stage_label(model, s)
        )),
    }
}

/// `p` is `dir` or lies below it (`""` is the whole context).
fn under(p: &str, dir: &str) -> bool {
    dir.is_empty() || p == dir || p.starts_with(&format!("{dir}/"))
}

/// The changed paths that `copy` brings in: files it matches, and (for files that no longer
/// exist) files under a directory it copies whole, unless `.dockerignore` keeps them out.
fn changed_files_copied(
    context: &Context,
    copy: &CopyInstruction,
    changed: &[String],
) -> Vec<String> {
    let excludes: Vec<&str> = copy.excludes.iter().map(String::as_str).collect();
    let options = SourceOptions {
        excludes: &excludes,
        parents: copy.parents,
    };
    let mut hits = BTreeSet::new();
    for source in copy.sources.iter().filter(|s| s.kind == SourceKind::Path) {
        let SourceMatch::Files(entries) = resolve_source_with(context, &source.expanded, &options)
        else {
            continue;
        };
        let copied: BTreeSet<&str> = entries
            .iter()
            .map(|&i| context.files[i].rel_path.as_str())
            .collect();
        let rel = normalize_rel(&source.expanded);
        let literal_dir = rel.is_empty()
            || copied.contains(rel.as_str())
                && context.find(&rel).is_some_and(|e| context.entry(e).is_dir);
        for path in changed {
            let deleted_below = literal_dir
                && under(path, &rel)
                && context.find(path).is_none()
                && !context.is_excluded(path);
            if copied.contains(path.as_str()) || deleted_below {
                hits.insert(path.clone());
            }
        }
    }
    hits.into_iter().collect()
}

fn not_copied_reason(context: &Context, copy: &CopyInstruction, changed: &[String]) -> String {
    let sources: Vec<&str> = copy.sources.iter().map(|s| s.expanded.as_str()).collect();
    if copy.sources.iter().all(|s| s.kind == SourceKind::Heredoc) {
        return "its content is written in the Dockerfile (heredoc)".to_string();
    }
    let ignored: Vec<String> = changed
        .iter()
        .filter(|p| context.is_excluded(p))
        .cloned()
        .collect();
    let mut reason = format!(
        "copies {}, which holds none of the changed files",
        sources.join(" ")
    );
    if !ignored.is_empty() {
        reason.push_str(&format!(
            " ({} excluded by .dockerignore, never sent)",
            list_paths(&ignored)
        ));
    }
    reason
}

fn list_paths(paths: &[String]) -> String {
    match paths {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, rest @ ..] => format!("{a} and {} other files", rest.len()),
    }
}

/// `RUN --mount=` fields that read from elsewhere: (from stage/image, source path). A bind
/// mount without `from` reads the build context.
fn mount_sources(inst: &Instruction) -> Vec<(Option<String>, String, bool)> {
    inst.flags_named("mount")
        .filter_map(|flag| {
            let value = flag.value.as_deref()?;
            let mut kind = "bind";
            let mut from = None;
            let mut source = String::new();
            // Bind mounts are read-only unless `rw`; a cache mount seeded `from` a stage is
            // writable and keyed on the whole stage.
            let mut read_only = true;
            for field in value.split(',') {
                let (key, val) = field.split_once('=').unwrap_or((field, ""));
                match key.trim().to_ascii_lowercase().as_str() {
                    "type" => kind = if val == "bind" { "bind" } else { "other" },
                    "from" => from = Some(val.to_string()),
                    "source" | "src" => source = val.to_string(),
                    "rw" | "readwrite" => read_only = !matches!(val, "" | "true"),
                    _ => {}
                }
            }
            let read_only = read_only && kind == "bind";
            (kind == "bind" || from.is_some()).then_some((from, source, read_only))
        })
        .collect()
}

fn index_stage(model: &Model, instruction: usize) -> usize {
    model.states[instruction].stage.unwrap_or(0)
}

/// A stage named in `--from=`, `FROM` or `--target`: by name, or by index among the stages
/// before `before`.
fn stage_by_reference(model: &Model, reference: &str, before: usize) -> Option<usize> {
    let lower = reference.to_ascii_lowercase();
    if let Some(s) = model.stages[..before.min(model.stages.len())]
        .iter()
        .rposition(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        return Some(s);
    }
    reference.parse::<usize>().ok().filter(|&i| i < before)
}

fn stage_label(model: &Model, index: usize) -> String {
    match &model.stages[index].name {
        Some(name) => format!("`{name}`"),
        None => format!("{index}"),
    }
}

fn stage_label_plain(model: &Model, index: usize) -> String {
    model.stages[index]
        .name
        .clone()
        .unwrap_or_else(|| index.to_string())
}

/// The stages the target needs: itself, its base stages, and the stages it copies or mounts
/// from, transitively.
fn needed_stages(
    input: &PlanInput,
    copies: &[CopyInstruction],
    target: Option<usize>,
) -> Vec<bool> {
    let model = input.model;
    let mut needed = vec![false; model.stages.len()];
    let mut todo: Vec<usize> = target.into_iter().collect();
    while let Some(s) = todo.pop() {
        if std::mem::replace(&mut needed[s], true) {
            continue;
        }
        let stage = &model.stages[s];
        todo.extend(stage.base_stage);
        for index in stage.body.clone() {
            let inst = &input.syntax.instructions[index];
            let froms = copies
                .iter()
                .filter(|c| c.instruction == index)
                .filter_map(|c| c.from.clone())
                .chain(
                    mount_sources(inst)
                        .into_iter()
                        .filter_map(|(from, _, _)| from),
                );
            for from in froms {
                todo.extend(stage_by_reference(model, &from, s));
            }
        }
    }
    needed
}

/// The instruction on one line, as a reader would quote it.
fn one_line(inst: &Instruction) -> String {
    inst.logical
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The steps that download dependencies, from the shared install analysis: installs, and
/// build steps that download because nothing before them left the dependencies in the layers
/// (`mvn package` after `COPY . .`): (instruction index, install).
fn installs(input: &PlanInput) -> Vec<(usize, Install)> {
    let analysis = crate::analysis::installs::Installs::analyse(input.syntax, input.model);
    let mut found: Vec<(usize, Install)> = Vec::new();
    for (index, use_) in analysis.uses.iter().enumerate() {
        // One install per step is what the summary names; the first is the one that
        // downloads (later ones in the same RUN re-run with it anyway).
        if found.iter().any(|(i, _)| *i == use_.instruction)
            || !analysis.downloads(input.model, index)
        {
            continue;
        }
        let command = analysis.command(use_);
        let argv: Vec<&str> = command.words.iter().map(|w| w.value.as_str()).collect();
        found.push((
            use_.instruction,
            Install {
                manager: use_.manager().name().to_string(),
                command: argv.join(" "),
                manifests: present_manifests(
                    input.context,
                    use_.invocation.manifest_only.clone().unwrap_or_default(),
                ),
                needs_source: use_.invocation.needs_source,
                cache_mount: use_.any_mounted(),
            },
        ));
    }
    found
}

/// The manifests that the build context has (by file name): a manager's optional files
/// (`npm-shrinkwrap.json`) are not listed for a project without them. All of them when the
/// context listing is incomplete.
fn present_manifests(context: &Context, manifests: Vec<String>) -> Vec<String> {
    if context.truncated || context.files.is_empty() {
        return manifests;
    }
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    manifests
        .into_iter()
        .filter(|m| {
            let pattern = name(m);
            context.files.iter().any(|f| {
                !f.is_dir
                    && crate::context::glob::go_match(&pattern, &name(&f.rel_path)) == Ok(true)
            })
        })
        .collect()
}

fn summarise(changed: &[String], stages: &[StagePlan]) -> Summary {
    let built: Vec<&Step> = stages
        .iter()
        .filter(|s| s.built)
        .flat_map(|s| &s.steps)
        .collect();
    let rebuilt: Vec<&&Step> = built
        .iter()
        .filter(|s| s.status == Status::Rebuilt)
        .collect();
    let installs: Vec<&Install> = rebuilt.iter().filter_map(|s| s.install.as_ref()).collect();
    let what = match changed {
        [] => "no change".to_string(),
        [one] => format!("a change to {one}"),
        [first, rest @ ..] => format!(
            "a change to {first} and {} other file{}",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    };
    let mut text = format!(
        "{what} re-runs {} of {} step{}",
        rebuilt.len(),
        built.len(),
        if built.len() == 1 { "" } else { "s" }
    );
    if installs.is_empty() {
        if rebuilt.is_empty() {
            text.push_str(": everything stays cached");
        } else {
            text.push_str("; no dependency install re-runs");
        }
    } else {
        let described: Vec<String> = installs
            .iter()
            .map(|i| {
                let downloads = if i.cache_mount {
                    "downloads reused from its cache mount"
                } else {
                    "all packages re-downloaded: no cache mount"
                };
                format!("`{}` ({downloads})", i.command)
            })
            .collect();
        text.push_str(", including ");
        text.push_str(&join_and(&described));
    }
    Summary {
        steps: built.len(),
        rebuilt: rebuilt.len(),
        installs_rebuilt: installs.len(),
        text,
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The files that changed in `context_root` according to git: modified, deleted and untracked
/// (not ignored) files in the working tree, plus changes staged against HEAD. Paths are
/// relative to the context root, and only files inside it are listed (git's `--relative` and
/// `ls-files` run in that directory do both).
pub fn changed_files_from_git(context_root: &Path) -> Result<Vec<String>, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(context_root)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            return Err(format!(
                "`git {}` failed: {}",
                args.join(" "),
                stderr.lines().next().unwrap_or("").trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let mut files: BTreeSet<String> = BTreeSet::new();
    let working = git(&[
        "ls-files",
        "-z",
        "--modified",
        "--deleted",
        "--others",
        "--exclude-standard",
    ])?;
    files.extend(
        working
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string),
    );
    // A repository without commits has no HEAD: then everything is untracked or staged new.
    if git(&["rev-parse", "--verify", "--quiet", "HEAD"]).is_ok() {
        let staged = git(&["diff", "-z", "--name-only", "--relative", "HEAD"])?;
        files.extend(
            staged
                .split('\0')
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
    } else {
        let staged = git(&["ls-files", "-z", "--cached"])?;
        files.extend(
            staged
                .split('\0')
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
    }
    Ok(files.into_iter().collect())
}
