//! Package-manager commands in RUN instructions, and the cache state around each: which
//! directories it caches in for the user and variables in effect, what disables or moves that
//! cache, which cache mounts hold it, and what wipes it. The cache rules (DC001-DC006) all read
//! this one analysis.

use crate::analysis::model::{Model, VariableKind};
use crate::analysis::mounts::{Mount, mounts};
use crate::analysis::runs::Run;
use crate::knowledge::{Invocation, Knowledge, Manager, knowledge};
use crate::shell::SimpleCommand;
use crate::source::Span;
use crate::syntax::Dockerfile;
use std::collections::HashMap;

/// Where a variable's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `NAME=value cmd` on the command itself, or `env NAME=value cmd`.
    Inline { name_span: Span, span: Span },
    /// `export NAME=value` earlier in the same RUN.
    Export {
        name_span: Span,
        span: Span,
        command: usize,
    },
    /// An ENV or ARG instruction (of this stage or inherited).
    Instruction {
        instruction: usize,
        pair: usize,
        kind: VariableKind,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disabler {
    /// A no-cache flag on the command line (`--no-cache-dir`), at this word.
    Flag { span: Span },
    /// A variable such as `PIP_NO_CACHE_DIR`.
    Variable { name: String, origin: Origin },
}

/// A cache directory moved explicitly, by a flag or a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Relocation {
    Flag {
        span: Span,
        dir: String,
    },
    Variable {
        name: String,
        dir: String,
        origin: Origin,
    },
}

impl Relocation {
    pub fn dir(&self) -> &str {
        match self {
            Relocation::Flag { dir, .. } | Relocation::Variable { dir, .. } => dir,
        }
    }
}

/// One package-manager command that reads or fills its cache.
#[derive(Debug)]
pub struct CacheUse {
    pub instruction: usize,
    /// Index into `Installs::runs`.
    pub run: usize,
    /// Index into that run's commands.
    pub command: usize,
    pub invocation: Invocation<'static>,
    /// `$HOME` of the user the RUN runs as.
    pub home: String,
    pub root: bool,
    /// A numeric uid (and gid) for the user, when the Dockerfile says it (`USER 1000:1000`).
    pub uid_gid: Option<(String, String)>,
    /// The directories it caches in, for that user and those variables.
    pub cache_dirs: Vec<String>,
    /// Whether a cache mount of this RUN holds each of `cache_dirs`.
    pub mounted: Vec<bool>,
    pub disablers: Vec<Disabler>,
    pub relocations: Vec<Relocation>,
}

impl CacheUse {
    pub fn manager(&self) -> &'static Manager {
        self.invocation.manager
    }
    pub fn fully_mounted(&self) -> bool {
        self.mounted.iter().all(|m| *m)
    }
    pub fn any_mounted(&self) -> bool {
        self.mounted.iter().any(|m| *m)
    }
    /// The directories no cache mount holds.
    pub fn unmounted_dirs(&self) -> impl Iterator<Item = &str> {
        self.cache_dirs
            .iter()
            .zip(&self.mounted)
            .filter(|(_, m)| !**m)
            .map(|(d, _)| d.as_str())
    }
}

/// A command that empties a manager's cache (`pip cache purge`, `rm -rf /var/lib/apt/lists/*`).
#[derive(Debug)]
pub struct Wipe {
    pub instruction: usize,
    pub run: usize,
    pub command: usize,
    pub manager: &'static Manager,
    /// The argv index of the operand naming the cache (for `rm`), None when the whole command
    /// is the wipe.
    pub operand: Option<usize>,
    /// The cache an `rm` deletes (wholly or in part); None when the command empties the
    /// manager's caches itself (`yum clean all`).
    pub cache: Option<&'static crate::knowledge::Cache>,
}

/// A command of a RUN recognised as a package-manager invocation, whatever it does.
#[derive(Debug)]
pub struct Call {
    pub instruction: usize,
    /// Index into `Installs::runs`.
    pub run: usize,
    /// Index into that run's commands.
    pub command: usize,
    pub invocation: Invocation<'static>,
}

