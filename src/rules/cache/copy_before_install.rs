//! DC003 copy-before-install: a broad COPY before a dependency install that needs only the
//! manifests, so every source change re-runs the install.

use crate::analysis::copies::{CopyInstruction, Shape, SourceKind};
use crate::analysis::installs::CacheUse;
use crate::context::glob::go_match;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::knowledge::Action;
use crate::knowledge::commands::reads_no_source;
use crate::knowledge::knowledge;
use crate::paths::resolve;
use crate::rules::cache::manifest_reads::{ContextManifests, context_manifests};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct CopyBeforeInstall {
        code: "DC003",
        name: "copy-before-install",
        summary: "A COPY of the whole source comes before a dependency install that needs only the manifests, so every code change re-runs the install.",
        severity: Warning,
        fixable: true,
    }
}

/// Why a reorder is unsafe when nothing else is known.
const NO_CONTEXT_PROOF: &str =
    "without the build context dlint cannot prove the install needs nothing else";

impl Rule for CopyBeforeInstall {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let installs = ctx.installs();
        let copies = crate::analysis::copies::analyse(ctx.syntax, ctx.model);
        for stage in &ctx.model.stages {
            // The first manifest-only install after each broad COPY in this stage.
            let mut reported = Vec::new();
            for copy in copies
                .iter()
                .filter(|c| stage.body.contains(&c.instruction))
            {
                let index = copy.instruction;
                let inst = &ctx.syntax.instructions[index];
                let candidates = installs.uses.iter().filter(|u| {
                    u.instruction > index
                        && u.instruction < stage.body.end
                        && u.invocation.is_install()
                        && u.invocation
                            .manifest_only
                            .as_ref()
                            .is_some_and(|m| !m.is_empty())
                });
                let Some((install, broad, located)) = candidates
                    .filter_map(|u| {
                        let broad = BroadCopy::read(ctx, copy, u)?;
                        let located = broad.locate(ctx, u, &manifest_names(u)[0]);
                        (located != Located::NotHere).then_some((u, broad, located))
                    })
                    .next()
                else {
                    continue;
                };
                if reported.contains(&install.instruction) {
                    continue;
                }
                reported.push(install.instruction);
                let command = installs.command(install);
                let command_text = command.span.text(ctx.text()).to_string();
                let manifests = manifest_names(install);
                let sources = match located {
                    Located::Here(_) => broad.manifest_sources(ctx, install, &manifests),
                    _ => None,
                };
                // With the build context at hand, the install's inputs are known exactly.
                let proven = match (ctx.build_context, &sources) {
                    (Some(bc), Some(sources)) => {
                        match context_manifests(bc, install.invocation.manager, sources) {
                            ContextManifests::NeedsSource => continue,
                            ContextManifests::Missing => Err(NO_CONTEXT_PROOF.to_string()),
                            ContextManifests::Overwritten(dir) => Err(format!(
                                "the build context holds {dir}, which the moved COPY would copy over what the install made there"
                            )),
                            ContextManifests::Only(files) => Ok(files),
                        }
                    }
                    _ => Err(NO_CONTEXT_PROOF.to_string()),
                };
                // Everything else the RUN does must work without the sources, or moving it
                // above the COPY breaks the build (`pnpm install && pnpm run build`).
                let needs_source = command_needing_source(ctx, install);
                let fix = match (&sources, &needs_source) {
                    (Some(sources), None) => self.fix(
                        ctx,
                        index,
                        install,
                        &manifests,
                        sources,
                        proven.as_deref().map_err(String::as_str),
                    ),
                    _ => None,
                };
                // Name the manifests the context has when it is at hand, not every one the
                // manager could read.
                let named = match &proven {
                    Ok(files) => files.join(", "),
                    Err(_) => manifests.join(", "),
                };
                let help = match &needs_source {
                    Some(other) => format!(
                        "copy {} first and install in a RUN of its own; keep `{}` after the COPY: it needs the sources",
                        named,
                        shorten(other)
                    ),
                    None => format!("copy {} first, install, then copy the rest", named),
                };
                let header = Span::new(inst.span.start, inst.text_end());
                out.push(
                    Diagnostic::new(
                        meta.code,
                        meta.name,
                        meta.default_severity,
                        header,
                        format!(
                            "this COPY brings in the whole {} before `{}`, which needs only {}: any change to any copied file re-runs the install",
                            broad.what,
                            shorten(&command_text),
                            named
                        ),
                    )
                    .with_related(command.span, "re-runs on every source change")
                    .with_help(help)
                    .with_fix(fix),
                );
            }
        }
    }
}

