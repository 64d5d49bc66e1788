//! DC003 copy-before-install: a broad COPY before a dependency install that needs only the
//! manifests, so every source change re-runs the install.

use crate::analysis::installs::CacheUse;
use crate::context::glob::go_match;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::knowledge::knowledge;
use crate::paths::resolve;
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    pub struct CopyBeforeInstall {
        code: "DC003",
        name: "copy-before-install",
        summary: "A COPY of the whole source comes before a dependency install that needs only the manifests, so every code change re-runs the install.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for CopyBeforeInstall {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let installs = ctx.installs();
        for stage in &ctx.model.stages {
            // The first manifest-only install after each broad COPY in this stage.
            let mut reported = Vec::new();
            for index in stage.body.clone() {
                let inst = &ctx.syntax.instructions[index];
                let Some(copy) = BroadCopy::read(ctx, index, inst) else {
                    continue;
                };
                let install = installs.uses.iter().find(|u| {
                    u.instruction > index
                        && u.instruction < stage.body.end
                        && u.invocation.is_install()
                        && u.invocation
                            .manifest_only
                            .as_ref()
                            .is_some_and(|m| !m.is_empty())
                        && copy.contains_manifests(ctx, u)
                });
                let Some(install) = install else { continue };
                if reported.contains(&install.instruction) {
                    continue;
                }
                reported.push(install.instruction);
                let command = installs.command(install);
                let command_text = command.span.text(ctx.text()).to_string();
                let manifests = manifest_names(install);
                let Some(sources) = copy.manifest_sources(ctx, install, &manifests) else {
                    continue;
                };
                // With the build context at hand, the install's inputs are known exactly.
                let proven = match ctx.build_context {
                    Some(bc) => match context_manifests(bc, &sources) {
                        ContextManifests::NeedsSource => continue,
                        ContextManifests::Missing => None,
                        ContextManifests::Only(files) => Some(files),
                    },
                    None => None,
                };
                let header = Span::new(inst.span.start, inst.text_end());
                let fix = self.fix(ctx, index, install, &manifests, &sources, proven.as_deref());
                out.push(
                    Diagnostic::new(
                        meta.code,
                        meta.name,
                        meta.default_severity,
                        header,
                        format!(
                            "this COPY brings in the whole {} before `{}`, which needs only {}: any change to any copied file re-runs the install",
                            copy.what,
                            shorten(&command_text),
                            manifests.join(", ")
                        ),
                    )
                    .with_related(command.span, "re-runs on every source change")
                    .with_help(format!("copy {} first, install, then copy the rest", manifests.join(", ")))
                    .with_fix(fix),
                );
            }
        }
    }
}

fn shorten(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}...", one_line.chars().take(57).collect::<String>())
    } else {
        one_line
    }
}

/// The manifest files an install reads, as the install names them.
fn manifest_names(install: &CacheUse) -> Vec<String> {
    install.invocation.manifest_only.clone().unwrap_or_default()
}

/// A COPY/ADD from the build context that brings in more than single files.
struct BroadCopy {
    /// Context-relative source prefixes copied whole (`""` for `.`).
    sources: Vec<String>,
    /// The destination directory in the image.
    dest: String,
    /// For messages: "build context" or "`src` directory".
    what: String,
}

impl BroadCopy {
    fn read(ctx: &Context, index: usize, inst: &Instruction) -> Option<BroadCopy> {
        if !matches!(inst.keyword, Keyword::Copy | Keyword::Add)
            || inst.flag("from").is_some()
            || !inst.heredocs.is_empty()
        {
            return None;
        }
        let (dest, sources) = inst.values.split_last()?;
        let state = &ctx.model.states[index];
        let broad: Vec<String> = sources
            .iter()
            .map(|s| state.expand(s))
            .filter(|s| is_broad(s))
            .map(|s| {
                s.trim_start_matches("./")
                    .trim_end_matches('/')
                    .trim_start_matches('.')
                    .to_string()
            })
            .collect();
        if broad.is_empty() {
            return None;
        }
        let what = if broad.iter().any(String::is_empty) {
            "build context".to_string()
        } else {
            format!("`{}` directory", broad[0])
        };
        Some(BroadCopy {
            sources: broad,
            dest: resolve(&state.workdir, &state.expand(dest)),
            what,
        })
    }

