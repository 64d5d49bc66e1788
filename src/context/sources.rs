//! Resolution of COPY/ADD sources against a [`Context`], following BuildKit.
//!
//! * Sources are normalised like BuildKit's `NormalizePath("/", src)`: they
//!   are relative to the context root whether written as `a`, `./a` or `/a`,
//!   and `..` cannot climb above the root (BuildKit clamps `../x` to `x`).
//!   A relative source whose text climbs above the root is reported as
//!   [`SourceMatch::OutsideContext`].
//! * Wildcards follow BuildKit's `ResolveWildcards`: the source is split at
//!   the first component containing `*`, `?` or `[`; the rest is matched
//!   with Go's `filepath.Match` against paths relative to the literal part.
//!   `*` never crosses `/`, so `**` behaves like `*` (one component) in
//!   plain COPY/ADD sources. A matched directory is copied whole.
//! * Symlinks on the way to a source (and the source itself) are followed
//!   inside the context root, absolute targets being relative to the root.
//! * `--exclude` patterns use `.dockerignore` syntax, matched against paths
//!   relative to each copied root (BuildKit's copier). The root of a literal
//!   source is never excluded; for a wildcard match the root is tested
//!   relative to the wildcard's base directory (so `--exclude=*.txt hom*`
//!   skips `home.txt`, as documented).
//! * `--parents`: the source splits at a `/./` pivot (default: the root);
//!   the remainder is an include pattern with `.dockerignore` syntax
//!   (`**` supported), matched relative to the pivot.

use std::fs;
use std::path::Path;

use super::dockerignore::{DockerIgnore, normalize_rel};
use super::glob::{clean_path, go_match, has_wildcard};
use super::tree::{Context, ContextFile, EntryRef, find_in};

/// What a non-context source refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteKind {
    /// `http://` / `https://` URL (ADD only; COPY rejects URLs).
    Http,
    /// Git repository reference (ADD only; COPY rejects git refs).
    Git,
}

/// Result of resolving one COPY/ADD source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceMatch {
    /// Indices into [`Context::files`] of every entry the source brings in
    /// (matched roots and their descendants, directories included). May be
    /// empty for `.` on an empty context.
    Files(Vec<usize>),
    /// Nothing in the context matches. `wildcard` is true when the source
    /// contains wildcards: BuildKit then copies nothing without failing,
    /// while a literal missing source fails the build.
    Missing { wildcard: bool },
    /// The source exists on disk but only as entries excluded by the ignore
    /// file. Indices into [`Context::excluded`]; a pruned excluded directory
    /// stands for anything below it.
    OnlyIgnored(Vec<usize>),
    /// Something matched but every match was removed by `--exclude`.
    /// Indices into [`Context::files`] of the matched roots.
    ExcludedByFlag(Vec<usize>),
    /// The source text climbs above the context root (`../x`). BuildKit
    /// resolves it as `clamped` inside the context instead.
    OutsideContext { clamped: String },
    /// URL or git source: not a context file.
    Remote(RemoteKind),
}

/// Flags of the COPY/ADD instruction that influence source resolution.
#[derive(Debug, Clone, Copy, Default)]
pub struct SourceOptions<'a> {
    /// `--exclude` patterns.
    pub excludes: &'a [&'a str],
    /// `--parents`.
    pub parents: bool,
}

/// Resolves a COPY/ADD source (variables already expanded) with the given
/// `--exclude` patterns.
pub fn resolve_source(ctx: &Context, src: &str, excludes: &[&str]) -> SourceMatch {
    resolve_source_with(
        ctx,
        src,
        &SourceOptions {
            excludes,
            parents: false,
        },
    )
}

/// Classifies URL and git sources the way the Dockerfile frontend does
/// (git first, then http). Strings like `github.com/a/b` are local paths.
pub fn classify_remote(src: &str) -> Option<RemoteKind> {
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("git://") || lower.starts_with("git@") || lower.starts_with("ssh://") {
        return Some(RemoteKind::Git);
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let no_frag = lower.split('#').next().unwrap_or("");
        let no_query = no_frag.split('?').next().unwrap_or("");
        if no_query.trim_end_matches('/').ends_with(".git") {
            return Some(RemoteKind::Git);
        }
        return Some(RemoteKind::Http);
    }
    None
}

