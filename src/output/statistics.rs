//! `--statistics`: how many findings each rule produced, instead of the findings themselves.

use super::{
    OutputFormat, OutputOptions, PrettyArray, ReportStream, Sink, SortedFile, Tally, find_rule,
    in_path_order, write_summary,
};
use crate::diagnostic::{FileReport, RuleMeta};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One rule's line in the statistics.
#[derive(Serialize)]
struct RuleCount<'a> {
    code: &'a str,
    name: &'a str,
    count: usize,
    /// Some of its findings have a fix (safe or unsafe).
    fixable: bool,
}

/// The counts of a run, gathered file by file: the table (or JSON) and the summary line.
pub(super) struct Statistics<'r> {
    rules: &'r [RuleMeta],
    json: bool,
    by_code: BTreeMap<&'static str, RuleCount<'r>>,
    tally: Tally,
}

impl<'r> Statistics<'r> {
    pub fn new(rules: &'r [RuleMeta], json: bool) -> Self {
        Statistics {
            rules,
            json,
            by_code: BTreeMap::new(),
            tally: Tally::default(),
        }
    }

    /// Rules by descending count, then by code.
    fn counts(&mut self) -> Vec<RuleCount<'r>> {
        let mut counts: Vec<RuleCount> = std::mem::take(&mut self.by_code).into_values().collect();
        counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
        counts
    }
}

impl Sink for Statistics<'_> {
    fn file(&mut self, _out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        self.tally.add(file, false);
        for diag in &file.diagnostics {
            let entry = self.by_code.entry(diag.code).or_insert_with(|| RuleCount {
                code: diag.code,
                name: find_rule(self.rules, diag.code).map_or(diag.rule, |r| r.name),
                count: 0,
                fixable: false,
            });
            entry.count += 1;
            entry.fixable |= diag.fix.is_some();
        }
        Ok(())
    }

    /// JSON: a pretty-printed array of `{code, name, count, fixable}`. Otherwise a table,
    /// `count  CODE  [*] name` a rule, then the summary line:
    ///
    /// ```text
    /// 2  DC001   [*] pip-no-cache-dir
    /// 1  DL3018      apk-pin-versions
    /// Found 3 problems (1 error, 2 warnings, 0 info, 0 style).
    /// [*] 2 fixable with `dlint fix`.
    /// ```
    fn finish(&mut self, out: &mut dyn Write, _files_failed: bool) -> io::Result<()> {
        let counts = self.counts();
        if self.json {
            let mut array = PrettyArray::default();
            for c in &counts {
                array.push(out, c)?;
            }
            return array.finish(out);
        }
        let count_width = counts
            .iter()
            .map(|c| c.count.to_string().len())
            .max()
            .unwrap_or(1);
        let code_width = counts.iter().map(|c| c.code.len()).max().unwrap_or(1);
        for c in &counts {
            writeln!(
                out,
                "{:>count_width$}  {:<code_width$}  {} {}",
                c.count,
                c.code,
                if c.fixable { "[*]" } else { "   " },
                c.name
            )?;
        }
        let opts = OutputOptions {
            color: false,
            show_fixes_hint: true,
            unsafe_fixes_enabled: false,
            show_source: false,
            files_failed: false,
        };
        write_summary(out, &self.tally, &opts)
    }
}

fn write_all(
    format: OutputFormat,
    out: &mut dyn Write,
    reports: &[FileReport],
    rules: &[RuleMeta],
) -> io::Result<()> {
    let mut stream = ReportStream::statistics(format, out, rules);
    for report in in_path_order(reports) {
        stream.file(report)?;
    }
    stream.finish(false)
}

/// The counts as a table, then the summary line.
pub fn write_statistics(
    out: &mut dyn Write,
    reports: &[FileReport],
    rules: &[RuleMeta],
) -> io::Result<()> {
    write_all(OutputFormat::Concise, out, reports, rules)
}

/// The same counts as a pretty-printed JSON array of `{code, name, count, fixable}`.
pub fn write_statistics_json(
    out: &mut dyn Write,
    reports: &[FileReport],
    rules: &[RuleMeta],
) -> io::Result<()> {
    write_all(OutputFormat::Json, out, reports, rules)
}

/// JSON for the JSON formats (`json`, `json-lines`), the table for every other format.
pub fn write_statistics_for(
    format: OutputFormat,
    out: &mut dyn Write,
    reports: &[FileReport],
    rules: &[RuleMeta],
) -> io::Result<()> {
    write_all(format, out, reports, rules)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{RULES, reports, sources};
    use super::*;

    #[test]
    fn statistics_text() {
        let sources = sources();
        let reports = reports(&sources);
        let mut out = Vec::new();
        write_statistics(&mut out, &reports, RULES).unwrap();
        let got = String::from_utf8(out).unwrap();
        let want = r#"1  DC001   [*] pip-no-cache-dir
1  DC002       copy-before-install
1  DC010   [*] apk-no-cache
1  DL3009  [*] apt-lists-not-deleted
1  DL3018      apk-pin-versions
1  DS100   [*] label-value-quoted
Found 6 problems (1 error, 3 warnings, 1 info, 1 style).
[*] 3 fixable with `dlint fix` (1 more with `--unsafe-fixes`).
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn statistics_json() {
        let sources = sources();
        let reports = reports(&sources);
        let mut out = Vec::new();
        write_statistics_for(OutputFormat::Json, &mut out, &reports, RULES).unwrap();
        let got = String::from_utf8(out).unwrap();
        let want = r#"[
  {
    "code": "DC001",
    "name": "pip-no-cache-dir",
    "count": 1,
    "fixable": true
  },
  {
    "code": "DC002",
    "name": "copy-before-install",
    "count": 1,
    "fixable": false
  },
  {
    "code": "DC010",
    "name": "apk-no-cache",
    "count": 1,
    "fixable": true
  },
  {
    "code": "DL3009",
    "name": "apt-lists-not-deleted",
    "count": 1,
    "fixable": true
  },
  {
    "code": "DL3018",
    "name": "apk-pin-versions",
    "count": 1,
    "fixable": false
  },
  {
    "code": "DS100",
    "name": "label-value-quoted",
    "count": 1,
    "fixable": true
  }
]
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn statistics_by_count_then_code() {
        use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
        use crate::source::{SourceFile, Span};
        let src = SourceFile::new("Dockerfile", "RUN pip install x\n".to_string());
        let pip = || {
            Diagnostic::new(
                "DC001",
                "pip-no-cache-dir",
                Severity::Warning,
                Span::new(4, 7),
                "m",
            )
            .with_fix(Some(Fix::safe(
                "d",
                vec![Edit::insert(15, " --no-cache-dir")],
            )))
        };
        let report = FileReport {
            source: &src,
            diagnostics: vec![
                Diagnostic::new(
                    "DL3018",
                    "apk-pin-versions",
                    Severity::Error,
                    Span::new(0, 3),
                    "m",
                ),
                pip(),
                pip(),
            ],
        };
        let mut out = Vec::new();
        write_statistics(&mut out, &[report], RULES).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "2  DC001   [*] pip-no-cache-dir\n\
             1  DL3018      apk-pin-versions\n\
             Found 3 problems (1 error, 2 warnings, 0 info, 0 style).\n\
             [*] 2 fixable with `dlint fix`.\n"
        );
    }

    #[test]
    fn statistics_of_nothing() {
        let mut out = Vec::new();
        write_statistics(&mut out, &[], RULES).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "No Dockerfiles found.\n");
        let mut out = Vec::new();
        write_statistics_json(&mut out, &[], RULES).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[]\n");
    }
}
