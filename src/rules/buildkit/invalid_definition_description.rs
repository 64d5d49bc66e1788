//! BK013 invalid-definition-description (BuildKit's experimental
//! `InvalidDefinitionDescription`): the comment right above a named stage or an ARG does not
//! start with its name, as BuildKit's description comments must. Off by default, as in BuildKit.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Instruction, Keyword, TokenKind};

crate::declare_rule! {
    pub struct InvalidDefinitionDescription {
        code: "BK013",
        name: "invalid-definition-description",
        summary: "A comment right above a stage or ARG should start with its name (`# name description`).",
        severity: Info,
        fixable: false,
        default_enabled: false,
        aliases: ["InvalidDefinitionDescription"],
    }
}

impl Rule for InvalidDefinitionDescription {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for inst in &ctx.syntax.instructions {
            let (what, keys): (&str, Vec<String>) = match inst.keyword {
                Keyword::From => match super::stage_name_word(inst) {
                    Some((_, name)) => ("FROM", vec![name.text.to_ascii_lowercase()]),
                    None => continue,
                },
                Keyword::Arg => ("ARG", inst.pairs.iter().map(|p| p.key.clone()).collect()),
                _ => continue,
            };
            let Some(comment) = comment_above(ctx, inst) else {
                continue;
            };
            let first = comment.split(' ').next().unwrap_or("");
            if keys.is_empty() || keys.iter().any(|k| k == first) {
                continue;
            }
            let example = if keys.len() > 1 {
                "<arg_key>"
            } else {
                keys[0].as_str()
            };
            out.push(
                Diagnostic::for_rule(&meta, inst.keyword_span, format!("the comment above this {what} should read `# {example} <description>`"))
                    .with_help("start the comment with the name, or put a blank line between the comment and the instruction"),
            );
        }
    }
}

/// The text of the comment line right above `inst` (no blank line between), without `#`.
fn comment_above<'a>(ctx: &'a Context, inst: &Instruction) -> Option<&'a str> {
    let tokens = &ctx.syntax.tokens;
    let index = tokens.partition_point(|t| t.span.end <= inst.span.start);
    let mut i = index;
    // Skip the newline ending the line above, and nothing else.
    if i == 0 {
        return None;
    }
    i -= 1;
    if tokens[i].kind != TokenKind::Newline {
        return None;
    }
    if i == 0 {
        return None;
    }
    i -= 1;
    while i > 0 && tokens[i].kind == TokenKind::Whitespace {
        i -= 1;
    }
    let token = tokens[i];
    (token.kind == TokenKind::Comment)
        .then(|| token.span.text(ctx.text()).trim_start_matches('#').trim())
}
