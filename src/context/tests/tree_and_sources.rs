use std::fs;
use std::path::Path;

use crate::context::{
    Context, DockerIgnore, RemoteKind, ScanOptions, SourceMatch, SourceOptions, matched_paths,
    resolve_source, resolve_source_with,
};

fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

fn paths(list: &[crate::context::ContextFile]) -> Vec<&str> {
    list.iter().map(|f| f.rel_path.as_str()).collect()
}

/// A small project tree used by most tests.
fn project(ignore: &str) -> (tempfile::TempDir, Context) {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "Dockerfile", "FROM scratch\n");
    write(r, "README.md", "hi");
    write(r, "requirements.txt", "a==1");
    write(r, "requirements-dev.txt", "b==2");
    write(r, "src/main.py", "print()");
    write(r, "src/util/helpers.py", "x = 1");
    write(r, "src/notes.md", "n");
    write(r, "node_modules/left-pad/index.js", "module.exports = 1");
    write(r, "node_modules/keep.js", "k");
    write(r, "secrets/prod.env", "KEY=1");
    write(r, "app/a/x", "1");
    write(r, "app/b/c/x", "2");
    fs::create_dir_all(r.join("empty")).unwrap();
    write(r, ".dockerignore", ignore);
    let ctx = Context::load(r, Some(&r.join("Dockerfile"))).unwrap();
    (dir, ctx)
}

#[test]
fn listing_applies_ignore_and_keeps_excluded() {
    let (_d, ctx) = project("node_modules\n!node_modules/keep.js\nsecrets\n**/*.md\n!README.md\n");
    let files = paths(&ctx.files);
    assert!(files.contains(&"README.md"));
    assert!(files.contains(&"src/main.py"));
    assert!(files.contains(&"node_modules/keep.js"));
    // Excluded dir kept as the parent of a re-included file.
    assert!(files.contains(&"node_modules"));
    assert!(!files.contains(&"src/notes.md"));
    assert!(!files.contains(&"secrets/prod.env"));

    let excl = paths(&ctx.excluded);
    assert!(excl.contains(&"src/notes.md"));
    assert!(
        excl.contains(&"node_modules/left-pad/index.js") || excl.contains(&"node_modules/left-pad")
    );
    // secrets is pruned: no exception can reach below it.
    let secrets = ctx
        .excluded
        .iter()
        .find(|f| f.rel_path == "secrets")
        .unwrap();
    assert!(secrets.pruned && secrets.is_dir);
    assert!(!excl.contains(&"secrets/prod.env"));
    // Sorted so that a directory is followed by its descendants.
    let src = files.iter().position(|p| *p == "src").unwrap();
    assert_eq!(files[src + 1], "src/main.py");
    assert_eq!(
        ctx.ignore_file.as_deref(),
        Some(ctx.root.join(".dockerignore").as_path())
    );
    assert!(ctx.warnings.is_empty(), "{:?}", ctx.warnings);
}

#[test]
fn listing_without_pruning_lists_everything() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "secrets/a/b.env", "x");
    write(dir.path(), "ok.txt", "x");
    let ig = DockerIgnore::parse("secrets");
    let opts = ScanOptions {
        prune_excluded_dirs: false,
        ..ScanOptions::default()
    };
    let ctx = Context::scan(dir.path(), ig, &opts).unwrap();
    assert_eq!(paths(&ctx.files), vec!["ok.txt"]);
    assert_eq!(
        paths(&ctx.excluded),
        vec!["secrets", "secrets/a", "secrets/a/b.env"]
    );
    assert!(ctx.excluded.iter().all(|f| !f.pruned));
}

#[test]
fn sizes_and_kinds() {
    let (_d, ctx) = project("");
    let f = &ctx.files[ctx
        .files
        .iter()
        .position(|f| f.rel_path == "README.md")
        .unwrap()];
    assert_eq!((f.size, f.is_dir, f.is_symlink), (2, false, false));
    assert!(ctx.files.iter().any(|f| f.rel_path == "empty" && f.is_dir));
}

