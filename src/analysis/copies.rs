//! The sources of every COPY and ADD: where each one comes from (the build context, another
//! stage or image, a heredoc, a URL), as written and as the build expands it, with its span in
//! the file. Rules about the build context and `dlint cache` read COPY/ADD through this view.

use crate::analysis::model::Model;
use crate::source::Span;
use crate::syntax::{Dockerfile, Instruction, Keyword, unquote};

/// One COPY or ADD instruction.
#[derive(Clone, Debug)]
pub struct CopyInstruction {
    /// Index into `Dockerfile::instructions`.
    pub instruction: usize,
    /// `--from=` as expanded: a stage name or index, or an image. None: the build context.
    pub from: Option<String>,
    pub sources: Vec<CopySource>,
    /// `--exclude` patterns, expanded.
    pub excludes: Vec<String>,
    /// `--parents`.
    pub parents: bool,
}

impl CopyInstruction {
    /// Whether the sources come from the build context (no `--from`).
    pub fn from_context(&self) -> bool {
        self.from.is_none()
    }

    /// The destination in the image: the last argument, expanded and resolved against the
    /// WORKDIR in effect, cleaned (`COPY . ./` under `WORKDIR /app` → `/app`).
    pub fn destination(&self, df: &Dockerfile, model: &Model) -> String {
        let state = &model.states[self.instruction];
        let dest = df.instructions[self.instruction]
            .values
            .last()
            .map(|d| unquote(d))
            .unwrap_or_default();
        crate::paths::resolve(&state.workdir, &state.expand(&dest))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopySource {
    /// The word as written.
    pub written: String,
    /// Quotes removed and variables expanded with the ARG/ENV values in effect.
    pub expanded: String,
    /// The word in the file (the whole argument list for exec form when it cannot be found).
    pub span: Span,
    pub kind: SourceKind,
}

/// What a context source is on disk, as far as can be known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One file.
    File,
    /// A directory: its contents are copied (`.`, `src/`, or a directory in the context).
    Dir,
    /// A wildcard pattern.
    Glob,
    /// Not in the context, or all of it excluded by the ignore file: the COPY fails.
    Missing,
    /// Without the context (or beyond a truncated listing), a name that may be either.
    Unknown,
}

impl CopySource {
    /// The source as a context-relative path: `./a/` and `/a` are `a`, `.` is `""`.
    pub fn context_path(&self) -> String {
        crate::context::normalize_rel(&self.expanded)
    }

