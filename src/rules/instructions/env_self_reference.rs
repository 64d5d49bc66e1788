//! DL3044 env-self-reference: an ENV pair uses a variable an earlier pair of the same ENV sets.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct EnvSelfReference {
        code: "DL3044",
        name: "env-self-reference",
        summary: "An ENV value uses a variable set earlier in the same ENV, which it does not see.",
        severity: Error,
        fixable: false,
    }
}

impl Rule for EnvSelfReference {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Env || inst.pairs.len() < 2 {
                continue;
            }
            // The variables before this ENV: a pair referring to one of those gets its old
            // value, which is what the author may well mean.
            let before = i.checked_sub(1).map(|p| &ctx.model.states[p]);
            // One finding per ENV: the first pair that reads a variable set before it.
            'pairs: for (j, pair) in inst.pairs.iter().enumerate().skip(1) {
                let Some(value) = pair.value.as_deref() else {
                    continue;
                };
                for name in referenced(value) {
                    let set_here = inst.pairs[..j].iter().any(|p| p.key == name);
                    let set_before =
                        before.is_some_and(|s| s.stage.is_some() && s.vars.contains_key(name));
                    if set_here && !set_before {
                        out.push(self.finding(
                            pair.span,
                            format!("`{}` uses `${name}`, which this same ENV sets: the value is read before the ENV runs, so `${name}` is empty here", pair.key),
                        ).with_help(format!("set `{name}` in an ENV of its own before this one")));
                        break 'pairs;
                    }
                }
            }
        }
    }
}

/// The variable names `$NAME` and `${NAME...}` a value refers to, outside single quotes.
fn referenced(value: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let b = value.as_bytes();
    let (mut i, mut single) = (0, false);
    while i < b.len() {
        match b[i] {
            b'\'' => single = !single,
            b'\\' => i += 1,
            b'$' if !single => {
                let start = i + 1 + usize::from(b.get(i + 1) == Some(&b'{'));
                let len = value[start..]
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    .count();
                if len > 0 {
                    names.push(&value[start..start + len]);
                }
                i = start + len;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    names
}
