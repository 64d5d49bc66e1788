//! Recognising scripts run by another shell: `sh -c '...'`, `su -c '...'`, heredoc shebangs.

use super::word::Word;

/// Interpreters whose script language is (close enough to) POSIX sh.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"];

fn is_shell(program: &str) -> bool {
    SHELLS.contains(&program)
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// For a command that runs a script string in a new shell, the index of the word holding the
/// script and the offset where the script starts in that word's value.
///
/// Recognises `sh`/`bash`/`dash`/`ash`/`zsh`/`ksh`/`mksh` (by base name, so `/bin/sh` too)
/// with `-c` in any flag cluster (`-ec`, `-euxo pipefail -c`), optionally behind `busybox`
/// or the wrappers `exec`, `nohup`, `time`, `command`, `env`, `sudo`, `gosu USER`,
/// `su-exec USER`; and `su`/`runuser` with `-c SCRIPT`, `--command SCRIPT` or
/// `--command=SCRIPT`.
pub(crate) fn nested_script(words: &[Word]) -> Option<(usize, usize)> {
    let program = skip_wrappers(words)?;
    let name = basename(&words[program].value);
    match name {
        "su" | "runuser" => su_script(words, program + 1),
        "busybox" if words.get(program + 1).is_some_and(|w| is_shell(&w.value)) => {
            shell_script(words, program + 2)
        }
        _ if is_shell(name) => shell_script(words, program + 1),
        _ => None,
    }
}

/// Index of the first word after command wrappers and their options.
fn skip_wrappers(words: &[Word]) -> Option<usize> {
    let mut at = 0;
    loop {
        let word = words.get(at)?;
        at += 1;
        match basename(&word.value) {
            "exec" | "nohup" | "time" | "command" => at = skip_options(words, at, &["-a"]),
            "env" => {
                at = skip_options(words, at, &["-u", "-C", "--unset", "--chdir"]);
                while words.get(at).is_some_and(|w| is_env_assignment(&w.value)) {
                    at += 1;
                }
            }
            "sudo" => {
                let takes_value = ["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U"];
                at = skip_options(words, at, &takes_value);
            }
            "gosu" | "su-exec" => at += 1,
            _ => return Some(at - 1),
        }
    }
}

fn is_env_assignment(value: &str) -> bool {
    value
        .split_once('=')
        .is_some_and(|(name, _)| !name.is_empty() && !name.starts_with('-'))
}

/// Skips `-x`-style options from `at`; those in `takes_value` also skip their argument.
fn skip_options(words: &[Word], mut at: usize, takes_value: &[&str]) -> usize {
    while let Some(word) = words.get(at) {
        let value = word.value.as_str();
        if value == "--" {
            return at + 1;
        }
        if !value.starts_with('-') || value == "-" {
            break;
        }
        at += if takes_value.contains(&value) { 2 } else { 1 };
    }
    at
}

/// `sh [options] -c SCRIPT [name [args]]`: the script is the first operand after the options
/// once `c` appeared in a flag cluster. `-o`/`+o` and `-O`/`+O` take an option name.
fn shell_script(words: &[Word], mut at: usize) -> Option<(usize, usize)> {
    let mut has_command_flag = false;
    while let Some(word) = words.get(at) {
        let value = word.value.as_str();
        at += 1;
        if value == "--" || value == "-" {
            break;
        }
        if let Some(long) = value.strip_prefix("--") {
            if matches!(long, "rcfile" | "init-file") {
                at += 1;
            }
            continue;
        }
        let Some(cluster) = value.strip_prefix(['-', '+']) else {
            return has_command_flag.then_some((at - 1, 0));
        };
        has_command_flag |= cluster.contains('c');
        at += cluster.chars().filter(|c| matches!(c, 'o' | 'O')).count();
    }
    if has_command_flag && at < words.len() {
        Some((at, 0))
    } else {
        None
    }
}

/// `su [options] [user] -c SCRIPT`: the script follows `-c` (or a cluster ending in `c`).
fn su_script(words: &[Word], from: usize) -> Option<(usize, usize)> {
    for (index, word) in words.iter().enumerate().skip(from) {
        let value = word.value.as_str();
        if let Some(script) = value.strip_prefix("--command=") {
            return Some((index, value.len() - script.len()));
        }
        let is_command_flag = value == "--command"
            || (value.len() > 1
                && value.starts_with('-')
                && !value.starts_with("--")
                && value.ends_with('c'));
        if is_command_flag {
            return (index + 1 < words.len()).then_some((index + 1, 0));
        }
    }
    None
}

/// Whether a heredoc body (`RUN <<EOF ... EOF`) is a shell script: true without a shebang or
/// with one naming a shell (`#!/bin/sh`, `#!/usr/bin/env bash`, `#!/bin/busybox sh`), false
/// for any other interpreter (`#!/usr/bin/env python3`, `#!/usr/bin/perl -w`, ...).
pub fn heredoc_is_shell(body: &str) -> bool {
    let Some(shebang) = body.strip_prefix("#!") else {
        return true;
    };
    let line = shebang.lines().next().unwrap_or_default();
    let mut tokens = line.split_whitespace();
    let Some(interpreter) = tokens.next() else {
        return true;
    };
    let mut program = basename(interpreter);
    if program == "env" {
        // `env [-S] [-i] [NAME=value]... program`
        let Some(next) = tokens.find(|t| !t.starts_with('-') && !is_env_assignment(t)) else {
            return true;
        };
        program = basename(next);
    }
    if program == "busybox" {
        return tokens.next().is_none_or(is_shell);
    }
    is_shell(program)
}