    /// Ask the build context what this source is; without it only the spelling can tell
    /// (`.`, a trailing `/`, a wildcard), and a bare name stays [`Shape::Unknown`]: `mvnw`
    /// and `src` look alike.
    pub fn shape(&self, context: Option<&crate::context::Context>) -> Shape {
        if self.kind != SourceKind::Path {
            return Shape::Unknown;
        }
        if self.expanded.contains(['*', '?', '[']) {
            return Shape::Glob;
        }
        let path = self.context_path();
        if path.is_empty() {
            return Shape::Dir;
        }
        let Some(bc) = context else {
            return if self.expanded.ends_with('/') {
                Shape::Dir
            } else {
                Shape::Unknown
            };
        };
        match bc.find(&path) {
            Some(crate::context::EntryRef::Included(i)) if bc.files[i].is_dir => Shape::Dir,
            Some(crate::context::EntryRef::Included(_)) => Shape::File,
            // An excluded directory is still sent when a `!` pattern keeps files inside it.
            Some(crate::context::EntryRef::Excluded(_))
                if !crate::context::Context::descendants(&bc.files, &path).is_empty() =>
            {
                Shape::Dir
            }
            _ if bc.truncated => Shape::Unknown,
            _ => Shape::Missing,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A path in the build context (or in `--from`'s filesystem).
    Path,
    /// A heredoc written inline (`COPY <<EOF /dst`).
    Heredoc,
    /// A URL or git reference (ADD).
    Remote,
    /// A variable the model cannot resolve: the path is unknown.
    Unresolved,
}

/// Every COPY and ADD of the file, in order. ONBUILD triggers are left out: they run in
/// another build, with another context.
pub fn analyse(df: &Dockerfile, model: &Model) -> Vec<CopyInstruction> {
    df.instructions
        .iter()
        .enumerate()
        .filter(|(_, inst)| matches!(inst.keyword, Keyword::Copy | Keyword::Add))
        .filter_map(|(index, inst)| analyse_one(index, inst, model))
        .collect()
}

fn analyse_one(index: usize, inst: &Instruction, model: &Model) -> Option<CopyInstruction> {
    let state = &model.states[index];
    let expand = |text: &str| state.expand(&unquote(text));
    // The last word is the destination; without one BuildKit refuses the instruction.
    let (_, written_sources) = inst.values.split_last()?;
    let spans = word_spans(inst, written_sources);
    let sources = written_sources
        .iter()
        .zip(spans)
        .map(|(written, span)| {
            let expanded = expand(written);
            let kind = if written.starts_with("<<") && !inst.heredocs.is_empty() {
                SourceKind::Heredoc
            } else if crate::context::classify_remote(&expanded).is_some() {
                SourceKind::Remote
            } else if expanded.contains('$') {
                SourceKind::Unresolved
            } else {
                SourceKind::Path
            };
            CopySource {
                written: written.clone(),
                expanded,
                span,
                kind,
            }
        })
        .collect();
    Some(CopyInstruction {
        instruction: index,
        from: inst
            .flag("from")
            .map(|f| expand(f.value.as_deref().unwrap_or(""))),
        sources,
        excludes: inst
            .flags_named("exclude")
            .filter_map(|f| f.value.as_deref())
            .map(expand)
            .collect(),
        parents: inst.flag("parents").is_some_and(|f| {
            f.value
                .as_deref()
                .is_none_or(|v| !v.eq_ignore_ascii_case("false"))
        }),
    })
}

/// The file span of each source word: found in order in the argument text (shell form words
/// are the blank-separated pieces, so each appears as written). Exec-form strings may be
/// escaped differently from their value; those fall back to the whole argument list.
fn word_spans(inst: &Instruction, words: &[String]) -> Vec<Span> {
    let args = inst.args();
    let mut at = 0;
    words
        .iter()
        .map(|word| match args[at..].find(word.as_str()) {
            Some(i) if !word.is_empty() => {
                let start = inst.args_start + at + i;
                at += i + word.len();
                inst.logical.span(start, start + word.len())
            }
            _ => inst.args_span(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copies(text: &str) -> Vec<CopyInstruction> {
        let df = crate::syntax::parse(text);
        analyse(&df, &Model::build(&df))
    }

    #[test]
    fn sources_with_spans_kinds_and_expansion() {
        let text = "FROM a\nARG DIR=src\nCOPY --from=build /out /x\nCOPY ${DIR}/ \\\n  \"req.txt\" $NOPE /app/\nADD https://e.com/a.tgz /\nCOPY <<EOF /f\nhi\nEOF\nCOPY [\"a\", \"b c\", \"/d/\"]\n";
        let c = copies(text);
        assert_eq!(c.len(), 5);
        assert_eq!(c[0].from.as_deref(), Some("build"));
        let s = &c[1].sources;
        assert_eq!(s[0].expanded, "src/");
        assert_eq!(s[0].span.text(text), "${DIR}/");
        assert_eq!(s[1].expanded, "req.txt");
        assert_eq!(s[1].span.text(text), "\"req.txt\"");
        assert_eq!(s[2].kind, SourceKind::Unresolved);
        assert_eq!(c[2].sources[0].kind, SourceKind::Remote);
        assert_eq!(c[3].sources[0].kind, SourceKind::Heredoc);
        assert_eq!(c[4].sources[1].expanded, "b c");
        assert_eq!(c[4].sources[1].span.text(text), "b c");
    }
}
