//! `json`: one pretty-printed array for the whole run, in the INTERFACES.md schema, plus
//! `level` as an alias of `severity` for scripts written against hadolint.

use super::{PrettyArray, Range, Sink, SortedFile};
use crate::diagnostic::{Diagnostic, Fix, RuleMeta};
use crate::source::SourceFile;
use serde::Serialize;
use std::io::{self, Write};

/// One finding. Field order is the order the keys are written in.
#[derive(Serialize)]
pub(super) struct JsonDiagnostic<'a> {
    pub file: &'a str,
    pub code: &'a str,
    pub rule: &'a str,
    pub severity: &'static str,
    pub level: &'static str,
    pub message: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The rule's documentation page (`rules::doc_url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
pub(super) struct JsonFix<'a> {
    pub applicability: &'static str,
    pub description: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
    /// Only for fixes that create a file (a `.dockerignore`): its path and contents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creates: Option<JsonNewFile<'a>>,
}

#[derive(Serialize)]
pub(super) struct JsonNewFile<'a> {
    pub path: String,
    pub content: &'a str,
}

#[derive(Serialize)]
pub(super) struct JsonEdit<'a> {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub content: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(
        source: &SourceFile,
        path: &'a str,
        diag: &'a Diagnostic,
        rules: &[RuleMeta],
    ) -> Self {
        let range = Range::of(source, diag.span);
        JsonDiagnostic {
            file: path,
            code: diag.code,
            rule: diag.rule,
            severity: diag.severity.as_str(),
            level: diag.severity.as_str(),
            message: &diag.message,
            line: range.start.line,
            column: range.start.column,
            end_line: range.end.line,
            end_column: range.end.column,
            url: super::find_rule(rules, diag.code).map(|r| crate::rules::doc_url(r.code)),
            fix: diag.fix.as_ref().map(|fix| JsonFix::new(source, fix)),
        }
    }
}

impl<'a> JsonFix<'a> {
    fn new(source: &SourceFile, fix: &'a Fix) -> Self {
        JsonFix {
            applicability: fix.applicability.as_str(),
            description: &fix.description,
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let range = Range::of(source, edit.span);
                    JsonEdit {
                        line: range.start.line,
                        column: range.start.column,
                        end_line: range.end.line,
                        end_column: range.end.column,
                        content: &edit.content,
                    }
                })
                .collect(),
            creates: fix.creates.as_ref().map(|new_file| JsonNewFile {
                path: new_file.path.to_string_lossy().into_owned(),
                content: &new_file.content,
            }),
        }
    }
}

/// Every finding of a file, in output order.
pub(super) fn records<'a>(
    file: &'a SortedFile<'a>,
    path: &'a str,
    rules: &[RuleMeta],
) -> impl Iterator<Item = JsonDiagnostic<'a>> {
    file.diagnostics
        .iter()
        .map(move |diag| JsonDiagnostic::new(file.source, path, diag, rules))
}

pub(super) struct Json<'r> {
    rules: &'r [RuleMeta],
    array: PrettyArray,
}

impl<'r> Json<'r> {
    pub fn new(rules: &'r [RuleMeta]) -> Self {
        Json {
            rules,
            array: PrettyArray::default(),
        }
    }
}