/// Like [`resolve_source`] with all options.
pub fn resolve_source_with(ctx: &Context, src: &str, opts: &SourceOptions<'_>) -> SourceMatch {
    if let Some(kind) = classify_remote(src) {
        return SourceMatch::Remote(kind);
    }
    if src.is_empty() {
        return SourceMatch::Missing { wildcard: false };
    }
    if !src.starts_with('/') {
        let c = clean_path(src);
        if c == ".." || c.starts_with("../") {
            return SourceMatch::OutsideContext {
                clamped: normalize_rel(src),
            };
        }
    }
    let excludes = (!opts.excludes.is_empty()).then(|| DockerIgnore::from_patterns(opts.excludes));

    if opts.parents {
        let (pivot, pattern) = match src.split_once("/./") {
            Some((p, pat)) => (p, pat),
            None => ("/", src),
        };
        let include_pat = normalize_rel(pattern);
        let include = DockerIgnore::from_patterns(&[include_pat.as_str()]);
        let wildcard =
            include_pat.split('/').any(has_wildcard) || pivot.split('/').any(has_wildcard);
        let roots = resolve_roots(ctx, &normalize_rel(pivot));
        let mut out = Vec::new();
        let mut ignored = Vec::new();
        for root in &roots.included {
            let (base, list) = match root {
                Root::Context => ("", &ctx.files),
                Root::Entry(i) => (ctx.files[*i].rel_path.as_str(), &ctx.files),
            };
            collect_matching(list, base, &include, &mut out);
        }
        if out.is_empty() {
            for root in &roots.included {
                let base = match root {
                    Root::Context => "",
                    Root::Entry(i) => ctx.files[*i].rel_path.as_str(),
                };
                collect_matching(&ctx.excluded, base, &include, &mut ignored);
            }
            ignored.extend(roots.ignored.iter().copied());
            if !ignored.is_empty() {
                ignored.sort_unstable();
                ignored.dedup();
                return SourceMatch::OnlyIgnored(ignored);
            }
            return SourceMatch::Missing { wildcard };
        }
        out.sort_unstable();
        out.dedup();
        return apply_excludes(ctx, out, excludes.as_ref(), None, &roots.included);
    }

    let rel = normalize_rel(src);
    let wildcard = rel.split('/').any(has_wildcard);
    let roots = resolve_roots(ctx, &rel);
    if roots.included.is_empty() {
        if roots.ignored.is_empty() {
            return SourceMatch::Missing { wildcard };
        }
        return SourceMatch::OnlyIgnored(roots.ignored);
    }
    let mut indices = Vec::new();
    for root in &roots.included {
        match root {
            Root::Context => indices.extend(0..ctx.files.len()),
            Root::Entry(i) => {
                indices.push(*i);
                if ctx.files[*i].is_dir {
                    indices.extend(Context::descendants(&ctx.files, &ctx.files[*i].rel_path));
                }
            }
        }
    }
    let base = if wildcard {
        Some(roots.wildcard_base.as_str())
    } else {
        None
    };
    apply_excludes(ctx, indices, excludes.as_ref(), base, &roots.included)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    /// The whole context (`.`).
    Context,
    /// An entry of `ctx.files`.
    Entry(usize),
}

#[derive(Debug, Default)]
struct Roots {
    included: Vec<Root>,
    /// Indices into `ctx.excluded` (ignored matches).
    ignored: Vec<usize>,
    /// Resolved literal directory before the first wildcard component.
    wildcard_base: String,
}

/// Outcome of following a literal path through the context.
enum Lookup {
    Root,
    Included(usize),
    Ignored(usize),
    Missing,
}

/// Follows a literal, normalised path, resolving symlinks inside the root
/// (like BuildKit's root-scoped path resolution).
fn lookup(ctx: &Context, rel: &str) -> Lookup {
    let mut pending: Vec<String> = rel
        .split('/')
        .filter(|c| !c.is_empty())
        .rev()
        .map(str::to_string)
        .collect();
    let mut cur = String::new();
    let mut hops = 0;
    let mut through_ignored: Option<usize> = None;
    while let Some(comp) = pending.pop() {
        match comp.as_str() {
            "." => continue,
            ".." => {
                cur = match cur.rfind('/') {
                    Some(i) => cur[..i].to_string(),
                    None => String::new(),
                };
                continue;
            }
            _ => {}
        }
        let cand = if cur.is_empty() {
            comp
        } else {
            format!("{cur}/{comp}")
        };
        let (entry, ignored_idx): (&ContextFile, Option<usize>) = match ctx.find(&cand) {
            Some(EntryRef::Included(i)) => (&ctx.files[i], None),
            Some(EntryRef::Excluded(i)) => (&ctx.excluded[i], Some(i)),
            None => {
                // Below a pruned directory the listing is incomplete: look
                // on disk (without following symlinks) to tell ignored from
                // missing.
                if let Some(p) = ctx.pruned_ancestor(&cand) {
                    let rest: Vec<&str> = pending.iter().rev().map(String::as_str).collect();
                    let full = if rest.is_empty() {
                        cand.clone()
                    } else {
                        format!("{cand}/{}", rest.join("/"))
                    };
                    if exists_no_follow(&ctx.root, &full) {
                        return Lookup::Ignored(p);
                    }
                }
                return Lookup::Missing;
            }
        };
        if ignored_idx.is_some() {
            through_ignored = through_ignored.or(ignored_idx);
        }
        if entry.is_symlink {
            hops += 1;
            if hops > 40 {
                return Lookup::Missing;
            }
            let Ok(target) = fs::read_link(ctx.root.join(&cand)) else {
                return Lookup::Missing;
            };
            let Some(target) = target.to_str().map(str::to_string) else {
                return Lookup::Missing;
            };
            if target.starts_with('/') {
                cur.clear();
            }
            for c in target.split('/').filter(|c| !c.is_empty()).rev() {
                pending.push(c.to_string());
            }
            continue;
        }
        if entry.pruned && !pending.is_empty() {
            let rest: Vec<&str> = pending.iter().rev().map(String::as_str).collect();
            if exists_no_follow(&ctx.root, &format!("{cand}/{}", rest.join("/"))) {
                return Lookup::Ignored(ignored_idx.unwrap_or_default());
            }
            return Lookup::Missing;
        }
        if !pending.is_empty() && !entry.is_dir {
            return Lookup::Missing;
        }
        cur = cand;
    }
    if cur.is_empty() {
        return Lookup::Root;
    }
    match ctx.find(&cur) {
        Some(EntryRef::Included(i)) => match through_ignored {
            Some(x) => Lookup::Ignored(x),
            None => Lookup::Included(i),
        },
        Some(EntryRef::Excluded(i)) => Lookup::Ignored(i),
        None => Lookup::Missing,
    }
}

