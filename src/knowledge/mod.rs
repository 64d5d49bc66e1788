//! Package-manager knowledge as data: `rules/data/package-managers.toml`, embedded at compile
//! time, parsed and validated once, and the classifier that recognises a command's argv as an
//! invocation of one of those managers.
//!
//! Rules ask questions through this module and never name a manager themselves:
//!
//! ```ignore
//! use crate::knowledge::knowledge;
//!
//! let inv = knowledge().classify(&["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]).unwrap();
//! assert!(inv.is_install());
//! assert_eq!(inv.no_cache_flags, vec![2]);
//! assert_eq!(inv.manifest_only, Some(vec!["requirements.txt".to_string()]));
//! assert_eq!(inv.manager.cache_dirs("/root", &|_| None), vec!["/root/.cache/pip"]);
//! ```

mod classify;
pub mod commands;
mod validate;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

pub use classify::{Action, CacheDirFlag, Invocation, RemovedCache, Subcommand, is_local_path};

/// The embedded table.
pub const PACKAGE_MANAGERS_TOML: &str = include_str!("../../rules/data/package-managers.toml");

/// The same table as JSON, converted at build time (`build.rs`): read several times faster.
pub const PACKAGE_MANAGERS_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/package-managers.json"));

/// The knowledge table, parsed on first use. It is validated by the unit tests
/// (`the_json_the_binary_reads_is_the_toml_table`) and in debug builds, not on every run of a
/// release build: the table is part of the binary, and validating it (compiling its regexes
/// included) was a tenth of the time of checking one small file.
///
/// # Panics
/// If the embedded table does not parse (or, in a debug build, validate); the unit tests
/// guarantee it does.
pub fn knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    let read = if cfg!(debug_assertions) {
        Knowledge::from_json
    } else {
        Knowledge::from_trusted_json
    };
    KNOWLEDGE.get_or_init(|| match read(PACKAGE_MANAGERS_JSON) {
        Ok(k) => k,
        Err(e) => panic!("rules/data/package-managers.toml: {e}"),
    })
}

/// Why a table was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnowledgeError {
    /// The TOML does not parse or does not fit the schema (unknown keys included).
    Parse(String),
    /// The table parses but breaks a rule of consistency; one message per problem.
    Invalid(Vec<String>),
}

impl fmt::Display for KnowledgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KnowledgeError::Parse(msg) => write!(f, "does not parse: {msg}"),
            KnowledgeError::Invalid(problems) => {
                write!(f, "invalid: {}", problems.join("; "))
            }
        }
    }
}

impl std::error::Error for KnowledgeError {}

/// The whole table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Knowledge {
    version: u32,
    truthy_values: Vec<String>,
    #[serde(default, rename = "wrapper")]
    wrappers: Vec<Wrapper>,
    #[serde(default, rename = "interpreter")]
    interpreters: Vec<Interpreter>,
    removal: Removal,
    #[serde(rename = "manager")]
    managers: Vec<Manager>,
}

/// A program that runs the command given after its own options: `sudo`, `env`, `timeout 60`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Wrapper {
    name: String,
    executables: Vec<String>,
    #[serde(default)]
    options_with_value: Vec<String>,
    /// Accepts `NAME=value` words before the command (`env`, `sudo`).
    #[serde(default)]
    assignments: bool,
    /// Words the wrapper itself takes before the command (`timeout DURATION`, `gosu USER`).
    #[serde(default)]
    leading_operands: usize,
    /// Flags that make it do something other than run a command (`command -v`).
    #[serde(default)]
    stop_flags: Vec<String>,
    /// Options whose value is the user the command runs as (`sudo -u app`).
    #[serde(default)]
    user_options: Vec<String>,
    /// The first leading operand is the user the command runs as (`gosu app`).
    #[serde(default)]
    user_operand: bool,
}

/// A program that runs a manager given as a module (`python -m pip`) or script (`php composer.phar`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Interpreter {
    name: String,
    executables: Vec<String>,
    #[serde(default)]
    versioned: bool,
    module_flag: Option<String>,
    #[serde(default)]
    script: bool,
    #[serde(default)]
    options_with_value: Vec<String>,
    #[serde(default)]
    stop_flags: Vec<String>,
}