#[test]
fn max_entries_truncates() {
    let (d, _) = project("");
    let opts = ScanOptions {
        max_entries: Some(3),
        ..ScanOptions::default()
    };
    let ctx = Context::scan(d.path(), DockerIgnore::default(), &opts).unwrap();
    assert!(ctx.truncated);
    assert!(ctx.files.len() <= 3);
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_escape_do_not_hang_or_leave_root() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", "s");
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "a/file.txt", "f");
    symlink("..", r.join("a/up")).unwrap(); // loop back to the root
    symlink("loop2", r.join("loop1")).unwrap();
    symlink("loop1", r.join("loop2")).unwrap();
    symlink(outside.path(), r.join("out")).unwrap();
    symlink("a", r.join("alias")).unwrap();
    let ctx = Context::load(r, None).unwrap();
    let files = paths(&ctx.files);
    assert!(files.contains(&"a/up"));
    assert!(files.contains(&"out"));
    assert!(!files.iter().any(|p| p.contains("secret")));
    assert!(
        ctx.files
            .iter()
            .find(|f| f.rel_path == "out")
            .unwrap()
            .is_symlink
    );

    // Resolution follows symlinks inside the root only.
    let m = resolve_source(&ctx, "alias/file.txt", &[]);
    assert_eq!(matched_paths(&ctx, &m), vec!["a/file.txt"]);
    assert_eq!(
        resolve_source(&ctx, "loop1", &[]),
        SourceMatch::Missing { wildcard: false }
    );
    // Absolute link targets are relative to the context root: /tmp/... is
    // not inside the context, so it is missing (never read from outside).
    assert_eq!(
        resolve_source(&ctx, "out/secret.txt", &[]),
        SourceMatch::Missing { wildcard: false }
    );
    let m = resolve_source(&ctx, "a/up/a/file.txt", &[]);
    assert_eq!(matched_paths(&ctx, &m), vec!["a/file.txt"]);
}

