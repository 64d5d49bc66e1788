//! Recognising one simple command's argv (quotes removed) as a package-manager invocation.

use serde::Deserialize;

use super::{
    Cache, Command, GoalStyle, Interpreter, Knowledge, Manager, ManifestOnly, Operands, Wrapper,
};

/// What a command does with the manager's cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Downloads dependencies (`pip install`, `npm ci`, `apt-get install`, `go mod download`).
    Install,
    /// Builds the project, downloading what is missing and filling build caches
    /// (`go build`, `cargo build`, `mvn package`): needs the source.
    Build,
    /// Refreshes package indexes (`apt-get update`, `apk update`).
    Refresh,
    /// Empties the cache (`pip cache purge`, `apt-get clean`, `yum clean all`).
    Wipe,
    /// Recognised, but none of the above (`pip list`, `npm run build`).
    #[default]
    Other,
}

impl Action {
    fn rank(self) -> u8 {
        match self {
            Action::Other => 0,
            Action::Wipe => 1,
            Action::Refresh => 2,
            Action::Install => 3,
            Action::Build => 4,
        }
    }
}

/// The subcommand (or first goal) of an invocation.
#[derive(Debug, Clone)]
pub struct Subcommand<'k> {
    /// argv index of its first word.
    pub start: usize,
    /// argv index one past its last word (`mod download` spans two words).
    pub end: usize,
    /// The canonical name from the table (`install` for `npm i`), or the word itself when the
    /// table does not know it.
    pub name: String,
    /// The table's entry, if known.
    pub command: Option<&'k Command>,
}

/// A flag that moves a cache: `--cache-dir X` (two words) or `--cache-dir=X` (one).
#[derive(Debug, Clone)]
pub struct CacheDirFlag<'k> {
    /// argv index of the flag.
    pub start: usize,
    /// argv index one past the flag's value.
    pub end: usize,
    /// The directory it names.
    pub dir: String,
    /// The cache it moves.
    pub cache: &'k Cache,
}

/// One recognised invocation of a package manager. All indices are into the argv given to
/// [`Knowledge::classify`], wrappers (`sudo`, `env X=1`) included.
#[derive(Debug, Clone)]
pub struct Invocation<'k> {
    pub manager: &'k Manager,
    /// argv index of the program run: the manager, or the interpreter of `python -m pip`.
    pub program: usize,
    /// argv index of the first word after the manager (after `-m pip` for a module).
    pub args_start: usize,
    /// argv indices of `NAME=value` words before the program (`env PIP_NO_CACHE_DIR=1 pip`).
    pub env_words: Vec<usize>,
    pub subcommand: Option<Subcommand<'k>>,
    pub action: Action,
    /// `Some(manifest paths or globs it reads)` when the install needs only manifests:
    /// `-r` files for `pip install -r F`, the manager's default manifests for `npm ci`.
    /// `None` when it needs the source, names packages, or is not a dependency install.
    pub manifest_only: Option<Vec<String>>,
    /// The command reads the project's source (`pip install .`, `go build`, `poetry install`
    /// without `--no-root`).
    pub needs_source: bool,
    /// argv indices of package operands (`flask`, `.`, the word holding `-e`'s value).
    pub packages: Vec<usize>,
    /// Those of `packages` that are the value of an operand flag (`-e`'s).
    pub flag_packages: Vec<usize>,
    /// argv indices of flags that disable the cache (`--no-cache-dir`, `--no-cache`, `-n`).
    pub no_cache_flags: Vec<usize>,
    /// The last flag that moves a cache, if any.
    pub cache_dir_flag: Option<CacheDirFlag<'k>>,
    /// It cannot download anything (`pip install --no-index`, `mvn -o`, `dotnet publish
    /// --no-restore`, local wheels with `--no-deps`).
    pub offline: bool,
    /// The user a wrapper runs it as (`sudo -u app`, `gosu app`), when one does.
    pub run_as: Option<String>,
}

impl<'k> Invocation<'k> {
    /// Downloads dependencies as its purpose (not counting builds, see [`Action::Build`]).
    pub fn is_install(&self) -> bool {
        self.action == Action::Install
    }