/// Commands whose operands are deleted paths (`rm`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Removal {
    executables: Vec<String>,
}

/// One package manager.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Manager {
    name: String,
    /// The language or platform family (`python`, `node`, `os`, ...): rules about one
    /// family (DC001 is about Python installers) select managers by it.
    ecosystem: String,
    description: String,
    executables: Vec<String>,
    /// An executable name may carry a version suffix: `pip3`, `pip3.12`.
    #[serde(default)]
    versioned: bool,
    #[serde(default)]
    modules: Vec<ModuleInvocation>,
    caches_by_default: bool,
    /// An install downloads the package index itself when its cache has none (dnf, yum): a
    /// cache mount that starts empty costs a download, never a failed install.
    #[serde(default)]
    fetches_missing_index: bool,
    #[serde(default)]
    manifests: Vec<String>,
    #[serde(default)]
    options_with_value: Vec<String>,
    #[serde(default = "yes")]
    joined_short_values: bool,
    #[serde(default)]
    no_cache_flags: Vec<String>,
    /// Flags with which a command downloads nothing (`--no-index`, `-o`, `--no-restore`).
    #[serde(default)]
    offline_flags: Vec<String>,
    /// Flags with which an install of local archives only (`pip install --no-deps x.whl`)
    /// downloads nothing.
    #[serde(default)]
    local_only_flags: Vec<String>,
    #[serde(default)]
    cache_dir_flags: Vec<CacheDirFlagSpec>,
    /// Commands that move a cache for every later command (`pnpm config set store-dir DIR`).
    #[serde(default)]
    config_relocations: Vec<ConfigRelocation>,
    #[serde(default)]
    env_disables: Vec<EnvDisable>,
    default_command: Option<String>,
    #[serde(default)]
    info_flags: Vec<String>,
    goal_style: Option<GoalStyle>,
    #[serde(default)]
    unlisted_action: Action,
    #[serde(default)]
    assumed_env: BTreeMap<String, String>,
    #[serde(rename = "cache")]
    caches: Vec<Cache>,
    #[serde(default)]
    mount: Mount,
    #[serde(default, rename = "command")]
    commands: Vec<Command>,
    /// What the package rules (DL30xx) check of its commands.
    #[serde(default)]
    lint: Lint,
    /// What its install reads and writes of the project beyond the manifests.
    #[serde(default)]
    project: ProjectFacts,
}

/// How an install touches the project beyond its manifests: the facts that decide whether it
/// can run before the sources are copied in (DC003) without changing the build's result.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectFacts {
    /// Directories the install creates where it runs (`node_modules`): a copy of the sources
    /// made after it overwrites them when the build context holds them too.
    #[serde(default)]
    pub writes: Vec<String>,
    /// A JSON manifest whose content can make the install read or run more of the project.
    pub json_manifest: Option<String>,
    /// Dotted keys of that manifest whose presence means so (`scripts.postinstall`).
    #[serde(default)]
    pub source_keys: Vec<String>,
    /// Tables of that manifest that map dependency names to version specs.
    #[serde(default)]
    pub dependency_tables: Vec<String>,
    /// Version specs with these prefixes point into the project (`file:`, `workspace:`).
    #[serde(default)]
    pub local_spec_prefixes: Vec<String>,
    /// Files whose presence in the context makes the install read more (`binding.gyp`).
    #[serde(default)]
    pub source_files: Vec<String>,
    /// A text manifest, and patterns of its lines that make the install read more of the
    /// project (a Gemfile's `gemspec`, `path:` gems).
    pub text_manifest: Option<String>,
    #[serde(default)]
    pub source_line_patterns: Vec<String>,
    #[serde(skip)]
    compiled_line_patterns: std::sync::OnceLock<Vec<regex::Regex>>,
}

impl ProjectFacts {
    /// `source_line_patterns`, compiled once (the table's tests check that each compiles).
    pub fn source_line_regexes(&self) -> &[regex::Regex] {
        self.compiled_line_patterns.get_or_init(|| {
            self.source_line_patterns
                .iter()
                .filter_map(|p| regex::Regex::new(p).ok())
                .collect()
        })
    }
}