/// The first command of the install's RUN that may read more than the manifests (a build, a
/// test run, a script of the project), as written.
fn command_needing_source(ctx: &Context, install: &CacheUse) -> Option<String> {
    let run = &ctx.installs().runs[install.run];
    if run.has_errors {
        return Some(
            ctx.syntax.instructions[install.instruction]
                .args()
                .to_string(),
        );
    }
    run.commands
        .iter()
        .find(|c| {
            let argv: Vec<&str> = c.words.iter().map(|w| w.value.as_str()).collect();
            if argv.is_empty() {
                return false;
            }
            match knowledge().classify(&argv) {
                Some(inv) => match inv.action {
                    Action::Install => inv.manifest_only.is_none() && inv.needs_source,
                    Action::Refresh | Action::Wipe => false,
                    Action::Build | Action::Other => true,
                },
                None => !reads_no_source(&argv),
            }
        })
        .map(|c| c.span.text(ctx.text()).to_string())
}

/// A command on one line, cut to 60 characters, for messages.
pub(crate) fn shorten(s: &str) -> String {
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

/// One context source of a COPY, with what it is.
struct Source {
    /// Context-relative path (`""` for the whole context).
    path: String,
    shape: Shape,
}

/// A COPY/ADD from the build context that brings in more than the install's manifests.
struct BroadCopy {
    /// Every source, in order (later ones overwrite earlier ones).
    sources: Vec<Source>,
    /// The destination directory in the image.
    dest: String,
    /// For messages: "build context" or "`src` directory".
    what: String,
}

/// Where an install's manifest comes from, as far as this COPY goes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Located {
    /// From this COPY, at this context path.
    Here(String),
    /// Perhaps from this COPY, but from which source cannot be told without the context.
    Ambiguous,
    /// Not from this COPY.
    NotHere,
}

impl BroadCopy {
    /// The COPY as seen by `install`: None when it copies nothing beyond single files (a
    /// named manifest beside a wrapper script, `COPY mvnw pom.xml ./`, is no broad COPY).
    fn read(ctx: &Context, copy: &CopyInstruction, install: &CacheUse) -> Option<BroadCopy> {
        let inst = &ctx.syntax.instructions[copy.instruction];
        if !copy.from_context() || !inst.heredocs.is_empty() || copy.parents {
            return None;
        }
        if copy.sources.iter().any(|s| s.kind != SourceKind::Path) {
            return None;
        }
        let state = &ctx.model.states[copy.instruction];
        let dest_raw = state.expand(&crate::syntax::unquote(inst.values.last()?));
        let manifests = manifest_names(install);
        let names_a_manifest = copy.sources.iter().any(|s| {
            let path = s.context_path();
            let name = path.rsplit('/').next().unwrap_or(&path);
            manifests.iter().any(|m| m.rsplit('/').next() == Some(name))
        });
        let sources: Vec<Source> = copy
            .sources
            .iter()
            .map(|s| {
                let shape = match s.shape(ctx.build_context) {
                    // Without the context, a bare extension-less name is taken for a directory
                    // only when the COPY names no manifest itself: then the manifest can only
                    // come from inside it. Beside a named manifest it may be a file (`mvnw`).
                    Shape::Unknown if !names_a_manifest && probably_a_directory(&s.expanded) => {
                        Shape::Dir
                    }
                    shape => shape,
                };
                Source {
                    path: s.context_path(),
                    shape,
                }
            })
            .collect();
        let broad: Vec<&Source> = sources
            .iter()
            .filter(|s| match s.shape {
                Shape::Dir => true,
                Shape::Glob => !matches_a_manifest(s.path.rsplit('/').next().unwrap_or(&s.path)),
                _ => false,
            })
            .collect();
        let first = broad.first()?;
        let what = if broad.iter().any(|s| s.path.is_empty()) {
            "build context".to_string()
        } else {
            format!("`{}` directory", first.path)
        };
        Some(BroadCopy {
            sources,
            dest: resolve(&state.workdir, &dest_raw),
            what,
        })
    }

