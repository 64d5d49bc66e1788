//! Table-driven `.dockerignore` cases, written from Docker's documented
//! behaviour and the known behaviour of moby/patternmatcher as used by
//! BuildKit.

use crate::context::dockerignore::DockerIgnore;
use crate::context::find_ignore_file;

/// (ignore file text, path, expected excluded?, reason)
const CASES: &[(&str, &str, bool, &str)] = &[
    // --- basic globbing (Go filepath.Match) ---
    ("*.md", "README.md", true, "* matches a name at the root"),
    (
        "*.md",
        "docs/README.md",
        false,
        "* never crosses '/', patterns are anchored at the root",
    ),
    (
        "*.txt",
        ".hidden.txt",
        true,
        "* matches a leading dot, unlike shell globs",
    ),
    ("temp?", "tempa", true, "docs: ? matches one character"),
    ("temp?", "temp", false, "? needs exactly one character"),
    ("temp?", "tempab", false, "? matches only one character"),
    ("a?c", "a/c", false, "? never matches '/'"),
    (
        "*/temp*",
        "somedir/temporary.txt",
        true,
        "docs: temp* in any immediate subdirectory",
    ),
    (
        "*/temp*",
        "somedir/temp",
        true,
        "docs: also matches directories",
    ),
    (
        "*/temp*",
        "temp.txt",
        false,
        "*/ requires one directory level",
    ),
    (
        "*/*/temp*",
        "somedir/subdir/temporary.txt",
        true,
        "docs: two levels below the root",
    ),
    (
        "*/*/temp*",
        "somedir/temporary.txt",
        false,
        "two levels required",
    ),
    (
        "*",
        "a/b",
        true,
        "* matches the top-level dir a, which excludes its contents",
    ),
    ("[abc].txt", "b.txt", true, "character class"),
    ("[a-c].txt", "d.txt", false, "range excludes d"),
    ("[^a-c].txt", "d.txt", true, "^ negates a class"),
    (
        "[!a].txt",
        "!.txt",
        true,
        "! is a plain character in Go classes, not negation",
    ),
    (
        "[!a].txt",
        "b.txt",
        false,
        "! is a plain character in Go classes, not negation",
    ),
    ("\\*.txt", "*.txt", true, "backslash escapes *"),
    ("\\*.txt", "a.txt", false, "escaped * is literal"),
    ("a.b", "axb", false, ". is literal, not a regexp wildcard"),
    (
        "a+b(c)",
        "a+b(c)",
        true,
        "regexp metacharacters are literal",
    ),
    ("a b", "a b", true, "inner spaces are kept"),
    // --- ** ---
    (
        "**/*.go",
        "a/b/c.go",
        true,
        "docs: ** matches any number of directories",
    ),
    (
        "**/*.go",
        "main.go",
        true,
        "docs: ** matches zero directories",
    ),
    ("**", "anything/deep/x", true, "** alone matches everything"),
    (
        "**/node_modules",
        "a/b/node_modules/x.js",
        true,
        "** dir match excludes contents",
    ),
    (
        "**/node_modules",
        "node_modules/x.js",
        true,
        "**/name matches name at the root",
    ),
    ("**/foo", "barfoo", false, "**/foo needs a '/' boundary"),
    (
        "**foo",
        "a/barfoo",
        true,
        "patternmatcher fast path: **literal is a plain suffix test",
    ),
    (
        "foo/**",
        "foo/x/y",
        true,
        "dir/** matches everything below dir",
    ),
    (
        "foo/**",
        "foo",
        false,
        "dir/** does not match the directory itself",
    ),
    ("foo/**", "foobar/x", false, "dir/** requires the '/'"),
    (
        "foo**",
        "foobar/x",
        true,
        "patternmatcher fast path: literal** is a plain prefix test",
    ),
    (
        "a/**/b",
        "a/b",
        true,
        "** in the middle may match zero directories",
    ),
    (
        "a/**/b",
        "a/x/y/b",
        true,
        "** in the middle spans directories",
    ),
    (
        "a/**/b",
        "a/xb",
        false,
        "** in the middle keeps the '/' boundary",
    ),
    (
        "dir/*",
        "dir/sub/file",
        true,
        "dir/* matches dir/sub, excluding its contents",
    ),
    ("dir/*", "dir", false, "dir/* does not match dir"),
    // --- path cleaning ---
    (
        "/foo/bar",
        "foo/bar",
        true,
        "docs: leading / is the context root",
    ),
    ("foo/bar", "foo/bar", true, "docs: relative pattern"),
    (
        "foo/bar",
        "bar",
        false,
        "docs: foo/bar excludes nothing else",
    ),
    (
        "foo/bar",
        "x/foo/bar",
        false,
        "patterns are anchored at the root",
    ),
    (
        "foo",
        "foo/bar/baz.txt",
        true,
        "a matched directory excludes everything below it",
    ),
    ("foo/", "foo/x", true, "trailing / is cleaned away"),
    ("./foo", "foo", true, "./ is cleaned away"),
    ("a//b", "a/b", true, "double slashes are cleaned"),
    ("a/../b", "b", true, ".. is cleaned lexically"),
    (
        "../b",
        "b",
        false,
        "a leading .. survives cleaning and never matches",
    ),
    (".", "x", false, "docs: the pattern . is ignored"),
    (
        "*.md",
        "./README.md",
        true,
        "the queried path is cleaned too",
    ),
    // --- comments, whitespace, BOM, CRLF ---
    (
        "# comment",
        "# comment",
        false,
        "# in column 1 is a comment",
    ),
    (
        " # not a comment",
        "# not a comment",
        true,
        "# after leading space is a pattern",
    ),
    (
        "  *.log  ",
        "x.log",
        true,
        "surrounding whitespace is trimmed",
    ),
    (
        "*.log\n!  keep.log",
        "keep.log",
        false,
        "whitespace after ! is trimmed",
    ),
    (
        "\u{feff}*.tmp",
        "x.tmp",
        true,
        "UTF-8 BOM on the first line is dropped",
    ),
    ("*.tmp\r\n*.bak\r\n", "x.bak", true, "CRLF line endings"),
    ("\n\n*.tmp\n\n", "x.tmp", true, "blank lines are skipped"),
    // --- exceptions, last match wins ---
    ("*.md\n!README.md", "README.md", false, "docs: exception"),
    (
        "*.md\n!README.md",
        "CHANGELOG.md",
        true,
        "docs: other markdown stays excluded",
    ),
    (
        "*.md\n!README*.md\nREADME-secret.md",
        "README-secret.md",
        true,
        "docs: last match wins",
    ),
    (
        "*.md\n!README*.md\nREADME-secret.md",
        "README-public.md",
        false,
        "docs: exception applies",
    ),
    (
        "*.md\nREADME-secret.md\n!README*.md",
        "README-secret.md",
        false,
        "docs: exception is last",
    ),
    (
        "*\n!src",
        "src/main.rs",
        false,
        "allow-list idiom: exception on a dir re-includes its contents",
    ),
    (
        "*\n!src",
        "Cargo.toml",
        true,
        "allow-list idiom: everything else excluded",
    ),
    (
        "*\n!src/**",
        "src/a/b.rs",
        false,
        "exception with trailing **",
    ),
    (
        "**\n!Dockerfile",
        "Dockerfile",
        false,
        "exclude everything but one file",
    ),
    ("!foo", "foo", false, "an exception alone changes nothing"),
    (
        "foo\n!foo",
        "foo/bar",
        false,
        "exception on the parent re-includes",
    ),
    (
        "docs\n!docs/README.md\ndocs/README.md",
        "docs/README.md",
        true,
        "later exclusion wins",
    ),
    (
        "**/*.go\n!vendor/**",
        "vendor/a.go",
        false,
        "later exception wins",
    ),
    // --- exceptions under excluded directories ---
    (
        "node_modules\n!node_modules/keep.js",
        "node_modules/keep.js",
        false,
        "file re-included under an excluded dir",
    ),
    (
        "node_modules\n!node_modules/keep.js",
        "node_modules/other.js",
        true,
        "siblings stay excluded",
    ),
    (
        "node_modules\n!node_modules/keep.js",
        "node_modules",
        true,
        "the directory itself still matches",
    ),
    (
        "vendor/\n!vendor/pkg/*.go",
        "vendor/pkg/a.go",
        false,
        "wildcard exception below an excluded dir",
    ),
    (
        "vendor/\n!vendor/pkg/*.go",
        "vendor/pkg/sub/a.go",
        true,
        "* in the exception does not cross '/'",
    ),
    (
        "vendor\n!vendor/a",
        "vendor/b/c",
        true,
        "literal exception elsewhere: dir pruned",
    ),
    (
        "d\n!d/f\nd",
        "d/f",
        false,
        "BuildKit carries parent results: the final 'd' only re-tests d/f itself",
    ),
    // --- root ---
    ("*", "", false, "the context root is never excluded"),
    ("*", ".", false, "the context root is never excluded"),
];