/// The package rules' facts about one manager: which commands ask for confirmation and how
/// to answer yes, how a package's version is pinned, and the like.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Lint {
    pub yes: Option<YesPolicy>,
    pub pin: Option<PinPolicy>,
    /// Install commands that bring in recommended packages unless told not to (apt).
    pub recommends: Option<RecommendsPolicy>,
    /// An executable meant for people, and the one scripts should run instead (apt, apt-get).
    pub interactive: Option<InteractivePolicy>,
    /// Subcommands that upgrade the whole distribution (`zypper dist-upgrade`).
    #[serde(default)]
    pub distribution_upgrade: Vec<String>,
    /// Subcommands (as written) whose downloads the manager keeps in its cache, and the command
    /// that cleans them (`yum clean all`): for the clean-the-cache rules.
    pub clean: Option<CleanPolicy>,
}

/// Commands that prompt unless told yes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct YesPolicy {
    /// Subcommands, as written (`install`, `groupinstall`).
    pub commands: Vec<String>,
    /// Flags that answer yes (long or short, as written alone).
    pub flags: Vec<String>,
    /// A letter that says yes inside grouped short flags (`-qy`).
    pub short: Option<char>,
    /// The flag the fix adds after the subcommand.
    pub add: String,
    /// The added flag is a global option: it goes right after the program (`zypper -n`),
    /// where every subcommand accepts it.
    #[serde(default)]
    pub global: bool,
}

/// How a package operand carries a version.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PinPolicy {
    /// Subcommands, as written, whose operands are packages to pin.
    pub commands: Vec<String>,
    /// Text that, found in an operand, marks a version (`=`, `==`, `@`).
    #[serde(default)]
    pub marks: Vec<String>,
    /// `@scope/name`: the leading `@` of a scoped name is no version mark (npm).
    #[serde(default)]
    pub scoped_names: bool,
    /// `name-1.2.3`: a dash followed by a version (rpm names).
    #[serde(default)]
    pub dash_version: bool,
    /// Versions that float, so name one is no pin (`@latest`).
    #[serde(default)]
    pub floating: Vec<String>,
    /// Flags whose value pins every package of the command (`gem install x -v 1`).
    #[serde(default)]
    pub version_flags: Vec<String>,
    /// Flags that choose a release to install from, which pins the set (`apt-get -t`).
    #[serde(default)]
    pub release_flags: Vec<String>,
    /// Flags that read packages from a requirements, constraints or lock file: the file
    /// decides the versions.
    #[serde(default)]
    pub file_flags: Vec<String>,
}

/// Install commands that also install recommended packages unless a flag or setting says no.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RecommendsPolicy {
    pub commands: Vec<String>,
    /// Flags that turn recommendations off; the first is the one the fix adds.
    pub flags: Vec<String>,
    /// `-o` values that turn them off (`APT::Install-Recommends=false`).
    #[serde(default)]
    pub settings: Vec<String>,
}

/// An executable for interactive use and its scripting equivalent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InteractivePolicy {
    pub executable: String,
    pub instead: String,
    /// Subcommands that do the same under `instead`: replacing the program is safe for them.
    pub same_commands: Vec<String>,
}

/// The command that cleans the manager's download cache after installs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CleanPolicy {
    /// Subcommands, as written, that leave downloads behind.
    pub commands: Vec<String>,
    /// The clean command to suggest, as typed.
    pub suggest: String,
    /// The ids of the caches that must not stay in the layer; all of them when empty.
    #[serde(default)]
    pub caches: Vec<String>,
    /// Why a cache mount there changes the image, when it does (it holds more than downloads).
    pub mount_caveat: Option<String>,
    /// Only these executables; all when empty.
    #[serde(default)]
    pub executables: Vec<String>,
}

fn yes() -> bool {
    true
}

/// `python -m pip`: the interpreter (by name) and the module.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModuleInvocation {
    interpreter: String,
    module: String,
}

/// How positional words are read when they are goals or tasks rather than one subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GoalStyle {
    /// Maven: `dependency:go-offline`, also `group:maven-dependency-plugin:3.6.1:go-offline`.
    Maven,
    /// Gradle: `build`, also project-qualified `:app:build`.
    Gradle,
}

