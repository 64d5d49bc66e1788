//! The rule engine: the registry of every rule, the context a rule sees, and running the
//! selected rules over one file.

pub mod buildkit;
pub mod cache;
pub mod context;
pub mod instructions;
pub mod labels;
pub mod meta;
pub mod packages;
pub mod scripts;
pub mod selection;
pub mod shell;

use crate::analysis::installs::Installs;
use crate::analysis::model::Model;
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::source::SourceFile;
use crate::suppression::{self, Silenced};
use crate::syntax::Dockerfile;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a rule is, as [`declare_rule!`](crate::declare_rule) declares it: its metadata and
/// its documentation page (`rules/CODE.md`), embedded at build time.
pub trait Declared {
    fn meta(&self) -> RuleMeta;
    fn doc(&self) -> &'static str;

    /// A finding of this rule at its default severity.
    fn finding(&self, span: crate::source::Span, message: impl Into<String>) -> Diagnostic
    where
        Self: Sized,
    {
        Diagnostic::for_rule(&self.meta(), span, message)
    }
}

/// A lint rule: one per file under `src/rules/<family>/`, with its doc page in `rules/CODE.md`.
/// A rule file declares its metadata once with [`declare_rule!`](crate::declare_rule) and
/// implements only `check`.
pub trait Rule: Declared + Sync {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>);
}

/// Declares a rule: the unit struct, its [`RuleMeta`] and its doc page `rules/CODE.md`.
///
/// ```ignore
/// crate::declare_rule! {
///     pub struct PipNoCacheDir {
///         code: "DC001",
///         name: "pip-no-cache-dir",
///         summary: "...",
///         severity: Warning,
///         fixable: true,
///         default_enabled: false,   // optional, default true
///         aliases: ["OtherName"],   // optional
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[$attr:meta])*
        $vis:vis struct $rule:ident {
            code: $code:literal,
            name: $name:literal,
            summary: $summary:literal,
            severity: $severity:ident,
            fixable: $fixable:literal
            $(, default_enabled: $enabled:literal)?
            $(, aliases: [$($alias:literal),* $(,)?])?
            $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis struct $rule;

        impl $crate::rules::Declared for $rule {
            fn meta(&self) -> $crate::diagnostic::RuleMeta {
                $crate::diagnostic::RuleMeta {
                    code: $code,
                    name: $name,
                    summary: $summary,
                    default_severity: $crate::diagnostic::Severity::$severity,
                    fixable: $fixable,
                    default_enabled: true $(&& $enabled)?,
                    aliases: &[$($($alias),*)?],
                }
            }
            fn doc(&self) -> &'static str {
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $code, ".md"))
            }
        }
    };
}

/// Where the documentation page of the rule `code` (`rules/CODE.md`) is published. JSON,
/// SARIF, `dlint rules` and the language server all take rule URLs from here; they ask only
/// for rules they know.
pub fn doc_url(code: &str) -> String {
    format!("{}/blob/main/rules/{code}.md", env!("CARGO_PKG_REPOSITORY"))
}

/// Every rule dlint has, in code order. `dlint rules`, configuration checks, docs and tests
/// all read this one list; each family folder contributes its own `RULES`.
pub fn registry() -> &'static [&'static dyn Rule] {
    static RULES: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let families: &[&[&'static dyn Rule]] = &[
            buildkit::RULES,
            cache::RULES,
            context::RULES,
            instructions::RULES,
            labels::RULES,
            meta::RULES,
            packages::RULES,
            scripts::RULES,
            shell::RULES,
        ];
        let mut all: Vec<&'static dyn Rule> =
            families.iter().flat_map(|f| f.iter().copied()).collect();
        all.sort_by_key(|r| code_order(r.meta().code));
        all
    })
}

