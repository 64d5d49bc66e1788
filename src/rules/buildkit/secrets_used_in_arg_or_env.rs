//! BK016 secrets-used-in-arg-or-env (BuildKit's `SecretsUsedInArgOrEnv`): an ARG or ENV
//! whose name says it holds a secret (password, token, key, ...).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct SecretsUsedInArgOrEnv {
        code: "BK016",
        name: "secrets-used-in-arg-or-env",
        summary: "ARG and ENV values stay in the image and its history: do not pass secrets through them.",
        severity: Warning,
        fixable: false,
        aliases: ["SecretsUsedInArgOrEnv"],
    }
}

/// Name parts (between `_`) that mark a secret, and those that mark it public after all.
const SECRET_PARTS: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const PUBLIC_PARTS: [&str; 1] = ["public"];

pub fn looks_secret(name: &str) -> bool {
    let has = |set: &[&str]| {
        name.split('_')
            .any(|part| set.iter().any(|s| part.eq_ignore_ascii_case(s)))
    };
    has(&SECRET_PARTS) && !has(&PUBLIC_PARTS)
}

impl Rule for SecretsUsedInArgOrEnv {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for (index, inst) in ctx.syntax.instructions.iter().enumerate() {
            // BuildKit checks the ENV and ARG instructions of stages (not global ARGs).
            if !matches!(inst.keyword, Keyword::Env | Keyword::Arg)
                || ctx.model.states[index].stage.is_none()
            {
                continue;
            }
            let name = inst.keyword_text.to_ascii_uppercase();
            for pair in inst.pairs.iter().filter(|p| looks_secret(&p.key)) {
                out.push(
                    Diagnostic::for_rule(
                        &meta,
                        pair.key_span,
                        format!("`{}` looks like a secret: {name} values are kept in the image and its history, where anyone with the image can read them", pair.key),
                    )
                    .with_help("pass secrets with `RUN --mount=type=secret` instead"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn secret_names() {
        for yes in [
            "PASSWORD",
            "db_password",
            "GITHUB_TOKEN",
            "api_key",
            "AUTH",
            "secret_MESSAGE",
        ] {
            assert!(super::looks_secret(yes), "{yes}");
        }
        for no in [
            "PUBLIC_KEY",
            "KEYBOARD",
            "tokenizer",
            "MONKEY",
            "api-key",
            "AUTHOR",
        ] {
            assert!(!super::looks_secret(no), "{no}");
        }
    }
}