    /// Reads or fills the manager's caches: installs, builds, index refreshes.
    pub fn uses_cache(&self) -> bool {
        matches!(
            self.action,
            Action::Install | Action::Build | Action::Refresh
        )
    }

    /// Empties the manager's cache.
    pub fn wipes_cache(&self) -> bool {
        self.action == Action::Wipe
    }

    /// The caches this invocation uses: the subcommand's (`go mod download`: the module cache
    /// only), or all of the manager's.
    pub fn caches(&self) -> Vec<&'k Cache> {
        let command = self.subcommand.as_ref().and_then(|s| s.command);
        self.manager
            .caches()
            .iter()
            .filter(|c| command.is_none_or(|cmd| cmd.uses_cache_id(c.id())))
            .collect()
    }

    /// The directories of [`Invocation::caches`] (same order): [`Manager::cache_dir`] with a
    /// cache-dir flag on the command line applied.
    pub fn cache_dirs(&self, home: &str, env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        self.caches()
            .into_iter()
            .map(|c| match &self.cache_dir_flag {
                Some(f) if std::ptr::eq(f.cache, c) => f.dir.clone(),
                _ => self.manager.cache_dir(c, home, env),
            })
            .collect()
    }
}

/// A manager's cache, its directory as the environment gives it, and that directory cleaned
/// when it is not clean already.
type CacheDir<'k> = (&'k Manager, &'k Cache, String, Option<String>);

/// A cache directory an `rm` deletes, wholly or in part.
#[derive(Debug, Clone)]
pub struct RemovedCache<'k> {
    pub manager: &'k Manager,
    pub cache: &'k Cache,
    /// The cache's effective directory.
    pub dir: String,
    /// argv index of the operand that removes it.
    pub arg: usize,
}

/// An option as written: `start..end` are its words, `value` its value if it takes one.
#[derive(Debug)]
struct Opt<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    value: Option<&'a str>,
}

#[derive(Debug, Default)]
struct Parsed<'a> {
    positionals: Vec<usize>,
    opts: Vec<Opt<'a>>,
}

impl Parsed<'_> {
    fn has(&self, flag: &str) -> bool {
        self.opts.iter().any(|o| o.name == flag)
    }
    fn has_any(&self, flags: &[String]) -> bool {
        flags.iter().any(|f| self.has(f))
    }
}

fn contains(list: &[String], word: &str) -> bool {
    list.iter().any(|x| x == word)
}

/// Split words into options (with their values) and positionals.
fn parse<'a>(
    argv: &[&'a str],
    from: usize,
    takes_value: &dyn Fn(&str) -> bool,
    joined_short: bool,
) -> Parsed<'a> {
    let mut out = Parsed::default();
    let mut i = from;
    let mut only_positionals = false;
    while i < argv.len() {
        let w = argv[i];
        if only_positionals || w == "-" || !w.starts_with('-') {
            out.positionals.push(i);
            i += 1;
            continue;
        }
        if w == "--" {
            only_positionals = true;
            i += 1;
            continue;
        }
        if takes_value(w) {
            let end = (i + 2).min(argv.len());
            out.opts.push(Opt {
                start: i,
                end,
                name: w,
                value: argv.get(i + 1).copied(),
            });
            i = end;
            continue;
        }
        let short = !w.starts_with("--") && w.len() > 2;
        if let Some(name) = w
            .get(..2)
            .filter(|n| joined_short && short && takes_value(n))
        {
            out.opts.push(Opt {
                start: i,
                end: i + 1,
                name,
                value: Some(&w[2..]),
            });
        } else if let Some((name, value)) = w.split_once('=').filter(|(n, _)| n.len() > 1) {
            out.opts.push(Opt {
                start: i,
                end: i + 1,
                name,
                value: Some(value),
            });
        } else {
            out.opts.push(Opt {
                start: i,
                end: i + 1,
                name: w,
                value: None,
            });
        }
        i += 1;
    }
    out
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// A local path rather than a registry package: `.`, `./pkg`, `/src`, `~/x`, `file:...`,
/// `.[extra]`, or an archive file.
pub fn is_local_path(word: &str) -> bool {
    let archive = [
        ".whl", ".tar.gz", ".tgz", ".zip", ".deb", ".rpm", ".apk", ".gem",
    ];
    word == "."
        || word == ".."
        || word.starts_with("./")
        || word.starts_with("../")
        || word.starts_with(".[")
        || word.starts_with('/')
        || word.starts_with('~')
        || word.starts_with("file:")
        || (!word.contains("://") && archive.iter().any(|a| word.ends_with(a)))
}

