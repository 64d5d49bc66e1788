//! Package-manager rules (hadolint's DL30xx codes about installs): answering prompts, pinning
//! versions, recommended packages, cleaning download caches. Every fact about a manager comes
//! from `rules/data/package-managers.toml` (`[manager.lint]`); this module holds the checks the
//! rules share, each driven by that data, so a rule file only names its manager.

mod clean_check;
mod pin_check;
mod yes_check;

pub mod apk_cache_kept;
pub mod apk_unpinned;
pub mod apt_install_recommends;
pub mod apt_interactive;
pub mod apt_lists_not_deleted;
pub mod apt_no_yes;
pub mod apt_unpinned;
pub mod dnf_cache_kept;
pub mod dnf_no_yes;
pub mod dnf_unpinned;
pub mod gem_unpinned;
pub mod go_unpinned;
pub mod npm_unpinned;
pub mod pip_cache_dir_kept;
pub mod pip_unpinned;
pub mod yarn_cache_kept;
pub mod yum_cache_kept;
pub mod yum_no_yes;
pub mod yum_unpinned;
pub mod zypper_cache_kept;
pub mod zypper_dist_upgrade;
pub mod zypper_no_yes;
pub mod zypper_unpinned;

use crate::analysis::installs::{CacheUse, Installs};
use crate::analysis::mounts::normalize;
use crate::diagnostic::{Diagnostic, Edit, Fix, RuleMeta};
use crate::knowledge::{Invocation, Manager, knowledge};
use crate::rules::Context;
use crate::rules::cache::cache_fix::{
    combined, describe, insert_mounts, missing_mounts, missing_setup,
};
use crate::shell::SimpleCommand;
use crate::source::Span;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &apt_lists_not_deleted::AptListsNotDeleted,
    &apt_unpinned::AptUnpinned,
    &pip_unpinned::PipUnpinned,
    &apt_no_yes::AptNoYes,
    &apt_install_recommends::AptInstallRecommends,
    &npm_unpinned::NpmUnpinned,
    &apk_unpinned::ApkUnpinned,
    &apk_cache_kept::ApkCacheKept,
    &apt_interactive::AptInteractive,
    &gem_unpinned::GemUnpinned,
    &yum_no_yes::YumNoYes,
    &yum_cache_kept::YumCacheKept,
    &yum_unpinned::YumUnpinned,
    &zypper_no_yes::ZypperNoYes,
    &zypper_dist_upgrade::ZypperDistUpgrade,
    &zypper_cache_kept::ZypperCacheKept,
    &zypper_unpinned::ZypperUnpinned,
    &dnf_no_yes::DnfNoYes,
    &dnf_cache_kept::DnfCacheKept,
    &dnf_unpinned::DnfUnpinned,
    &pip_cache_dir_kept::PipCacheDirKept,
    &yarn_cache_kept::YarnCacheKept,
    &go_unpinned::GoUnpinned,
];

/// One package-manager command of a RUN, recognised through the knowledge table.
pub(crate) struct PackageCommand<'a> {
    pub instruction: usize,
    /// Index into `Installs::runs`.
    pub run: usize,
    /// Index into that run's commands.
    pub index: usize,
    pub command: &'a SimpleCommand,
    pub argv: Vec<&'a str>,
    pub invocation: Invocation<'static>,
}

impl<'a> PackageCommand<'a> {
    /// The executable as invoked, without its directory (`apt-get`, `microdnf`).
    pub fn executable(&self) -> &'a str {
        let word = self.argv[self.invocation.program];
        word.rsplit('/').next().unwrap_or(word)
    }

    /// The subcommand as written (`install`, `cache clean`), if any.
    pub fn subcommand(&self) -> Option<String> {
        let sub = self.invocation.subcommand.as_ref()?;
        Some(self.argv[sub.start..sub.end].join(" "))
    }

    /// Whether the subcommand, as written, is one of `names`.
    pub fn subcommand_in(&self, names: &[String]) -> bool {
        self.subcommand().is_some_and(|s| names.contains(&s))
    }

    /// The words from the program to the end of the subcommand: where findings point.
    pub fn head_span(&self) -> Span {
        let first = self.command.words[self.invocation.program].span;
        let last = self
            .invocation
            .subcommand
            .as_ref()
            .map_or(first, |s| self.command.words[s.end - 1].span);
        first.cover(last)
    }

    /// The subcommand's last word, where flags are inserted after.
    pub fn subcommand_end(&self) -> Option<usize> {
        let sub = self.invocation.subcommand.as_ref()?;
        Some(self.command.words[sub.end - 1].span.end)
    }

    /// The text of the command from the program on, for messages.
    pub fn shown(&self) -> String {
        let mut words: Vec<&str> = self.argv[self.invocation.program..].to_vec();
        if words.len() > 4 {
            words.truncate(4);
            words.push("...");
        }
        words.join(" ")
    }

    /// Whether a word after the program is `flag`, `flag=...`, or (for a one-letter `short`)
    /// a group of short flags holding it (`-qy`).
    pub fn has_flag(&self, flags: &[String], short: Option<char>) -> bool {
        self.argv[self.invocation.program + 1..].iter().any(|w| {
            let name = w.split_once('=').map_or(*w, |(n, _)| n);
            flags.iter().any(|f| f == name)
                || short.is_some_and(|c| {
                    w.len() > 2
                        && w.starts_with('-')
                        && !w.starts_with("--")
                        && w[1..].chars().all(|x| x.is_ascii_alphabetic())
                        && w[1..].contains(c)
                })
        })
    }
}