    /// The manifest's path under this COPY's destination, or None when it lands elsewhere.
    fn relative(&self, ctx: &Context, install: &CacheUse, manifest: &str) -> Option<String> {
        let workdir = &ctx.model.states[install.instruction].workdir;
        let path = resolve(workdir, manifest);
        if path == self.dest {
            return None;
        }
        let rel = path.strip_prefix(&self.dest)?;
        (self.dest == "/" || rel.starts_with('/')).then(|| rel.trim_start_matches('/').to_string())
    }

    /// Which source of this COPY puts `manifest` where the install reads it. Sources are read
    /// last to first (a later one overwrites an earlier one); with the context each is looked
    /// up, without it a directory may or may not hold the file.
    fn locate(&self, ctx: &Context, install: &CacheUse, manifest: &str) -> Located {
        match self.locate_in(ctx, install, manifest, ctx.build_context) {
            // The context lacks the manifest (generated by the build, or the file is linted
            // away from its real context): read the COPY as without a context.
            Located::NotHere if ctx.build_context.is_some() => {
                self.locate_in(ctx, install, manifest, None)
            }
            found => found,
        }
    }

    fn locate_in(
        &self,
        ctx: &Context,
        install: &CacheUse,
        manifest: &str,
        bc: Option<&crate::context::Context>,
    ) -> Located {
        let Some(rel) = self.relative(ctx, install, manifest) else {
            return Located::NotHere;
        };
        let in_context = |path: &str| {
            bc.is_some_and(|bc| {
                matches!(bc.find(path), Some(crate::context::EntryRef::Included(i)) if !bc.files[i].is_dir)
            })
        };
        let join = |dir: &str| {
            if dir.is_empty() {
                rel.clone()
            } else {
                format!("{dir}/{rel}")
            }
        };
        let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
        let mut possible: Vec<String> = Vec::new();
        for source in self.sources.iter().rev() {
            match source.shape {
                Shape::File | Shape::Unknown if !rel.contains('/') && base(&source.path) == rel => {
                    // Named: certain, unless a later directory may have overwritten it.
                    return if possible.is_empty() {
                        Located::Here(source.path.clone())
                    } else {
                        Located::Ambiguous
                    };
                }
                Shape::Dir => {
                    let path = join(&source.path);
                    if bc.is_some() {
                        if in_context(&path) {
                            return Located::Here(path);
                        }
                    } else {
                        possible.push(path);
                    }
                }
                Shape::Glob => {
                    let dir = source.path.rsplit_once('/').map_or("", |(d, _)| d);
                    let pattern = base(&source.path);
                    let path = join(dir);
                    if !rel.contains('/') && go_match(&pattern, &rel).unwrap_or(false) {
                        if bc.is_some() {
                            if in_context(&path) {
                                return Located::Here(path);
                            }
                        } else {
                            possible.push(source.path.clone());
                        }
                    } else if bc.is_none() {
                        // A pattern may match directories, whose contents land here too.
                        possible.push(String::new());
                    }
                }
                _ => {}
            }
        }
        match possible.as_slice() {
            [] => Located::NotHere,
            [one] if !one.is_empty() => Located::Here(one.clone()),
            _ => Located::Ambiguous,
        }
    }