impl Knowledge {
    /// Recognise `argv` (one simple command, quotes removed) as an invocation of a package
    /// manager, looking through wrappers (`sudo`, `env X=1`, `timeout 60`) and interpreters
    /// (`python3 -m pip`, `php composer.phar`, `sh ./gradlew`). `None` if it is not one.
    pub fn classify(&self, argv: &[&str]) -> Option<Invocation<'_>> {
        let (program, env_words) = self.skip_wrappers(argv)?;
        let base = basename(argv[program]);
        let (manager, args_start) = if let Some(m) = self.manager_for_executable(base) {
            (m, program + 1)
        } else {
            let interp = self.interpreter_for(base)?;
            self.through_interpreter(argv, program, interp)?
        };
        let mut invocation = classify_manager(manager, argv, program, args_start, env_words);
        invocation.run_as = self.wrapper_user(&argv[..program]);
        Some(invocation)
    }

    /// The cache directories an `rm` (through any wrapper) deletes, wholly or in part:
    /// `rm -rf /var/lib/apt/lists/*`, `rm -rf ~/.cache/pip`, `rm -rf /root/.cache`. `home` and
    /// `env` are those of the user running it; `~`, `$HOME` and `$VAR` in operands are expanded.
    pub fn removed_caches(
        &self,
        argv: &[&str],
        home: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<RemovedCache<'_>> {
        let mut out = Vec::new();
        let Some((program, _)) = self.skip_wrappers(argv) else {
            return out;
        };
        if !contains(&self.removal.executables, basename(argv[program])) {
            return out;
        }
        let parsed = parse(argv, program + 1, &|_| false, false);
        // Every cache's directory, worked out once per command (not once per operand).
        let mut caches: Option<Vec<CacheDir>> = None;
        for &arg in &parsed.positionals {
            let Some(path) = expand(argv[arg], home, env) else {
                continue;
            };
            if !path.starts_with('/') {
                continue;
            }
            let target = glob_base(&path);
            let caches = caches.get_or_insert_with(|| {
                self.managers
                    .iter()
                    .flat_map(|m| m.caches.iter().map(move |c| (m, c)))
                    .map(|(m, c)| {
                        let dir = m.cache_dir(c, home, env);
                        let cleaned = (!crate::paths::is_clean(&dir)).then(|| normalize(&dir));
                        (m, c, dir, cleaned)
                    })
                    .collect()
            });
            for (manager, cache, dir, cleaned) in caches.iter() {
                if overlaps(&target, cleaned.as_deref().unwrap_or(dir)) {
                    out.push(RemovedCache {
                        manager,
                        cache,
                        dir: dir.clone(),
                        arg,
                    });
                }
            }
        }
        out
    }

    /// The user the wrappers before the program switch to (`sudo -u app`, `gosu app`), if any.
    fn wrapper_user(&self, before: &[&str]) -> Option<String> {
        let mut user = None;
        let mut i = 0;
        while i < before.len() {
            let Some(wrapper) = self.wrapper_for(basename(before[i])) else {
                i += 1;
                continue;
            };
            let mut j = i + 1;
            while j < before.len() && self.wrapper_for(basename(before[j])).is_none() {
                let a = before[j];
                if let Some((name, value)) = a.split_once('=')
                    && contains(&wrapper.user_options, name)
                {
                    user = Some(value.to_string());
                } else if contains(&wrapper.user_options, a) {
                    user = before.get(j + 1).map(|v| v.to_string());
                    j += 1;
                } else if wrapper.user_operand && !a.starts_with('-') && !is_assignment(a) {
                    user = Some(a.to_string());
                    break;
                }
                j += 1;
            }
            i = j.max(i + 1);
        }
        user
    }

    /// Index of the real program after leading assignments and wrappers, and the assignments.
    fn skip_wrappers(&self, argv: &[&str]) -> Option<(usize, Vec<usize>)> {
        let mut env_words = Vec::new();
        let mut i = 0;
        loop {
            let w = *argv.get(i)?;
            if is_assignment(w) {
                env_words.push(i);
                i += 1;
            } else if let Some(wrapper) = self.wrapper_for(basename(w)) {
                i = skip_wrapper(argv, i, wrapper, &mut env_words)?;
            } else {
                return Some((i, env_words));
            }
        }
    }

    /// `python3 -m pip ...` or `php composer.phar ...`: the manager and where its arguments start.
    fn through_interpreter(
        &self,
        argv: &[&str],
        program: usize,
        interp: &Interpreter,
    ) -> Option<(&Manager, usize)> {
        let mut j = program + 1;
        while j < argv.len() {
            let a = argv[j];
            if contains(&interp.stop_flags, a) {
                return None;
            }
            if let Some(flag) = &interp.module_flag {
                if a == flag {
                    let module = argv.get(j + 1)?;
                    let m = self.manager_for_module(&interp.name, module)?;
                    return Some((m, j + 2));
                }
                if let Some(module) = a.strip_prefix(flag.as_str()).filter(|m| !m.is_empty()) {
                    let m = self.manager_for_module(&interp.name, module)?;
                    return Some((m, j + 1));
                }
            }
            if a.starts_with('-') || a.starts_with('+') {
                j += if contains(&interp.options_with_value, a) {
                    2
                } else {
                    1
                };
                continue;
            }
            if !interp.script {
                return None;
            }
            let m = self.manager_for_executable(basename(a))?;
            return Some((m, j + 1));
        }
        None
    }
}

