//! DC007 missing-dockerignore: a broad COPY/ADD (`.` or a directory) from a build context that
//! has no `.dockerignore`, while the copied tree holds things an image never needs (VCS data,
//! virtualenvs, dependency trees, caches, build output, `.env` files): they are sent, and any
//! change to them busts the layer.

use crate::analysis::copies::{self, SourceKind};
use crate::context::{self, ContextFile, DockerIgnore, EntryRef, normalize_rel};
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct MissingDockerignore {
        code: "DC007",
        name: "missing-dockerignore",
        summary: "COPY/ADD of `.` or a whole directory with no .dockerignore: every file is sent and busts the layer.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for MissingDockerignore {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(build) = ctx.build_context else {
            return;
        };
        if build.ignore_file.is_some() {
            return;
        }
        let meta = self.meta();
        let copies = copies::analyse(ctx.syntax, ctx.model);
        let mut proposal: Option<Option<Proposal>> = None;
        for copy in copies.iter().filter(|c| c.from_context()) {
            for source in copy.sources.iter().filter(|s| s.kind == SourceKind::Path) {
                let rel = normalize_rel(&source.expanded);
                if rel.split('/').any(context::glob::has_wildcard) {
                    continue;
                }
                let is_dir = rel.is_empty()
                    || matches!(build.find(&rel), Some(EntryRef::Included(i)) if build.files[i].is_dir);
                if !is_dir {
                    continue;
                }
                let proposal = proposal
                    .get_or_insert_with(|| Proposal::for_context(ctx, build, &copies))
                    .as_ref();
                let unneeded: Vec<&str> = proposal
                    .map(|p| p.found_under(build, &rel))
                    .unwrap_or_default();
                // Only when something an image never needs is there to be sent: then the
                // finding names it and the fix has something to write.
                if unneeded.is_empty() {
                    continue;
                }
                let what = if rel.is_empty() {
                    "the whole build context".to_string()
                } else {
                    format!("all of `{rel}/`")
                };
                let mut message = format!(
                    "{} of `{}` sends {what} and there is no .dockerignore: {}",
                    ctx.syntax.instructions[copy.instruction]
                        .keyword_text
                        .to_ascii_uppercase(),
                    source.written,
                    Sent::of(build, &rel).describe()
                );
                if !unneeded.is_empty() {
                    message.push_str(&format!(
                        "; not needed in an image: {}",
                        unneeded.join(", ")
                    ));
                }
                out.push(
                    Diagnostic::new(
                        meta.code,
                        meta.name,
                        meta.default_severity,
                        source.span,
                        message,
                    )
                    .with_help(
                        "add a .dockerignore listing what the image does not need (VCS data, virtualenvs, dependencies, caches, build output, secrets)",
                    )
                    .with_fix(proposal.map(|p| p.fix.clone())),
                );
            }
        }
    }
}

/// What a copy of one directory sends: its files, and the biggest entries right below it.
pub(crate) struct Sent {
    files: usize,
    bytes: u64,
    /// (name, bytes, files), biggest first.
    biggest: Vec<(String, u64, usize)>,
}

impl Sent {
    pub(crate) fn of(build: &context::Context, dir: &str) -> Sent {
        let strip = if dir.is_empty() { 0 } else { dir.len() + 1 };
        let mut sent = Sent {
            files: 0,
            bytes: 0,
            biggest: Vec::new(),
        };
        let mut by_top: std::collections::BTreeMap<&str, (u64, usize)> = Default::default();
        for entry in &build.files[context::Context::descendants(&build.files, dir)] {
            if entry.is_dir {
                continue;
            }
            sent.files += 1;
            sent.bytes += entry.size;
            let below = &entry.rel_path[strip..];
            let top = below.split('/').next().unwrap_or(below);
            let slot = by_top.entry(top).or_default();
            slot.0 += entry.size;
            slot.1 += 1;
        }
        sent.biggest = by_top
            .into_iter()
            .map(|(name, (bytes, files))| (name.to_string(), bytes, files))
            .collect();
        sent.biggest
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        sent.biggest.truncate(3);
        sent
    }

