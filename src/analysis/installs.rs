//! Package-manager commands in RUN instructions, and the cache state around each: which
//! directories it caches in for the user and variables in effect, what disables or moves that
//! cache, which cache mounts hold it, and what wipes it. The cache rules (DC001-DC006) all read
//! this one analysis.

use crate::analysis::model::{Model, VariableKind};
use crate::analysis::mounts::{Mount, mounts};
use crate::analysis::runs::Run;
use crate::knowledge::{Cache, Invocation, Knowledge, Manager, knowledge};
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

/// A cache directory moved explicitly, by a flag, a variable or a configuration command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Relocation {
    Flag {
        span: Span,
        dir: String,
    },
    /// `pnpm config set store-dir DIR` in this or an earlier RUN: the command's span.
    Config {
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
            Relocation::Flag { dir, .. }
            | Relocation::Config { dir, .. }
            | Relocation::Variable { dir, .. } => dir,
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
    /// The caches it uses (`go mod download`: the module cache only).
    pub caches: Vec<&'static Cache>,
    /// Their directories, for that user and those variables (same order). A directory
    /// containing `*` lies somewhere dlint cannot name (`$BUNDLE_PATH/*`).
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
    /// Whether every cache directory is known (none lies at a place dlint cannot name).
    pub fn dirs_known(&self) -> bool {
        self.cache_dirs.iter().all(|d| !d.contains('*'))
    }
    /// The directories of caches that hold the dependencies later steps read (Go's module
    /// cache, Maven's repository).
    pub fn dependency_dirs(&self) -> impl Iterator<Item = &str> {
        self.caches
            .iter()
            .zip(&self.cache_dirs)
            .filter(|(c, _)| c.holds_dependencies())
            .map(|(_, d)| d.as_str())
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
    /// The caches it empties (`apt-get clean`: the downloaded packages, not the lists).
    pub caches: Vec<&'static Cache>,
    /// Their directories for the user running it.
    pub dirs: Vec<String>,
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

/// A CMD or ENTRYPOINT that runs a package manager when the image starts (`mvn spring-boot:run`).
#[derive(Debug)]
pub struct RuntimeUse {
    pub instruction: usize,
    pub manager: &'static Manager,
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
    /// CMD and ENTRYPOINT instructions that run a package manager.
    pub runtime: Vec<RuntimeUse>,
    /// Destinations of COPY/ADD, made absolute: (instruction, destination, whether it comes
    /// from another stage or image: `COPY --from=deps /root/.m2 /root/.m2`).
    pub seeded: Vec<(usize, String, bool)>,
}

/// `<manager> config set KEY DIR` seen so far: where, for whom, and what it moved.
struct ConfigSet {
    instruction: usize,
    home: String,
    cache: &'static Cache,
    dir: String,
    span: Span,
    /// The directory below which the cache lies is known, not the cache itself.
    unknown_suffix: bool,
}

impl Installs {
    pub fn analyse(df: &Dockerfile, model: &Model) -> Installs {
        let k = knowledge();
        let runs = crate::analysis::runs::analyse(df, model);
        let mut uses = Vec::new();
        let mut wipes = Vec::new();
        let mut calls = Vec::new();
        let mut all_mounts = HashMap::new();
        let mut config_sets: Vec<ConfigSet> = Vec::new();
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
                if let Some(mut invocation) = k.classify(&argv) {
                    // A script run by `su app -c '...'` runs as that user.
                    if invocation.run_as.is_none() {
                        invocation.run_as = command
                            .nested_from
                            .and_then(|outer| su_user(&run.commands[outer]));
                    }
                    calls.push(Call {
                        instruction: run.instruction,
                        run: run_index,
                        command: ci,
                        invocation: invocation.clone(),
                    });
                    for config in invocation.manager.config_relocations() {
                        let Some(dir) = config.dir_set(&argv, invocation.args_start) else {
                            continue;
                        };
                        let Some(cache) = invocation.manager.cache(config.cache()) else {
                            continue;
                        };
                        config_sets.push(ConfigSet {
                            instruction: run.instruction,
                            home: home.clone(),
                            cache,
                            unknown_suffix: dir.ends_with('*'),
                            dir,
                            span: command.span,
                        });
                    }
                    if invocation.uses_cache() {
                        let caches = invocation.caches();
                        let mut cache_dirs = invocation.cache_dirs(&home, &env);
                        let mut configured = Vec::new();
                        for (cache, dir) in caches.iter().zip(cache_dirs.iter_mut()) {
                            let flagged = invocation
                                .cache_dir_flag
                                .as_ref()
                                .is_some_and(|f| std::ptr::eq(f.cache, *cache));
                            let set = config_sets.iter().rev().find(|c| {
                                std::ptr::eq(c.cache, *cache)
                                    && c.home == home
                                    && model.sees(c.instruction, run.instruction)
                            });
                            if let Some(set) = set.filter(|_| !flagged) {
                                *dir = set.dir.clone();
                                if !set.unknown_suffix {
                                    configured.push(Relocation::Config {
                                        span: set.span,
                                        dir: set.dir.clone(),
                                    });
                                }
                            }
                        }
                        let mut relocations =
                            relocations(&invocation, command, &lookup, &home, &env);
                        relocations.extend(configured);
                        // A wrapper running it as another user (`gosu app npm ci`): that
                        // user's uid is not known here, and its home is its own.
                        let switched = invocation
                            .run_as
                            .as_deref()
                            .is_some_and(|u| u != "root" && u != "0");
                        let mut use_home = home.clone();
                        if let Some(user) = invocation.run_as.as_deref().filter(|_| switched) {
                            let other = user_home(state, user);
                            use_home = other.clone();
                            let other_env = |name: &str| {
                                if name == "HOME" { None } else { env(name) }
                            };
                            cache_dirs = invocation.cache_dirs(&other, &other_env);
                        }
                        let mounted = cache_dirs
                            .iter()
                            .map(|d| run_mounts.iter().any(|m| m.covers(d)))
                            .collect();
                        let disablers = disablers(k, &invocation, command, &lookup);
                        uses.push(CacheUse {
                            instruction: run.instruction,
                            run: run_index,
                            command: ci,
                            invocation,
                            home: use_home,
                            root: root && !switched,
                            uid_gid: if switched { None } else { uid_gid.clone() },
                            caches,
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
                            caches: invocation.caches(),
                            dirs: invocation.cache_dirs(&home, &env),
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
                        caches: vec![removed.cache],
                        dirs: vec![removed.dir],
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
            runtime: runtime_uses(df, k),
            seeded: seeded_dirs(df, model),
        }
    }

    pub fn command(&self, use_: &CacheUse) -> &SimpleCommand {
        &self.runs[use_.run].commands[use_.command]
    }

    /// Whether the uses `a` and `b` (indices into `uses`, `a` first) read the same dependency
    /// cache: same manager, a shared `holds-dependencies` directory, and `b` built on `a`'s
    /// layers (later in the same stage, or in a stage built from it).
    pub fn share_dependencies(&self, model: &Model, a: usize, b: usize) -> bool {
        let (ua, ub) = (&self.uses[a], &self.uses[b]);
        std::ptr::eq(ua.manager(), ub.manager())
            && ua.instruction < ub.instruction
            && model.sees(ua.instruction, ub.instruction)
            && ua
                .dependency_dirs()
                .any(|d| ub.dependency_dirs().any(|e| e == d))
    }

    /// The uses that read the same dependency cache as `use_index`, before or after it, in
    /// file order, itself included: a mount on one of them alone moves the dependencies out
    /// of the layers the others read.
    pub fn dependency_chain(&self, model: &Model, use_index: usize) -> Vec<usize> {
        let mut chain = vec![use_index];
        let mut i = 0;
        while i < chain.len() {
            let at = chain[i];
            for other in 0..self.uses.len() {
                if chain.contains(&other) {
                    continue;
                }
                let (a, b) = if other < at { (other, at) } else { (at, other) };
                if self.uses[other].invocation.uses_cache() && self.share_dependencies(model, a, b)
                {
                    chain.push(other);
                }
            }
            i += 1;
        }
        chain.sort_unstable();
        chain
    }

    /// Whether the command downloads dependencies when it runs: an install that is not
    /// offline, or a build step (`mvn package`, `go build`, `cargo build`) that is not offline
    /// and finds no dependencies in the layers before it (no earlier step of its chain left
    /// them there, outside a cache mount).
    pub fn downloads(&self, model: &Model, use_index: usize) -> bool {
        let use_ = &self.uses[use_index];
        if use_.invocation.offline {
            return false;
        }
        match use_.invocation.action {
            // The project install after a dependencies-only one (`uv sync --no-install-project`,
            // then `COPY . .` and `uv sync`): the environment already holds every dependency.
            crate::knowledge::Action::Install => {
                let inv = &use_.invocation;
                let workdir = &model.states[use_.instruction].workdir;
                !(inv.needs_source
                    && inv.packages.is_empty()
                    && (0..use_index).any(|earlier| {
                        let e = &self.uses[earlier];
                        std::ptr::eq(e.manager(), use_.manager())
                            && e.invocation.is_install()
                            && e.invocation.manifest_only.is_some()
                            && e.instruction < use_.instruction
                            && model.sees(e.instruction, use_.instruction)
                            && &model.states[e.instruction].workdir == workdir
                    }))
            }
            crate::knowledge::Action::Build => {
                let seeded = self.seeded.iter().any(|(at, dest, from_stage)| {
                    *from_stage
                        && model.sees(*at, use_.instruction)
                        && use_
                            .dependency_dirs()
                            .any(|d| Mount::covers_path(dest, d) || Mount::covers_path(d, dest))
                });
                use_.dependency_dirs().next().is_some()
                    && !seeded
                    && !(0..use_index).any(|earlier| {
                        let e = &self.uses[earlier];
                        matches!(
                            e.invocation.action,
                            crate::knowledge::Action::Install | crate::knowledge::Action::Build
                        ) && self.share_dependencies(model, earlier, use_index)
                            && e.dependency_dirs().any(|d| {
                                !e.cache_dirs
                                    .iter()
                                    .zip(&e.mounted)
                                    .any(|(cd, m)| cd == d && *m)
                            })
                    })
            }
            _ => false,
        }
    }

    /// Whether a COPY/ADD before the use put files into one of its dependency caches
    /// (`COPY settings.xml /root/.m2/`): a cache mount there would hide them.
    pub fn writes_into_dependency_cache(&self, model: &Model, use_index: usize) -> Option<usize> {
        let use_ = &self.uses[use_index];
        self.seeded
            .iter()
            .find(|(at, dest, _)| {
                model.sees(*at, use_.instruction)
                    && use_
                        .dependency_dirs()
                        .any(|d| Mount::covers_path(d, dest) || Mount::covers_path(dest, d))
            })
            .map(|(at, _, _)| *at)
    }

    /// The CMD/ENTRYPOINT instructions in effect for the images that contain `instruction`'s
    /// layer (its stage and the stages built from it) that run `manager`.
    pub fn runtime_users(
        &self,
        model: &Model,
        instruction: usize,
        manager: &Manager,
    ) -> Vec<usize> {
        self.runtime
            .iter()
            .filter(|r| std::ptr::eq(r.manager, manager))
            .filter(|r| {
                model.sees(instruction, r.instruction) || model.sees(r.instruction, instruction)
            })
            .map(|r| r.instruction)
            .collect()
    }
}

/// The user `su [options] USER -c '...'` (or `runuser`) runs its script as.
fn su_user(command: &SimpleCommand) -> Option<String> {
    let name = command.name()?;
    if !matches!(name.rsplit('/').next(), Some("su" | "runuser")) {
        return None;
    }
    let args = command.args();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].value.as_str();
        match w {
            "-c" | "--command" | "-s" | "--shell" | "-g" | "--group" | "-G" | "--supp-group"
            | "-u" | "--user" => {
                if matches!(w, "-u" | "--user") {
                    return args.get(i + 1).map(|a| a.value.clone());
                }
                i += 2;
            }
            "-" | "-l" | "--login" | "-m" | "-p" => i += 1,
            w if w.starts_with('-') => i += 1,
            w => return Some(w.to_string()),
        }
    }
    Some("root".to_string())
}

/// Destinations of COPY/ADD, made absolute, and whether each comes `--from` another stage or
/// image.
fn seeded_dirs(df: &Dockerfile, model: &Model) -> Vec<(usize, String, bool)> {
    crate::analysis::copies::analyse(df, model)
        .into_iter()
        .filter_map(|c| {
            let inst = &df.instructions[c.instruction];
            let dest = model.states[c.instruction].expand(inst.values.last()?);
            let dest = if dest.starts_with('/') {
                dest
            } else {
                let workdir = &model.states[c.instruction].workdir;
                format!("{}/{}", workdir.trim_end_matches('/'), dest)
            };
            Some((c.instruction, dest, c.from.is_some()))
        })
        .collect()
}

/// The home of `user` (a name or uid) as the Dockerfile's accounts give it.
fn user_home(state: &crate::analysis::model::State, user: &str) -> String {
    let user = user.split(':').next().unwrap_or(user);
    if let Some(account) = state
        .accounts
        .iter()
        .rev()
        .find(|a| a.name == user || a.uid.as_deref() == Some(user))
    {
        return account
            .home
            .clone()
            .unwrap_or_else(|| format!("/home/{}", account.name));
    }
    if user.bytes().all(|b| b.is_ascii_digit()) {
        "/".to_string()
    } else {
        format!("/home/{user}")
    }
}

/// CMD and ENTRYPOINT instructions whose command runs a package manager: exec form (each
/// element quoted as one word) or shell form, read with the shell parser (`sh -c '...'`
/// scripts included).
fn runtime_uses(df: &Dockerfile, k: &'static Knowledge) -> Vec<RuntimeUse> {
    use crate::syntax::Keyword;
    let mut out = Vec::new();
    for (index, inst) in df.instructions.iter().enumerate() {
        if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint) {
            continue;
        }
        let script = if inst.json {
            inst.values
                .iter()
                .map(|v| format!("'{}'", v.replace('\'', "'\\''")))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            inst.args().to_string()
        };
        for command in crate::shell::parse_script(&script).commands {
            let argv: Vec<&str> = command.words.iter().map(|w| w.value.as_str()).collect();
            let manager = k.classify(&argv).map(|i| i.manager).or_else(|| {
                // `ENTRYPOINT ["./mvnw"]` with the goals in CMD: the program alone says it.
                argv.first()
                    .and_then(|p| k.managers().iter().find(|m| m.is_executable(p)))
            });
            if let Some(manager) = manager {
                out.push(RuntimeUse {
                    instruction: index,
                    manager,
                });
                break;
            }
        }
    }
    out
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

    #[test]
    fn dependency_chains_and_build_downloads() {
        let text = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\nFROM build AS test\nRUN go test ./...\nFROM golang:1.22\nRUN go build ./...\n";
        let df = crate::syntax::parse(text);
        let model = Model::build(&df);
        let i = Installs::analyse(&df, &model);
        assert_eq!(i.uses.len(), 4);
        // The download, the build after it and the test stage built on it read one cache;
        // the last stage starts from scratch.
        assert_eq!(i.dependency_chain(&model, 0), vec![0, 1, 2]);
        assert_eq!(i.dependency_chain(&model, 3), vec![3]);
        assert!(i.downloads(&model, 0));
        assert!(!i.downloads(&model, 1), "the modules are in the layer");
        assert!(i.downloads(&model, 3), "nothing warmed up before it");
        // With the warm-up mounted, the build finds nothing in the layer.
        let text = "FROM maven:3\nRUN --mount=type=cache,target=/root/.m2 mvn dependency:go-offline\nRUN mvn package\nCMD [\"mvn\", \"spring-boot:run\"]\n";
        let df = crate::syntax::parse(text);
        let model = Model::build(&df);
        let i = Installs::analyse(&df, &model);
        assert!(i.downloads(&model, 1));
        let maven = i.uses[0].manager();
        assert_eq!(i.runtime_users(&model, 1, maven), vec![3]);
    }

    #[test]
    fn config_set_moves_the_store_and_wipes_know_their_caches() {
        let text = "FROM node:20\nRUN pnpm config set store-dir /pnpm/store\nRUN --mount=type=cache,target=/pnpm/store pnpm install\nRUN apt-get install -y x && apt-get clean && rm -rf /var/lib/apt/lists/*\n";
        let df = crate::syntax::parse(text);
        let model = Model::build(&df);
        let i = Installs::analyse(&df, &model);
        let pnpm = &i.uses[0];
        assert_eq!(pnpm.cache_dirs, vec!["/pnpm/store"]);
        assert!(pnpm.fully_mounted());
        assert!(matches!(pnpm.relocations[0], Relocation::Config { .. }));
        let dirs: Vec<&Vec<String>> = i.wipes.iter().map(|w| &w.dirs).collect();
        assert_eq!(
            dirs,
            vec![
                &vec!["/var/cache/apt".to_string()],
                &vec!["/var/lib/apt/lists".to_string()]
            ]
        );
    }
}