/// Skip one wrapper's own words; the index of the command it runs, `None` when it runs none.
fn skip_wrapper(
    argv: &[&str],
    at: usize,
    wrapper: &Wrapper,
    env_words: &mut Vec<usize>,
) -> Option<usize> {
    let mut j = at + 1;
    let mut operands = wrapper.leading_operands;
    while j < argv.len() {
        let a = argv[j];
        if a == "--" {
            j += 1;
            break;
        }
        if a.starts_with('-') && a.len() > 1 {
            let name = a.split_once('=').map_or(a, |(n, _)| n);
            if contains(&wrapper.stop_flags, name) {
                return None;
            }
            j += if contains(&wrapper.options_with_value, a) {
                2
            } else {
                1
            };
            continue;
        }
        if wrapper.assignments && is_assignment(a) {
            env_words.push(j);
            j += 1;
            continue;
        }
        if operands > 0 {
            operands -= 1;
            j += 1;
            continue;
        }
        break;
    }
    (j < argv.len()).then_some(j)
}

impl Manager {
    fn takes_value(&self, flag: &str) -> bool {
        contains(&self.options_with_value, flag)
            || self.cache_dir_flags.iter().any(|f| f.flag == flag)
            || self
                .commands
                .iter()
                .any(|c| contains(&c.manifest_flags, flag) || contains(&c.operand_flags, flag))
    }

    fn command_by_goal(&self, goal: &str) -> Option<&Command> {
        self.commands
            .iter()
            .find(|c| c.spellings().any(|s| s == goal))
    }
}

/// What one command (or goal) amounts to.
struct Outcome {
    action: Action,
    manifest_only: Option<Vec<String>>,
    needs_source: bool,
    packages: Vec<usize>,
    flag_packages: Vec<usize>,
}