/// A command-line flag that moves a cache: `--cache-dir DIR`, `-Dmaven.repo.local=DIR`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CacheDirFlagSpec {
    flag: String,
    /// The value must start with this; the directory is what follows.
    #[serde(default)]
    prefix: String,
    /// The id of the cache it moves.
    cache: String,
}

/// `<manager> <command> [options] <key> <dir>`: moves a cache for the user from then on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigRelocation {
    /// Space-separated words after the manager: `config set`.
    command: String,
    /// The setting's names (`store-dir`, `store_dir`); `key=dir` is read too.
    keys: Vec<String>,
    /// The id of the cache it moves.
    cache: String,
    /// The cache ends up somewhere under the directory that dlint cannot name (Bundler's
    /// `path`: `<dir>/ruby/<version>/cache`).
    #[serde(default)]
    unknown_suffix: bool,
}

impl ConfigRelocation {
    pub fn cache(&self) -> &str {
        &self.cache
    }
    /// The directory this command sets, if `argv[args_start..]` is this command.
    pub fn dir_set(&self, argv: &[&str], args_start: usize) -> Option<String> {
        let words: Vec<&str> = self.command.split(' ').collect();
        let rest = argv.get(args_start..)?;
        if rest.len() < words.len() || rest.iter().zip(&words).any(|(a, b)| a != b) {
            return None;
        }
        let operands: Vec<&str> = rest[words.len()..]
            .iter()
            .copied()
            .filter(|w| !w.starts_with('-'))
            .collect();
        let dir = match operands.as_slice() {
            [kv] => {
                let (k, v) = kv.split_once('=')?;
                self.keys.iter().any(|key| key == k).then_some(v)?
            }
            [k, v, ..] if self.keys.iter().any(|key| key == k) => v,
            _ => return None,
        };
        Some(if self.unknown_suffix {
            format!("{}/*", dir.trim_end_matches('/'))
        } else {
            dir.to_string()
        })
    }
}

/// An environment variable that disables the cache.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EnvDisable {
    var: String,
    when: DisableWhen,
}

/// How an [`EnvDisable`] variable's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DisableWhen {
    /// Any value disables, false-looking ones included (pip).
    AnyValue,
    /// Only a true boolean disables (uv).
    Truthy,
}

/// One cache directory of a manager.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cache {
    id: String,
    dir: String,
    root_dir: Option<String>,
    /// The cache is where later build steps read the dependencies from (Go's module cache,
    /// Maven's repository), not only a download cache: every step that reads it needs the
    /// same mount, and an image that runs the manager needs it in the image.
    #[serde(default)]
    holds_dependencies: bool,
    #[serde(default)]
    relocate: Vec<Relocation>,
}

/// An environment variable that moves a cache to `$VAR/suffix`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Relocation {
    var: String,
    #[serde(default)]
    suffix: String,
    /// A `:`-separated list whose first entry counts (GOPATH).
    #[serde(default)]
    list: bool,
    /// The cache lies somewhere below `$VAR` that dlint cannot name (`$BUNDLE_PATH/ruby/<ver>/cache`).
    #[serde(default)]
    unknown_suffix: bool,
}

/// What a cache mount for the manager needs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Mount {
    sharing: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    setup: Vec<SetupStep>,
}

/// What a cache mount needs before it keeps anything, and why: a shell command to run once
/// (`run`, which changes the image's configuration), or a flag for each install command
/// (`flag`, which changes nothing in the image). Exactly one of the two.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SetupStep {
    #[serde(default)]
    run: String,
    #[serde(default)]
    flag: String,
    /// Where `run` writes, when its text does not name it (`zypper modifyrepo`): for the fix's
    /// description.
    #[serde(default)]
    changes: String,
    why: String,
    /// Text whose presence in a RUN of the stage shows the step was done (by this or any
    /// equivalent command).
    done_if_mentioned: String,
    /// The id of the cache the step matters for; all of the manager's caches when absent.
    cache: Option<String>,
}

