//! DC011 git-clone-cached: `RUN git clone` of a branch. BuildKit keys a RUN on its text, so
//! the layer keeps the commit it first got and never fetches again until something above it
//! changes; another machine, with another cache, gets another commit.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::shell::SimpleCommand;

crate::declare_rule! {
    pub struct GitCloneCached {
        code: "DC011",
        name: "git-clone-cached",
        summary: "`RUN git clone` of a branch is cached by the RUN's text: the layer keeps whatever commit it first got.",
        severity: Warning,
        fixable: false,
    }
}

/// git's clone options that take the next word as their value.
const CLONE_OPTIONS_WITH_VALUE: &[&str] = &[
    "-b",
    "--branch",
    "-o",
    "--origin",
    "-c",
    "--config",
    "--depth",
    "--reference",
    "--reference-if-able",
    "-j",
    "--jobs",
    "-u",
    "--upload-pack",
    "--template",
    "--separate-git-dir",
    "--shallow-since",
    "--shallow-exclude",
    "--filter",
    "--server-option",
];

/// git's global options (before the subcommand) that take a value.
const GLOBAL_OPTIONS_WITH_VALUE: &[&str] = &["-C", "-c", "--git-dir", "--work-tree", "--namespace"];

impl Rule for GitCloneCached {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for run in &ctx.installs().runs {
            for (i, command) in run.commands.iter().enumerate() {
                let Some(clone) = git_subcommand(command, "clone") else {
                    continue;
                };
                let args = &command.words[clone + 1..];
                let (url, branch) = clone_url_and_branch(args);
                let Some(url) = url else { continue };
                // A commit, a version tag or a build arg picks what is fetched: the RUN's text
                // (with its build args) then names the content, and caching it is right.
                if branch.is_some_and(pins)
                    || run.commands[i + 1..].iter().any(checks_out_a_pinned_ref)
                {
                    continue;
                }
                let what = match branch {
                    Some(b) => format!("branch `{b}`"),
                    None => "the default branch".to_string(),
                };
                out.push(
                    Diagnostic::new(
                        meta.code,
                        meta.name,
                        meta.default_severity,
                        command.span,
                        format!(
                            "`git clone` of {what} of {url} is cached by the RUN's text: the layer keeps the commit it first got and never fetches again until a step above it changes, and a build elsewhere gets whatever the branch holds then"
                        ),
                    )
                    .with_help(
                        "pin what is fetched: `git checkout <commit>` after the clone, `--branch <tag>`, a build arg (`--branch \"$REF\"`), or `ADD <url>.git#<ref> <dir>`, which BuildKit keys on the commit",
                    ),
                );
            }
        }
    }
}

/// The argv index of git's subcommand when it is `name` (after git's global options).
fn git_subcommand(command: &SimpleCommand, name: &str) -> Option<usize> {
    let words = &command.words;
    let program = words.first()?.value.as_str();
    if program.rsplit('/').next() != Some("git") {
        return None;
    }
    let mut i = 1;
    while let Some(word) = words.get(i) {
        let w = word.value.as_str();
        if GLOBAL_OPTIONS_WITH_VALUE.contains(&w) {
            i += 2;
        } else if w.starts_with('-') {
            i += 1;
        } else {
            return (w == name).then_some(i);
        }
    }
    None
}

/// The repository operand of a `git clone` and its `--branch`, if any.
fn clone_url_and_branch(args: &[crate::shell::Word]) -> (Option<&str>, Option<&str>) {
    let mut url = None;
    let mut branch = None;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let w = word.value.as_str();
        if w == "-b" || w == "--branch" {
            branch = args.get(i + 1).map(|v| v.value.as_str());
            i += 2;
        } else if let Some(v) = w.strip_prefix("--branch=") {
            branch = Some(v);
            i += 1;
        } else if CLONE_OPTIONS_WITH_VALUE.contains(&w) {
            i += 2;
        } else if w.starts_with('-') {
            i += 1;
        } else {
            url.get_or_insert(w);
            i += 1;
        }
    }
    (url, branch)
}

/// A ref that names fixed content: a commit id, a version tag (`v1.2.3`, `1.2`), or a
/// variable (a build arg, part of the cache key).
fn pins(reference: &str) -> bool {
    let r = reference.trim_matches(['"', '\'']);
    r.contains('$')
        || (r.len() >= 7 && r.len() <= 40 && r.chars().all(|c| c.is_ascii_hexdigit()))
        || r.strip_prefix(['v', 'V'])
            .unwrap_or(r)
            .starts_with(|c: char| c.is_ascii_digit())
}

/// `git checkout <pinned>`, `git reset --hard <pinned>`, `git switch --detach <pinned>`.
fn checks_out_a_pinned_ref(command: &SimpleCommand) -> bool {
    ["checkout", "reset", "switch"].iter().any(|sub| {
        git_subcommand(command, sub).is_some_and(|i| {
            command.words[i + 1..]
                .iter()
                .any(|w| !w.value.starts_with('-') && pins(&w.value))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_refs() {
        for yes in ["v1.2.3", "1.4", "3f2a9c1", "$REF", "\"${VERSION}\""] {
            assert!(pins(yes), "{yes}");
        }
        for no in ["main", "master", "develop", "release"] {
            assert!(!pins(no), "{no}");
        }
    }
}