fn classify_manager<'k>(
    m: &'k Manager,
    argv: &[&str],
    program: usize,
    args_start: usize,
    env_words: Vec<usize>,
) -> Invocation<'k> {
    let parsed = parse(
        argv,
        args_start,
        &|f| m.takes_value(f),
        m.joined_short_values,
    );

    let no_cache_flags = parsed
        .opts
        .iter()
        .filter(|o| contains(&m.no_cache_flags, o.name))
        .map(|o| o.start)
        .collect();

    let mut cache_dir_flag = None;
    for o in &parsed.opts {
        for spec in m.cache_dir_flags.iter().filter(|s| s.flag == o.name) {
            let dir = o.value.and_then(|v| v.strip_prefix(spec.prefix.as_str()));
            let cache = m.cache(&spec.cache);
            if let (Some(dir), Some(cache)) = (dir.filter(|d| !d.is_empty()), cache) {
                cache_dir_flag = Some(CacheDirFlag {
                    start: o.start,
                    end: o.end,
                    dir: dir.to_string(),
                    cache,
                });
            }
        }
    }

    let (subcommand, outcome) = match m.goal_style {
        Some(style) => classify_goals(m, argv, &parsed, style),
        None => classify_subcommand(m, argv, &parsed),
    };
    let manifest_flag = subcommand
        .as_ref()
        .and_then(|s| s.command)
        .is_some_and(|c| parsed.has_any(&c.manifest_flags));
    let local_only = !outcome.packages.is_empty()
        && !manifest_flag
        && parsed.has_any(&m.local_only_flags)
        && outcome
            .packages
            .iter()
            .all(|&p| argv.get(p).is_some_and(|w| is_local_path(w)));
    let offline = parsed.has_any(&m.offline_flags) || local_only;

    Invocation {
        manager: m,
        program,
        args_start,
        env_words,
        subcommand,
        action: outcome.action,
        manifest_only: outcome.manifest_only,
        needs_source: outcome.needs_source,
        packages: outcome.packages,
        flag_packages: outcome.flag_packages,
        no_cache_flags,
        cache_dir_flag,
        offline,
        run_as: None,
    }
}

fn unlisted(m: &Manager) -> Outcome {
    Outcome {
        action: m.unlisted_action,
        manifest_only: None,
        needs_source: m.unlisted_action == Action::Build,
        packages: Vec::new(),
        flag_packages: Vec::new(),
    }
}

fn classify_subcommand<'k>(
    m: &'k Manager,
    argv: &[&str],
    parsed: &Parsed<'_>,
) -> (Option<Subcommand<'k>>, Outcome) {
    let pos = &parsed.positionals;
    let mut best: Option<(&Command, usize)> = None;
    for c in &m.commands {
        for s in c.spellings() {
            let n = s.split(' ').count();
            let matches = n <= pos.len() && s.split(' ').zip(pos).all(|(w, &p)| argv[p] == w);
            if matches && best.is_none_or(|(_, k)| n > k) {
                best = Some((c, n));
            }
        }
    }
    match best {
        Some((c, n)) => {
            let sub = Subcommand {
                start: pos[0],
                end: pos[n - 1] + 1,
                name: c.name.clone(),
                command: Some(c),
            };
            (Some(sub), evaluate(m, c, argv, parsed, &pos[n..]))
        }
        None if !pos.is_empty() => {
            let sub = Subcommand {
                start: pos[0],
                end: pos[0] + 1,
                name: argv[pos[0]].to_string(),
                command: None,
            };
            (Some(sub), unlisted(m))
        }
        None => {
            let default = m
                .default_command
                .as_deref()
                .filter(|_| !parsed.has_any(&m.info_flags))
                .and_then(|d| m.commands.iter().find(|c| c.name == d));
            let outcome = match default {
                Some(c) => evaluate(m, c, argv, parsed, &[]),
                None => Outcome {
                    action: Action::Other,
                    manifest_only: None,
                    needs_source: false,
                    packages: Vec::new(),
                    flag_packages: Vec::new(),
                },
            };
            (None, outcome)
        }
    }
}

/// `group:maven-dependency-plugin:3.6.1:go-offline` → `dependency:go-offline`;
/// `:app:dependencies` → `dependencies`.
fn normalize_goal(goal: &str, style: GoalStyle) -> String {
    match style {
        GoalStyle::Gradle => goal.rsplit(':').next().unwrap_or(goal).to_string(),
        GoalStyle::Maven => {
            let parts: Vec<&str> = goal.split(':').collect();
            if parts.len() < 3 {
                return goal.to_string();
            }
            let artifact = parts[1];
            let prefix = artifact
                .strip_prefix("maven-")
                .and_then(|a| a.strip_suffix("-plugin"))
                .or_else(|| artifact.strip_suffix("-maven-plugin"))
                .unwrap_or(artifact);
            format!("{prefix}:{}", parts[parts.len() - 1])
        }
    }
}