impl SetupStep {
    /// The shell command, if the step is one.
    pub fn run(&self) -> Option<&str> {
        (!self.run.is_empty()).then_some(self.run.as_str())
    }
    /// The flag for each install command, if the step is one.
    pub fn flag(&self) -> Option<&str> {
        (!self.flag.is_empty()).then_some(self.flag.as_str())
    }
    /// Where the command writes, when its text does not say.
    pub fn changes(&self) -> Option<&str> {
        (!self.changes.is_empty()).then_some(self.changes.as_str())
    }
    /// Why it is needed, for messages.
    pub fn why(&self) -> &str {
        &self.why
    }
    /// The id of the cache this step matters for (None: every cache of the manager).
    pub fn cache_id(&self) -> Option<&str> {
        self.cache.as_deref()
    }
    /// Whether a RUN script with this text does the step.
    pub fn done_by(&self, script: &str) -> bool {
        script.contains(&self.done_if_mentioned)
    }
}

/// A subcommand (or goal) the table knows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Command {
    /// Space-separated words: `install`, `cache purge`, `mod download`.
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    action: Action,
    #[serde(default)]
    manifest_only: ManifestOnly,
    #[serde(default)]
    requires_all: Vec<String>,
    #[serde(default)]
    requires_any: Vec<String>,
    /// The command has its action only when one of these flags is present (`go clean -cache`).
    #[serde(default)]
    when_any: Vec<String>,
    #[serde(default)]
    operands: Operands,
    #[serde(default)]
    manifest_flags: Vec<String>,
    #[serde(default)]
    operand_flags: Vec<String>,
    /// Overrides the manager's manifests as the files this command reads.
    manifests: Option<Vec<String>>,
    /// The ids of the caches the command uses (or empties, for a wipe); all when absent
    /// (`go mod download` fills the module cache, not the build cache).
    caches: Option<Vec<String>>,
}

/// When an install needs only manifest files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestOnly {
    #[default]
    Never,
    Always,
    NoPackages,
    ManifestFlags,
}

/// What the words after a command are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operands {
    #[default]
    Packages,
    Manifests,
    Ignored,
}

impl Command {
    /// The canonical name (`install` for `npm i`).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// What it does.
    pub fn action(&self) -> Action {
        self.action
    }
    /// Whether it uses (or empties) the cache with this id.
    pub fn uses_cache_id(&self, id: &str) -> bool {
        self.caches
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|c| c == id))
    }
    fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

impl Knowledge {
    /// Parse and validate a table.
    pub fn from_toml(text: &str) -> Result<Knowledge, KnowledgeError> {
        let k: Knowledge =
            toml::from_str(text).map_err(|e| KnowledgeError::Parse(e.to_string()))?;
        Self::validated(k)
    }

    /// Parse and validate the table converted to JSON by `build.rs`.
    pub fn from_json(text: &str) -> Result<Knowledge, KnowledgeError> {
        let k: Knowledge =
            serde_json::from_str(text).map_err(|e| KnowledgeError::Parse(e.to_string()))?;
        Self::validated(k)
    }

    /// Parse the embedded table without validating it (see [`knowledge`]).
    fn from_trusted_json(text: &str) -> Result<Knowledge, KnowledgeError> {
        serde_json::from_str(text).map_err(|e| KnowledgeError::Parse(e.to_string()))
    }

    fn validated(k: Knowledge) -> Result<Knowledge, KnowledgeError> {
        let problems = validate::validate(&k);
        if problems.is_empty() {
            Ok(k)
        } else {
            Err(KnowledgeError::Invalid(problems))
        }
    }

    /// Every manager, in table order.
    pub fn managers(&self) -> &[Manager] {
        &self.managers
    }

    /// The manager with this name (`pip`, `apt`, `maven`, ...).
    pub fn manager(&self, name: &str) -> Option<&Manager> {
        self.managers.iter().find(|m| m.name == name)
    }

    /// Does the variable `name` set to `value` disable some manager's cache? pip's
    /// `PIP_NO_CACHE_DIR` does for any value (`0` and `false` included); uv's `UV_NO_CACHE`
    /// only for a true boolean. Build args count too: they are environment variables for RUN.
    pub fn env_disables_cache(&self, name: &str, value: &str) -> Option<&Manager> {
        self.managers.iter().find(|m| {
            m.env_disables.iter().any(|d| {
                d.var == name
                    && match d.when {
                        DisableWhen::AnyValue => true,
                        DisableWhen::Truthy => self.is_truthy(value),
                    }
            })
        })
    }

