//! `gitlab`: a GitLab Code Quality report, a JSON array of issues.
//!
//! Each issue's fingerprint hashes what the finding is about, not where it is: the path, the
//! code, the flagged text, the whitespace-normalised text of its first line, and how many
//! identical tuples came before it in the same file. Lines added or removed elsewhere leave it
//! unchanged; two identical findings in one file still get different fingerprints.

use super::{PrettyArray, Range, Sink, SortedFile};
use crate::diagnostic::Severity;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

#[derive(Default)]
pub(super) struct Gitlab {
    array: PrettyArray,
}

impl Sink for Gitlab {
    fn finish(&mut self, out: &mut dyn Write, _files_failed: bool) -> io::Result<()> {
        self.array.finish(out)
    }

    fn file(&mut self, out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        let path = file.path();
        let text = file.source.text.as_str();
        let mut seen: HashMap<(&str, &str, String), u64> = HashMap::new();
        for diag in &file.diagnostics {
            let range = Range::of(file.source, diag.span);
            let flagged = text.get(diag.span.start..diag.span.end).unwrap_or("");
            let line = normalized_line(file, range.start.line);
            let occurrence = seen.entry((diag.code, flagged, line.clone())).or_insert(0);
            let fingerprint = fingerprint(&[
                path.as_bytes(),
                diag.code.as_bytes(),
                flagged.as_bytes(),
                line.as_bytes(),
                &occurrence.to_le_bytes(),
            ]);
            *occurrence += 1;
            let issue = Issue {
                description: &diag.message,
                check_name: diag.code,
                fingerprint,
                severity: match diag.severity {
                    Severity::Style => "info",
                    Severity::Info => "minor",
                    Severity::Warning => "major",
                    Severity::Error => "critical",
                },
                location: Location {
                    path: path.clone(),
                    lines: Lines {
                        begin: range.start.line,
                        end: range.last_line(),
                    },
                },
            };
            self.array.push(out, &issue)?;
        }
        Ok(())
    }
}

/// The text of 1-based `line`, trimmed, with runs of whitespace collapsed to one space.
fn normalized_line(file: &SortedFile, line: usize) -> String {
    let text = file.source.text.as_str();
    let start = file.source.lines.line_start(line - 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// FNV-1a, 64 bits, over the parts with a separator byte that UTF-8 never contains; as 16 hex
/// digits. Stable across Rust versions and platforms, unlike `DefaultHasher`.
fn fingerprint(parts: &[&[u8]]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for &byte in part.iter().chain(std::iter::once(&0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{render, span_of};
    use super::super::{OutputFormat, OutputOptions, write_report};
    use super::*;
    use crate::diagnostic::{Diagnostic, FileReport};
    use crate::source::SourceFile;

    #[test]
    fn gitlab_output() {
        let got = render(OutputFormat::Gitlab, &OutputOptions::default());
        let want = r#"[
  {
    "description": "label value 1 is not quoted",
    "check_name": "DS100",
    "fingerprint": "324ae2346932627c",
    "severity": "info",
    "location": {
      "path": "build dir/Dockerfile",
      "lines": {
        "begin": 2,
        "end": 2
      }
    }
  },
  {
    "description": "COPY of the whole context before an install",
    "check_name": "DC002",
    "fingerprint": "8f7773651deb18df",
    "severity": "major",
    "location": {
      "path": "build dir/Dockerfile",
      "lines": {
        "begin": 3,
        "end": 3
      }
    }
  },
  {
    "description": "pip install without --no-cache-dir",
    "check_name": "DC001",
    "fingerprint": "1cb1a9b282c27b9f",
    "severity": "major",
    "location": {
      "path": "build dir/Dockerfile",
      "lines": {
        "begin": 4,
        "end": 4
      }
    }
  },
  {
    "description": "apt lists are not deleted after installing",
    "check_name": "DL3009",
    "fingerprint": "ca20c8b87276bedc",
    "severity": "minor",
    "location": {
      "path": "build dir/Dockerfile",
      "lines": {
        "begin": 5,
        "end": 6
      }
    }
  },
  {
    "description": "apk add without --no-cache",
    "check_name": "DC010",
    "fingerprint": "f856dc4995b29588",
    "severity": "major",
    "location": {
      "path": "web/Dockerfile",
      "lines": {
        "begin": 2,
        "end": 2
      }
    }
  },
  {
    "description": "pin versions in apk add: use \"curl=<version>\" (100%, really: <always>)",
    "check_name": "DL3018",
    "fingerprint": "b70ca072190a153f",
    "severity": "critical",
    "location": {
      "path": "web/Dockerfile",
      "lines": {
        "begin": 2,
        "end": 2
      }
    }
  }
]
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn fnv_known_values() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c; here every part ends with 0xff.
        assert_eq!(fingerprint(&[]), "cbf29ce484222325");
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in [b'a', 0xff] {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        assert_eq!(fingerprint(&[b"a"]), format!("{h:016x}"));
    }

    /// Fingerprints of a file where `pip install x` is flagged twice.
    fn fingerprints(text: &str) -> Vec<(usize, String)> {
        let src = SourceFile::new("app/Dockerfile", text.to_string());
        let first = span_of(text, "pip install x");
        let second_at = text.rfind("pip install x").unwrap();
        let second = crate::source::Span::new(second_at, second_at + "pip install x".len());
        let report = FileReport {
            source: &src,
            diagnostics: vec![
                Diagnostic::new("DC001", "pip-no-cache-dir", Severity::Warning, first, "m"),
                Diagnostic::new("DC001", "pip-no-cache-dir", Severity::Warning, second, "m"),
            ],
        };
        let mut out = Vec::new();
        write_report(
            OutputFormat::Gitlab,
            &mut out,
            &[report],
            &[],
            &OutputOptions::default(),
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["location"]["lines"]["begin"].as_u64().unwrap() as usize,
                    i["fingerprint"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn gitlab_fingerprints_survive_unrelated_lines_and_differ_for_twins() {
        let before = fingerprints("FROM python\nRUN pip install x\nRUN pip install x\n");
        let after = fingerprints(
            "# a comment\nFROM python\nENV A=1\n\nRUN pip install x\nWORKDIR /app\nRUN   pip install x\n",
        );
        assert_eq!(before[0].0, 2);
        assert_eq!(after[0].0, 5);
        assert_eq!(after[1].0, 7);
        assert_eq!(before[0].1, after[0].1);
        assert_eq!(
            before[1].1, after[1].1,
            "whitespace changes inside the line are normalised"
        );
        assert_ne!(before[0].1, before[1].1, "identical findings must differ");
        assert_eq!(before[0].1.len(), 16);
    }
}
