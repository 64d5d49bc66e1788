//! `full`: one miette report per diagnostic, with the source snippet, the primary and related
//! labels and the help text, then the summary line.

use super::{
    OutputOptions, Range, Sink, SortedFile, Tally, fix_marker, paint, severity_sgr, write_summary,
};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::source::{SourceFile, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

/// Width miette lays reports out for; long lines are not wrapped.
const WIDTH: usize = 100;

pub(super) struct Full {
    opts: OutputOptions,
    handler: GraphicalReportHandler,
    tally: Tally,
}

impl Full {
    pub fn new(opts: OutputOptions) -> Self {
        let theme = if opts.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(WIDTH)
            .with_wrap_lines(false);
        Full {
            opts,
            handler,
            tally: Tally::default(),
        }
    }
}

impl Sink for Full {
    fn file(&mut self, out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        let opts = &self.opts;
        self.tally.add(file, opts.unsafe_fixes_enabled);
        let source = NamedText {
            file: file.source,
            name: file.path(),
        };
        for diag in &file.diagnostics {
            if opts.show_source {
                let report = Report {
                    diag,
                    source: &source,
                    unsafe_fixes_enabled: opts.unsafe_fixes_enabled,
                };
                let mut rendered = String::new();
                self.handler
                    .render_report(&mut rendered, &report)
                    .map_err(|_| io::Error::other("could not render a diagnostic"))?;
                out.write_all(rendered.as_bytes())?;
                writeln!(out)?;
            } else {
                write_without_source(out, file, diag, opts)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, files_failed: bool) -> io::Result<()> {
        let opts = OutputOptions {
            files_failed,
            ..self.opts
        };
        write_summary(out, &self.tally, &opts)
    }
}

/// `path:line:col: CODE [*] message` then the help, for `full` without snippets.
fn write_without_source(
    out: &mut dyn Write,
    file: &SortedFile,
    diag: &Diagnostic,
    opts: &OutputOptions,
) -> io::Result<()> {
    let range = Range::of(file.source, diag.span);
    writeln!(
        out,
        "{}:{}:{}: {} {}{}",
        paint(opts.color, super::BOLD, &file.path()),
        range.start.line,
        range.start.column,
        paint(opts.color, severity_sgr(diag.severity), diag.code),
        fix_marker(diag, opts.unsafe_fixes_enabled),
        diag.message
    )?;
    if let Some(help) = &diag.help {
        writeln!(out, "  help: {help}")?;
    }
    if let Some(fix) = &diag.fix {
        writeln!(out, "  {}", fix_label(fix.applicability, &fix.description))?;
    }
    Ok(())
}

fn fix_label(applicability: Applicability, description: &str) -> String {
    match applicability {
        Applicability::Safe => format!("fix: {description}"),
        Applicability::Unsafe => format!("unsafe fix: {description}"),
    }
}

/// A diagnostic as miette sees it: the header line is `CODE [*] message`.
struct Report<'a> {
    diag: &'a Diagnostic,
    source: &'a NamedText<'a>,
    unsafe_fixes_enabled: bool,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report").field("diag", self.diag).finish()
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}{}",
            self.diag.code,
            fix_marker(self.diag, self.unsafe_fixes_enabled),
            self.diag.message
        )
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Style => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let file = self.source.file;
        let primary_text = self
            .diag
            .fix
            .as_ref()
            .map(|fix| fix_label(fix.applicability, &fix.description));
        let primary =
            LabeledSpan::new_primary_with_span(primary_text, miette_span(file, self.diag.span));
        let related = self.diag.related.iter().map(move |r| {
            LabeledSpan::new_with_span(Some(r.message.clone()), miette_span(file, r.span))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// A span clamped to the text and to character boundaries, as miette wants it.
fn miette_span(file: &SourceFile, span: Span) -> SourceSpan {
    let text = &file.text;
    let clamp = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = clamp(span.start);
    let end = clamp(span.end).max(start);
    SourceSpan::new(start.into(), end - start)
}

/// The file's text under its display path, with columns counted in characters (miette's own
/// `str` source counts bytes, which misplaces the `[path:line:col]` header after non-ASCII).
struct NamedText<'a> {
    file: &'a SourceFile,
    name: String,
}

impl SourceCode for NamedText<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.file
                .text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let column = if context_lines_before == 0 {
            self.file.line_col(span.offset()).column - 1
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::render;
    use super::super::{OutputFormat, OutputOptions};

    const OPTS: OutputOptions = OutputOptions {
        color: false,
        show_fixes_hint: true,
        unsafe_fixes_enabled: false,
        show_source: true,
        files_failed: false,
    };

    #[test]
    fn full_output() {
        let got = render(OutputFormat::Full, &OPTS);
        let want = r#"  ☞ DS100 [*] label value 1 is not quoted
   ╭─[build dir/Dockerfile:2:21]
 1 │ FROM python:3.12
 2 │ LABEL note="café ☕" version=1
   ·                      ────┬────
   ·                          ╰── fix: quote the value
 3 │ COPY . /app
   ╰────

  ⚠ DC002 COPY of the whole context before an install
   ╭─[build dir/Dockerfile:3:1]
 2 │ LABEL note="café ☕" version=1
 3 │ COPY . /app
   · ───────────
 4 │ RUN pip install flask
   ·     ────────┬────────
   ·             ╰── this install re-runs on every change
 5 │ RUN apt-get update && \
   ╰────
  help: copy only requirements.txt before the install, the rest after it

  ⚠ DC001 [*] pip install without --no-cache-dir
   ╭─[build dir/Dockerfile:4:5]
 3 │ COPY . /app
 4 │ RUN pip install flask
   ·     ────────┬────────
   ·             ╰── fix: add --no-cache-dir
 5 │ RUN apt-get update && \
   ╰────
  help: pip keeps downloaded wheels in the image; --no-cache-dir drops them

  ☞ DL3009 apt lists are not deleted after installing
   ╭─[build dir/Dockerfile:5:5]
 4 │     RUN pip install flask
 5 │ ╭─▶ RUN apt-get update && \
 6 │ ├─▶     apt-get install -y curl
   · ╰──── unsafe fix: delete /var/lib/apt/lists
   ╰────

  ⚠ DC010 [*] apk add without --no-cache
   ╭─[web/Dockerfile:2:5]
 1 │ FROM alpine:3.20
 2 │ RUN apk add curl
   ·     ───┬───
   ·        ╰── fix: add --no-cache
   ╰────

  × DL3018 pin versions in apk add: use "curl=<version>" (100%, really: <always>)
   ╭─[web/Dockerfile:2:13]
 1 │ FROM alpine:3.20
 2 │ RUN apk add curl
   ·             ────
   ╰────

Found 6 problems (1 error, 3 warnings, 1 info, 1 style).
[*] 3 fixable with `dlint fix` (1 more with `--unsafe-fixes`).
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn full_without_source_and_with_unsafe_fixes() {
        let opts = OutputOptions {
            show_source: false,
            files_failed: false,
            unsafe_fixes_enabled: true,
            ..OPTS
        };
        let got = render(OutputFormat::Full, &opts);
        let want = r#"build dir/Dockerfile:2:21: DS100 [*] label value 1 is not quoted
  fix: quote the value
build dir/Dockerfile:3:1: DC002 COPY of the whole context before an install
  help: copy only requirements.txt before the install, the rest after it
build dir/Dockerfile:4:5: DC001 [*] pip install without --no-cache-dir
  help: pip keeps downloaded wheels in the image; --no-cache-dir drops them
  fix: add --no-cache-dir
build dir/Dockerfile:5:5: DL3009 [*] apt lists are not deleted after installing
  unsafe fix: delete /var/lib/apt/lists
web/Dockerfile:2:5: DC010 [*] apk add without --no-cache
  fix: add --no-cache
web/Dockerfile:2:13: DL3018 pin versions in apk add: use "curl=<version>" (100%, really: <always>)
Found 6 problems (1 error, 3 warnings, 1 info, 1 style).
[*] 4 fixable with `dlint fix --unsafe-fixes`.
"#;
        assert_eq!(got, want, "\n{got}");
    }
}