#[test]
fn literal_sources() {
    let (_d, ctx) = project("secrets\n**/*.md\n!README.md\n");
    let m = resolve_source(&ctx, "requirements.txt", &[]);
    assert_eq!(matched_paths(&ctx, &m), vec!["requirements.txt"]);
    // ./x and /x are both relative to the context root.
    assert_eq!(resolve_source(&ctx, "./requirements.txt", &[]), m);
    assert_eq!(resolve_source(&ctx, "/requirements.txt", &[]), m);
    // Directory: itself and its included descendants.
    let m = resolve_source(&ctx, "src/", &[]);
    assert_eq!(
        matched_paths(&ctx, &m),
        vec!["src", "src/main.py", "src/util", "src/util/helpers.py"]
    );
    // Empty directory is found, not missing.
    let m = resolve_source(&ctx, "empty", &[]);
    assert_eq!(matched_paths(&ctx, &m), vec!["empty"]);
    // "." brings everything in the context.
    match resolve_source(&ctx, ".", &[]) {
        SourceMatch::Files(v) => assert_eq!(v.len(), ctx.files.len()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_and_ignored_sources() {
    let (_d, ctx) = project("secrets\n**/*.md\n!README.md\n");
    assert_eq!(
        resolve_source(&ctx, "nope.txt", &[]),
        SourceMatch::Missing { wildcard: false }
    );
    assert_eq!(
        resolve_source(&ctx, "src/main.py/x", &[]),
        SourceMatch::Missing { wildcard: false }
    );
    // Ignored-but-copied file.
    let m = resolve_source(&ctx, "src/notes.md", &[]);
    assert!(matches!(m, SourceMatch::OnlyIgnored(_)), "{m:?}");
    assert_eq!(matched_paths(&ctx, &m), vec!["src/notes.md"]);
    // Below a pruned directory: checked on disk.
    let m = resolve_source(&ctx, "secrets/prod.env", &[]);
    assert_eq!(matched_paths(&ctx, &m), vec!["secrets"]);
    assert_eq!(
        resolve_source(&ctx, "secrets/none.env", &[]),
        SourceMatch::Missing { wildcard: false }
    );
    let m = resolve_source(&ctx, "secrets", &[]);
    assert!(matches!(m, SourceMatch::OnlyIgnored(_)), "{m:?}");
}

#[test]
fn nested_excludes_with_exceptions() {
    let (_d, ctx) = project("node_modules\n!node_modules/keep.js\n");
    let m = resolve_source(&ctx, "node_modules", &[]);
    assert_eq!(
        matched_paths(&ctx, &m),
        vec!["node_modules", "node_modules/keep.js"]
    );
    let m = resolve_source(&ctx, "node_modules/left-pad/index.js", &[]);
    assert!(matches!(m, SourceMatch::OnlyIgnored(_)), "{m:?}");
}

#[test]
fn glob_sources() {
    let (_d, ctx) = project("**/*.md\n!README.md\n");
    let m = resolve_source(&ctx, "requirements*.txt", &[]);
    assert_eq!(
        matched_paths(&ctx, &m),
        vec!["requirements-dev.txt", "requirements.txt"]
    );
    let m = resolve_source(&ctx, "*.txt", &[]);
    assert_eq!(matched_paths(&ctx, &m).len(), 2);
    // A matched directory is copied whole.
    let m = resolve_source(&ctx, "sr?", &[]);
    assert_eq!(matched_paths(&ctx, &m)[0], "src");
    assert!(matched_paths(&ctx, &m).contains(&"src/util/helpers.py"));
    // ** is a plain single-component * in COPY sources (BuildKit).
    let m = resolve_source(&ctx, "app/**/x", &[]);
    assert_eq!(matched_paths(&ctx, &m), vec!["app/a/x"]);
    // Wildcard with no match.
    assert_eq!(
        resolve_source(&ctx, "*.lock", &[]),
        SourceMatch::Missing { wildcard: true }
    );
    // Wildcard matching only ignored files.
    let m = resolve_source(&ctx, "src/*.md", &[]);
    assert!(matches!(m, SourceMatch::OnlyIgnored(_)), "{m:?}");
    // Escaped wildcard is literal.
    assert_eq!(
        resolve_source(&ctx, "src/\\*.py", &[]),
        SourceMatch::Missing { wildcard: false }
    );
}

#[test]
fn glob_below_pruned_dir_reports_ignored() {
    let (_d, ctx) = project("node_modules\n");
    let m = resolve_source(&ctx, "node_modules/*/index.js", &[]);
    assert!(matches!(m, SourceMatch::OnlyIgnored(_)), "{m:?}");
    let m = resolve_source(&ctx, "*/left-pad/index.js", &[]);
    assert!(matches!(m, SourceMatch::OnlyIgnored(_)), "{m:?}");
}

#[test]
fn exclude_flag() {
    let (_d, ctx) = project("");
    let m = resolve_source(&ctx, "src", &["*.md"]);
    assert_eq!(
        matched_paths(&ctx, &m),
        vec!["src", "src/main.py", "src/util", "src/util/helpers.py"]
    );
    let m = resolve_source(&ctx, "src", &["util"]);
    assert_eq!(
        matched_paths(&ctx, &m),
        vec!["src", "src/main.py", "src/notes.md"]
    );
    // Documented: --exclude=*.txt with a wildcard source skips matching files.
    let m = resolve_source(&ctx, "requirements*", &["*.txt"]);
    assert!(matches!(m, SourceMatch::ExcludedByFlag(_)), "{m:?}");
    let m = resolve_source(&ctx, "requirements*", &["*-dev.txt"]);
    assert_eq!(matched_paths(&ctx, &m), vec!["requirements.txt"]);
    // Exceptions in --exclude work like .dockerignore exceptions.
    let m = resolve_source(&ctx, "src", &["**/*.py", "!main.py"]);
    assert_eq!(
        matched_paths(&ctx, &m),
        vec!["src", "src/main.py", "src/notes.md", "src/util"]
    );
}

#[test]
fn parents_flag() {
    let (_d, ctx) = project("");
    let opts = SourceOptions {
        excludes: &[],
        parents: true,
    };
    let m = resolve_source_with(&ctx, "app/**/x", &opts);
    assert_eq!(matched_paths(&ctx, &m), vec!["app/a/x", "app/b/c/x"]);
    let m = resolve_source_with(&ctx, "./src/util/helpers.py", &opts);
    assert_eq!(matched_paths(&ctx, &m), vec!["src/util/helpers.py"]);
    // Pivot point: only the part after /./ is kept, but the match is the same set.
    let m = resolve_source_with(&ctx, "src/./util", &opts);
    assert_eq!(
        matched_paths(&ctx, &m),
        vec!["src/util", "src/util/helpers.py"]
    );
    assert_eq!(
        resolve_source_with(&ctx, "nope/**/x", &opts),
        SourceMatch::Missing { wildcard: true }
    );
    let ex = SourceOptions {
        excludes: &["b"],
        parents: true,
    };
    let m = resolve_source_with(&ctx, "app/./**/x", &ex);
    assert_eq!(matched_paths(&ctx, &m), vec!["app/a/x"]);
}

#[test]
fn outside_context_and_remote() {
    let (_d, ctx) = project("");
    assert_eq!(
        resolve_source(&ctx, "../secret", &[]),
        SourceMatch::OutsideContext {
            clamped: "secret".into()
        }
    );
    assert_eq!(
        resolve_source(&ctx, "src/../../x", &[]),
        SourceMatch::OutsideContext {
            clamped: "x".into()
        }
    );
    // Inside after cleaning: fine.
    let m = resolve_source(&ctx, "src/../README.md", &[]);
    assert_eq!(matched_paths(&ctx, &m), vec!["README.md"]);
    // Absolute paths cannot climb: /../README.md is the root's README.md.
    let m = resolve_source(&ctx, "/../README.md", &[]);
    assert_eq!(matched_paths(&ctx, &m), vec!["README.md"]);
    assert_eq!(
        resolve_source(&ctx, "https://example.com/a.tar.gz", &[]),
        SourceMatch::Remote(RemoteKind::Http)
    );
    assert_eq!(
        resolve_source(&ctx, "https://github.com/moby/buildkit.git#v0.10.1", &[]),
        SourceMatch::Remote(RemoteKind::Git)
    );
    assert_eq!(
        resolve_source(&ctx, "git@github.com:moby/buildkit.git", &[]),
        SourceMatch::Remote(RemoteKind::Git)
    );
    assert_eq!(
        resolve_source(&ctx, "github.com/moby/buildkit", &[]),
        SourceMatch::Missing { wildcard: false }
    );
}

#[test]
fn dockerfile_specific_ignore_file_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "a.log", "x");
    write(r, "b.txt", "x");
    write(r, ".dockerignore", "*.txt\n");
    write(r, "build/app.Dockerfile", "FROM scratch\n");
    write(r, "build/app.Dockerfile.dockerignore", "*.log\n");
    let ctx = Context::load(r, Some(&r.join("build/app.Dockerfile"))).unwrap();
    assert!(ctx.is_excluded("a.log"));
    assert!(!ctx.is_excluded("b.txt"));
    let ctx = Context::load(r, None).unwrap();
    assert!(!ctx.is_excluded("a.log"));
    assert!(ctx.is_excluded("b.txt"));
}

#[test]
fn walk_agrees_with_is_excluded() {
    let (_d, ctx) = project(
        "node_modules\n!node_modules/keep.js\nsecrets\n**/*.md\n!README.md\napp/*\n!app/b/c\n",
    );
    for f in &ctx.files {
        if !f.is_dir {
            assert!(
                !ctx.is_excluded(&f.rel_path),
                "{} listed but excluded",
                f.rel_path
            );
        }
    }
    for f in &ctx.excluded {
        assert!(
            ctx.is_excluded(&f.rel_path),
            "{} excluded but matcher disagrees",
            f.rel_path
        );
    }
    assert!(paths(&ctx.files).contains(&"app/b/c/x"));
    assert!(!paths(&ctx.files).contains(&"app/a/x"));
}