/// The analysis of one file.
pub struct Installs {
    pub runs: Vec<Run>,
    /// Every package-manager command, in file order (the package rules read these).
    pub calls: Vec<Call>,
    pub uses: Vec<CacheUse>,
    pub wipes: Vec<Wipe>,
    /// Cache mounts per instruction index.
    pub mounts: HashMap<usize, Vec<Mount>>,
}

impl Installs {
    pub fn analyse(df: &Dockerfile, model: &Model) -> Installs {
        let k = knowledge();
        let runs = crate::analysis::runs::analyse(df, model);
        let mut uses = Vec::new();
        let mut wipes = Vec::new();
        let mut calls = Vec::new();
        let mut all_mounts = HashMap::new();
        for (run_index, run) in runs.iter().enumerate() {
            let inst = &df.instructions[run.instruction];
            let state = &model.states[run.instruction];
            let run_mounts: Vec<Mount> = mounts(inst).into_iter().filter(Mount::is_cache).collect();
            let home = state.home();
            let root = state.is_root();
            let uid_gid = state.uid_gid();
            let mut exports: HashMap<String, (String, Origin)> = HashMap::new();
            for (ci, command) in run.commands.iter().enumerate() {
                let argv: Vec<&str> = command.words.iter().map(|w| w.value.as_str()).collect();
                let lookup = |name: &str| -> Option<(String, Origin)> {
                    if let Some(a) = command.assignments.iter().rev().find(|a| a.name == name)
                        && !command.is_export()
                    {
                        let value = a
                            .value
                            .as_ref()
                            .map(|w| w.value.clone())
                            .unwrap_or_default();
                        return Some((
                            value,
                            Origin::Inline {
                                name_span: a.name_span,
                                span: a.span,
                            },
                        ));
                    }
                    if let Some(word) = command.words.iter().find(|w| {
                        w.value.split_once('=').is_some_and(|(n, _)| n == name)
                            && argv.first().is_some_and(|p| p.ends_with("env"))
                    }) {
                        let value = word
                            .value
                            .split_once('=')
                            .map(|(_, v)| v.to_string())
                            .unwrap_or_default();
                        return Some((
                            value,
                            Origin::Inline {
                                name_span: word.span,
                                span: word.span,
                            },
                        ));
                    }
                    if let Some(found) = exports.get(name) {
                        return Some(found.clone());
                    }
                    // A build arg declared without a default is unset unless the build passes it.
                    state.vars.get(name).filter(|v| v.value.is_some()).map(|v| {
                        (
                            v.value.clone().unwrap_or_default(),
                            Origin::Instruction {
                                instruction: v.instruction,
                                pair: v.pair,
                                kind: v.kind,
                            },
                        )
                    })
                };
                let env = |name: &str| lookup(name).map(|(v, _)| v);
                if let Some(invocation) = k.classify(&argv) {
                    calls.push(Call {
                        instruction: run.instruction,
                        run: run_index,
                        command: ci,
                        invocation: invocation.clone(),
                    });
                    if invocation.uses_cache() {
                        let cache_dirs = invocation.cache_dirs(&home, &env);
                        let mounted = cache_dirs
                            .iter()
                            .map(|d| run_mounts.iter().any(|m| m.covers(d)))
                            .collect();
                        let disablers = disablers(k, &invocation, command, &lookup);
                        let relocations = relocations(&invocation, command, &lookup, &home, &env);
                        uses.push(CacheUse {
                            instruction: run.instruction,
                            run: run_index,
                            command: ci,
                            invocation,
                            home: home.clone(),
                            root,
                            uid_gid: uid_gid.clone(),
                            cache_dirs,
                            mounted,
                            disablers,
                            relocations,
                        });
                    } else if invocation.wipes_cache() {
                        wipes.push(Wipe {
                            instruction: run.instruction,
                            run: run_index,
                            command: ci,
                            manager: invocation.manager,
                            operand: None,
                            cache: None,
                        });
                    }
                }
                for removed in k.removed_caches(&argv, &home, &env) {
                    wipes.push(Wipe {
                        instruction: run.instruction,
                        run: run_index,
                        command: ci,
                        manager: removed.manager,
                        operand: Some(removed.arg),
                        cache: Some(removed.cache),
                    });
                }
                if command.is_export() {
                    for a in &command.assignments {
                        if let Some(value) = &a.value {
                            exports.insert(
                                a.name.clone(),
                                (
                                    value.value.clone(),
                                    Origin::Export {
                                        name_span: a.name_span,
                                        span: a.span,
                                        command: ci,
                                    },
                                ),
                            );
                        }
                    }
                }
            }
            all_mounts.insert(run.instruction, run_mounts);
        }
        Installs {
            runs,
            calls,
            uses,
            wipes,
            mounts: all_mounts,
        }
    }

