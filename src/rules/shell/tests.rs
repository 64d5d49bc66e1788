//! Tests of the bridge that need no ShellCheck: scripts and their map back to the file.

use super::script::{Dialect, scripts};
use crate::analysis::{model::Model, runs};

fn build(text: &str) -> Vec<super::script::ShellScript> {
    let df = crate::syntax::parse(text);
    let model = Model::build(&df);
    let runs = runs::analyse(&df, &model);
    scripts(text, &df, &model, &runs)
}

#[test]
fn dialects() {
    assert_eq!(Dialect::of_program("/bin/bash"), Some(Dialect::Bash));
    assert_eq!(Dialect::of_program("C:\\bin\\sh.exe"), Some(Dialect::Sh));
    assert_eq!(Dialect::of_program("pwsh"), None);
    assert_eq!(Dialect::of_program("/bin/zsh"), None);
    assert_eq!(
        Dialect::of_shebang("/usr/bin/env -S bash -e"),
        Some(Dialect::Bash)
    );
    assert_eq!(Dialect::of_shebang("/bin/busybox sh"), Some(Dialect::Sh));
    assert_eq!(Dialect::of_shebang("/usr/bin/python3"), None);
}

/// The file text of the script range that `needle` occupies in the script.
fn mapped<'t>(text: &'t str, script: &super::script::ShellScript, needle: &str) -> &'t str {
    let at = script.text.find(needle).expect("needle in script");
    script
        .file_span(at, at + needle.len())
        .expect("mapped")
        .text(text)
}

#[test]
fn command_line_maps_through_continuations_and_comment_lines() {
    let text = "FROM a\nRUN echo $a \\\n  # note\n  && ls $b\n";
    let s = build(text);
    assert_eq!(s.len(), 1);
    assert!(s[0].text.starts_with("#!/bin/sh\n"));
    assert!(
        s[0].text.ends_with("echo $a   && ls $b\n"),
        "{:?}",
        s[0].text
    );
    assert_eq!(mapped(text, &s[0], "$b"), "$b");
    // A range across the join covers the continuation in the file ...
    assert_eq!(
        mapped(text, &s[0], "$a   && ls"),
        "$a \\\n  # note\n  && ls"
    );
    // ... but is not exact, so no fix can edit it.
    let at = s[0].text.find("$a   &&").unwrap();
    assert!(s[0].exact(at, at + 7, false).is_none());
    assert_eq!(s[0].exact(at, at + 2, false).unwrap().span.text(text), "$a");
}

#[test]
fn backtick_escape_and_crlf() {
    let text = "# escape=`\r\nFROM a\r\nRUN echo `\r\n  $x\r\n";
    let s = build(text);
    assert_eq!(s.len(), 1);
    assert!(!s[0].text.contains('\r'), "{:?}", s[0].text);
    assert_eq!(mapped(text, &s[0], "$x"), "$x");
    // Inserting after `echo` at the join sticks to the piece before it.
    let at = s[0].text.find("echo").unwrap() + 4;
    let before = s[0].exact(at, at, true).unwrap().span.start;
    assert_eq!(&text[before - 4..before], "echo");
}

#[test]
fn heredocs_as_data_and_as_scripts() {
    let text = "FROM a\nRUN cat <<EOF > /f\nhello $name\nEOF\nRUN <<EOF\n#!/bin/bash\nset -e\necho $y $HTTP_PROXY\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n";
    let s = build(text);
    assert_eq!(s.len(), 2, "{s:#?}");
    // The command line carries its heredoc, terminator included, as the shell reads it.
    assert!(s[0].text.ends_with("cat <<EOF > /f\nhello $name\nEOF\n"));
    assert_eq!(mapped(text, &s[0], "$name"), "$name");
    // A script body keeps its own shebang first, the variables after it.
    assert!(
        s[1].text.starts_with("#!/bin/bash\nexport "),
        "{:?}",
        s[1].text
    );
    assert_eq!(mapped(text, &s[1], "$y"), "$y");
    let at = s[1].text.find("$y").unwrap();
    assert!(s[1].exact(at, at + 2, false).unwrap().in_heredoc);
}

#[test]
fn shells_decide_the_dialect_or_skip() {
    let text = "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo a\nRUN [\"echo\", \"exec form\"]\nSHELL [\"pwsh\", \"-Command\"]\nRUN Write-Host $x\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN echo %x%\nSHELL [\"/bin/zsh\", \"-c\"]\nRUN echo zsh\nSHELL [\"/bin/ash\", \"-c\"]\nRUN echo ash\n";
    let s = build(text);
    let heads: Vec<&str> = s.iter().map(|s| s.text.lines().next().unwrap()).collect();
    assert_eq!(heads, ["#!/bin/bash", "#!/bin/ash"]);
}

#[test]
fn variables_of_the_stage_and_its_parents() {
    let text = "ARG GLOBAL=1\nFROM a AS base\nENV FROM_ENV=1 UNUSED=1\nARG FROM_ARG\nFROM b AS other\nARG UNRELATED\nFROM base\nARG OWN\nRUN echo $FROM_ENV ${FROM_ARG} ${#OWN} ${HTTP_PROXY:-x} $no_proxy $GLOBAL $UNRELATED $LATER $UNUSED_TOO\nENV LATER=1\n";
    let s = build(text);
    let exported: Vec<&str> = s[0]
        .text
        .lines()
        .filter_map(|l| l.strip_prefix("export ")?.strip_suffix("=1"))
        .collect();
    for name in ["FROM_ENV", "FROM_ARG", "OWN", "HTTP_PROXY", "no_proxy"] {
        assert!(exported.contains(&name), "{name} missing from {exported:?}");
    }
    for name in ["GLOBAL", "UNRELATED", "LATER"] {
        assert!(!exported.contains(&name), "{name} must not be known");
    }
    // With few variables in effect, all are declared, as hadolint does.
    assert!(exported.contains(&"UNUSED"), "{exported:?}");
    assert!(exported.contains(&"https_proxy"), "{exported:?}");
}

#[test]
fn with_thousands_of_variables_only_the_mentioned_are_declared() {
    let mut text = String::from("FROM a AS base\nARG PARENT_ARG\nFROM base\n");
    for i in 0..600 {
        text.push_str(&format!("ENV V{i}=1\n"));
    }
    text.push_str("RUN echo $V7 ${PARENT_ARG} $NOT_SET\n");
    let s = build(&text);
    let exported: Vec<&str> = s[0]
        .text
        .lines()
        .filter_map(|l| l.strip_prefix("export ")?.strip_suffix("=1"))
        .collect();
    assert_eq!(exported, ["PARENT_ARG", "V7"]);
}

#[test]
fn nothing_of_dlints_own_lines_maps_to_the_file() {
    let text = "FROM a\nENV X=1\nRUN echo $X\n";
    let s = build(text);
    assert!(s[0].file_span(0, 3).is_none());
    let prelude = s[0].text.find("export X=1").unwrap();
    assert!(s[0].file_span(prelude, prelude + 6).is_none());
}

#[test]
fn onbuild_run_is_a_script_too() {
    let text = "FROM a\nONBUILD RUN echo $x \\\n  && ls\nONBUILD COPY . .\n";
    let s = build(text);
    assert_eq!(s.len(), 1);
    assert_eq!(mapped(text, &s[0], "$x"), "$x");
}