impl Sink for Json<'_> {
    fn file(&mut self, out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        let path = file.path();
        for record in records(file, &path, self.rules) {
            self.array.push(out, &record)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _files_failed: bool) -> io::Result<()> {
        self.array.finish(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{RULES, render, span_of};
    use super::super::{OutputFormat, OutputOptions, write_report};
    use crate::diagnostic::{Diagnostic, FileReport, Severity};
    use crate::source::SourceFile;

    #[test]
    fn json_output() {
        let got = render(OutputFormat::Json, &OutputOptions::default());
        let want = r#"[
  {
    "file": "build dir/Dockerfile",
    "code": "DS100",
    "rule": "label-value-quoted",
    "severity": "style",
    "level": "style",
    "message": "label value 1 is not quoted",
    "line": 2,
    "column": 21,
    "end_line": 2,
    "end_column": 30,
    "url": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DS100.md",
    "fix": {
      "applicability": "safe",
      "description": "quote the value",
      "edits": [
        {
          "line": 2,
          "column": 29,
          "end_line": 2,
          "end_column": 30,
          "content": "\"1\""
        }
      ]
    }
  },
  {
    "file": "build dir/Dockerfile",
    "code": "DC002",
    "rule": "copy-before-install",
    "severity": "warning",
    "level": "warning",
    "message": "COPY of the whole context before an install",
    "line": 3,
    "column": 1,
    "end_line": 3,
    "end_column": 12,
    "url": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC002.md",
    "fix": null
  },
  {
    "file": "build dir/Dockerfile",
    "code": "DC001",
    "rule": "pip-no-cache-dir",
    "severity": "warning",
    "level": "warning",
    "message": "pip install without --no-cache-dir",
    "line": 4,
    "column": 5,
    "end_line": 4,
    "end_column": 22,
    "url": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC001.md",
    "fix": {
      "applicability": "safe",
      "description": "add --no-cache-dir",
      "edits": [
        {
          "line": 4,
          "column": 16,
          "end_line": 4,
          "end_column": 16,
          "content": " --no-cache-dir"
        }
      ]
    }
  },
  {
    "file": "build dir/Dockerfile",
    "code": "DL3009",
    "rule": "apt-lists-not-deleted",
    "severity": "info",
    "level": "info",
    "message": "apt lists are not deleted after installing",
    "line": 5,
    "column": 5,
    "end_line": 6,
    "end_column": 28,
    "url": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DL3009.md",
    "fix": {
      "applicability": "unsafe",
      "description": "delete /var/lib/apt/lists",
      "edits": [
        {
          "line": 6,
          "column": 28,
          "end_line": 6,
          "end_column": 28,
          "content": " \\\n    && rm -rf /var/lib/apt/lists/*"
        }
      ]
    }
  },
  {
    "file": "web/Dockerfile",
    "code": "DC010",
    "rule": "apk-no-cache",
    "severity": "warning",
    "level": "warning",
    "message": "apk add without --no-cache",
    "line": 2,
    "column": 5,
    "end_line": 2,
    "end_column": 12,
    "url": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC010.md",
    "fix": {
      "applicability": "safe",
      "description": "add --no-cache",
      "edits": [
        {
          "line": 2,
          "column": 12,
          "end_line": 2,
          "end_column": 12,
          "content": " --no-cache"
        }
      ]
    }
  },
  {
    "file": "web/Dockerfile",
    "code": "DL3018",
    "rule": "apk-pin-versions",
    "severity": "error",
    "level": "error",
    "message": "pin versions in apk add: use \"curl=<version>\" (100%, really: <always>)",
    "line": 2,
    "column": 13,
    "end_line": 2,
    "end_column": 17,
    "url": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DL3018.md",
    "fix": null
  }
]
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn json_empty_run_is_an_empty_array() {
        let mut out = Vec::new();
        write_report(
            OutputFormat::Json,
            &mut out,
            &[],
            RULES,
            &OutputOptions::default(),
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[]\n");
    }

    #[test]
    fn json_keys_and_order() {
        let got = render(OutputFormat::Json, &OutputOptions::default());
        let value: serde_json::Value = serde_json::from_str(&got).unwrap();
        let items = value.as_array().unwrap();
        let keys: Vec<&str> = items[0]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        // serde_json's map is sorted unless preserve_order is on; check the set here and the
        // written order in the raw text.
        let mut want = vec![
            "file",
            "code",
            "rule",
            "severity",
            "level",
            "message",
            "line",
            "column",
            "end_line",
            "end_column",
            "url",
            "fix",
        ];
        let positions: Vec<usize> = want
            .iter()
            .map(|k| got.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        want.sort();
        let mut keys = keys;
        keys.sort();
        assert_eq!(keys, want);

        let order: Vec<(String, u64, u64, String)> = items
            .iter()
            .map(|i| {
                (
                    i["file"].as_str().unwrap().to_string(),
                    i["line"].as_u64().unwrap(),
                    i["column"].as_u64().unwrap(),
                    i["code"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(order.len(), 6);
    }

    #[test]
    fn json_sorts_same_position_by_code() {
        let text = "FROM a\nRUN apk add curl\n";
        let src = SourceFile::new("Dockerfile", text.to_string());
        let at = span_of(text, "apk add");
        let report = FileReport {
            source: &src,
            diagnostics: vec![
                Diagnostic::new("DL3019", "b", Severity::Info, at, "second"),
                Diagnostic::new("DL3018", "a", Severity::Info, at, "first"),
                Diagnostic::new(
                    "DC001",
                    "c",
                    Severity::Info,
                    span_of(text, "FROM"),
                    "zeroth",
                ),
            ],
        };
        let mut out = Vec::new();
        write_report(
            OutputFormat::Json,
            &mut out,
            &[report],
            &[],
            &OutputOptions::default(),
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let codes: Vec<&str> = value
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["DC001", "DL3018", "DL3019"]);
    }
}