    pub fn command(&self, use_: &CacheUse) -> &SimpleCommand {
        &self.runs[use_.run].commands[use_.command]
    }
}

fn disablers(
    k: &Knowledge,
    invocation: &Invocation,
    command: &SimpleCommand,
    lookup: &dyn Fn(&str) -> Option<(String, Origin)>,
) -> Vec<Disabler> {
    let mut out: Vec<Disabler> = invocation
        .no_cache_flags
        .iter()
        .filter_map(|&i| command.words.get(i))
        .map(|w| Disabler::Flag { span: w.span })
        .collect();
    for (manager, var) in k.cache_disabling_vars() {
        if !std::ptr::eq(manager, invocation.manager) {
            continue;
        }
        if let Some((value, origin)) = lookup(var)
            && k.env_disables_cache(var, &value).is_some()
        {
            out.push(Disabler::Variable {
                name: var.to_string(),
                origin,
            });
        }
    }
    out
}

fn relocations(
    invocation: &Invocation,
    command: &SimpleCommand,
    lookup: &dyn Fn(&str) -> Option<(String, Origin)>,
    home: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<Relocation> {
    let mut out = Vec::new();
    if let Some(flag) = &invocation.cache_dir_flag
        && let (Some(first), Some(last)) = (
            command.words.get(flag.start),
            command.words.get(flag.end.saturating_sub(1)),
        )
    {
        out.push(Relocation::Flag {
            span: first.span.cover(last.span),
            dir: flag.dir.clone(),
        });
    }
    for cache in invocation.manager.caches() {
        for (var, suffix) in cache.relocations() {
            if let Some((value, origin)) = lookup(var)
                && !value.is_empty()
            {
                // Only a variable that names the cache directory itself (`PIP_CACHE_DIR`)
                // points the cache somewhere on purpose; general ones (`GOPATH`, `HOME`-like
                // `XDG_CACHE_HOME`) move it as a side effect.
                if !suffix.is_empty() {
                    break;
                }
                out.push(Relocation::Variable {
                    name: var.to_string(),
                    dir: invocation.manager.cache_dir(cache, home, env),
                    origin,
                });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(text: &str) -> Installs {
        let df = crate::syntax::parse(text);
        let model = Model::build(&df);
        Installs::analyse(&df, &model)
    }

    #[test]
    fn finds_disablers_and_mounts() {
        let i = analyse(
            "FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r r.txt\n",
        );
        let u = &i.uses[0];
        assert_eq!(u.manager().name(), "pip");
        assert_eq!(u.cache_dirs, vec!["/root/.cache/pip"]);
        assert_eq!(u.mounted, vec![true]);
        assert_eq!(u.disablers.len(), 2);
    }

    #[test]
    fn user_home_and_exports() {
        let i = analyse(
            "FROM python:3.12\nUSER app\nRUN export PIP_CACHE_DIR=/tmp/pc && pip install flask && rm -rf /tmp/pc\n",
        );
        let u = &i.uses[0];
        assert!(!u.root);
        assert_eq!(u.cache_dirs, vec!["/tmp/pc"]);
        assert!(matches!(u.relocations[0], Relocation::Variable { .. }));
        assert_eq!(i.wipes.len(), 1);
    }
}