    /// The install's manifests as build-context paths, when they all come from this COPY
    /// (lockfiles that may be missing are kept as their most likely place).
    fn manifest_sources(
        &self,
        ctx: &Context,
        install: &CacheUse,
        manifests: &[String],
    ) -> Option<Vec<String>> {
        let Located::Here(primary) = self.locate(ctx, install, manifests.first()?) else {
            return None;
        };
        let primary_rel = self.relative(ctx, install, &manifests[0])?;
        // The directory the primary manifest came from, when it came from a directory.
        let named = self.sources.iter().any(|s| s.path == primary);
        let from_dir = primary
            .strip_suffix(&primary_rel)
            .filter(|_| !named)
            .map(|d| d.trim_end_matches('/').to_string());
        let mut out = vec![primary];
        for manifest in &manifests[1..] {
            match self.locate(ctx, install, manifest) {
                Located::Here(path) => out.push(path),
                Located::Ambiguous => return None,
                Located::NotHere => {
                    let rel = self.relative(ctx, install, manifest)?;
                    match (&from_dir, ctx.build_context) {
                        // A lockfile the context lacks is not copied.
                        (_, Some(_)) => {}
                        (Some(dir), None) if dir.is_empty() => out.push(rel),
                        (Some(dir), None) => out.push(format!("{dir}/{rel}")),
                        (None, None) => {}
                    }
                }
            }
        }
        Some(out)
    }
}

/// Without the context: a last component without an extension is most likely a directory
/// (`src`, `app`); the known extension-less manifests are files.
fn probably_a_directory(source: &str) -> bool {
    let s = source.trim_end_matches('/');
    let last = s.rsplit('/').next().unwrap_or(s);
    !last.contains('.')
        && !matches!(
            last,
            "Gemfile" | "Pipfile" | "Makefile" | "Dockerfile" | "Procfile"
        )
}

/// Whether a COPY glob matches one of the manifest names the knowledge table lists.
pub(crate) fn matches_a_manifest(pattern: &str) -> bool {
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
        proven: Result<&[String], &str>,
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
            Ok(files) => files.to_vec(),
            Err(_) => sources
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
        // One COPY to one destination flattens what it lists: `requirements/base.txt` would land
        // at `./base.txt`, where the broad COPY put it at `./requirements/base.txt`. Each listed
        // file must be a source of the broad COPY or lie directly in one of its folders.
        let clean = |p: &str| p.trim_start_matches("./").trim_end_matches('/').to_string();
        let roots: Vec<String> = copy_inst
            .values
            .split_last()
            .map(|(_, srcs)| {
                srcs.iter()
                    .map(|s| if s == "." { String::new() } else { clean(s) })
                    .collect()
            })
            .unwrap_or_default();
        let lands_the_same = |l: &String| {
            let l = clean(l);
            let parent = l.rsplit_once('/').map_or("", |(p, _)| p).to_string();
            roots.contains(&l) || roots.contains(&parent)
        };
        if !listed.iter().all(lands_the_same) {
            return None;
        }
        // A directory written with `/`, except a lone file copied to `.`: with several sources
        // (or a wildcard), BuildKit copies each onto a destination without one (DL3021).
        let lone_file = listed.len() == 1 && !listed[0].contains('*');
        let dest = if dest_raw.ends_with('/') || (dest_raw == "." && lone_file) {
            dest_raw.clone()
        } else {
            format!("{dest_raw}/")
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
            Ok(_) => Fix::safe(what, edits),
            Err(why) => Fix::unsafe_(format!("{what} (unsafe: {why})"), edits),
        })
    }
}

pub(crate) fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_by_spelling() {
        for s in ["app", "./src", "src/"] {
            assert!(probably_a_directory(s), "{s}");
        }
        for s in ["requirements.txt", "package.json", "Gemfile", "go.sum"] {
            assert!(!probably_a_directory(s), "{s}");
        }
    }
}
