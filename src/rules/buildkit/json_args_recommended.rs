//! BK005 json-args-recommended (BuildKit's `JSONArgsRecommended`): CMD or ENTRYPOINT in shell
//! form where no SHELL instruction chose the shell.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct JsonArgsRecommended {
        code: "BK005",
        name: "json-args-recommended",
        summary: "CMD and ENTRYPOINT should use the JSON (exec) form, so the program receives signals.",
        severity: Warning,
        fixable: true,
        aliases: ["JSONArgsRecommended"],
    }
}

impl Rule for JsonArgsRecommended {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::json_args::check(ctx, &self.meta(), true, out);
    }
}
