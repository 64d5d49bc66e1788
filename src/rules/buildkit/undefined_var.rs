//! BK008 undefined-var (BuildKit's `UndefinedVar`): a variable used in an instruction that
//! BuildKit expands (ENV, LABEL, ARG defaults, COPY/ADD, WORKDIR, USER, VOLUME, STOPSIGNAL)
//! before anything defines it.

use super::words::process;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::{Instruction, Keyword};
use std::collections::BTreeSet;
use std::sync::OnceLock;

crate::declare_rule! {
    pub struct UndefinedVar {
        code: "BK008",
        name: "undefined-var",
        summary: "A variable is used before any ENV or ARG defines it, so it expands to nothing.",
        severity: Warning,
        fixable: true,
        aliases: ["UndefinedVar"],
    }
}

/// Names base images commonly define (`rules/data/base-image-env.toml`).
fn base_image_names() -> &'static BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            names: Vec<String>,
        }
        let table: Table = toml::from_str(include_str!("../../../rules/data/base-image-env.toml"))
            .expect("rules/data/base-image-env.toml is valid (tested)");
        table.names.into_iter().collect()
    })
}

/// A word to check: its text as written, and where it starts (file span when exact).
struct Checked {
    text: String,
    span: Span,
    exact: bool,
}

impl Rule for UndefinedVar {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let base = base_image_names();
        let stage_args = stage_arg_names(ctx);
        for (index, inst) in ctx.syntax.instructions.iter().enumerate() {
            let Some(stage) = ctx.model.states[index].stage else {
                continue;
            };
            if inst.keyword == Keyword::From {
                continue;
            }
            let before = &ctx.model.states[index - 1];
            let mut defined: BTreeSet<String> = before.vars.keys().cloned().collect();
            defined.extend(
                stage_args[stage]
                    .iter()
                    .filter(|(at, _)| *at < index)
                    .map(|(_, n)| n.clone()),
            );
            let report = |checked: &Checked,
                          defined: &BTreeSet<String>,
                          out: &mut Vec<Diagnostic>| {
                let lookup =
                    |name: &str| (defined.contains(name) || base.contains(name)).then(String::new);
                let processed = process(&checked.text, ctx.syntax.escape, &lookup);
                let mut seen = BTreeSet::new();
                for reference in &processed.references {
                    if lookup(&reference.name).is_some()
                        || reference.name.starts_with("BUILDKIT_SBOM_SCAN_")
                        || !seen.insert(reference.name.clone())
                    {
                        continue;
                    }
                    let at = if checked.exact {
                        Span::new(
                            checked.span.start + reference.name_range.start,
                            checked.span.start + reference.name_range.end,
                        )
                    } else {
                        checked.span
                    };
                    let near = crate::rules::selection::closest(
                        &reference.name,
                        defined
                            .iter()
                            .map(String::as_str)
                            .filter(|n| super::words::is_referable(n)),
                    );
                    let mut message = format!(
                        "`${}` is not defined here, so it expands to an empty string",
                        reference.name
                    );
                    if let Some(n) = near {
                        message.push_str(&format!(" (did you mean `${n}`?)"));
                    }
                    let fix = near.filter(|_| checked.exact).map(|n| {
                        Fix::unsafe_(
                            format!("use `${n}` instead (a different value)"),
                            vec![Edit::replace(at, n)],
                        )
                    });
                    out.push(
                        Diagnostic::for_rule(&meta, at, message)
                            .with_help("define it with ARG or ENV before this instruction, or correct the name")
                            .with_fix(fix),
                    );
                }
            };
            if inst.keyword == Keyword::Arg {
                // Each default is expanded with the pairs before it.
                let mut defined = defined;
                for pair in &inst.pairs {
                    if let (Some(value), Some(span)) = (&pair.value, pair.value_span) {
                        let exact = span.text(ctx.text()) == value.as_str();
                        report(
                            &Checked {
                                text: value.clone(),
                                span,
                                exact,
                            },
                            &defined,
                            out,
                        );
                    }
                    defined.insert(pair.key.clone());
                }
                continue;
            }
            for checked in expanded_words(ctx, inst) {
                report(&checked, &defined, out);
            }
        }
    }
}

/// The ARG names each stage has declared (with the instruction index), including those of the
/// stages it is built on, as BuildKit carries build args into child stages.
fn stage_arg_names(ctx: &Context) -> Vec<Vec<(usize, String)>> {
    let mut out: Vec<Vec<(usize, String)>> = Vec::new();
    for stage in &ctx.model.stages {
        let mut names: Vec<(usize, String)> = match stage.base_stage {
            Some(b) if b < out.len() => out[b].iter().map(|(_, n)| (0, n.clone())).collect(),
            _ => Vec::new(),
        };
        for index in stage.body.clone() {
            let inst = &ctx.syntax.instructions[index];
            if inst.keyword == Keyword::Arg {
                names.extend(inst.pairs.iter().map(|p| (index, p.key.clone())));
            }
        }
        out.push(names);
    }
    out
}

/// The words of `inst` that BuildKit expands with the environment before running it.
fn expanded_words(ctx: &Context, inst: &Instruction) -> Vec<Checked> {
    let text = ctx.text();
    let exact = |s: &str, span: Span| span.text(text) == s;
    let mut out = Vec::new();
    match inst.keyword {
        Keyword::Env | Keyword::Label => {
            for pair in &inst.pairs {
                if let (Some(value), Some(span)) = (&pair.value, pair.value_span) {
                    out.push(Checked {
                        text: value.clone(),
                        span,
                        exact: exact(value, span),
                    });
                }
            }
        }
        Keyword::Copy | Keyword::Add | Keyword::Volume => {
            for flag in &inst.flags {
                if matches!(flag.name.as_str(), "chown" | "chmod" | "from")
                    && let (Some(value), Some(span)) = (&flag.value, flag.value_span)
                {
                    out.push(Checked {
                        text: value.clone(),
                        span,
                        exact: exact(value, span),
                    });
                }
            }
            if inst.json {
                for value in &inst.values {
                    out.push(Checked {
                        text: value.clone(),
                        span: inst.args_span(),
                        exact: false,
                    });
                }
            } else {
                for word in super::arg_words(inst) {
                    // Heredoc openers are not paths.
                    if word.text.starts_with("<<") {
                        continue;
                    }
                    let exact = exact(&word.text, word.span);
                    out.push(Checked {
                        text: word.text,
                        span: word.span,
                        exact,
                    });
                }
            }
        }
        Keyword::Workdir | Keyword::User | Keyword::Stopsignal => {
            if let Some(value) = inst.values.first() {
                let span = inst.args_span();
                out.push(Checked {
                    text: value.clone(),
                    span,
                    exact: exact(value, span),
                });
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base_image_table_loads() {
        assert!(super::base_image_names().contains("GOPATH"));
    }
}