/// Checks existence of `root/rel` with `lstat` on each component and
/// without following symlinks, so nothing outside the root is touched.
fn exists_no_follow(root: &Path, rel: &str) -> bool {
    let mut p = root.to_path_buf();
    let comps: Vec<&str> = rel.split('/').filter(|c| !c.is_empty()).collect();
    for (i, c) in comps.iter().enumerate() {
        if *c == "." || *c == ".." {
            return false;
        }
        p.push(c);
        match fs::symlink_metadata(&p) {
            Ok(m) => {
                if m.file_type().is_symlink() {
                    // Can't safely go further; it exists as far as we know.
                    return true;
                }
                if i + 1 < comps.len() && !m.is_dir() {
                    return false;
                }
            }
            Err(_) => return false,
        }
    }
    true
}

/// Finds the roots a (non-`--parents`) source names.
fn resolve_roots(ctx: &Context, rel: &str) -> Roots {
    let comps: Vec<&str> = rel.split('/').filter(|c| !c.is_empty()).collect();
    let split = comps.iter().position(|c| has_wildcard(c));
    let Some(split) = split else {
        return match lookup(ctx, rel) {
            Lookup::Root => Roots {
                included: vec![Root::Context],
                ..Roots::default()
            },
            Lookup::Included(i) => {
                // A symlinked source is followed: copy the target.
                Roots {
                    included: vec![Root::Entry(i)],
                    ..Roots::default()
                }
            }
            Lookup::Ignored(i) => {
                let mut ignored = vec![i];
                if ctx.excluded[i].is_dir {
                    ignored.extend(Context::descendants(
                        &ctx.excluded,
                        &ctx.excluded[i].rel_path,
                    ));
                }
                Roots {
                    ignored,
                    ..Roots::default()
                }
            }
            Lookup::Missing => Roots::default(),
        };
    };
    let base_rel = comps[..split].join("/");
    let pattern = comps[split..].join("/");
    let depth = comps.len() - split;
    let base = match lookup(ctx, &base_rel) {
        Lookup::Root => String::new(),
        Lookup::Included(i) if ctx.files[i].is_dir => ctx.files[i].rel_path.clone(),
        Lookup::Ignored(i) => {
            // The base directory itself is not in the context: report
            // ignored matches below it, if any.
            let e = &ctx.excluded[i];
            let mut ignored = Vec::new();
            if e.pruned {
                ignored.push(i);
            } else if e.is_dir {
                for j in Context::descendants(&ctx.excluded, &e.rel_path) {
                    let r = &ctx.excluded[j].rel_path[e.rel_path.len() + 1..];
                    if r.split('/').count() == depth && go_match(&pattern, r) == Ok(true) {
                        ignored.push(j);
                    }
                }
            }
            return Roots {
                ignored,
                ..Roots::default()
            };
        }
        _ => return Roots::default(),
    };
    let strip = if base.is_empty() { 0 } else { base.len() + 1 };
    let pat_comps: Vec<&str> = pattern.split('/').collect();
    let mut roots = Roots {
        wildcard_base: base.clone(),
        ..Roots::default()
    };
    for i in Context::descendants(&ctx.files, &base) {
        let r = &ctx.files[i].rel_path[strip..];
        if r.split('/').count() == depth && go_match(&pattern, r) == Ok(true) {
            roots.included.push(Root::Entry(i));
        }
    }
    if roots.included.is_empty() {
        for j in Context::descendants(&ctx.excluded, &base) {
            let e = &ctx.excluded[j];
            let r = &e.rel_path[strip..];
            let n = r.split('/').count();
            if n == depth && go_match(&pattern, r) == Ok(true) {
                roots.ignored.push(j);
            } else if e.pruned && n < depth {
                // Could something below this unlisted directory match?
                let prefix_ok = r
                    .split('/')
                    .zip(&pat_comps)
                    .all(|(name, pat)| go_match(pat, name) == Ok(true));
                if prefix_ok {
                    roots.ignored.push(j);
                }
            }
        }
    }
    // Directories matched also bring their contents; keep only top roots.
    roots
}

