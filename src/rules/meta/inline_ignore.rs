//! DL1001 inline-ignore: an inline ignore comment (off by default).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::suppression::{self, Tool};

crate::declare_rule! {
    pub struct InlineIgnore {
        code: "DL1001",
        name: "inline-ignore",
        summary: "An inline `# hadolint ignore=` or `# dlint ignore=` comment (for teams that allow ignores only in configuration).",
        severity: Info,
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for InlineIgnore {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for s in suppression::collect(ctx.source, ctx.syntax) {
            if s.scope.is_some() && matches!(s.tool, Tool::Hadolint | Tool::Dlint) {
                out.push(self.finding(
                    s.span,
                    "an inline ignore comment: this team keeps ignores in the configuration, where they are reviewed in one place",
                ).with_help("move the ignore to `ignore` in dlint.toml (or `ignored` in .hadolint.yaml), or fix the finding"));
            }
        }
    }
}