fn classify_goals<'k>(
    m: &'k Manager,
    argv: &[&str],
    parsed: &Parsed<'_>,
    style: GoalStyle,
) -> (Option<Subcommand<'k>>, Outcome) {
    if parsed.positionals.is_empty() || parsed.has_any(&m.info_flags) {
        let none = Outcome {
            action: Action::Other,
            manifest_only: None,
            needs_source: false,
            packages: Vec::new(),
            flag_packages: Vec::new(),
        };
        return (None, none);
    }
    let mut first = None;
    let mut action = Action::Other;
    let mut manifests: Option<Vec<String>> = Some(Vec::new());
    let mut needs_source = false;
    for &p in &parsed.positionals {
        let goal = normalize_goal(argv[p], style);
        let command = m.command_by_goal(&goal);
        let outcome = match command {
            Some(c) => evaluate(m, c, argv, parsed, &[]),
            None => unlisted(m),
        };
        if first.is_none() {
            first = Some(Subcommand {
                start: p,
                end: p + 1,
                name: command.map_or(goal, |c| c.name.clone()),
                command,
            });
        }
        if outcome.action.rank() > action.rank() {
            action = outcome.action;
        }
        needs_source |= outcome.needs_source;
        manifests = match (manifests, outcome.manifest_only) {
            (Some(mut all), Some(these)) => {
                for f in these {
                    if !all.contains(&f) {
                        all.push(f);
                    }
                }
                Some(all)
            }
            // A goal that is not a manifest-only install (`clean` aside) spoils the whole run.
            (all, None) if outcome.action == Action::Other => all,
            _ => None,
        };
    }
    if action != Action::Install {
        manifests = None;
    }
    let outcome = Outcome {
        action,
        manifest_only: manifests,
        needs_source,
        packages: Vec::new(),
        flag_packages: Vec::new(),
    };
    (first, outcome)
}

fn evaluate(
    m: &Manager,
    c: &Command,
    argv: &[&str],
    parsed: &Parsed<'_>,
    operands: &[usize],
) -> Outcome {
    if !c.when_any.is_empty() && !parsed.has_any(&c.when_any) {
        return Outcome {
            action: Action::Other,
            manifest_only: None,
            needs_source: false,
            packages: Vec::new(),
            flag_packages: Vec::new(),
        };
    }
    let mut explicit: Vec<String> = Vec::new();
    let mut packages: Vec<usize> = Vec::new();
    let mut flag_packages: Vec<usize> = Vec::new();
    let mut local = false;
    for o in &parsed.opts {
        let Some(value) = o.value else { continue };
        if contains(&c.manifest_flags, o.name) {
            explicit.push(value.to_string());
        }
        if contains(&c.operand_flags, o.name) {
            packages.push(o.end - 1);
            flag_packages.push(o.end - 1);
            local |= is_local_path(value);
        }
    }
    match c.operands {
        Operands::Packages => {
            for &p in operands {
                packages.push(p);
                local |= is_local_path(argv[p]);
            }
        }
        Operands::Manifests => explicit.extend(operands.iter().map(|&p| argv[p].to_string())),
        Operands::Ignored => {}
    }
    packages.sort_unstable();

    let requires_ok = c.requires_all.iter().all(|f| parsed.has(f))
        && (c.requires_any.is_empty() || parsed.has_any(&c.requires_any));
    let defaults = || c.manifests.clone().unwrap_or_else(|| m.manifests.clone());
    let or_defaults = |explicit: Vec<String>| {
        if explicit.is_empty() {
            defaults()
        } else {
            explicit
        }
    };
    let manifest_only = match c.manifest_only {
        _ if !requires_ok => None,
        ManifestOnly::Never => None,
        ManifestOnly::Always => Some(or_defaults(explicit)),
        ManifestOnly::NoPackages if packages.is_empty() => Some(or_defaults(explicit)),
        ManifestOnly::ManifestFlags if packages.is_empty() && !explicit.is_empty() => {
            Some(explicit)
        }
        ManifestOnly::NoPackages | ManifestOnly::ManifestFlags => None,
    };
    let needs_source = c.action == Action::Build
        || local
        || (c.manifest_only != ManifestOnly::Never && !requires_ok);
    Outcome {
        action: c.action,
        manifest_only,
        needs_source,
        packages,
        flag_packages,
    }
}