    /// Whether the files the install reads come from this COPY (they land under its
    /// destination and its sources include them).
    fn contains_manifests(&self, ctx: &Context, install: &CacheUse) -> bool {
        let workdir = &ctx.model.states[install.instruction].workdir;
        manifest_names(install).first().is_some_and(|m| {
            let path = resolve(workdir, m);
            let Some(relative) = path
                .strip_prefix(&self.dest)
                .map(|r| r.trim_start_matches('/'))
            else {
                return false;
            };
            let relative = if path == self.dest { "" } else { relative };
            self.sources.iter().any(|s| {
                s.is_empty()
                    || s.contains('*')
                    || relative.starts_with(&format!("{s}/"))
                    || self.sources.len() == 1 && !relative.is_empty()
            })
        })
    }
}

impl BroadCopy {
    /// The install's manifests as build-context paths, when they all come from this COPY.
    fn manifest_sources(
        &self,
        ctx: &Context,
        install: &CacheUse,
        manifests: &[String],
    ) -> Option<Vec<String>> {
        let workdir = &ctx.model.states[install.instruction].workdir;
        let prefix = self
            .sources
            .iter()
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_default();
        let whole_context = self.sources.iter().any(String::is_empty);
        manifests
            .iter()
            .map(|m| {
                let image_path = resolve(workdir, m);
                let relative = image_path
                    .strip_prefix(&self.dest)?
                    .trim_start_matches('/')
                    .to_string();
                Some(if whole_context || prefix.is_empty() {
                    relative
                } else {
                    format!("{prefix}/{relative}")
                })
            })
            .collect()
    }
}

/// What the build context says about an install's manifests.
enum ContextManifests {
    /// The files to copy before the install: the manifests that exist, and every file a pip
    /// requirements file includes.
    Only(Vec<String>),
    /// The primary manifest is not in the context (generated during the build?).
    Missing,
    /// A requirements file refers to local source (`-e .`, `./wheels/x.whl`): the install
    /// really needs more than the manifests.
    NeedsSource,
}

