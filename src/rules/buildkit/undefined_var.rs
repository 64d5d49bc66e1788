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
        // Read as the JSON the build script makes of it, like the other data tables.
        let table: Table = serde_json::from_str(include_str!(concat!(
            env!("OUT_DIR"),
            "/base-image-env.json"
        )))
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
            let defined = Defined {
                vars: &ctx.model.states[index - 1].vars,
                args: &stage_args[stage],
                index,
                declared_here: BTreeSet::new(),
            };
            let report = |checked: &Checked, defined: &Defined, out: &mut Vec<Diagnostic>| {
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
                    let names = defined.names();
                    let near = crate::rules::selection::closest(
                        &reference.name,
                        names
                            .iter()
                            .copied()
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
                            format!(
                                "use `${n}` instead (unsafe: {} `${n}`'s value where `${}` gave an empty string)",
                                what_changes(inst, at),
                                reference.name
                            ),
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
                    defined.declared_here.insert(pair.key.as_str());
                }
                continue;
            }
            for checked in expanded_words(ctx, inst) {
                report(&checked, &defined, out);
            }
        }
    }
}

/// What a renamed reference at `at` changes, named as the image shows it: the environment
/// variable or label whose value holds it, else the instruction.
fn what_changes(inst: &Instruction, at: Span) -> String {
    let pair = inst.pairs.iter().find(|p| {
        p.value_span
            .is_some_and(|v| v.start <= at.start && at.end <= v.end)
    });
    match (inst.keyword, pair) {
        (Keyword::Env, Some(p)) => format!("the environment variable {} gets", p.key),
        (Keyword::Label, Some(p)) => format!("the label {} gets", p.key),
        (Keyword::Arg, Some(p)) => format!("the build argument {} defaults to", p.key),
        _ => format!("this {} uses", inst.keyword_text.to_ascii_uppercase()),
    }
}

/// The ARG names each stage has declared, each with the instruction index of its first
/// declaration, including those of the stages it is built on, as BuildKit carries build args
/// into child stages. Persistent maps: a chain of stages shares its ancestors' names instead of
/// copying them into every stage (which was quadratic in time and memory).
fn stage_arg_names(ctx: &Context) -> Vec<StageArgs> {
    let mut out: Vec<StageArgs> = Vec::new();
    for stage in &ctx.model.stages {
        let mut names = match stage.base_stage {
            // An earlier stage: every index it holds is before this stage's instructions.
            Some(b) if b < out.len() => out[b].clone(),
            _ => StageArgs::new(),
        };
        for index in stage.body.clone() {
            let inst = &ctx.syntax.instructions[index];
            if inst.keyword == Keyword::Arg {
                for pair in &inst.pairs {
                    if !names.contains_key(&pair.key) {
                        names.insert_mut(pair.key.clone(), index);
                    }
                }
            }
        }
        out.push(names);
    }
    out
}

type StageArgs = rpds::RedBlackTreeMap<String, usize>;

/// The variables defined before instruction `index`: the ENV and ARG variables in effect, the
/// stage's build args declared before it, and (in an ARG) the names of its earlier pairs.
struct Defined<'a> {
    vars: &'a crate::analysis::model::Variables,
    args: &'a StageArgs,
    index: usize,
    declared_here: BTreeSet<&'a str>,
}

impl Defined<'_> {
    fn contains(&self, name: &str) -> bool {
        self.vars.contains_key(name)
            || self.args.get(name).is_some_and(|&at| at < self.index)
            || self.declared_here.contains(name)
    }

    /// Every defined name, sorted (for suggestions: built only when a finding needs one).
    fn names(&self) -> BTreeSet<&str> {
        let args = self
            .args
            .iter()
            .filter(|&(_, &at)| at < self.index)
            .map(|(n, _)| n.as_str());
        self.vars
            .keys()
            .map(String::as_str)
            .chain(args)
            .chain(self.declared_here.iter().copied())
            .collect()
    }
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
