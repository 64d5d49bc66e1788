//! `junit`: JUnit XML for CI test-report views. One `<testsuite>` a file; a failing
//! `<testcase>` a finding, named `CODE at line:col`; a file without findings gets one passing
//! testcase so it still shows up.

use super::{Range, Sink, SortedFile, xml_escape};
use std::io::{self, BufWriter, Read, Seek, Write};

/// The totals open the document, so the test suites wait in a temporary file (in memory when
/// none can be made) until the last file is in.
#[derive(Default)]
pub(super) struct Junit {
    tests: usize,
    failures: usize,
    body: Option<Spool>,
}

enum Spool {
    File(BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

impl Spool {
    fn new() -> Spool {
        match tempfile::tempfile() {
            Ok(file) => Spool::File(BufWriter::new(file)),
            Err(_) => Spool::Memory(Vec::new()),
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Spool::File(w) => w,
            Spool::Memory(v) => v,
        }
    }

    /// Copy everything written so far to `out`.
    fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Spool::File(w) => {
                let mut file = w.into_inner().map_err(|e| e.into_error())?;
                file.rewind()?;
                io::copy(&mut (&mut file as &mut dyn Read), out)?;
                Ok(())
            }
            Spool::Memory(v) => out.write_all(&v),
        }
    }
}

impl Sink for Junit {
    fn finish(&mut self, out: &mut dyn Write, _files_failed: bool) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="dlint" tests="{}" failures="{}" errors="0">"#,
            self.tests, self.failures
        )?;
        if let Some(body) = self.body.take() {
            body.copy_to(out)?;
        }
        writeln!(out, "</testsuites>")
    }

    fn file(&mut self, _out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        self.failures += file.diagnostics.len();
        self.tests += file.diagnostics.len().max(1);
        let out = self.body.get_or_insert_with(Spool::new).writer();
        let path = file.path();
        let name = xml_escape(&path);
        let count = file.diagnostics.len();
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{}" failures="{count}" errors="0" skipped="0">"#,
            count.max(1)
        )?;
        if count == 0 {
            writeln!(
                out,
                r#"    <testcase name="no problems" classname="{name}"/>"#
            )?;
        }
        for diag in &file.diagnostics {
            let range = Range::of(file.source, diag.span);
            let (line, column) = (range.start.line, range.start.column);
            writeln!(
                out,
                r#"    <testcase name="{} at {line}:{column}" classname="{name}" file="{name}" line="{line}">"#,
                xml_escape(diag.code),
            )?;
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                xml_escape(&diag.message),
                xml_escape(diag.severity.as_str()),
                xml_escape(&format!(
                    "{path}:{line}:{column}: {} {}",
                    diag.code, diag.message
                )),
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::render;
    use super::super::{OutputFormat, OutputOptions};

    #[test]
    fn junit_output() {
        let got = render(OutputFormat::Junit, &OutputOptions::default());
        let want = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dlint" tests="7" failures="6" errors="0">
  <testsuite name="build dir/Dockerfile" tests="4" failures="4" errors="0" skipped="0">
    <testcase name="DS100 at 2:21" classname="build dir/Dockerfile" file="build dir/Dockerfile" line="2">
      <failure message="label value 1 is not quoted" type="style">build dir/Dockerfile:2:21: DS100 label value 1 is not quoted</failure>
    </testcase>
    <testcase name="DC002 at 3:1" classname="build dir/Dockerfile" file="build dir/Dockerfile" line="3">
      <failure message="COPY of the whole context before an install" type="warning">build dir/Dockerfile:3:1: DC002 COPY of the whole context before an install</failure>
    </testcase>
    <testcase name="DC001 at 4:5" classname="build dir/Dockerfile" file="build dir/Dockerfile" line="4">
      <failure message="pip install without --no-cache-dir" type="warning">build dir/Dockerfile:4:5: DC001 pip install without --no-cache-dir</failure>
    </testcase>
    <testcase name="DL3009 at 5:5" classname="build dir/Dockerfile" file="build dir/Dockerfile" line="5">
      <failure message="apt lists are not deleted after installing" type="info">build dir/Dockerfile:5:5: DL3009 apt lists are not deleted after installing</failure>
    </testcase>
  </testsuite>
  <testsuite name="clean/Dockerfile" tests="1" failures="0" errors="0" skipped="0">
    <testcase name="no problems" classname="clean/Dockerfile"/>
  </testsuite>
  <testsuite name="web/Dockerfile" tests="2" failures="2" errors="0" skipped="0">
    <testcase name="DC010 at 2:5" classname="web/Dockerfile" file="web/Dockerfile" line="2">
      <failure message="apk add without --no-cache" type="warning">web/Dockerfile:2:5: DC010 apk add without --no-cache</failure>
    </testcase>
    <testcase name="DL3018 at 2:13" classname="web/Dockerfile" file="web/Dockerfile" line="2">
      <failure message="pin versions in apk add: use &quot;curl=&lt;version&gt;&quot; (100%, really: &lt;always&gt;)" type="error">web/Dockerfile:2:13: DL3018 pin versions in apk add: use &quot;curl=&lt;version&gt;&quot; (100%, really: &lt;always&gt;)</failure>
    </testcase>
  </testsuite>
</testsuites>
"#;
        assert_eq!(got, want, "\n{got}");
    }
}
