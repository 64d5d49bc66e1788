//! DL3064 secret-in-arg-or-env: an ARG or ENV whose name says it holds a secret.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct SecretInArgOrEnv {
        code: "DL3064",
        name: "secret-in-arg-or-env",
        summary: "An ARG or ENV named like a secret: its value stays in the image's history or environment.",
        severity: Warning,
        fixable: false,
    }
}

/// Name fragments (lower case) that mark a secret.
const SECRET_FRAGMENTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "client_key",
    "private",
    "username",
    "access_key",
];

/// Whole names (upper case) of well-known secrets the fragments miss.
const SECRET_NAMES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "DOCKER_EMAIL",
    "FACEBOOK_APP_ID",
    "HEROKU_API_USER",
    "CI_DEPLOY_USER",
    "CF_USERNAME",
    "OS_USERNAME",
    "APPLICATION_KEY",
    "VAULT_CLIENT_KEY",
];

impl Rule for SecretInArgOrEnv {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for inst in &ctx.syntax.instructions {
            let inst = inst.effective();
            if !matches!(inst.keyword, Keyword::Arg | Keyword::Env) {
                continue;
            }
            let Some(pair) = inst.pairs.iter().find(|p| is_secret_name(&p.key)) else {
                continue;
            };
            let what = if inst.keyword == Keyword::Arg {
                "a build argument's value is recorded in the image history"
            } else {
                "an ENV value is part of the image, readable by anyone who can pull it"
            };
            out.push(
                self.finding(pair.key_span, format!("`{}` looks like a secret: {what}", pair.key))
                    .with_help("pass secrets with `RUN --mount=type=secret,id=...`; they are never stored in the image"),
            );
        }
    }
}

fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_FRAGMENTS.iter().any(|f| lower.contains(f))
        || SECRET_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}
