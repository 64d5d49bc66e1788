//! Rules about the shell scripts of RUN (hadolint's rules that read commands): they read the
//! commands through `analysis::runs`, heredoc bodies included, under the SHELL in effect.

pub mod cd_instead_of_workdir;
pub mod curl_and_wget;
pub mod pipe_without_pipefail;
pub mod pointless_commands;
pub mod relink_sh;
pub mod sudo;
pub mod useradd_high_uid;
pub mod wget_progress;

use crate::analysis::runs::Run;
use crate::rules::Context;
use crate::shell::SimpleCommand;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &pointless_commands::PointlessCommands,
    &cd_instead_of_workdir::CdInsteadOfWorkdir,
    &sudo::Sudo,
    &useradd_high_uid::UseraddHighUid,
    &wget_progress::WgetProgress,
    &curl_and_wget::CurlAndWget,
    &relink_sh::RelinkSh,
    &pipe_without_pipefail::PipeWithoutPipefail,
];

/// Every RUN's commands (POSIX shell form, heredoc scripts included).
pub(crate) fn runs<'a>(ctx: &'a Context) -> &'a [Run] {
    ctx.runs()
}

/// The command's name without its directory (`/usr/bin/wget` is `wget`).
pub(crate) fn base_name(command: &SimpleCommand) -> Option<&str> {
    command.name().map(|n| n.rsplit('/').next().unwrap_or(n))
}

/// Whether `command` has one of the long options `long` (`--name` or `--name=...`) or a short
/// option letter of `short` (alone or in a cluster such as `-qO`).
pub(crate) fn has_option(command: &SimpleCommand, short: &[char], long: &[&str]) -> bool {
    command.args().iter().any(|w| {
        let v = w.value.as_str();
        if let Some(name) = v.strip_prefix("--") {
            let name = name.split('=').next().unwrap_or(name);
            long.contains(&name)
        } else if let Some(cluster) = v.strip_prefix('-') {
            // The letters before any value glued to the cluster (`-qO-`, `-u1000`).
            let letters = cluster
                .split(|c: char| !c.is_ascii_alphabetic())
                .next()
                .unwrap_or("");
            letters.chars().any(|c| short.contains(&c))
        } else {
            false
        }
    })
}
