//! The shared check of the pinning rules (DL3008, DL3013, DL3016, DL3018, DL3028, DL3033,
//! DL3037, DL3041, DL3062): every package an install names carries a version, written the
//! way the manager's `[manager.lint.pin]` data says. Versions given through ARG or ENV are
//! read through the variables in effect; what dlint cannot resolve is not reported. Local
//! files, paths, a target release, and requirement, constraint or lock files decide the
//! version themselves and are not findings.

use super::{PackageCommand, commands, diagnostic, manager};
use crate::analysis::model::expand;
use crate::diagnostic::{Diagnostic, RuleMeta};
use crate::knowledge::{PinPolicy, is_local_path};
use crate::rules::Context;
use std::collections::HashMap;

pub(super) fn check(meta: &RuleMeta, ctx: &Context, name: &str, out: &mut Vec<Diagnostic>) {
    let Some(policy) = &manager(name).lint().pin else {
        return;
    };
    for cmd in commands(ctx, name) {
        if !cmd.subcommand_in(&policy.commands)
            || cmd.has_flag(&policy.file_flags, None)
            || cmd.has_flag(&policy.release_flags, None)
            || cmd.has_flag(&policy.version_flags, None)
        {
            continue;
        }
        let unpinned = unpinned(ctx, &cmd, policy);
        let Some(&(first, _)) = unpinned.first() else {
            continue;
        };
        let names: Vec<String> = unpinned.iter().map(|(_, n)| format!("`{n}`")).collect();
        let span = cmd.command.words[first].span;
        out.push(diagnostic(
            meta,
            span,
            format!(
                "`{}` installs {} without a fixed version: pin {}",
                cmd.shown(),
                names.join(", "),
                if names.len() == 1 { "it" } else { "them" }
            ),
        ));
    }
}

/// The package operands without a version: (argv index, the package as resolved).
fn unpinned(ctx: &Context, cmd: &PackageCommand, policy: &PinPolicy) -> Vec<(usize, String)> {
    let state = &ctx.model.states[cmd.instruction];
    // Shell variables set earlier in the same RUN (`deps='a b'; apt-get install $deps`),
    // over the ENV and ARG variables in effect.
    let mut locals: HashMap<&str, String> = HashMap::new();
    for earlier in &ctx.installs().runs[cmd.run].commands[..cmd.index] {
        // Assignments alone, or before a special builtin (`deps='a b' set -x`), stay set.
        let special = matches!(earlier.name(), Some("set" | ":" | "readonly" | "eval"));
        if !earlier.words.is_empty() && !earlier.is_export() && !special {
            continue;
        }
        for a in &earlier.assignments {
            if let Some(value) = &a.value {
                let lookup = |n: &str| {
                    locals
                        .get(n)
                        .cloned()
                        .or_else(|| state.var(n).map(str::to_string))
                };
                let expanded = expand(&value.value, &lookup);
                locals.insert(a.name.as_str(), expanded);
            }
        }
    }
    let lookup = |n: &str| {
        locals
            .get(n)
            .cloned()
            .or_else(|| state.var(n).map(str::to_string))
    };
    let mut out = Vec::new();
    for &i in &cmd.invocation.packages {
        if cmd.invocation.flag_packages.contains(&i) {
            continue;
        }
        let word = &cmd.command.words[i];
        let value = if word.is_literal {
            word.value.clone()
        } else {
            expand(&word.value, &lookup)
        };
        // A command substitution or a variable dlint cannot resolve: the package is unknown.
        if value.contains('$') || value.contains('`') {
            continue;
        }
        // An unquoted variable may hold several packages.
        for package in value.split_whitespace() {
            if !pinned(package, policy) {
                out.push((i, package.to_string()));
            }
        }
    }
    out
}

/// Whether `package` carries a version (or needs none: a local file or a path).
pub(crate) fn pinned(package: &str, policy: &PinPolicy) -> bool {
    if package.starts_with('-') || is_local_path(package) {
        return true;
    }
    if let Some((_, rest)) = package.split_once("://") {
        // A URL: an archive is one version; a repository needs a ref (`#v1`, `@v1`).
        let archive = [".tar.gz", ".tgz", ".tar", ".zip", ".whl"];
        return archive.iter().any(|a| rest.ends_with(a)) || rest.contains(['#', '@']);
    }
    let name = if policy.scoped_names && package.starts_with('@') {
        package.split_once('/').map_or("", |(_, n)| n)
    } else {
        package
    };
    for mark in &policy.marks {
        if let Some(at) = name.find(mark.as_str()) {
            let version = &name[at + mark.len()..];
            let floating = policy
                .floating
                .iter()
                .any(|f| version.eq_ignore_ascii_case(f));
            return !version.is_empty() && !floating;
        }
    }
    policy.dash_version && dash_version(name)
}

/// `name-1.2.3-4.el9`: after some dash, every part is version-like and one starts with a digit.
fn dash_version(package: &str) -> bool {
    let parts: Vec<&str> = package.split('-').collect();
    (1..parts.len()).any(|from| {
        let rest = &parts[from..];
        rest[0].starts_with(|c: char| c.is_ascii_digit())
            && rest.iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::pinned;
    use crate::knowledge::knowledge;

    fn pin(manager: &str, package: &str) -> bool {
        let policy = knowledge().manager(manager).unwrap().lint().pin.as_ref();
        pinned(package, policy.unwrap())
    }

    #[test]
    fn versions_as_each_manager_writes_them() {
        assert!(pin("apt", "curl=7.88.1-10"));
        assert!(pin("apt", "curl/bookworm-backports"));
        assert!(!pin("apt", "curl"));
        assert!(pin("pip", "flask>=2,<3"));
        assert!(pin("pip", "git+https://github.com/psf/requests@v2.31.0"));
        assert!(!pin("pip", "git+https://github.com/psf/requests"));
        assert!(!pin("pip", "flask[async]"));
        assert!(pin("npm", "@angular/cli@17.3.0"));
        assert!(!pin("npm", "@angular/cli"));
        assert!(!pin("npm", "pnpm@latest"));
        assert!(pin("apk", "curl~8.5"));
        assert!(pin("gem", "rails:7.1.3"));
        assert!(pin("dnf", "httpd-2.4.59-1.fc40"));
        assert!(!pin("dnf", "python3-devel"));
        assert!(!pin("yum", "httpd-"));
        assert!(pin("go", "golang.org/x/tools/gopls@v0.15.3"));
        assert!(!pin("go", "golang.org/x/tools/gopls@latest"));
        assert!(!pin("go", "golang.org/x/tools/gopls"));
        // Local files and paths are one version.
        assert!(pin("apt", "./pkg.deb"));
        assert!(pin("pip", "dist/app-1.0-py3-none-any.whl"));
        assert!(pin("go", "./cmd/server"));
    }
}
