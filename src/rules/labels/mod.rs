//! Label rules (hadolint's DL3048-DL3058): label keys, the labels a schema requires, and the
//! format of their values. The schema is DL3049's `label-schema` option; the type rules read
//! it from there (`Context::option_of`), so it is configured once.

pub mod email;
pub mod empty;
pub mod git_hash;
pub mod invalid_key;
pub mod missing;
pub mod rfc3339;
pub mod semver;
pub mod spdx;
pub mod superfluous;
pub mod url;

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared};
use crate::syntax::{KeyValue, Keyword};
use std::collections::BTreeMap;

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &invalid_key::InvalidLabelKey,
    &missing::MissingLabel,
    &superfluous::SuperfluousLabel,
    &empty::EmptyLabel,
    &url::LabelNotUrl,
    &rfc3339::LabelNotRfc3339,
    &spdx::LabelNotSpdx,
    &git_hash::LabelNotGitHash,
    &semver::LabelNotSemver,
    &email::LabelNotEmail,
];

/// The rule that owns the schema option.
pub const SCHEMA_RULE: &str = "DL3049";

/// The configured schema: label name -> value type (`text`, `url`, `semver`, `hash`,
/// `rfc3339`, `spdx`, `email`).
pub fn schema(ctx: &Context) -> BTreeMap<String, String> {
    ctx.option_of(SCHEMA_RULE, "label-schema")
        .unwrap_or_default()
}

/// Every LABEL pair of the file (ONBUILD triggers included) with its value as the build sets
/// it: quotes removed, variables expanded; None when a variable is left unknown.
pub fn pairs<'a>(ctx: &'a Context) -> Vec<(usize, &'a KeyValue, Option<String>)> {
    let mut out = Vec::new();
    for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
        let inst = inst.effective();
        if inst.keyword != Keyword::Label {
            continue;
        }
        for pair in &inst.pairs {
            let value = ctx.model.states[i].expand(&pair.unquoted_value().unwrap_or_default());
            let known = (!value.contains('$')).then_some(value);
            out.push((i, pair, known));
        }
    }
    out
}

/// Report every label the schema gives type `kind` whose value `valid` rejects.
pub fn check_type(
    rule: &impl Declared,
    ctx: &Context,
    kind: &str,
    valid: fn(&str) -> bool,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let schema = schema(ctx);
    for (_, pair, value) in pairs(ctx) {
        if schema.get(&pair.key).map(String::as_str) != Some(kind) {
            continue;
        }
        // An empty value is DL3051's; a value from an unknown variable cannot be judged.
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            continue;
        };
        if !valid(&value) {
            let span = pair.value_span.unwrap_or(pair.span);
            out.push(rule.finding(
                span,
                format!("label `{}` is `{value}`, which is not {what}", pair.key),
            ));
        }
    }
}
