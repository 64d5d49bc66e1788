//! DL3025 json-args (hadolint's DL3025): CMD or ENTRYPOINT in shell form, whatever SHELL says.
//! Shares its check with BK005; where both report the same place, the engine keeps BK005's.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct JsonArgsHadolint {
        code: "DL3025",
        name: "json-args",
        summary: "CMD and ENTRYPOINT should use the JSON (exec) form (hadolint's rule: also where SHELL is set).",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for JsonArgsHadolint {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::json_args::check(ctx, &self.meta(), false, out);
    }
}
