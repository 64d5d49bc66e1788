//! The settings each file is linted with: the command line over the configuration that applies
//! to the file (`--config`, else the nearest `dlint.toml`, else the nearest `.hadolint.yaml`;
//! none with `--isolated`). `check` and `fix` both ask the [`Resolver`], once per file; each
//! configuration file is read once however many files it applies to.

use super::{Config, ConfigError, Origin};
use crate::diagnostic::Severity;
use crate::rules::RuleSelection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the command line says; it wins over any configuration file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--config FILE`: this file for every input, instead of looking for one.
    pub config: Option<PathBuf>,
    /// `--isolated`: no configuration at all.
    pub isolated: bool,
    pub select: Option<Vec<&'static str>>,
    pub extend_select: Vec<&'static str>,
    pub ignore: Vec<&'static str>,
    /// Some(None): `--fail-level none`.
    pub fail_level: Option<Option<Severity>>,
    /// `--unsafe-fixes` (only ever turns them on).
    pub unsafe_fixes: bool,
}

/// How one file is linted and judged.
#[derive(Clone, Debug)]
pub struct FileSettings {
    pub selection: RuleSelection,
    /// None: findings never fail the run.
    pub fail_level: Option<Severity>,
    pub unsafe_fixes: bool,
}

impl FileSettings {
    /// Whether these findings fail the run (ignoring `--exit-zero`, which is the run's).
    pub fn fails(&self, diagnostics: &[crate::diagnostic::Diagnostic]) -> bool {
        self.fail_level
            .is_some_and(|level| diagnostics.iter().any(|d| d.severity >= level))
    }
}

pub struct Resolver {
    overrides: Overrides,
    /// The `--config` file, read up front.
    fixed: Option<Arc<Config>>,
    /// Directory -> the configuration that applies to files in it.
    by_dir: HashMap<PathBuf, Option<Arc<Config>>>,
    /// Configuration file -> its contents, read once.
    by_file: HashMap<PathBuf, Arc<Config>>,
    /// Configuration file (None: no configuration) -> the settings before per-file ignores.
    base: HashMap<Option<PathBuf>, FileSettings>,
    /// What verbose output should say about configuration (which hadolint file was used).
    pub notes: Vec<String>,
    /// The configuration files `notes` already mention.
    announced: Vec<PathBuf>,
    /// Whether `notes` already says that some file has no configuration.
    announced_defaults: bool,
}

impl Resolver {
    pub fn new(overrides: Overrides) -> Result<Resolver, ConfigError> {
        let mut resolver = Resolver {
            overrides,
            fixed: None,
            by_dir: HashMap::new(),
            by_file: HashMap::new(),
            base: HashMap::new(),
            notes: Vec::new(),
            announced: Vec::new(),
            announced_defaults: false,
        };
        if let Some(path) = resolver.overrides.config.clone()
            && !resolver.overrides.isolated
        {
            resolver.fixed = Some(resolver.read(&path)?);
        }
        Ok(resolver)
    }

    fn read(&mut self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(config) = self.by_file.get(path) {
            return Ok(config.clone());
        }
        let is_yaml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        let config = Arc::new(if is_yaml {
            super::hadolint::load(path)?
        } else {
            super::load(path)?
        });
        self.by_file.insert(path.to_path_buf(), config.clone());
        Ok(config)
    }

    /// The configuration that applies to `file` (as given; `-` means standard input in the
    /// working directory), if any.
    pub fn config_for(&mut self, file: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if self.overrides.isolated {
            return Ok(None);
        }
        if let Some(fixed) = &self.fixed {
            return Ok(Some(fixed.clone()));
        }
        let dir = super::absolute(file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if let Some(found) = self.by_dir.get(&dir) {
            return Ok(found.clone());
        }
        let path = super::find_nearest(&dir).or_else(|| super::hadolint::find_nearest(&dir));
        let found = match path {
            Some(path) => Some(self.read(&shown(&path))?),
            None => None,
        };
        self.by_dir.insert(dir, found.clone());
        Ok(found)
    }

    /// Whether `exclude` in the applicable configuration names `file`.
    pub fn is_excluded(&mut self, file: &Path) -> Result<bool, ConfigError> {
        Ok(self
            .config_for(file)?
            .is_some_and(|c| c.excludes(&super::absolute(file))))
    }

    /// The settings `file` is linted with.
    pub fn settings_for(&mut self, file: &Path) -> Result<FileSettings, ConfigError> {
        let config = self.config_for(file)?;
        let key = config.as_ref().map(|c| c.path.clone());
        let base = match self.base.get(&key) {
            Some(base) => base.clone(),
            None => {
                let base = self.combine(config.as_deref());
                self.base.insert(key, base.clone());
                base
            }
        };
        let Some(config) = config else {
            if !self.announced_defaults {
                self.announced_defaults = true;
                self.notes.push(format!(
                    "no configuration file applies to {}: using the defaults",
                    file.display()
                ));
            }
            return Ok(base);
        };
        if !self.announced.contains(&config.path) {
            self.announced.push(config.path.clone());
            self.notes.push(match config.origin {
                Origin::Hadolint => {
                    format!("using hadolint configuration {}", config.path.display())
                }
                Origin::Dlint => format!("using configuration {}", config.path.display()),
            });
            for note in &config.notes {
                self.notes
                    .push(format!("{}: {note}", config.path.display()));
            }
        }
        let absolute = super::absolute(file);
        let mut settings = base;
        for (globs, codes) in &config.per_file_ignores {
            if globs.matches(&absolute) {
                for code in codes {
                    settings.selection.set_enabled(code, false);
                }
            }
        }
        Ok(settings)
    }

    /// The configuration's choices, then the command line's over them: each `select` starts
    /// again from what it names, `extend-select` adds, `ignore` takes away.
    fn combine(&self, config: Option<&Config>) -> FileSettings {
        let mut selection = RuleSelection::default();
        let o = &self.overrides;
        let layers = config
            .map(|c| (&c.select, &c.extend_select, &c.ignore))
            .into_iter()
            .chain([(&o.select, &o.extend_select, &o.ignore)]);
        for (select, extend, ignore) in layers {
            if let Some(select) = select {
                selection = RuleSelection::only(select);
            }
            for code in extend {
                selection.set_enabled(code, true);
            }
            for code in ignore {
                selection.set_enabled(code, false);
            }
        }
        if let Some(config) = config {
            for (code, severity) in &config.severity {
                selection.set_severity(code, *severity);
            }
            selection.set_options(config.rule_options.clone());
            if let Some(on) = config.hadolint_pragmas {
                selection.set_hadolint_pragmas(on);
            }
        }
        let fail_level = o
            .fail_level
            .or_else(|| config.and_then(|c| c.fail_level))
            .unwrap_or(Some(Severity::Info));
        FileSettings {
            selection,
            fail_level,
            unsafe_fixes: o.unsafe_fixes || config.and_then(|c| c.unsafe_fixes).unwrap_or(false),
        }
    }
}

/// A found configuration path as messages should show it: relative to the working directory
/// when it is below it.
fn shown(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
