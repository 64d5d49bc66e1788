//! `sarif`: SARIF 2.1.0, one run, for code-scanning dashboards (GitHub, Azure DevOps, IDEs).
//!
//! Only the rules that fired are listed in `tool.driver.rules`; each result points at its rule
//! by `ruleId` and `ruleIndex`. Columns are counted in Unicode code points, as everywhere else.

use super::{Range, Sink, SortedFile, find_rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::source::{SourceFile, Span};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where people can read about dlint: the crate's repository or homepage, if the manifest has
/// one.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|s| !s.is_empty())
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    version: &'static str,
    rules: Vec<SarifRule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<ContextRegion>,
}

/// The whole lines a region is on, so viewers can show the code without the file.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContextRegion {
    start_line: usize,
    end_line: usize,
    snippet: Text,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

/// The changes of a fix: its edits of the linted file, and a file it creates (inserted whole
/// into an empty region of the new artifact).
fn artifact_changes(
    source: &SourceFile,
    artifact: &ArtifactLocation,
    fix: &crate::diagnostic::Fix,
) -> Vec<ArtifactChange> {
    let mut changes = Vec::new();
    if !fix.edits.is_empty() {
        changes.push(ArtifactChange {
            artifact_location: artifact.clone(),
            replacements: fix
                .edits
                .iter()
                .map(|edit| Replacement {
                    deleted_region: region(source, edit.span),
                    inserted_content: Text {
                        text: edit.content.clone(),
                    },
                })
                .collect(),
        });
    }
    if let Some(new_file) = &fix.creates {
        changes.push(ArtifactChange {
            artifact_location: ArtifactLocation {
                uri: path_to_uri(&new_file.path),
            },
            replacements: vec![Replacement {
                deleted_region: Region {
                    start_line: 1,
                    start_column: 1,
                    end_line: 1,
                    end_column: 1,
                    snippet: None,
                },
                inserted_content: Text {
                    text: new_file.content.clone(),
                },
            }],
        });
    }
    changes
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

fn region(source: &SourceFile, span: Span) -> Region {
    let range = Range::of(source, span);
    Region {
        start_line: range.start.line,
        start_column: range.start.column,
        end_line: range.end.line,
        end_column: range.end.column,
        snippet: None,
    }
}

/// A result's location: the region with the flagged text, and the lines around it.
fn physical_location(
    source: &SourceFile,
    artifact: &ArtifactLocation,
    span: Span,
) -> PhysicalLocation {
    let range = Range::of(source, span);
    let text = source.text.as_str();
    let flagged = text.get(span.start..span.end).unwrap_or("");
    let mut region = region(source, span);
    if !flagged.is_empty() {
        region.snippet = Some(Text {
            text: flagged.to_string(),
        });
    }
    // Whole lines from the span's first to its last; the end line is the exclusive end's, so
    // the context always contains the region. SARIF forbids a context that is not larger than
    // the region, so a span that covers its lines entirely gets none.
    let (first, last) = (range.start.line, range.end.line);
    let from = source.lines.line_start(first - 1);
    let to = if last < source.lines.line_count() {
        source.lines.line_start(last)
    } else {
        text.len()
    };
    let lines = text.get(from..to.max(from)).unwrap_or("");
    let lines = lines.strip_suffix('\n').unwrap_or(lines);
    let lines = lines.strip_suffix('\r').unwrap_or(lines);
    let covered = span.start <= from && span.end >= from + lines.len();
    PhysicalLocation {
        artifact_location: artifact.clone(),
        region,
        context_region: (!covered).then(|| ContextRegion {
            start_line: first,
            end_line: last,
            snippet: Text {
                text: lines.to_string(),
            },
        }),
    }
}

/// `pip-no-cache-dir` as `PipNoCacheDir`, the identifier style SARIF viewers expect of names.
fn pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| c == '-' || c == '_' || c.is_whitespace()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The driver rule for `code`, from the table or, for a code missing from it, from the
/// diagnostic itself.
fn driver_rule(code: &str, rules: &[RuleMeta], example: &Diagnostic) -> SarifRule {
    let (name, summary, severity, fixable) = match find_rule(rules, code) {
        Some(rule) => (rule.name, rule.summary, rule.default_severity, rule.fixable),
        None => (example.rule, example.rule, example.severity, false),
    };
    let mut full = summary.to_string();
    if fixable {
        full.push_str(" `dlint fix` can fix some findings of this rule.");
    }
    SarifRule {
        id: code.to_string(),
        name: pascal_case(name),
        short_description: Text {
            text: summary.to_string(),
        },
        full_description: Text { text: full },
        help: Text {
            text: format!("{summary} Run `dlint rule {code}` for the rule's documentation."),
        },
        help_uri: find_rule(rules, code).map(|r| crate::rules::doc_url(r.code)),
        default_configuration: Configuration {
            level: level(severity),
        },
    }
}

/// SARIF lists the rules that fired before the results, and each result points at its rule's
/// place in that list: the results wait here, without the files' texts, until the last file.
pub(super) struct Sarif<'r> {
    rules: &'r [RuleMeta],
    /// The rules that fired, by code, with a finding of each.
    fired: BTreeMap<&'static str, Diagnostic>,
    results: Vec<SarifResult<'static>>,
}