/// The registry's order: by code prefix, then by number (`DL3008` before `DL3013`), then by
/// the whole code for names without a number (BuildKit check names).
fn code_order(code: &'static str) -> (&'static str, u32, &'static str) {
    let digits = code
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(code.len());
    let number = code[digits..].parse().unwrap_or(u32::MAX);
    (&code[..digits], number, code)
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

/// The registry code a finding's code belongs to: its own, or `SC` for a ShellCheck code.
pub fn registry_code(code: &str) -> &str {
    if shell::is_sc_code(code) {
        shell::RULE_CODE
    } else {
        code
    }
}

/// Rules that report the same finding under two tools' names (one shared check): a
/// suppression of either silences both, and where both report one place only the first is kept.
const TWINS: &[(&str, &str)] = &[("BK005", "DL3025")];

/// Whether a suppression naming rule `named` covers a finding of rule `found`.
pub fn same_finding(named: &str, found: &str) -> bool {
    named == found
        || TWINS
            .iter()
            .any(|&(a, b)| (a == named && b == found) || (b == named && a == found))
}

/// Drop the second twin's finding where the first reports the same place.
fn drop_twin_duplicates(out: &mut Vec<Diagnostic>) {
    for &(kept, dropped) in TWINS {
        let spans: Vec<crate::source::Span> = out
            .iter()
            .filter(|d| d.code == kept)
            .map(|d| d.span)
            .collect();
        out.retain(|d| d.code != dropped || !spans.contains(&d.span));
    }
}

/// What a rule may look at for one file.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub syntax: &'a Dockerfile,
    pub model: &'a Model,
    /// The build context the file is built with, when known. Rules that need it stay silent
    /// without it (standard input without `--context`): they never guess.
    pub build_context: Option<&'a crate::context::Context>,
    /// The running rule's `[rules.CODE]` table from the configuration, if any (set by the
    /// engine before each rule runs).
    pub rule_options: Option<&'a toml::Table>,
    /// Every rule's options, for rules that share settings with another rule (the label
    /// rules read the schema of DL3049): see [`Context::option_of`].
    pub all_options: Option<&'a RuleOptions>,
    installs: std::cell::OnceCell<Installs>,
}

