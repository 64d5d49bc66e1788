//! The rule engine: the registry of every rule, the context a rule sees, and running the
//! selected rules over one file.

mod cache_fix;
mod cache_in_layer;
mod cache_mount_defeated;
mod copy_before_install;
mod copy_ignored_file;
mod copy_missing_source;
mod missing_cache_mount;
mod missing_dockerignore;
mod pip_no_cache_dir;
mod pip_no_cache_dir_env;
pub mod selection;
mod syntax_error;

use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::installs::Installs;
use crate::model::Model;
use crate::source::SourceFile;
use crate::syntax::Dockerfile;

/// A lint rule: one per file under `src/rules/`, with its doc page in `rules/CODE.md`.
pub trait Rule: Sync {
    fn meta(&self) -> RuleMeta;
    /// The rule's documentation page (`rules/CODE.md`), embedded at build time.
    fn doc(&self) -> &'static str;
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>);
}

/// Every rule dlint has, in code order. `dlint rules`, configuration checks, docs and tests
/// all read this one list.
pub fn registry() -> &'static [&'static dyn Rule] {
    static RULES: &[&dyn Rule] = &[
        &pip_no_cache_dir::PipNoCacheDir,
        &pip_no_cache_dir_env::PipNoCacheDirEnv,
        &copy_before_install::CopyBeforeInstall,
        &missing_cache_mount::MissingCacheMount,
        &cache_mount_defeated::CacheMountDefeated,
        &cache_in_layer::CacheInLayer,
        &missing_dockerignore::MissingDockerignore,
        &copy_ignored_file::CopyIgnoredFile,
        &copy_missing_source::CopyMissingSource,
        &syntax_error::SyntaxError,
    ];
    RULES
}

pub fn all_meta() -> Vec<RuleMeta> {
    registry().iter().map(|r| r.meta()).collect()
}

pub fn find(code_or_name: &str) -> Option<RuleMeta> {
    registry().iter().map(|r| r.meta()).find(|m| {
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// What a rule may look at for one file.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub syntax: &'a Dockerfile,
    pub model: &'a Model,
    /// The build context the file is built with, when known. Rules that need it stay silent
    /// without it (standard input without `--context`): they never guess.
    pub build_context: Option<&'a crate::context::Context>,
    installs: std::cell::OnceCell<Installs>,
}

impl<'a> Context<'a> {
    pub fn new(source: &'a SourceFile, syntax: &'a Dockerfile, model: &'a Model) -> Self {
        Context {
            source,
            syntax,
            model,
            build_context: None,
            installs: std::cell::OnceCell::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// The package-manager commands of every RUN and their cache state (computed once).
    pub fn installs(&self) -> &Installs {
        self.installs
            .get_or_init(|| Installs::analyse(self.syntax, self.model))
    }
}

/// Which rules run and at what severity.
#[derive(Clone, Debug)]
pub struct RuleSelection {
    enabled: Vec<bool>,
    severity: Vec<Option<Severity>>,
}

impl Default for RuleSelection {
    fn default() -> Self {
        RuleSelection {
            enabled: vec![true; registry().len()],
            severity: vec![None; registry().len()],
        }
    }
}

impl RuleSelection {
    pub fn only(codes: &[&str]) -> Self {
        let enabled = registry()
            .iter()
            .map(|r| codes.contains(&r.meta().code))
            .collect();
        RuleSelection {
            enabled,
            severity: vec![None; registry().len()],
        }
    }
    pub fn set_enabled(&mut self, code: &str, on: bool) {
        if let Some(i) = registry().iter().position(|r| r.meta().code == code) {
            self.enabled[i] = on;
        }
    }
    pub fn set_severity(&mut self, code: &str, severity: Severity) {
        if let Some(i) = registry().iter().position(|r| r.meta().code == code) {
            self.severity[i] = Some(severity);
        }
    }
    pub fn is_enabled(&self, code: &str) -> bool {
        registry()
            .iter()
            .position(|r| r.meta().code == code)
            .is_some_and(|i| self.enabled[i])
    }
}

/// What a lint run knows besides the file itself. A struct, so that new inputs do not change
/// the signature of `lint` again.
#[derive(Clone, Copy, Debug, Default)]
pub struct LintOptions<'a> {
    /// The build context of the file (see [`Context::build_context`]).
    pub build_context: Option<&'a crate::context::Context>,
}

/// Parse, model and lint one file. Diagnostics come sorted by position and code.
pub fn lint(
    source: &SourceFile,
    selection: &RuleSelection,
    options: &LintOptions,
) -> Vec<Diagnostic> {
    let syntax = crate::syntax::parse(&source.text);
    lint_parsed(source, &syntax, selection, options)
}

pub fn lint_parsed(
    source: &SourceFile,
    syntax: &Dockerfile,
    selection: &RuleSelection,
    options: &LintOptions,
) -> Vec<Diagnostic> {
    let model = Model::build(syntax);
    let mut ctx = Context::new(source, syntax, &model);
    ctx.build_context = options.build_context;
    let mut out = Vec::new();
    for (i, rule) in registry().iter().enumerate() {
        if !selection.enabled[i] {
            continue;
        }
        let start = out.len();
        rule.check(&ctx, &mut out);
        if let Some(severity) = selection.severity[i] {
            out[start..].iter_mut().for_each(|d| d.severity = severity);
        }
    }
    out.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
    out
}
