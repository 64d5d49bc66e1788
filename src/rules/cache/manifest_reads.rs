//! What the build context's manifests say an install reads: the files to copy before it
//! (pip requirements files include others), and whether it needs more of the project
//! (install scripts, workspaces, local paths) or writes where the sources land.

use std::path::Path;

use crate::context::glob::go_match;
use crate::context::{Context, EntryRef, normalize_rel};
use crate::knowledge::{Manager, ProjectFacts};

/// What the build context says about an install's manifests.
pub(crate) enum ContextManifests {
    /// The files to copy before the install: the manifests that exist, and every file a pip
    /// requirements file includes.
    Only(Vec<String>),
    /// The primary manifest is not in the context (generated during the build?).
    Missing,
    /// A requirements file refers to local source (`-e .`, `./wheels/x.whl`): the install
    /// really needs more than the manifests; so does a package.json with install scripts.
    NeedsSource,
    /// The install writes a directory (`node_modules`) that the context holds too: copying
    /// the sources after the install would copy over what it made.
    Overwritten(String),
}

/// Check the manifests against the build context. `sources[0]` is the primary manifest;
/// the others are optional (lockfiles).
pub(crate) fn context_manifests(
    bc: &Context,
    manager: &Manager,
    sources: &[String],
) -> ContextManifests {
    let mut files: Vec<String> = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let matched: Vec<String> = if source.contains(['*', '?', '[']) {
            bc.files
                .iter()
                .filter(|f| !f.is_dir && go_match(source, &f.rel_path).unwrap_or(false))
                .map(|f| f.rel_path.clone())
                .collect()
        } else {
            match bc.find(source) {
                Some(EntryRef::Included(_)) => {
                    vec![normalize_rel(source)]
                }
                _ => Vec::new(),
            }
        };
        if matched.is_empty() && i == 0 {
            return ContextManifests::Missing;
        }
        if !matched.is_empty() && source.contains(['*', '?', '[']) {
            files.push(source.clone());
        } else {
            files.extend(matched);
        }
    }
    // pip requirements files name other files (`-r`, `-c`) and may name local source.
    let mut queue: Vec<String> = files
        .iter()
        .filter(|f| f.ends_with(".txt") || f.ends_with(".in"))
        .cloned()
        .collect();
    while let Some(file) = queue.pop() {
        let Ok(text) = std::fs::read_to_string(bc.root.join(&file)) else {
            continue;
        };
        let dir = folder_of(&file);
        for line in text.lines() {
            let line = line.split(" #").next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            let Some(first) = words.next() else { continue };
            let include = match first {
                "-r" | "--requirement" | "-c" | "--constraint" => words.next().map(str::to_string),
                w => ["-r", "--requirement=", "-c", "--constraint="]
                    .iter()
                    .find_map(|p| {
                        w.strip_prefix(p)
                            .filter(|r| !r.is_empty())
                            .map(|r| r.trim_start_matches('=').to_string())
                    }),
            };
            if let Some(include) = include {
                let path = normalize_rel(&in_folder(dir, &include));
                if path.starts_with("..") {
                    return ContextManifests::NeedsSource;
                }
                if !files.contains(&path) {
                    files.push(path.clone());
                    queue.push(path);
                }
                continue;
            }
            let reference = match first {
                "-e" | "--editable" => words.next().unwrap_or(""),
                w => w.strip_prefix("--editable=").unwrap_or(w),
            };
            let local = reference.starts_with(['.', '/'])
                || reference.starts_with("file:")
                || reference.ends_with(".whl")
                || reference.ends_with(".tar.gz")
                || reference.ends_with(".zip");
            if local || first == "-e" || first == "--editable" {
                return ContextManifests::NeedsSource;
            }
        }
    }
    if let Some(found) = project_reads(bc, manager.project(), &files) {
        return found;
    }
    ContextManifests::Only(files)
}

/// What the manager's facts (`[manager.project]` in the knowledge table) say about the
/// project beside its manifests: whether the install reads more of it, or writes where the
/// sources would land.
fn project_reads(bc: &Context, facts: &ProjectFacts, files: &[String]) -> Option<ContextManifests> {
    // The folders the manifests are in: the install runs there.
    let mut dirs: Vec<&str> = files.iter().map(|f| folder_of(f)).collect();
    dirs.dedup();
    let included = |path: &str| matches!(bc.find(path), Some(EntryRef::Included(_)));
    for dir in &dirs {
        if facts
            .source_files
            .iter()
            .any(|f| included(&in_folder(dir, f)))
        {
            return Some(ContextManifests::NeedsSource);
        }
        if let Some(name) = &facts.json_manifest {
            let path = in_folder(dir, name);
            if included(&path) && json_reads_source(&bc.root.join(&path), facts) {
                return Some(ContextManifests::NeedsSource);
            }
        }
        if let Some(name) = &facts.text_manifest {
            let path = in_folder(dir, name);
            if included(&path) && text_reads_source(&bc.root.join(&path), facts) {
                return Some(ContextManifests::NeedsSource);
            }
        }
    }
    for dir in &dirs {
        for written in &facts.writes {
            let path = in_folder(dir, written);
            if included(&path) {
                return Some(ContextManifests::Overwritten(path));
            }
        }
    }
    None
}

/// A JSON manifest that names install scripts, workspaces or dependencies inside the project.
/// One that cannot be read or parsed counts as reading source: nothing is proven.
fn json_reads_source(path: &Path, facts: &ProjectFacts) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return true;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return true;
    };
    let has_key = |dotted: &str| {
        dotted
            .split('.')
            .try_fold(&json, |value, key| value.get(key))
            .is_some()
    };
    if facts.source_keys.iter().any(|k| has_key(k)) {
        return true;
    }
    facts.dependency_tables.iter().any(|table| {
        json.get(table)
            .and_then(|t| t.as_object())
            .is_some_and(|deps| {
                deps.values().any(|spec| {
                    spec.as_str().is_some_and(|spec| {
                        facts
                            .local_spec_prefixes
                            .iter()
                            .any(|p| spec.starts_with(p.as_str()))
                    })
                })
            })
    })
}

/// A text manifest with a line that reads more of the project (a Gemfile's `gemspec`).
fn text_reads_source(path: &Path, facts: &ProjectFacts) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return true;
    };
    let patterns = facts.source_line_regexes();
    text.lines().any(|line| {
        let line = line.split('#').next().unwrap_or("");
        patterns.iter().any(|re| re.is_match(line))
    })
}

/// The folder a context path is in (`""` at the root).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// `name` inside `folder`, as a context path.
fn in_folder(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}
