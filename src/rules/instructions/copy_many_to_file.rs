//! DL3021 copy-many-to-file: COPY of several sources to a destination without a trailing `/`.

use super::words::arg_words;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct CopyManyToFile {
        code: "DL3021",
        name: "copy-many-to-file",
        summary: "COPY with more than one source needs a destination ending in `/`.",
        severity: Error,
        fixable: true,
    }
}

impl Rule for CopyManyToFile {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, inst) in ctx.syntax.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Copy || inst.values.len() <= 2 {
                continue;
            }
            let dest = inst.values.last().expect("more than two values");
            let expanded = ctx.model.states[i].expand(dest);
            if expanded.ends_with('/') || expanded.ends_with('\\') {
                continue;
            }
            // The working directory exists (WORKDIR creates it): BuildKit already copies into
            // it, and the `/` only says so.
            let into_workdir = expanded == ".";
            // The fix appends `/` to the destination word as written (shell form only: an
            // exec-form word sits inside quotes). Unsafe: BuildKit builds the line as it is
            // (moby/buildkit#1853), copying each source onto the destination path, so unless
            // that path is a directory already the image changes: a directory of every source
            // instead of a file holding the last one.
            let fix = (!inst.json)
                .then(|| arg_words(inst).into_iter().last())
                .flatten()
                .filter(|(w, _)| *w == dest.as_str() && !dest.contains('$'))
                .map(|(_, span)| {
                    let edits = vec![Edit::insert(span.end, "/")];
                    if into_workdir {
                        Fix::safe(
                            "write the destination as `./`: it is the working directory, already a directory, so the image does not change",
                            edits,
                        )
                    } else {
                        Fix::unsafe_(
                            format!(
                                "write the destination as `{dest}/`: every source is copied into the directory `{dest}/`, where BuildKit made `{dest}` a file holding only the last source unless it was a directory already"
                            ),
                            edits,
                        )
                    }
                });
            out.push(
                self.finding(
                    inst.args_span(),
                    if into_workdir {
                        format!(
                            "this COPY has {} sources, so its destination must be a directory written with a trailing `/` (`./`): the classic builder refuses the line (BuildKit copies into the working directory)",
                            inst.values.len() - 1
                        )
                    } else {
                        format!(
                            "this COPY has {} sources, so its destination `{dest}` must be a directory written with a trailing `/`: the classic builder refuses the line, and BuildKit copies each source onto `{dest}` in turn, keeping only the last unless `{dest}` is already a directory",
                            inst.values.len() - 1
                        )
                    },
                )
                .with_fix(fix),
            );
        }
    }
}