    pub(crate) fn describe(&self) -> String {
        let mut text = format!(
            "{} file{} ({}) would be sent",
            self.files,
            if self.files == 1 { "" } else { "s" },
            human_bytes(self.bytes)
        );
        if self.biggest.len() > 1 {
            let parts: Vec<String> = self
                .biggest
                .iter()
                .map(|(name, bytes, files)| {
                    format!(
                        "{name} ({}, {files} file{})",
                        human_bytes(*bytes),
                        if *files == 1 { "" } else { "s" }
                    )
                })
                .collect();
            text.push_str(&format!("; biggest: {}", parts.join(", ")));
        }
        text
    }
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Names a build context often holds that an image never needs.
struct Unneeded {
    name: Name,
    dir: bool,
    /// Excluded at any depth (`**/name`). Otherwise only at the top of the context, where a
    /// name such as `build` is surely output, not a source package of the same name.
    anywhere: bool,
}

enum Name {
    Exact(&'static str),
    /// `*.pyc`: any name with this suffix.
    Suffix(&'static str),
}

const fn dir(name: &'static str, anywhere: bool) -> Unneeded {
    Unneeded {
        name: Name::Exact(name),
        dir: true,
        anywhere,
    }
}

const fn file(name: &'static str, anywhere: bool) -> Unneeded {
    Unneeded {
        name: Name::Exact(name),
        dir: false,
        anywhere,
    }
}

/// The table the fix proposes from, only for what is present. Version control, virtualenvs and
/// dependency trees (rebuilt by the image's own install), tool caches, build output, editor
/// and OS litter.
const UNNEEDED: &[Unneeded] = &[
    dir(".git", true),
    dir(".hg", true),
    dir(".svn", true),
    dir(".venv", true),
    dir("venv", false),
    dir("node_modules", true),
    dir("__pycache__", true),
    Unneeded {
        name: Name::Suffix(".pyc"),
        dir: false,
        anywhere: true,
    },
    Unneeded {
        name: Name::Suffix(".pyo"),
        dir: false,
        anywhere: true,
    },
    Unneeded {
        name: Name::Suffix(".egg-info"),
        dir: true,
        anywhere: true,
    },
    dir(".mypy_cache", true),
    dir(".pytest_cache", true),
    dir(".ruff_cache", true),
    dir(".tox", true),
    dir(".nox", true),
    dir("htmlcov", false),
    file(".coverage", false),
    dir(".next", false),
    dir(".terraform", true),
    dir("dist", false),
    dir("build", false),
    dir("target", false),
    dir("coverage", false),
    dir(".idea", false),
    dir(".vscode", false),
    file(".DS_Store", true),
    file("Thumbs.db", true),
];

impl Unneeded {
    fn matches(&self, entry: &ContextFile, name: &str) -> bool {
        entry.is_dir == self.dir
            && match self.name {
                Name::Exact(n) => name == n,
                Name::Suffix(s) => name.len() > s.len() && name.ends_with(s),
            }
    }

    fn pattern(&self, nested: bool) -> String {
        let name = match self.name {
            Name::Exact(n) => n.to_string(),
            Name::Suffix(s) => format!("*{s}"),
        };
        if nested { format!("**/{name}") } else { name }
    }
}

/// `.env`, `.env.local`, `.env.production`: secrets by convention; `.env.example` and the like
/// are templates meant to be shared.
fn is_env_file(entry: &ContextFile, name: &str) -> bool {
    !entry.is_dir
        && (name == ".env"
            || (name.starts_with(".env.")
                && ![".example", ".sample", ".template", ".dist"]
                    .iter()
                    .any(|s| name.ends_with(s))))
}

/// The `.dockerignore` the fix writes: one line per unneeded thing present in the context,
/// minus anything the Dockerfile names (a copied path, or a word a RUN uses).
struct Proposal {
    patterns: Vec<String>,
    fix: Fix,
}

impl Proposal {
    fn for_context(
        ctx: &Context,
        build: &context::Context,
        copies: &[copies::CopyInstruction],
    ) -> Option<Proposal> {
        let patterns = unneeded_patterns(ctx, build, copies);
        if patterns.is_empty() {
            return None;
        }
        let mut content = String::from(
            "# What the image does not need from the build context (written by `dlint fix`, DC007).\n\
             # Files listed here are not sent to the builder and no longer bust COPY's cache.\n",
        );
        for p in &patterns {
            content.push_str(p);
            content.push('\n');
        }
        // Without this line `COPY . .` would put the new file itself into the image.
        let named = named_paths(copies);
        if !named.iter().any(|p| p == IGNORE_FILE) {
            content.push_str("# This file itself.\n.dockerignore\n");
        }
        let dropped = dropped_image_paths(ctx, build, copies, &patterns);
        let mut description = format!("create .dockerignore excluding {}", patterns.join(", "));
        if !dropped.is_empty() {
            let shown = &dropped[..dropped.len().min(MAX_PATHS_NAMED)];
            description.push_str(&format!("; the image no longer gets {}", shown.join(", ")));
            if dropped.len() > shown.len() {
                description.push_str(&format!(" and {} more", dropped.len() - shown.len()));
            }
        }
        let fix = Fix::create_file(
            Applicability::Unsafe,
            description,
            build.root.join(IGNORE_FILE),
            content,
        );
        Some(Proposal { patterns, fix })
    }

    /// The patterns that exclude something under `dir` (`""`: the whole context).
    fn found_under(&self, build: &context::Context, dir: &str) -> Vec<&str> {
        let under = &build.files[context::Context::descendants(&build.files, dir)];
        self.patterns
            .iter()
            .filter(|p| {
                let ignore = DockerIgnore::from_patterns(&[p.as_str()]);
                under.iter().any(|e| ignore.is_excluded(&e.rel_path))
            })
            .map(String::as_str)
            .collect()
    }
}

const IGNORE_FILE: &str = ".dockerignore";

/// How many dropped image paths the fix's description names before it counts the rest.
const MAX_PATHS_NAMED: usize = 40;

/// Where in the image the files the new `.dockerignore` excludes used to land: for each broad
/// COPY/ADD from the context, the topmost excluded entry under its source, placed under its
/// destination (`COPY . .` under `WORKDIR /app` with `__pycache__/` → `/app/__pycache__`).
fn dropped_image_paths(
    ctx: &Context,
    build: &context::Context,
    copies: &[copies::CopyInstruction],
    patterns: &[String],
) -> Vec<String> {
    let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let ignore = DockerIgnore::from_patterns(&patterns);
    let mut dropped = Vec::new();
    for copy in copies.iter().filter(|c| c.from_context()) {
        let dest = copy.destination(ctx.syntax, ctx.model);
        for source in copy.sources.iter().filter(|s| s.kind == SourceKind::Path) {
            let rel = normalize_rel(&source.expanded);
            if rel.split('/').any(context::glob::has_wildcard) {
                continue;
            }
            let strip = if rel.is_empty() || copy.parents {
                0
            } else {
                rel.len() + 1
            };
            let mut inside: Option<String> = None;
            for entry in &build.files[context::Context::descendants(&build.files, &rel)] {
                if inside
                    .as_deref()
                    .is_some_and(|dir| entry.rel_path.starts_with(dir))
                {
                    continue;
                }
                inside = None;
                if !ignore.is_excluded(&entry.rel_path) {
                    continue;
                }
                if entry.is_dir {
                    inside = Some(format!("{}/", entry.rel_path));
                }
                let below = entry.rel_path.get(strip..).unwrap_or_default();
                dropped.push(crate::paths::resolve(&dest, below));
            }
        }
    }
    dropped.sort();
    dropped.dedup();
    dropped
}

fn unneeded_patterns(
    ctx: &Context,
    build: &context::Context,
    copies: &[copies::CopyInstruction],
) -> Vec<String> {
    let named = named_paths(copies);
    let run_words = run_words(ctx);
    // (pattern, first seen) in the order found, deduplicated.
    let mut patterns: Vec<String> = Vec::new();
    let mut inside: Option<String> = None;
    for entry in &build.files {
        if let Some(dir) = &inside {
            if entry.rel_path.starts_with(dir.as_str()) {
                continue;
            }
            inside = None;
        }
        let name = entry.rel_path.rsplit('/').next().unwrap_or(&entry.rel_path);
        let nested = entry.rel_path.contains('/');
        let pattern = if is_env_file(entry, name) {
            Some(entry.rel_path.clone())
        } else {
            UNNEEDED
                .iter()
                .find(|u| u.matches(entry, name) && (u.anywhere || !nested))
                .filter(|u| u.anywhere || !run_words.iter().any(|w| w == name))
                .map(|u| u.pattern(nested))
        };
        let Some(pattern) = pattern else {
            continue;
        };
        if entry.is_dir {
            inside = Some(format!("{}/", entry.rel_path));
        }
        let excluder = DockerIgnore::from_patterns(&[pattern.as_str()]);
        if named.iter().any(|p| excluder.is_excluded(p)) || patterns.contains(&pattern) {
            continue;
        }
        // A nested find supersedes the top-level line for the same name.
        if let Some(top) = pattern.strip_prefix("**/") {
            patterns.retain(|p| p != top);
        } else if patterns.contains(&format!("**/{pattern}")) {
            continue;
        }
        patterns.push(pattern);
    }
    patterns
}

/// Context paths the Dockerfile copies by name (the literal part of each source): the
/// proposal must not exclude them.
fn named_paths(copies: &[copies::CopyInstruction]) -> Vec<String> {
    copies
        .iter()
        .filter(|c| c.from_context())
        .flat_map(|c| &c.sources)
        .filter(|s| s.kind == SourceKind::Path)
        .map(|s| {
            normalize_rel(&s.expanded)
                .split('/')
                .take_while(|c| !context::glob::has_wildcard(c))
                .collect::<Vec<_>>()
                .join("/")
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Every word in RUN instructions, split at anything that is not part of a file name: a RUN
/// that mentions `build` or `dist` may read that directory after `COPY . .`.
fn run_words(ctx: &Context) -> Vec<String> {
    ctx.syntax
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Run)
        .flat_map(|i| {
            i.args()
                .split(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}
