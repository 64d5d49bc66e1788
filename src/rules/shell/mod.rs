//! ShellCheck inside RUN: the bridge (scripts with an exact map back to the file, one
//! ShellCheck process per batch of scripts) and the rule that reports its findings under
//! their own SC codes.

pub mod codes;
pub mod runner;
pub mod script;
pub mod shellcheck;

#[cfg(test)]
mod tests;

pub use codes::{RULE_CODE, is_sc_code, is_sc_selector};

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[&shellcheck::ShellCheck];

/// Which SC codes run when the ShellCheck rule runs: all, or those under the selected
/// prefixes, minus those under the ignored ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScFilter {
    /// None: every code.
    pub only: Option<Vec<&'static str>>,
    pub ignored: Vec<&'static str>,
}

impl ScFilter {
    pub fn allows(&self, code: &str) -> bool {
        let under = |prefix: &&str| code.starts_with(*prefix);
        self.only.as_ref().is_none_or(|only| only.iter().any(under))
            && !self.ignored.iter().any(under)
    }
}

/// Check ahead of linting every script of these files in a few batched ShellCheck processes,
/// so linting them runs none (`dlint check` over many files).
pub fn prefetch(files: &[crate::source::SourceFile]) {
    use rayon::prelude::*;
    if runner::program().is_none() {
        return;
    }
    let all: Vec<String> = files
        .par_iter()
        .flat_map_iter(|source| {
            let syntax = crate::syntax::parse(&source.text);
            let model = crate::analysis::model::Model::build(&syntax);
            let runs = crate::analysis::runs::analyse(&syntax, &model);
            let mut scripts = script::scripts(&source.text, &syntax, &model, &runs);
            script::keep_first_distinct(&mut scripts);
            scripts.into_iter().map(|s| s.text)
        })
        .collect();
    runner::prefetch(all);
}