    /// The variables that can disable a cache, with their manager.
    pub fn cache_disabling_vars(&self) -> impl Iterator<Item = (&Manager, &str)> {
        self.managers
            .iter()
            .flat_map(|m| m.env_disables.iter().map(move |d| (m, d.var.as_str())))
    }

    /// The caches a variable named `name` relocates (`XDG_CACHE_HOME` moves several).
    pub fn env_relocates_cache(&self, name: &str) -> Vec<CacheEnvRef<'_>> {
        let mut out = Vec::new();
        for m in &self.managers {
            for c in &m.caches {
                for r in c.relocate.iter().filter(|r| r.var == name) {
                    out.push(CacheEnvRef {
                        manager: m,
                        cache: c,
                        suffix: &r.suffix,
                    });
                }
            }
        }
        out
    }

    /// Whether `value` reads as a true boolean.
    pub fn is_truthy(&self, value: &str) -> bool {
        let v = value.trim();
        self.truthy_values.iter().any(|t| t.eq_ignore_ascii_case(v))
    }

    fn wrapper_for(&self, base: &str) -> Option<&Wrapper> {
        self.wrappers
            .iter()
            .find(|w| w.executables.iter().any(|e| e == base))
    }

    fn interpreter_for(&self, base: &str) -> Option<&Interpreter> {
        self.interpreters.iter().find(|i| {
            i.executables
                .iter()
                .any(|e| name_matches(e, base, i.versioned))
        })
    }

    fn manager_for_executable(&self, base: &str) -> Option<&Manager> {
        self.managers.iter().find(|m| {
            m.executables
                .iter()
                .any(|e| name_matches(e, base, m.versioned))
        })
    }

    fn manager_for_module(&self, interpreter: &str, module: &str) -> Option<&Manager> {
        self.managers.iter().find(|m| {
            m.modules
                .iter()
                .any(|mi| mi.interpreter == interpreter && mi.module == module)
        })
    }
}

/// A cache a variable relocates: the cache moves to `$VAR/suffix` (just `$VAR` when empty).
#[derive(Debug, Clone, Copy)]
pub struct CacheEnvRef<'k> {
    pub manager: &'k Manager,
    pub cache: &'k Cache,
    pub suffix: &'k str,
}

/// `pip` matches `pip`; with `versioned`, also `pip3`, `pip3.12` (not `pipx`, `pipenv`).
fn name_matches(name: &str, word: &str, versioned: bool) -> bool {
    match word.strip_prefix(name) {
        Some("") => true,
        Some(rest) if versioned => {
            rest.starts_with(|c: char| c.is_ascii_digit())
                && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        }
        _ => false,
    }
}

impl Manager {
    /// What the package rules check of its commands.
    pub fn lint(&self) -> &Lint {
        &self.lint
    }

    /// What its install reads and writes of the project beyond the manifests.
    pub fn project(&self) -> &ProjectFacts {
        &self.project
    }

