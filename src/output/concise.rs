//! `concise`: `path:line:col: CODE [*] message`, one finding a line, then the summary.

use super::{
    OutputOptions, Range, Sink, SortedFile, Tally, fix_marker, paint, severity_sgr, write_summary,
};
use std::io::{self, Write};

pub(super) struct Concise {
    opts: OutputOptions,
    tally: Tally,
}

impl Concise {
    pub fn new(opts: OutputOptions) -> Self {
        Concise {
            opts,
            tally: Tally::default(),
        }
    }
}

impl Sink for Concise {
    fn file(&mut self, out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        let opts = &self.opts;
        self.tally.add(file, opts.unsafe_fixes_enabled);
        let path = paint(opts.color, super::BOLD, &file.path());
        for diag in &file.diagnostics {
            let range = Range::of(file.source, diag.span);
            writeln!(
                out,
                "{path}:{}:{}: {} {}{}",
                range.start.line,
                range.start.column,
                paint(opts.color, severity_sgr(diag.severity), diag.code),
                fix_marker(diag, opts.unsafe_fixes_enabled),
                diag.message
            )?;
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

#[cfg(test)]
mod tests {
    use super::super::testdata::render;
    use super::super::{OutputFormat, OutputOptions};

    #[test]
    fn concise_output() {
        let opts = OutputOptions {
            color: false,
            show_fixes_hint: true,
            unsafe_fixes_enabled: false,
            show_source: false,
            files_failed: false,
        };
        let got = render(OutputFormat::Concise, &opts);
        let want = r#"build dir/Dockerfile:2:21: DS100 [*] label value 1 is not quoted
build dir/Dockerfile:3:1: DC002 COPY of the whole context before an install
build dir/Dockerfile:4:5: DC001 [*] pip install without --no-cache-dir
build dir/Dockerfile:5:5: DL3009 apt lists are not deleted after installing
web/Dockerfile:2:5: DC010 [*] apk add without --no-cache
web/Dockerfile:2:13: DL3018 pin versions in apk add: use "curl=<version>" (100%, really: <always>)
Found 6 problems (1 error, 3 warnings, 1 info, 1 style).
[*] 3 fixable with `dlint fix` (1 more with `--unsafe-fixes`).
"#;
        assert_eq!(got, want, "\n{got}");
    }
}