impl<'r> Sarif<'r> {
    pub fn new(rules: &'r [RuleMeta]) -> Self {
        Sarif {
            rules,
            fired: BTreeMap::new(),
            results: Vec::new(),
        }
    }
}

impl Sink for Sarif<'_> {
    fn file(&mut self, _out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        let artifact = ArtifactLocation {
            uri: path_to_uri(&file.source.path),
        };
        let physical = |span: Span| physical_location(file.source, &artifact, span);
        for diag in &file.diagnostics {
            self.fired
                .entry(diag.code)
                .or_insert_with(|| (*diag).clone());
            self.results.push(SarifResult {
                rule_id: diag.code,
                // Set in `finish`, when every rule that fires is known.
                rule_index: 0,
                level: level(diag.severity),
                message: Text {
                    text: diag.message.clone(),
                },
                locations: vec![Location {
                    physical_location: physical(diag.span),
                }],
                related_locations: diag
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| RelatedLocation {
                        id: i + 1,
                        physical_location: physical(r.span),
                        message: Text {
                            text: r.message.clone(),
                        },
                    })
                    .collect(),
                fixes: diag
                    .fix
                    .iter()
                    .map(|fix| SarifFix {
                        description: Text {
                            text: fix.description.clone(),
                        },
                        artifact_changes: artifact_changes(file.source, &artifact, fix),
                    })
                    // SARIF wants at least one replacement per change: a fix with nothing to
                    // replace or create has nothing to say here.
                    .filter(|f| !f.artifact_changes.is_empty())
                    .collect(),
            });
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _files_failed: bool) -> io::Result<()> {
        let index: BTreeMap<&str, usize> = self
            .fired
            .keys()
            .enumerate()
            .map(|(i, c)| (*c, i))
            .collect();
        let driver_rules = self
            .fired
            .iter()
            .map(|(code, example)| driver_rule(code, self.rules, example))
            .collect();
        let mut results = std::mem::take(&mut self.results);
        for result in &mut results {
            result.rule_index = index[result.rule_id];
        }
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "dlint",
                        information_uri: information_uri(),
                        version: env!("CARGO_PKG_VERSION"),
                        rules: driver_rules,
                    },
                },
                column_kind: "unicodeCodePoints",
                results,
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// A path as a URI reference: relative paths stay relative with forward slashes, absolute ones
/// become `file:///` URIs; everything outside RFC 3986's unreserved set is percent-encoded.
fn path_to_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let absolute =
        path.is_absolute() || path.components().any(|c| matches!(c, Component::Prefix(_)));
    let mut out = String::new();
    if absolute {
        out.push_str("file://");
        if !text.starts_with('/') {
            out.push('/');
        }
    }
    for (i, byte) in text.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            // A Windows drive letter's colon in a file URI.
            || (absolute && byte == b':' && i == 1);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testdata::render;
    use super::super::{OutputFormat, OutputOptions};
    use super::*;
    use serde_json::Value;

    #[test]
    fn sarif_output() {
        let got = render(OutputFormat::Sarif, &OutputOptions::default());
        let want = r#"{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "dlint",
          "informationUri": "https://github.com/dockerfile-dlint/dlint",
          "version": "0.1.0",
          "rules": [
            {
              "id": "DC001",
              "name": "PipNoCacheDir",
              "shortDescription": {
                "text": "pip install keeps its download cache in the layer."
              },
              "fullDescription": {
                "text": "pip install keeps its download cache in the layer. `dlint fix` can fix some findings of this rule."
              },
              "help": {
                "text": "pip install keeps its download cache in the layer. Run `dlint rule DC001` for the rule's documentation."
              },
              "helpUri": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC001.md",
              "defaultConfiguration": {
                "level": "warning"
              }
            },
            {
              "id": "DC002",
              "name": "CopyBeforeInstall",
              "shortDescription": {
                "text": "A broad COPY before an install busts the install's cache."
              },
              "fullDescription": {
                "text": "A broad COPY before an install busts the install's cache."
              },
              "help": {
                "text": "A broad COPY before an install busts the install's cache. Run `dlint rule DC002` for the rule's documentation."
              },
              "helpUri": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC002.md",
              "defaultConfiguration": {
                "level": "warning"
              }
            },
            {
              "id": "DC010",
              "name": "ApkNoCache",
              "shortDescription": {
                "text": "apk add without --no-cache leaves the index in the layer."
              },
              "fullDescription": {
                "text": "apk add without --no-cache leaves the index in the layer. `dlint fix` can fix some findings of this rule."
              },
              "help": {
                "text": "apk add without --no-cache leaves the index in the layer. Run `dlint rule DC010` for the rule's documentation."
              },
              "helpUri": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC010.md",
              "defaultConfiguration": {
                "level": "warning"
              }
            },
            {
              "id": "DL3009",
              "name": "AptListsNotDeleted",
              "shortDescription": {
                "text": "apt lists are left in the layer."
              },
              "fullDescription": {
                "text": "apt lists are left in the layer. `dlint fix` can fix some findings of this rule."
              },
              "help": {
                "text": "apt lists are left in the layer. Run `dlint rule DL3009` for the rule's documentation."
              },
              "helpUri": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DL3009.md",
              "defaultConfiguration": {
                "level": "note"
              }
            },
            {
              "id": "DL3018",
              "name": "ApkPinVersions",
              "shortDescription": {
                "text": "apk packages without pinned versions."
              },
              "fullDescription": {
                "text": "apk packages without pinned versions."
              },
              "help": {
                "text": "apk packages without pinned versions. Run `dlint rule DL3018` for the rule's documentation."
              },
              "helpUri": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DL3018.md",
              "defaultConfiguration": {
                "level": "error"
              }
            },
            {
              "id": "DS100",
              "name": "LabelValueQuoted",
              "shortDescription": {
                "text": "LABEL values should be quoted."
              },
              "fullDescription": {
                "text": "LABEL values should be quoted. `dlint fix` can fix some findings of this rule."
              },
              "help": {
                "text": "LABEL values should be quoted. Run `dlint rule DS100` for the rule's documentation."
              },
              "helpUri": "https://github.com/dockerfile-dlint/dlint/blob/main/rules/DS100.md",
              "defaultConfiguration": {
                "level": "note"
              }
            }
          ]
        }
      },
      "columnKind": "unicodeCodePoints",
      "results": [
        {
          "ruleId": "DS100",
          "ruleIndex": 5,
          "level": "note",
          "message": {
            "text": "label value 1 is not quoted"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "build%20dir/Dockerfile"
                },
                "region": {
                  "startLine": 2,
                  "startColumn": 21,
                  "endLine": 2,
                  "endColumn": 30,
                  "snippet": {
                    "text": "version=1"
                  }
                },
                "contextRegion": {
                  "startLine": 2,
                  "endLine": 2,
                  "snippet": {
                    "text": "LABEL note=\"café ☕\" version=1"
                  }
                }
              }
            }
          ],
          "fixes": [
            {
              "description": {
                "text": "quote the value"
              },
              "artifactChanges": [
                {
                  "artifactLocation": {
                    "uri": "build%20dir/Dockerfile"
                  },
                  "replacements": [
                    {
                      "deletedRegion": {
                        "startLine": 2,
                        "startColumn": 29,
                        "endLine": 2,
                        "endColumn": 30
                      },
                      "insertedContent": {
                        "text": "\"1\""
                      }
                    }
                  ]
                }
              ]
            }
          ]
        },
        {
          "ruleId": "DC002",
          "ruleIndex": 1,
          "level": "warning",
          "message": {
            "text": "COPY of the whole context before an install"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "build%20dir/Dockerfile"
                },
                "region": {
                  "startLine": 3,
                  "startColumn": 1,
                  "endLine": 3,
                  "endColumn": 12,
                  "snippet": {
                    "text": "COPY . /app"
                  }
                }
              }
            }
          ],
          "relatedLocations": [
            {
              "id": 1,
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "build%20dir/Dockerfile"
                },
                "region": {
                  "startLine": 4,
                  "startColumn": 5,
                  "endLine": 4,
                  "endColumn": 22,
                  "snippet": {
                    "text": "pip install flask"
                  }
                },
                "contextRegion": {
                  "startLine": 4,
                  "endLine": 4,
                  "snippet": {
                    "text": "RUN pip install flask"
                  }
                }
              },
              "message": {
                "text": "this install re-runs on every change"
              }
            }
          ]
        },
        {
          "ruleId": "DC001",
          "ruleIndex": 0,
          "level": "warning",
          "message": {
            "text": "pip install without --no-cache-dir"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "build%20dir/Dockerfile"
                },
                "region": {
                  "startLine": 4,
                  "startColumn": 5,
                  "endLine": 4,
                  "endColumn": 22,
                  "snippet": {
                    "text": "pip install flask"
                  }
                },
                "contextRegion": {
                  "startLine": 4,
                  "endLine": 4,
                  "snippet": {
                    "text": "RUN pip install flask"
                  }
                }
              }
            }
          ],
          "fixes": [
            {
              "description": {
                "text": "add --no-cache-dir"
              },
              "artifactChanges": [
                {
                  "artifactLocation": {
                    "uri": "build%20dir/Dockerfile"
                  },
                  "replacements": [
                    {
                      "deletedRegion": {
                        "startLine": 4,
                        "startColumn": 16,
                        "endLine": 4,
                        "endColumn": 16
                      },
                      "insertedContent": {
                        "text": " --no-cache-dir"
                      }
                    }
                  ]
                }
              ]
            }
          ]
        },
        {
          "ruleId": "DL3009",
          "ruleIndex": 3,
          "level": "note",
          "message": {
            "text": "apt lists are not deleted after installing"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "build%20dir/Dockerfile"
                },
                "region": {
                  "startLine": 5,
                  "startColumn": 5,
                  "endLine": 6,
                  "endColumn": 28,
                  "snippet": {
                    "text": "apt-get update && \\\n    apt-get install -y curl"
                  }
                },
                "contextRegion": {
                  "startLine": 5,
                  "endLine": 6,
                  "snippet": {
                    "text": "RUN apt-get update && \\\n    apt-get install -y curl"
                  }
                }
              }
            }
          ],
          "fixes": [
            {
              "description": {
                "text": "delete /var/lib/apt/lists"
              },
              "artifactChanges": [
                {
                  "artifactLocation": {
                    "uri": "build%20dir/Dockerfile"
                  },
                  "replacements": [
                    {
                      "deletedRegion": {
                        "startLine": 6,
                        "startColumn": 28,
                        "endLine": 6,
                        "endColumn": 28
                      },
                      "insertedContent": {
                        "text": " \\\n    && rm -rf /var/lib/apt/lists/*"
                      }
                    }
                  ]
                }
              ]
            }
          ]
        },
        {
          "ruleId": "DC010",
          "ruleIndex": 2,
          "level": "warning",
          "message": {
            "text": "apk add without --no-cache"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "web/Dockerfile"
                },
                "region": {
                  "startLine": 2,
                  "startColumn": 5,
                  "endLine": 2,
                  "endColumn": 12,
                  "snippet": {
                    "text": "apk add"
                  }
                },
                "contextRegion": {
                  "startLine": 2,
                  "endLine": 2,
                  "snippet": {
                    "text": "RUN apk add curl"
                  }
                }
              }
            }
          ],
          "fixes": [
            {
              "description": {
                "text": "add --no-cache"
              },
              "artifactChanges": [
                {
                  "artifactLocation": {
                    "uri": "web/Dockerfile"
                  },
                  "replacements": [
                    {
                      "deletedRegion": {
                        "startLine": 2,
                        "startColumn": 12,
                        "endLine": 2,
                        "endColumn": 12
                      },
                      "insertedContent": {
                        "text": " --no-cache"
                      }
                    }
                  ]
                }
              ]
            }
          ]
        },
        {
          "ruleId": "DL3018",
          "ruleIndex": 4,
          "level": "error",
          "message": {
            "text": "pin versions in apk add: use \"curl=<version>\" (100%, really: <always>)"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "web/Dockerfile"
                },
                "region": {
                  "startLine": 2,
                  "startColumn": 13,
                  "endLine": 2,
                  "endColumn": 17,
                  "snippet": {
                    "text": "curl"
                  }
                },
                "contextRegion": {
                  "startLine": 2,
                  "endLine": 2,
                  "snippet": {
                    "text": "RUN apk add curl"
                  }
                }
              }
            }
          ]
        }
      ]
    }
  ]
}
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn names_in_pascal_case() {
        assert_eq!(pascal_case("pip-no-cache-dir"), "PipNoCacheDir");
        assert_eq!(pascal_case("syntax_error"), "SyntaxError");
        assert_eq!(pascal_case("already"), "Already");
    }

    #[test]
    fn uris() {
        assert_eq!(
            path_to_uri(Path::new("build dir/Dockerfile")),
            "build%20dir/Dockerfile"
        );
        assert_eq!(
            path_to_uri(Path::new("a/ü#1%.Dockerfile")),
            "a/%C3%BC%231%25.Dockerfile"
        );
        assert_eq!(path_to_uri(Path::new("c:d")), "c%3Ad");
        assert_eq!(
            path_to_uri(Path::new("/srv/app/Dockerfile")),
            "file:///srv/app/Dockerfile"
        );
    }

    #[test]
    fn sarif_structure() {
        let log: Value =
            serde_json::from_str(&render(OutputFormat::Sarif, &OutputOptions::default())).unwrap();
        assert_eq!(log["$schema"], SCHEMA);
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "dlint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        // Every rule that fired, and only those (DC099 never does).
        assert_eq!(
            ids,
            ["DC001", "DC002", "DC010", "DL3009", "DL3018", "DS100"]
        );
        for rule in rules {
            for key in ["name", "shortDescription", "fullDescription", "help"] {
                assert!(!rule[key].is_null(), "rule lacks {key}: {rule}");
            }
            assert!(rule["defaultConfiguration"]["level"].is_string());
        }
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 6);
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
            assert!(result["message"]["text"].is_string());
            let loc = &result["locations"][0]["physicalLocation"];
            assert!(loc["artifactLocation"]["uri"].is_string());
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(loc["region"][key].as_u64().unwrap() >= 1);
            }
        }
        // The style finding after "café ☕" counts columns in characters.
        let style = results.iter().find(|r| r["ruleId"] == "DS100").unwrap();
        let loc = &style["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "build%20dir/Dockerfile");
        assert_eq!(loc["region"]["startColumn"], 21);
        assert_eq!(loc["region"]["endColumn"], 30);
        assert_eq!(loc["region"]["snippet"]["text"], "version=1");
        assert_eq!(
            loc["contextRegion"]["snippet"]["text"],
            "LABEL note=\"café ☕\" version=1"
        );
        assert_eq!(style["level"], "note");
        let replacement = &style["fixes"][0]["artifactChanges"][0]["replacements"][0];
        assert_eq!(replacement["deletedRegion"]["startColumn"], 29);
        assert_eq!(replacement["insertedContent"]["text"], "\"1\"");
        // Related locations carry their message.
        let copy = results.iter().find(|r| r["ruleId"] == "DC002").unwrap();
        assert_eq!(
            copy["relatedLocations"][0]["message"]["text"],
            "this install re-runs on every change"
        );
        assert_eq!(
            copy["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
            4
        );
        assert!(copy.get("fixes").is_none());
        // A multi-line span's context is every line it covers.
        let apt = results.iter().find(|r| r["ruleId"] == "DL3009").unwrap();
        let context = &apt["locations"][0]["physicalLocation"]["contextRegion"];
        assert_eq!(
            (context["startLine"].as_u64(), context["endLine"].as_u64()),
            (Some(5), Some(6))
        );
        assert_eq!(
            context["snippet"]["text"],
            "RUN apt-get update && \\\n    apt-get install -y curl"
        );
    }
}