    /// The table's name for it: `pip`, `apt`, `maven`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A human name for messages.
    pub fn ecosystem(&self) -> &str {
        &self.ecosystem
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    /// The executable names it is invoked as (matched against the last path component).
    pub fn executables(&self) -> &[String] {
        &self.executables
    }

    /// Whether it uses its download cache without extra setup.
    pub fn caches_by_default(&self) -> bool {
        self.caches_by_default
    }

    /// Whether an install downloads the package index itself when none is cached.
    pub fn fetches_missing_index(&self) -> bool {
        self.fetches_missing_index
    }

    /// Globs of the files an install reads before the source: `requirements*.txt`, `package.json`.
    pub fn manifests(&self) -> &[String] {
        &self.manifests
    }

    /// Flags that disable the cache (`--no-cache-dir`, `--no-cache`).
    pub fn no_cache_flags(&self) -> &[String] {
        &self.no_cache_flags
    }

    /// Its caches, as templates (see [`Cache::template`]).
    pub fn caches(&self) -> &[Cache] {
        &self.caches
    }

    /// The cache with this id.
    pub fn cache(&self, id: &str) -> Option<&Cache> {
        self.caches.iter().find(|c| c.id == id)
    }

    /// The commands the table knows for it.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// Effective cache directories for a user whose home is `home` (`/root` for root), with
    /// `env` giving the variables in effect (ENV and ARG). Relocation variables win, in the
    /// table's order; then the values the official images set; then the defaults.
    pub fn cache_dirs(&self, home: &str, env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        self.caches
            .iter()
            .map(|c| self.cache_dir(c, home, env))
            .collect()
    }

    /// The effective directory of one of its caches (see [`Manager::cache_dirs`]).
    pub fn cache_dir(
        &self,
        cache: &Cache,
        home: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> String {
        for r in &cache.relocate {
            let value = env(&r.var)
                .filter(|v| !v.is_empty())
                .or_else(|| self.assumed_env.get(&r.var).cloned());
            let Some(value) = value else { continue };
            let base = if r.list {
                value.split(':').next().unwrap_or_default().to_string()
            } else {
                value
            };
            if base.is_empty() {
                continue;
            }
            if r.unknown_suffix {
                return join_path(&base, "*");
            }
            return join_path(&base, &r.suffix);
        }
        let home = home.trim_end_matches('/');
        if (home == "/root" || home.is_empty())
            && let Some(root) = &cache.root_dir
        {
            return root.clone();
        }
        let home = if home.is_empty() { "/" } else { home };
        match cache.dir.strip_prefix("$HOME") {
            Some(rest) => join_path(home, rest.trim_start_matches('/')),
            None => cache.dir.clone(),
        }
    }

    /// Cache directories for root with nothing relocated.
    pub fn root_cache_dirs(&self) -> Vec<String> {
        self.cache_dirs("/root", &|_| None)
    }

    /// Commands that move one of its caches for later commands (`pnpm config set store-dir`).
    pub fn config_relocations(&self) -> &[ConfigRelocation] {
        &self.config_relocations
    }

    /// The executables and the program words it runs as: whether `word` (a path or a name)
    /// runs it directly.
    pub fn is_executable(&self, word: &str) -> bool {
        let base = word.rsplit('/').next().unwrap_or(word);
        self.executables
            .iter()
            .any(|e| name_matches(e, base, self.versioned))
    }

    /// The `sharing=` its cache mounts need (`locked` for package databases), if not the default.
    pub fn mount_sharing(&self) -> Option<&str> {
        self.mount.sharing.as_deref()
    }

    /// Environment a RUN with its cache mount should set (`UV_LINK_MODE=copy`).
    pub fn mount_env(&self) -> impl Iterator<Item = (&str, &str)> {
        self.mount.env.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// What a cache mount needs before it keeps anything (apt's docker-clean, dnf's keepcache).
    pub fn setup_for_mount(&self) -> &[SetupStep] {
        &self.mount.setup
    }

    /// Values the official images set for its variables (`GOPATH=/go`).
    pub fn assumed_env(&self) -> impl Iterator<Item = (&str, &str)> {
        self.assumed_env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl Cache {
    /// Its id within the manager (`mod`, `build` for go).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The default directory: absolute, or `$HOME/...`.
    pub fn template(&self) -> &str {
        &self.dir
    }
    /// Whether later build steps read dependencies from it (see the table's `holds-dependencies`).
    pub fn holds_dependencies(&self) -> bool {
        self.holds_dependencies
    }
    /// Whether the default directory lies in the user's home.
    pub fn is_home_based(&self) -> bool {
        self.dir.starts_with("$HOME/")
    }
    /// Root's directory when it is not under `/root` (yarn's `/usr/local/share/.cache/yarn`).
    pub fn root_dir(&self) -> Option<&str> {
        self.root_dir.as_deref()
    }
    /// The variables that move it, in order of precedence, with their sub-path.
    pub fn relocations(&self) -> impl Iterator<Item = (&str, &str)> {
        // A cache somewhere below the variable's directory reads as a general relocation.
        self.relocate.iter().map(|r| {
            let suffix = if r.unknown_suffix {
                "*"
            } else {
                r.suffix.as_str()
            };
            (r.var.as_str(), suffix)
        })
    }
}

fn join_path(base: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        return base.to_string();
    }
    let base = base.trim_end_matches('/');
    format!("{base}/{suffix}")
}