#[test]
fn table() {
    assert!(CASES.len() >= 60, "need at least 60 cases");
    let mut failures = Vec::new();
    for (text, path, want, reason) in CASES {
        let ig = DockerIgnore::parse(text);
        assert!(
            ig.errors().is_empty(),
            "unexpected error for {text:?}: {:?}",
            ig.errors()
        );
        let got = ig.is_excluded(path);
        if got != *want {
            failures.push(format!(
                "patterns {text:?} path {path:?}: want {want} got {got} ({reason})"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn invalid_patterns_are_reported_and_skipped() {
    let ig = DockerIgnore::parse("*.log\n!\n[\nfoo\\\n[]a]\n[a-\n*.tmp");
    let lines: Vec<usize> = ig.errors().iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6]);
    assert!(ig.errors()[0].message.contains("illegal exclusion"));
    assert!(ig.is_excluded("a.log"));
    assert!(ig.is_excluded("a.tmp"));
    assert_eq!(ig.patterns().len(), 2);
}

#[test]
fn patterns_keep_line_numbers() {
    let ig = DockerIgnore::parse("# c\n\n*.md\n  !README.md \n/abs/x/\n");
    let p = ig.patterns();
    assert_eq!(p.len(), 3);
    assert_eq!(
        (p[0].line, p[0].pattern.as_str(), p[0].exception),
        (3, "*.md", false)
    );
    assert_eq!(
        (p[1].line, p[1].pattern.as_str(), p[1].exception),
        (4, "README.md", true)
    );
    assert_eq!(p[1].raw, "  !README.md ");
    assert_eq!((p[2].line, p[2].pattern.as_str()), (5, "abs/x"));
}

#[test]
fn deciding_pattern_names_the_line() {
    let ig = DockerIgnore::parse("*.md\n!README*.md\nREADME-secret.md");
    assert_eq!(
        ig.deciding_pattern("README-secret.md").map(|p| p.line),
        Some(3)
    );
    assert_eq!(ig.deciding_pattern("README.md").map(|p| p.line), Some(2));
    assert_eq!(ig.deciding_pattern("x.md").map(|p| p.line), Some(1));
    assert!(ig.deciding_pattern("x.rs").is_none());
}

#[test]
fn pruning_decision() {
    let ig = DockerIgnore::parse("node_modules\nbuild\n!build/keep.txt");
    assert!(ig.can_skip_excluded_dir("node_modules"));
    assert!(!ig.can_skip_excluded_dir("build"));
    let wild = DockerIgnore::parse("node_modules\n!**/package.json");
    assert!(!wild.can_skip_excluded_dir("node_modules"));
    let trailing = DockerIgnore::parse("a\n!a/b/**");
    assert!(!trailing.can_skip_excluded_dir("a"));
    assert!(trailing.can_skip_excluded_dir("c"));
}

#[test]
fn find_ignore_file_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("build")).unwrap();
    std::fs::write(root.join("build/app.Dockerfile"), "FROM scratch\n").unwrap();
    std::fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
    assert_eq!(find_ignore_file(root, &root.join("Dockerfile")), None);

    std::fs::write(root.join(".dockerignore"), "*.log\n").unwrap();
    assert_eq!(
        find_ignore_file(root, &root.join("Dockerfile")),
        Some(root.join(".dockerignore"))
    );
    assert_eq!(
        find_ignore_file(root, &root.join("build/app.Dockerfile")),
        Some(root.join(".dockerignore"))
    );

    std::fs::write(root.join("build/app.Dockerfile.dockerignore"), "*\n").unwrap();
    assert_eq!(
        find_ignore_file(root, &root.join("build/app.Dockerfile")),
        Some(root.join("build/app.Dockerfile.dockerignore"))
    );
    std::fs::write(root.join("Dockerfile.dockerignore"), "*\n").unwrap();
    assert_eq!(
        find_ignore_file(root, &root.join("Dockerfile")),
        Some(root.join("Dockerfile.dockerignore"))
    );
}

#[test]
fn regex_translation_edge_cases() {
    // Rust class operators must keep RE2's literal reading.
    let ig = DockerIgnore::parse("[a&&b]x\n[~-~]y");
    assert!(ig.errors().is_empty(), "{:?}", ig.errors());
    assert!(ig.is_excluded("&x"));
    assert!(!ig.is_excluded("cx"));
    assert!(ig.is_excluded("~y"));
    // patternmatcher hands the class to RE2, which knows POSIX classes.
    let ig = DockerIgnore::parse("[[:alpha:]]");
    assert!(ig.errors().is_empty(), "{:?}", ig.errors());
    assert!(ig.is_excluded("a"));
    assert!(!ig.is_excluded("1"));
    // Non-ASCII names.
    let ig = DockerIgnore::parse("dé?à/*.txt");
    assert!(ig.is_excluded("déjà/x.txt"));
}