/// Expand `~`, `$HOME`, `${HOME}` and other `$VAR`s; `None` when a variable is unknown.
fn expand(word: &str, home: &str, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let lookup = |name: &str| -> Option<String> {
        if name == "HOME" {
            Some(home.to_string())
        } else {
            env(name)
        }
    };
    let mut word = word.to_string();
    if word == "~" || word.starts_with("~/") {
        word = format!("{home}{}", &word[1..]);
    }
    let mut out = String::new();
    let mut rest = word.as_str();
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, tail) = if let Some(braced) = after.strip_prefix('{') {
            let close = braced.find('}')?;
            (&braced[..close], &braced[close + 1..])
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], &after[len..])
        };
        if name.is_empty() {
            return None;
        }
        out.push_str(&lookup(name)?);
        rest = tail;
    }
    out.push_str(rest);
    Some(out)
}

/// Clean up an absolute path: no `.`, `..`, doubled or trailing slashes.
fn normalize(path: &str) -> String {
    crate::paths::clean(path)
}

/// The directory part of a path before its first glob component (`/var/lib/apt/lists/*` →
/// `/var/lib/apt/lists`).
fn glob_base(path: &str) -> String {
    let norm = normalize(path);
    let parts: Vec<&str> = norm
        .split('/')
        .filter(|p| !p.is_empty())
        .take_while(|p| !p.contains(['*', '?', '[']))
        .collect();
    format!("/{}", parts.join("/"))
}

/// One path is the other or lies inside it.
fn overlaps(a: &str, b: &str) -> bool {
    let inside = |x: &str, y: &str| {
        y == "/"
            || x.strip_prefix(y)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    inside(a, b) || inside(b, a)
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn goal_normalization() {
        let m = GoalStyle::Maven;
        assert_eq!(
            normalize_goal("dependency:go-offline", m),
            "dependency:go-offline"
        );
        assert_eq!(
            normalize_goal(
                "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:go-offline",
                m
            ),
            "dependency:go-offline"
        );
        assert_eq!(
            normalize_goal(
                "de.qaware.maven:go-offline-maven-plugin:resolve-dependencies",
                m
            ),
            "go-offline:resolve-dependencies"
        );
        assert_eq!(normalize_goal(":app:build", GoalStyle::Gradle), "build");
    }

    #[test]
    fn expansion_and_paths() {
        let env = |n: &str| (n == "XDG").then(|| "/x".to_string());
        assert_eq!(
            expand("~/.cache/pip", "/home/app", &env).unwrap(),
            "/home/app/.cache/pip"
        );
        assert_eq!(expand("${HOME}/.npm", "/root", &env).unwrap(), "/root/.npm");
        assert_eq!(expand("$XDG/pip", "/root", &env).unwrap(), "/x/pip");
        assert_eq!(expand("$NOPE/pip", "/root", &env), None);
        assert_eq!(glob_base("/var/lib/apt/lists/*"), "/var/lib/apt/lists");
        assert_eq!(glob_base("/root/.cache//pip/"), "/root/.cache/pip");
        assert!(overlaps("/var/lib/apt/lists", "/var/lib/apt"));
        assert!(overlaps("/root/.cache", "/root/.cache/pip"));
        assert!(!overlaps("/root/.cache/pipx", "/root/.cache/pip"));
        assert!(is_local_path(".[dev]"));
        assert!(is_local_path("dist/app-1.0-py3-none-any.whl"));
        assert!(!is_local_path("flask"));
        assert!(!is_local_path("git+https://example.com/x.zip"));
    }

    #[test]
    fn parse_options() {
        let argv = ["-rreq.txt", "--index-url=u", "-i", "u2", "x", "--", "-y"];
        let p = parse(&argv, 0, &|f| f == "-r" || f == "-i", true);
        assert_eq!(p.positionals, vec![4, 6]);
        assert_eq!(p.opts[0].name, "-r");
        assert_eq!(p.opts[0].value, Some("req.txt"));
        assert_eq!(p.opts[1].name, "--index-url");
        assert_eq!((p.opts[2].start, p.opts[2].end), (2, 4));
    }
}
