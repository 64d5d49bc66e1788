//! What rules report: diagnostics with spans, related locations, help, and fixes.

use crate::source::Span;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Ordered from least to most severe so comparisons read naturally.
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "style" => Some(Severity::Style),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Behaviour may change; applied only with `--unsafe-fixes`.
    Unsafe,
    /// The build does the same thing, only better; applied by `dlint fix`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` in the original text with `content`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Self {
        Edit {
            span,
            content: content.into(),
        }
    }
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Edit::replace(Span::empty(at), content)
    }
    pub fn delete(span: Span) -> Self {
        Edit::replace(span, "")
    }
}

/// A set of non-overlapping edits that together resolve one diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub description: String,
    pub edits: Vec<Edit>,
    /// A file the fix creates besides editing the Dockerfile (a `.dockerignore`). The fix
    /// engine edits the Dockerfile's bytes only; `dlint fix` writes this file, and never over
    /// an existing one.
    pub creates: Option<NewFile>,
}

/// A file to create, with its full contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFile {
    pub path: std::path::PathBuf,
    pub content: String,
}

impl Fix {
    pub fn safe(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix::new(Applicability::Safe, description, edits)
    }
    pub fn unsafe_(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix::new(Applicability::Unsafe, description, edits)
    }
    pub fn new(
        applicability: Applicability,
        description: impl Into<String>,
        mut edits: Vec<Edit>,
    ) -> Self {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix {
            applicability,
            description: description.into(),
            edits,
            creates: None,
        }
    }
    /// A fix that only creates a file. Creating a file changes what the build sees, so the
    /// caller states the applicability.
    pub fn create_file(
        applicability: Applicability,
        description: impl Into<String>,
        path: std::path::PathBuf,
        content: String,
    ) -> Self {
        Fix {
            creates: Some(NewFile { path, content }),
            ..Fix::new(applicability, description, Vec::new())
        }
    }
}

/// A secondary location, e.g. the install that a misplaced COPY busts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub related: Vec<Related>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding of the rule `meta` at its default severity (configuration may change it).
    pub fn for_rule(meta: &RuleMeta, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(meta.code, meta.name, meta.default_severity, span, message)
    }

    pub fn new(
        code: &'static str,
        rule: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            rule,
            severity,
            message: message.into(),
            span,
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }
    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
}

/// What output formats need to know about a rule (SARIF's driver rules, statistics).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    /// One sentence: what the rule finds.
    pub summary: &'static str,
    pub default_severity: Severity,
    /// Whether the rule can offer a fix at all.
    pub fixable: bool,
    /// Whether the rule runs when no selector names it. Rules off by default (experimental
    /// checks, advice that is noise for most builds) run when selected by code, name, alias
    /// or `ALL`, not by a prefix.
    pub default_enabled: bool,
    /// Other names the rule answers to in selectors and suppressions, such as BuildKit's
    /// check name (`CopyIgnoredFile`), so suppressions written for those tools carry over.
    pub aliases: &'static [&'static str],
}

/// Every diagnostic of one linted file, with the file they point into.
#[derive(Debug)]
pub struct FileReport<'a> {
    pub source: &'a crate::source::SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}