/// Check the manifests against the build context. `sources[0]` is the primary manifest;
/// the others are optional (lockfiles).
fn context_manifests(bc: &crate::context::Context, sources: &[String]) -> ContextManifests {
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
                Some(crate::context::EntryRef::Included(_)) => {
                    vec![crate::context::normalize_rel(source)]
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
        let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
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
                let path = crate::context::normalize_rel(&if dir.is_empty() {
                    include
                } else {
                    format!("{dir}/{include}")
                });
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
    ContextManifests::Only(files)
}

/// `.`, a directory or a glob; not a single named file, nor a glob for manifests
/// (`package*.json`, `go.sum*`).
fn is_broad(source: &str) -> bool {
    if source.contains("://") || source.starts_with("git@") {
        return false;
    }
    let s = source.trim_start_matches("./");
    if s.is_empty() || s == "." || s.ends_with('/') {
        return true;
    }
    if s.contains(['*', '?', '[']) {
        return !matches_a_manifest(s.rsplit('/').next().unwrap_or(s));
    }
    // A last component without an extension is most likely a directory (`src`, `app`); the
    // known extension-less manifests are files.
    let last = s.rsplit('/').next().unwrap_or(s);
    !last.contains('.')
        && !matches!(
            last,
            "Gemfile" | "Pipfile" | "Makefile" | "Dockerfile" | "Procfile"
        )
}

/// Whether a COPY glob matches one of the manifest names the knowledge table lists.
fn matches_a_manifest(pattern: &str) -> bool {
    knowledge()
        .managers()
        .iter()
        .flat_map(|m| m.manifests())
        .any(|name| {
            name == pattern
                || (!name.contains(['*', '?', '[']) && go_match(pattern, name).unwrap_or(false))
        })
}

impl CopyBeforeInstall {
    /// Copy the manifests before the broad COPY and move the broad COPY after the install.
    fn fix(
        &self,
        ctx: &Context,
        copy_index: usize,
        install: &CacheUse,
        manifests: &[String],
        sources: &[String],
        proven: Option<&[String]>,
    ) -> Option<Fix> {
        let text = ctx.text();
        let insts = &ctx.syntax.instructions;
        let copy_inst = &insts[copy_index];
        let run_inst = &insts[install.instruction];
        // Something in between could read the copied files or change where they land.
        for between in &insts[copy_index + 1..install.instruction] {
            if matches!(
                between.keyword,
                Keyword::Run
                    | Keyword::Workdir
                    | Keyword::User
                    | Keyword::Copy
                    | Keyword::Add
                    | Keyword::Onbuild
            ) {
                return None;
            }
            if matches!(between.keyword, Keyword::Env | Keyword::Arg) {
                let dest_raw = copy_inst.values.last().map(String::as_str).unwrap_or("");
                if between.pairs.iter().any(|p| {
                    dest_raw.contains(&format!("${}", p.key))
                        || dest_raw.contains(&format!("${{{}}}", p.key))
                }) {
                    return None;
                }
            }
        }
        let dest_raw = copy_inst.values.last()?;
        let dest = if dest_raw == "." || dest_raw.ends_with('/') {
            dest_raw.clone()
        } else {
            format!("{dest_raw}/")
        };
        let flags: Vec<&str> = copy_inst.flags.iter().map(|f| f.span.text(text)).collect();
        let indent = &text[line_start(text, copy_inst.span.start)..copy_inst.keyword_span.start];
        let newline = if text[copy_inst.span.start..copy_inst.span.end].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let mut manifest_copy = format!("{indent}{} ", copy_inst.keyword_text);
        for f in &flags {
            manifest_copy.push_str(f);
            manifest_copy.push(' ');
        }
        // Without the context, optional lockfiles may be missing: a wildcard that matches
        // nothing is allowed. With it, exactly the files that exist.
        let listed: Vec<String> = match proven {
            Some(files) => files.to_vec(),
            None => sources
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    if i == 0 || s.contains('*') {
                        s.clone()
                    } else {
                        format!("{s}*")
                    }
                })
                .collect(),
        };
        manifest_copy.push_str(&listed.join(" "));
        manifest_copy.push(' ');
        manifest_copy.push_str(&dest);
        manifest_copy.push_str(newline);

        let stage_start = ctx.model.stage_of(copy_index).map_or(0, |s| s.from);
        let already_copied = insts[stage_start..copy_index].iter().any(|i| {
            matches!(i.keyword, Keyword::Copy | Keyword::Add)
                && i.flag("from").is_none()
                && i.values.split_last().is_some_and(|(_, srcs)| {
                    srcs.iter().any(|s| {
                        s.rsplit('/').next()
                            == manifests.first().map(|m| m.rsplit('/').next().unwrap_or(m))
                    })
                })
        });
        if already_copied {
            manifest_copy.clear();
        }
        let copy_start = line_start(text, copy_inst.span.start);
        let mut moved = text[copy_start..copy_inst.span.end].to_string();
        if !moved.ends_with('\n') {
            moved.push_str(newline);
        }
        let mut run_end = run_inst.span.end;
        let mut after_run = String::new();
        if !text[..run_end].ends_with('\n') {
            after_run.push_str(newline);
            run_end = text.len();
        }
        // Keep the author's spacing: blank-line-separated instructions stay separated.
        if text[copy_inst.span.end..].starts_with(['\n', '\r']) {
            after_run.push_str(newline);
        }
        after_run.push_str(&moved);
        let edits = vec![
            Edit::replace(Span::new(copy_start, copy_inst.span.end), manifest_copy),
            Edit::insert(run_end, after_run),
        ];
        let what = if already_copied {
            "move this COPY after the install".to_string()
        } else {
            format!(
                "copy {} first and move this COPY after the install",
                listed.join(", ")
            )
        };
        Some(match proven {
            Some(_) => Fix::safe(what, edits),
            None => Fix::unsafe_(
                format!(
                    "{what} (unsafe: without the build context dlint cannot prove the install needs nothing else)"
                ),
                edits,
            ),
        })
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broad_sources() {
        for s in [".", "./", "src/", "app", "*.py", "./src"] {
            assert!(is_broad(s), "{s}");
        }
        for s in ["requirements.txt", "package.json", "Gemfile", "go.sum"] {
            assert!(!is_broad(s), "{s}");
        }
    }
}
