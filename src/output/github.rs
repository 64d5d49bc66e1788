//! `github`: GitHub Actions workflow commands, one `::error|warning|notice …::message` a line.

use super::{Range, Sink, SortedFile};
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub(super) struct Github;

impl Sink for Github {
    fn finish(&mut self, _out: &mut dyn Write, _files_failed: bool) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        let path = escape_property(&file.path());
        for diag in &file.diagnostics {
            let command = match diag.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            let range = Range::of(file.source, diag.span);
            let mut props = format!(
                "file={path},line={},endLine={}",
                range.start.line,
                range.last_line()
            );
            if range.start.line == range.end.line {
                props.push_str(&format!(
                    ",col={},endColumn={}",
                    range.start.column, range.end.column
                ));
            }
            let title = escape_property(&format!("dlint ({})", diag.code));
            writeln!(
                out,
                "::{command} {props},title={title}::{}",
                escape_data(&diag.message)
            )?;
        }
        Ok(())
    }
}

/// Escape a command's message: `%`, `\r`, `\n`.
pub(super) fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value: what `escape_data` does, and `:` and `,`.
pub(super) fn escape_property(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testdata::render;
    use super::super::{OutputFormat, OutputOptions, write_report};
    use super::*;
    use crate::diagnostic::{Diagnostic, FileReport};
    use crate::source::{SourceFile, Span};

    #[test]
    fn github_output() {
        let got = render(OutputFormat::Github, &OutputOptions::default());
        let want = r#"::notice file=build dir/Dockerfile,line=2,endLine=2,col=21,endColumn=30,title=dlint (DS100)::label value 1 is not quoted
::warning file=build dir/Dockerfile,line=3,endLine=3,col=1,endColumn=12,title=dlint (DC002)::COPY of the whole context before an install
::warning file=build dir/Dockerfile,line=4,endLine=4,col=5,endColumn=22,title=dlint (DC001)::pip install without --no-cache-dir
::notice file=build dir/Dockerfile,line=5,endLine=6,title=dlint (DL3009)::apt lists are not deleted after installing
::warning file=web/Dockerfile,line=2,endLine=2,col=5,endColumn=12,title=dlint (DC010)::apk add without --no-cache
::error file=web/Dockerfile,line=2,endLine=2,col=13,endColumn=17,title=dlint (DL3018)::pin versions in apk add: use "curl=<version>" (100%25, really: <always>)
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn github_escapes_messages_and_properties() {
        assert_eq!(escape_data("100% a:b, c\r\nd"), "100%25 a:b, c%0D%0Ad");
        assert_eq!(
            escape_property("100% a:b, c\r\nd"),
            "100%25 a%3Ab%2C c%0D%0Ad"
        );
        // Already-escaped looking text is escaped again, not passed through.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn github_escapes_in_a_full_command() {
        let src = SourceFile::new("odd:dir,x/50%/Docker\nfile", "FROM a\n".to_string());
        let report = FileReport {
            source: &src,
            diagnostics: vec![Diagnostic::new(
                "DL1000",
                "syntax-error",
                Severity::Error,
                Span::new(0, 4),
                "line one: 100%\nline two, done\r",
            )],
        };
        let mut out = Vec::new();
        write_report(
            OutputFormat::Github,
            &mut out,
            &[report],
            &[],
            &OutputOptions::default(),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=odd%3Adir%2Cx/50%25/Docker%0Afile,line=1,endLine=1,col=1,endColumn=5,\
             title=dlint (DL1000)::line one: 100%25%0Aline two, done%0D\n"
        );
    }
}