/// Entries of `list` under `base` whose path relative to `base` is
/// selected by the include matcher (directory matches select their
/// contents, as patternmatcher's parent matching does).
fn collect_matching(
    list: &[ContextFile],
    base: &str,
    include: &DockerIgnore,
    out: &mut Vec<usize>,
) {
    let strip = if base.is_empty() { 0 } else { base.len() + 1 };
    for i in Context::descendants(list, base) {
        let r = &list[i].rel_path[strip..];
        if include.is_excluded_impl(r, false) {
            out.push(i);
        }
    }
}

fn apply_excludes(
    ctx: &Context,
    mut indices: Vec<usize>,
    excludes: Option<&DockerIgnore>,
    wildcard_base: Option<&str>,
    roots: &[Root],
) -> SourceMatch {
    indices.sort_unstable();
    indices.dedup();
    let Some(ex) = excludes else {
        return SourceMatch::Files(indices);
    };
    // Each index is tested relative to its nearest enclosing root.
    let root_set: std::collections::HashSet<&str> = roots
        .iter()
        .map(|r| match r {
            Root::Context => "",
            Root::Entry(i) => ctx.files[*i].rel_path.as_str(),
        })
        .collect();
    let nearest_root = |p: &str| -> Option<usize> {
        if root_set.contains(p) {
            return Some(p.len());
        }
        let mut cut = p.len();
        while let Some(i) = p[..cut].rfind('/') {
            if root_set.contains(&p[..i]) {
                return Some(i);
            }
            cut = i;
        }
        root_set.contains("").then_some(0)
    };
    let mut kept = Vec::new();
    for &i in &indices {
        let p = ctx.files[i].rel_path.as_str();
        let excluded = match nearest_root(p) {
            // The root itself: never excluded for a literal source; for a
            // wildcard match, tested relative to the wildcard base.
            Some(n) if n == p.len() => match wildcard_base {
                Some(b) => {
                    let strip = if b.is_empty() { 0 } else { b.len() + 1 };
                    ex.is_excluded_impl(&p[strip..], false)
                }
                None => false,
            },
            Some(0) => ex.is_excluded_impl(p, false),
            Some(n) => ex.is_excluded_impl(&p[n + 1..], false),
            None => ex.is_excluded_impl(p, false),
        };
        if !excluded {
            kept.push(i);
        }
    }
    // An excluded directory is still created when something below it is
    // kept. `ctx.files` is in component order, so a directory's descendants
    // directly follow it: look at the next kept index.
    let mut result: Vec<usize> = Vec::new();
    for &i in &indices {
        let e = &ctx.files[i];
        let pos = kept.partition_point(|&k| k < i);
        if kept.get(pos) == Some(&i) {
            result.push(i);
        } else if e.is_dir {
            let range = Context::descendants(&ctx.files, &e.rel_path);
            if kept.get(pos).is_some_and(|k| range.contains(k)) {
                result.push(i);
            }
        }
    }
    if result.is_empty() && !indices.is_empty() {
        let mut r: Vec<usize> = roots
            .iter()
            .filter_map(|r| match r {
                Root::Entry(i) => Some(*i),
                Root::Context => None,
            })
            .collect();
        if r.is_empty() {
            r = indices;
        }
        return SourceMatch::ExcludedByFlag(r);
    }
    SourceMatch::Files(result)
}

/// Convenience: the context-relative paths behind a [`SourceMatch`].
pub fn matched_paths<'a>(ctx: &'a Context, m: &SourceMatch) -> Vec<&'a str> {
    match m {
        SourceMatch::Files(v) | SourceMatch::ExcludedByFlag(v) => {
            v.iter().map(|&i| ctx.files[i].rel_path.as_str()).collect()
        }
        SourceMatch::OnlyIgnored(v) => v
            .iter()
            .map(|&i| ctx.excluded[i].rel_path.as_str())
            .collect(),
        _ => Vec::new(),
    }
}

/// Is `rel` (normalised) present in the included list?
pub fn is_in_context(ctx: &Context, rel: &str) -> bool {
    find_in(&ctx.files, &normalize_rel(rel)).is_some()
}
