//! The rule engine: the registry of every rule, the context a rule sees, and running the
//! selected rules over one file.

pub mod selection;
mod syntax_error;
pub mod unused_suppression;

use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::model::Model;
use crate::source::SourceFile;
use crate::suppression::{self, Silenced};
use crate::syntax::Dockerfile;
use std::collections::BTreeMap;
use std::sync::Arc;

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
        &syntax_error::SyntaxError,
        &unused_suppression::UnusedSuppression,
    ];
    RULES
}

pub fn all_meta() -> Vec<RuleMeta> {
    registry().iter().map(|r| r.meta()).collect()
}

/// The rule with this code, name or alias (any case).
pub fn find(code_or_name: &str) -> Option<RuleMeta> {
    registry().iter().map(|r| r.meta()).find(|m| {
        m.code.eq_ignore_ascii_case(code_or_name)
            || m.name.eq_ignore_ascii_case(code_or_name)
            || m.aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(code_or_name))
    })
}

/// What a rule may look at for one file.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub syntax: &'a Dockerfile,
    pub model: &'a Model,
    /// The running rule's `[rules.CODE]` table from the configuration, if any (set by the
    /// engine before each rule runs).
    pub rule_options: Option<&'a toml::Table>,
}

impl Context<'_> {
    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// The rule option `key` from `[rules.CODE]`, as `T`. None when it is not set; a value of
    /// the wrong type counts as not set, so the rule keeps its default.
    pub fn option<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        let value = self.rule_options?.get(key)?;
        value.clone().try_into().ok()
    }
}

/// Rule options from configuration: rule code -> its `[rules.CODE]` table.
pub type RuleOptions = BTreeMap<&'static str, toml::Table>;

/// Which rules run, at what severity, and with which options.
#[derive(Clone, Debug)]
pub struct RuleSelection {
    enabled: Vec<bool>,
    severity: Vec<Option<Severity>>,
    options: Arc<RuleOptions>,
}

impl Default for RuleSelection {
    fn default() -> Self {
        RuleSelection {
            enabled: vec![true; registry().len()],
            severity: vec![None; registry().len()],
            options: Arc::default(),
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
            options: Arc::default(),
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
    /// The configured severity of rule `code`, when it overrides the rule's default.
    pub fn severity_of(&self, code: &str) -> Option<Severity> {
        registry()
            .iter()
            .position(|r| r.meta().code == code)
            .and_then(|i| self.severity[i])
    }
    pub fn set_options(&mut self, options: RuleOptions) {
        self.options = Arc::new(options);
    }
}

/// What linting one file produced: the findings, and those that suppressions silenced.
#[derive(Debug, Default)]
pub struct Linted {
    pub diagnostics: Vec<Diagnostic>,
    pub silenced: Vec<Silenced>,
}

/// Parse, model and lint one file. Diagnostics come sorted by position and code.
pub fn lint(source: &SourceFile, selection: &RuleSelection) -> Vec<Diagnostic> {
    let syntax = crate::syntax::parse(&source.text);
    lint_parsed(source, &syntax, selection)
}

pub fn lint_parsed(
    source: &SourceFile,
    syntax: &Dockerfile,
    selection: &RuleSelection,
) -> Vec<Diagnostic> {
    lint_file(source, syntax, selection).diagnostics
}

/// Run the selected rules, then the file's suppression comments: what they silence is set
/// apart, and their entries that silenced nothing are reported (DX100).
pub fn lint_file(source: &SourceFile, syntax: &Dockerfile, selection: &RuleSelection) -> Linted {
    let model = Model::build(syntax);
    let mut ctx = Context {
        source,
        syntax,
        model: &model,
        rule_options: None,
    };
    let mut out = Vec::new();
    for (i, rule) in registry().iter().enumerate() {
        if !selection.enabled[i] {
            continue;
        }
        ctx.rule_options = selection.options.get(rule.meta().code);
        let start = out.len();
        rule.check(&ctx, &mut out);
        if let Some(severity) = selection.severity[i] {
            out[start..].iter_mut().for_each(|d| d.severity = severity);
        }
    }
    let mut suppressions = suppression::collect(source, syntax);
    let (mut diagnostics, mut silenced) = suppression::apply(&mut suppressions, out);
    if selection.is_enabled(unused_suppression::CODE) {
        // Unused suppressions may themselves be suppressed (`# dlint global ignore=DX100`).
        let unused = unused_suppression::report(&suppressions, selection);
        let (kept, quiet) = suppression::apply(&mut suppressions, unused);
        diagnostics.extend(kept);
        silenced.extend(quiet);
    }
    diagnostics.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
    Linted {
        diagnostics,
        silenced,
    }
}
