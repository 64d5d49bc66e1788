//! BK006 undefined-arg-in-from (BuildKit's `UndefinedArgInFrom`): FROM uses a variable no
//! global ARG declares.

use super::{AUTOMATIC_ARGS, global_args, words::process};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::source::Span;
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct UndefinedArgInFrom {
        code: "BK006",
        name: "undefined-arg-in-from",
        summary: "FROM uses a variable that no ARG before the first FROM declares.",
        severity: Warning,
        fixable: true,
        aliases: ["UndefinedArgInFrom"],
    }
}

impl Rule for UndefinedArgInFrom {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        let globals = global_args(ctx.syntax);
        let mut known: Vec<&str> = globals.iter().map(|(k, _)| k.as_str()).collect();
        known.extend(AUTOMATIC_ARGS);
        let lookup = |name: &str| known.contains(&name).then(String::new);
        for from in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            // The image word, and the --platform value when it is written as is.
            let mut words: Vec<(String, Option<Span>)> = Vec::new();
            if let Some(base) = super::arg_words(from).into_iter().next() {
                words.push((base.text, Some(base.span)));
            }
            if let Some(flag) = from.flag("platform")
                && let (Some(value), Some(span)) = (&flag.value, flag.value_span)
            {
                let exact = span.text(ctx.text()) == value.as_str();
                words.push((value.clone(), exact.then_some(span).or(Some(flag.span))));
            }
            for (word, span) in words {
                let processed = process(&word, ctx.syntax.escape, &lookup);
                for reference in processed
                    .references
                    .iter()
                    .filter(|r| !known.contains(&r.name.as_str()))
                {
                    let whole = span.unwrap_or(from.keyword_span);
                    let at = if whole.len() == word.len() {
                        Span::new(
                            whole.start + reference.name_range.start,
                            whole.start + reference.name_range.end,
                        )
                    } else {
                        whole
                    };
                    let near = crate::rules::selection::closest(
                        &reference.name,
                        known
                            .iter()
                            .copied()
                            .filter(|n| super::words::is_referable(n)),
                    );
                    let mut message = format!(
                        "FROM uses `${}`, which no global ARG declares: it expands to an empty string",
                        reference.name
                    );
                    if let Some(n) = near {
                        message.push_str(&format!(" (did you mean `{n}`?)"));
                    }
                    let fix = near.filter(|_| at.len() == reference.name.len()).map(|n| {
                        Fix::unsafe_(format!("use `{n}` instead (a different variable, so a different base image may be used)"), vec![Edit::replace(at, n)])
                    });
                    out.push(
                        Diagnostic::for_rule(&meta, at, message)
                            .with_help(
                                "declare it with ARG before the first FROM, or use a declared name",
                            )
                            .with_fix(fix),
                    );
                }
            }
        }
    }
}