/// Every package-manager command of the file's RUNs, in order, whose manager is `manager`.
pub(crate) fn commands<'a>(ctx: &'a Context, manager: &str) -> Vec<PackageCommand<'a>> {
    let installs: &'a Installs = ctx.installs();
    installs
        .calls
        .iter()
        .filter(|c| c.invocation.manager.name() == manager)
        .map(|c| {
            let command = &installs.runs[c.run].commands[c.command];
            PackageCommand {
                instruction: c.instruction,
                run: c.run,
                index: c.command,
                command,
                argv: command.words.iter().map(|w| w.value.as_str()).collect(),
                invocation: c.invocation.clone(),
            }
        })
        .collect()
}

/// The manager's facts, which the table is validated to have for the rules that use them.
pub(crate) fn manager(name: &str) -> &'static Manager {
    knowledge()
        .manager(name)
        .unwrap_or_else(|| panic!("rules/data/package-managers.toml has no manager {name}"))
}

pub(crate) fn diagnostic(meta: &RuleMeta, span: Span, message: String) -> Diagnostic {
    Diagnostic::new(meta.code, meta.name, meta.default_severity, span, message)
}

/// A fix that inserts ` flag` right after the command's subcommand.
pub(crate) fn insert_after_subcommand(
    cmd: &PackageCommand,
    flag: &str,
    safe: bool,
    description: String,
) -> Option<Fix> {
    let at = cmd.subcommand_end()?;
    let edits = vec![Edit::insert(at, format!(" {flag}"))];
    Some(if safe {
        Fix::safe(description, edits)
    } else {
        Fix::unsafe_(description, edits)
    })
}

/// The cache use of this command, as the cache analysis sees it (installs and refreshes).
pub(crate) fn cache_use<'a>(ctx: &'a Context, cmd: &PackageCommand) -> Option<&'a CacheUse> {
    ctx.installs()
        .uses
        .iter()
        .find(|u| u.run == cmd.run && u.command == cmd.index)
}

/// The cache rules' fix for a use: cache mounts at its unmounted cache directories, with the
/// setup the manager needs for them to keep anything. None when no mount can be written.
pub(crate) fn mount_fix(ctx: &Context, use_: &CacheUse, caveat: Option<&str>) -> Option<Fix> {
    let plans = missing_mounts(use_);
    if plans.is_empty() {
        return None;
    }
    let manager = use_.manager();
    let inst = &ctx.syntax.instructions[use_.instruction];
    // Only the setup that matters for the caches being mounted (apt's docker-clean is about
    // its archives, not the lists `apt-get update` fills).
    let mounted = |id: &str| {
        manager.cache(id).is_some_and(|c| {
            let dir = normalize(&manager.cache_dir(c, &use_.home, &|_| None));
            plans.iter().any(|p| p.target == dir)
        })
    };
    let setup = missing_setup(ctx, use_.instruction, manager, &mounted);
    let mut edits: Vec<Edit> = insert_mounts(inst, &plans).into_iter().collect();
    // Every install of this manager in the RUN fills the mount, so each gets the flags. No
    // place for the setup commands: no fix rather than a mount that keeps nothing.
    let same_run = ctx
        .installs()
        .uses
        .iter()
        .filter(|u| u.run == use_.run && std::ptr::eq(u.manager(), manager));
    edits.extend(setup.edits(ctx, inst, same_run)?);
    let setup_caveat = setup.caveat().map(|c| format!("it also {c}"));
    let (applicability, mut caveats) = combined(&plans, setup_caveat);
    let applicability = match caveat {
        Some(c) => {
            caveats.push(c.to_string());
            crate::diagnostic::Applicability::Unsafe
        }
        None => applicability,
    };
    let targets: Vec<&str> = plans.iter().map(|p| p.target.as_str()).collect();
    Some(Fix::new(
        applicability,
        describe(
            &format!(
                "keep the downloads in a cache mount at {} instead of the layer{}",
                targets.join(", "),
                setup.flags_note()
            ),
            &caveats,
        ),
        edits,
    ))
}
