//! `checkstyle`: Checkstyle XML, as Jenkins (warnings-ng) and reviewdog read it. Every linted
//! file is listed, with an `<error>` per finding.

use super::{Range, Sink, SortedFile, xml_escape};
use crate::diagnostic::Severity;
use std::io::{self, Write};

#[derive(Default)]
pub(super) struct Checkstyle {
    started: bool,
}

impl Checkstyle {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
            writeln!(out, r#"<checkstyle version="4.3">"#)?;
        }
        Ok(())
    }
}

impl Sink for Checkstyle {
    fn finish(&mut self, out: &mut dyn Write, _files_failed: bool) -> io::Result<()> {
        self.start(out)?;
        writeln!(out, "</checkstyle>")
    }

    fn file(&mut self, out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        self.start(out)?;
        let name = xml_escape(&file.path());
        if file.diagnostics.is_empty() {
            return writeln!(out, r#"  <file name="{name}"/>"#);
        }
        writeln!(out, r#"  <file name="{name}">"#)?;
        for diag in &file.diagnostics {
            let range = Range::of(file.source, diag.span);
            let severity = match diag.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "info",
            };
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{severity}" message="{}" source="dlint.{}"/>"#,
                range.start.line,
                range.start.column,
                xml_escape(&diag.message),
                xml_escape(diag.code),
            )?;
        }
        writeln!(out, "  </file>")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::render;
    use super::super::{OutputFormat, OutputOptions};

    #[test]
    fn checkstyle_output() {
        let got = render(OutputFormat::Checkstyle, &OutputOptions::default());
        let want = r#"<?xml version="1.0" encoding="UTF-8"?>
<checkstyle version="4.3">
  <file name="build dir/Dockerfile">
    <error line="2" column="21" severity="info" message="label value 1 is not quoted" source="dlint.DS100"/>
    <error line="3" column="1" severity="warning" message="COPY of the whole context before an install" source="dlint.DC002"/>
    <error line="4" column="5" severity="warning" message="pip install without --no-cache-dir" source="dlint.DC001"/>
    <error line="5" column="5" severity="info" message="apt lists are not deleted after installing" source="dlint.DL3009"/>
  </file>
  <file name="clean/Dockerfile"/>
  <file name="web/Dockerfile">
    <error line="2" column="5" severity="warning" message="apk add without --no-cache" source="dlint.DC010"/>
    <error line="2" column="13" severity="error" message="pin versions in apk add: use &quot;curl=&lt;version&gt;&quot; (100%, really: &lt;always&gt;)" source="dlint.DL3018"/>
  </file>
</checkstyle>
"#;
        assert_eq!(got, want, "\n{got}");
    }
}