impl<'a> Context<'a> {
    pub fn new(source: &'a SourceFile, syntax: &'a Dockerfile, model: &'a Model) -> Self {
        Context {
            source,
            syntax,
            model,
            build_context: None,
            rule_options: None,
            all_options: None,
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

    /// The shell commands of every RUN, parsed once for all rules (the install analysis
    /// holds them).
    pub fn runs(&self) -> &[crate::analysis::runs::Run] {
        &self.installs().runs
    }

    /// The rule option `key` from `[rules.CODE]`, as `T`. None when it is not set; a value of
    /// the wrong type counts as not set, so the rule keeps its default.
    pub fn option<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        let value = self.rule_options?.get(key)?;
        value.clone().try_into().ok()
    }

    /// The option `key` of another rule's `[rules.CODE]` table (for settings two rules
    /// share), as `T`; like [`Context::option`] otherwise.
    pub fn option_of<T: serde::de::DeserializeOwned>(&self, code: &str, key: &str) -> Option<T> {
        let value = self.all_options?.get(code)?.get(key)?;
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
    /// Which SC codes the ShellCheck rule reports when it runs.
    shellcheck: shell::ScFilter,
    /// Whether `# hadolint ignore=` comments silence findings (hadolint's
    /// `disable-ignore-pragma`, dlint's `hadolint-pragmas`); dlint's own comments always do.
    hadolint_pragmas: bool,
}

impl Default for RuleSelection {
    fn default() -> Self {
        RuleSelection {
            enabled: registry()
                .iter()
                .map(|r| r.meta().default_enabled)
                .collect(),
            severity: vec![None; registry().len()],
            options: Arc::default(),
            shellcheck: shell::ScFilter::default(),
            hadolint_pragmas: true,
        }
    }
}

impl RuleSelection {
    pub fn only(codes: &[&str]) -> Self {
        let mut selection = RuleSelection {
            enabled: vec![false; registry().len()],
            severity: vec![None; registry().len()],
            options: Arc::default(),
            shellcheck: shell::ScFilter::default(),
            hadolint_pragmas: true,
        };
        for code in codes {
            selection.set_enabled(code, true);
        }
        selection
    }
    /// Turn a rule on or off. An SC code or prefix (`SC2086`, `SC2`) narrows or widens the
    /// codes the ShellCheck rule reports, turning the rule on when it selects.
    pub fn set_enabled(&mut self, code: &str, on: bool) {
        if shell::is_sc_selector(code) {
            let code = shell::codes::intern(code);
            let rule_on = self.is_enabled(shell::RULE_CODE);
            let filter = &mut self.shellcheck;
            filter.ignored.retain(|c| !c.starts_with(code));
            if on {
                match &mut filter.only {
                    Some(only) if rule_on => only.push(code),
                    None if rule_on => {}
                    _ => filter.only = Some(vec![code]),
                }
                if let Some(i) = registry()
                    .iter()
                    .position(|r| r.meta().code == shell::RULE_CODE)
                {
                    self.enabled[i] = true;
                }
            } else {
                filter.ignored.push(code);
            }
            return;
        }
        if code == shell::RULE_CODE {
            self.shellcheck = shell::ScFilter::default();
        }
        if let Some(i) = registry().iter().position(|r| r.meta().code == code) {
            self.enabled[i] = on;
        }
    }
    pub fn set_severity(&mut self, code: &str, severity: Severity) {
        if let Some(i) = registry().iter().position(|r| r.meta().code == code) {
            self.severity[i] = Some(severity);
        }
    }
    /// Whether findings of `code` are reported. An SC code is when the ShellCheck rule runs,
    /// the code passes the selection, and ShellCheck is installed.
    pub fn is_enabled(&self, code: &str) -> bool {
        if shell::is_sc_code(code) {
            return self.is_enabled(shell::RULE_CODE)
                && self.shellcheck.allows(code)
                && shell::runner::program().is_some();
        }
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
    pub fn set_hadolint_pragmas(&mut self, on: bool) {
        self.hadolint_pragmas = on;
    }
}

/// What linting one file produced: the findings, and those that suppressions silenced.
#[derive(Debug, Default)]
pub struct Linted {
    pub diagnostics: Vec<Diagnostic>,
    pub silenced: Vec<Silenced>,
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
    lint_file(source, syntax, selection, options).diagnostics
}

/// Run the selected rules, then the file's suppression comments: what they silence is set
/// apart, and their entries that silenced nothing are reported (DX100).
pub fn lint_file(
    source: &SourceFile,
    syntax: &Dockerfile,
    selection: &RuleSelection,
    options: &LintOptions,
) -> Linted {
    let model = Model::build(syntax);
    let mut ctx = Context::new(source, syntax, &model);
    ctx.build_context = options.build_context;
    ctx.all_options = Some(&selection.options);
    // `# check=experimental=...` turns on BuildKit's experimental checks for this file.
    let check = suppression::check_options(syntax).unwrap_or_default();
    let experimental = |meta: &RuleMeta| {
        buildkit::check_name(meta).is_some_and(|name| {
            !meta.default_enabled
                && (check.experimental_all || check.experimental.iter().any(|e| e == name))
        })
    };
    let mut out = Vec::new();
    for (i, rule) in registry().iter().enumerate() {
        if !selection.enabled[i] && !experimental(&rule.meta()) {
            continue;
        }
        ctx.rule_options = selection.options.get(rule.meta().code);
        let start = out.len();
        rule.check(&ctx, &mut out);
        if rule.meta().code == shell::RULE_CODE {
            let reported: Vec<Diagnostic> = out
                .drain(start..)
                .filter(|d| selection.shellcheck.allows(d.code))
                .collect();
            out.extend(reported);
        }
        if let Some(severity) = selection.severity[i] {
            out[start..].iter_mut().for_each(|d| d.severity = severity);
        }
    }
    drop_twin_duplicates(&mut out);
    let mut suppressions = suppression::collect(source, syntax);
    if !selection.hadolint_pragmas {
        suppressions.retain(|s| s.tool != suppression::Tool::Hadolint);
    }
    let (mut diagnostics, mut silenced) = suppression::apply(&mut suppressions, out);
    // `# check=error=true`: what BuildKit's checks find fails the build.
    if check.error {
        for d in &mut diagnostics {
            if find(d.code).is_some_and(|m| buildkit::check_name(&m).is_some()) {
                d.severity = Severity::Error;
            }
        }
    }
    if selection.is_enabled(meta::unused_suppression::CODE) {
        // Unused suppressions may themselves be suppressed (`# dlint global ignore=DX100`).
        let unused = meta::unused_suppression::report(&suppressions, selection);
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
