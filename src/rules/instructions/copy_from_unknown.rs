//! DL3022 copy-from-unknown-stage and DL3023 copy-from-own-stage: what `COPY --from` names.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    pub struct CopyFromUnknownStage {
        code: "DL3022",
        name: "copy-from-unknown-stage",
        summary: "`COPY --from` names neither an earlier stage nor an image reference.",
        severity: Warning,
        fixable: false,
    }
}

crate::declare_rule! {
    pub struct CopyFromOwnStage {
        code: "DL3023",
        name: "copy-from-own-stage",
        summary: "`COPY --from` names the stage the COPY is in.",
        severity: Error,
        fixable: false,
    }
}

/// What `--from=` names, relative to the stage the COPY is in.
enum FromTarget {
    EarlierStage,
    OwnStage,
    /// A name no stage before this one has: a later stage's name, or an image.
    Unknown,
    /// A variable without a value: decided at build time.
    Unresolved,
}

fn copies_from<'a>(
    ctx: &'a Context,
) -> impl Iterator<Item = (usize, &'a Instruction, String, FromTarget)> + 'a {
    ctx.syntax
        .instructions
        .iter()
        .enumerate()
        .filter_map(|(i, inst)| {
            if inst.keyword != Keyword::Copy {
                return None;
            }
            let flag = inst.flag("from")?;
            let value = ctx.model.states[i].expand(&crate::syntax::unquote(flag.value.as_deref()?));
            let current = ctx.model.states[i].stage?;
            let target = if value.contains('$') {
                FromTarget::Unresolved
            } else if let Ok(n) = value.parse::<usize>() {
                match n.cmp(&current) {
                    std::cmp::Ordering::Less => FromTarget::EarlierStage,
                    std::cmp::Ordering::Equal => FromTarget::OwnStage,
                    std::cmp::Ordering::Greater => FromTarget::Unknown,
                }
            } else {
                let named = |s: &crate::analysis::model::Stage| {
                    s.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&value))
                };
                if named(&ctx.model.stages[current]) {
                    FromTarget::OwnStage
                } else if ctx.model.stages[..current].iter().any(named) {
                    FromTarget::EarlierStage
                } else {
                    FromTarget::Unknown
                }
            };
            Some((i, inst, value, target))
        })
}

impl Rule for CopyFromUnknownStage {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (_, inst, value, target) in copies_from(ctx) {
            if !matches!(target, FromTarget::Unknown) || looks_like_image(&value) {
                continue;
            }
            let later = ctx.model.stages.iter().any(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&value))
            });
            let why = if later {
                "a stage of that name comes later in the file, so BuildKit pulls an image of that name instead"
            } else {
                "no stage before it has that name, so BuildKit pulls an image of that name, untagged: whatever `latest` is that day"
            };
            let span = inst.flag("from").map_or(inst.keyword_span, |f| f.span);
            out.push(
                self.finding(span, format!("`--from={value}`: {why}"))
                    .with_help("name an earlier stage (`FROM ... AS name`), or write the image with its tag"),
            );
        }
    }
}

impl Rule for CopyFromOwnStage {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (_, inst, value, target) in copies_from(ctx) {
            if !matches!(target, FromTarget::OwnStage) {
                continue;
            }
            let span = inst.flag("from").map_or(inst.keyword_span, |f| f.span);
            out.push(self.finding(
                span,
                format!("`--from={value}` names the stage this COPY is in: a stage cannot copy from itself"),
            ));
        }
    }
}

/// `--from` with a tag or digest names an image on purpose (`--from=nginx:1.27`). A name
/// without either is a stage name gone wrong, or an image pulled at whatever `latest` is.
fn looks_like_image(value: &str) -> bool {
    let last = value.rsplit('/').next().unwrap_or(value);
    last.contains(':') || value.contains('@')
}
