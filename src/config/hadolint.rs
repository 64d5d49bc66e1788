//! Migration from hadolint: `.hadolint.yaml` / `.hadolint.yml`, read with the YAML parser
//! (yaml-rust2) and mapped onto dlint's own settings, each of which has its `dlint.toml`
//! spelling:
//!
//! | hadolint                     | dlint.toml                                        |
//! |------------------------------|---------------------------------------------------|
//! | `ignored: [CODE]`            | `ignore = ["CODE"]`                               |
//! | `override: {error: [CODE]}`  | `[severity] CODE = "error"`                       |
//! | `failure-threshold: LEVEL`   | `fail-level = "LEVEL"` (`ignore`/`none`: `"none"`)|
//! | `no-fail: true`              | `fail-level = "none"`                             |
//! | `trustedRegistries: [R]`     | `[rules.DL3026] trusted-registries = ["R"]`       |
//! | `label-schema: {L: TYPE}`    | `[rules.DL3049] label-schema = { L = "TYPE" }`    |
//! | `strict-labels: true`        | `[rules.DL3050] strict-labels = true`             |
//! | `disable-ignore-pragma: true`| `hadolint-pragmas = false`                        |
//!
//! hadolint's output settings (`format`, `no-color`, `verbose`) are accepted and left to the
//! command line. Any other key, a value of the wrong type, or YAML that does not parse is an
//! error naming the file and line: a misspelt key silently doing nothing is worse than a stop.
//! Codes dlint does not have (ShellCheck's, rules not written yet) load, with a note for `-v`.

use super::{Config, ConfigError, Origin, parse_fail_level};
use crate::compose::{Node, parse_yaml_document};
use crate::diagnostic::Severity;
use std::path::{Path, PathBuf};

pub const FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// The label types hadolint's `label-schema` knows.
pub const LABEL_TYPES: [&str; 7] = ["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];

/// The rules that hold hadolint's rule settings in dlint (the `[rules.CODE]` tables).
const TRUSTED_REGISTRIES: (&str, &str) = ("DL3026", "trusted-registries");
const LABEL_SCHEMA: (&str, &str) = ("DL3049", "label-schema");
const STRICT_LABELS: (&str, &str) = ("DL3050", "strict-labels");

/// The nearest hadolint configuration in `dir` or above it.
pub fn find_nearest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// Read a hadolint configuration; an unreadable or invalid file is an error like any
/// configuration's.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::unreadable(path, &crate::discover::describe_io_error(&e)))?;
    parse(path, &text)
}

/// Validate the text of a hadolint configuration found at `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let reader = Reader { path, text };
    let mut config = Config::empty(path, Origin::Hadolint);
    let root = match parse_yaml_document(text) {
        Ok(root) => root,
        // An empty file (or one with only comments) configures nothing, as for hadolint.
        Err(None) => return Ok(config),
        Err(Some(e)) => {
            let m = e.marker();
            return Err(reader.at_line_col(
                m.line(),
                m.col() + 1,
                format!("not valid YAML: {}", e.info()),
            ));
        }
    };
    if let Node::Scalar { value, .. } = &root
        && value.is_empty()
    {
        return Ok(config);
    }
    let Node::Mapping { .. } = root else {
        return Err(reader.at(&root, "expected a mapping of hadolint settings"));
    };
    let mut no_fail = false;
    for (key, value) in root.entries() {
        let name = key.as_str().unwrap_or_default();
        match name {
            "ignored" => {
                for (code, node) in reader.codes(value)? {
                    // ShellCheck codes leave out those codes, as in hadolint.
                    let sc = node
                        .as_str()
                        .filter(|c| crate::rules::shell::is_sc_code(c))
                        .map(crate::rules::shell::codes::intern);
                    match code.or(sc) {
                        Some(code) => config.ignore.push(code),
                        None => config.notes.push(unknown_code(node, "ignored")),
                    }
                }
            }
            "override" => {
                for (level, list) in reader.mapping(value)? {
                    let level_name = level.as_str().unwrap_or_default();
                    let severity = Severity::parse(level_name).ok_or_else(|| {
                        reader.at(
                            level,
                            format!(
                                "unknown severity `{level_name}` under `override`; use error, warning, info or style"
                            ),
                        )
                    })?;
                    for (code, node) in reader.codes(list)? {
                        match code {
                            Some(code) => config.severity.push((code, severity)),
                            None => config.notes.push(unknown_code(node, "override")),
                        }
                    }
                }
            }
            "failure-threshold" => {
                let level = reader.scalar(value)?;
                let level = if level.eq_ignore_ascii_case("ignore") {
                    "none"
                } else {
                    level
                };
                let parsed = parse_fail_level(level).map_err(|_| {
                    reader.at(
                        value,
                        format!(
                            "unknown failure-threshold `{level}`; use error, warning, info, style, ignore or none"
                        ),
                    )
                })?;
                config.fail_level = Some(parsed);
            }
            "no-fail" => no_fail = reader.boolean(value)?,
            "trustedRegistries" => {
                let registries: Vec<toml::Value> = reader
                    .strings(value)?
                    .into_iter()
                    .map(toml::Value::String)
                    .collect();
                set_option(&mut config, TRUSTED_REGISTRIES, registries.into());
            }
            "label-schema" => {
                let mut schema = toml::Table::new();
                for (label, kind) in reader.mapping(value)? {
                    let label = reader.scalar(label)?;
                    let kind_name = reader.scalar(kind)?;
                    if !LABEL_TYPES.contains(&kind_name) {
                        return Err(reader.at(
                            kind,
                            format!(
                                "unknown label type `{kind_name}`; use one of {}",
                                LABEL_TYPES.join(", ")
                            ),
                        ));
                    }
                    schema.insert(label.to_string(), kind_name.into());
                }
                set_option(&mut config, LABEL_SCHEMA, schema.into());
            }
            "strict-labels" => {
                let strict = reader.boolean(value)?;
                set_option(&mut config, STRICT_LABELS, strict.into());
            }
            "disable-ignore-pragma" => {
                config.hadolint_pragmas = Some(!reader.boolean(value)?);
            }
            // Output settings: the command line's business in dlint.
            "format" | "no-color" | "verbose" => {
                reader.scalar(value)?;
            }
            _ => {
                return Err(reader
                    .at(key, format!("unknown hadolint setting `{name}`"))
                    .with_help(
                        "hadolint's settings are ignored, override, failure-threshold, no-fail, \
                         trustedRegistries, label-schema, strict-labels, disable-ignore-pragma, \
                         format, no-color and verbose",
                    ));
            }
        }
    }
    if no_fail {
        config.fail_level = Some(None);
    }
    Ok(config)
}

fn set_option(config: &mut Config, (code, key): (&'static str, &str), value: toml::Value) {
    config
        .rule_options
        .entry(code)
        .or_default()
        .insert(key.to_string(), value);
}

fn unknown_code(node: &Node, key: &str) -> String {
    format!(
        "`{}` under `{key}` (line {}) is not a dlint rule; passed over",
        node.as_str().unwrap_or_default(),
        node.line()
    )
}

/// Type checks that point at the offending node.
struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Reader<'_> {
    fn at_line_col(&self, line: usize, column: usize, message: String) -> ConfigError {
        let start: usize = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let rest = &self.text[start.min(self.text.len())..];
        let offset = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        let at = start + offset;
        let end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |n| at + n);
        ConfigError::at(self.path, self.text, at..end.max(at), message)
    }

    /// An error at the start of the line `node` begins on (the YAML tree keeps lines).
    fn at(&self, node: &Node, message: impl Into<String>) -> ConfigError {
        let line = node.line();
        let start: usize = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let line_text = self.text[start.min(self.text.len())..]
            .lines()
            .next()
            .unwrap_or("");
        let indent = line_text.len() - line_text.trim_start().len();
        let column = self.text[start..start + indent].chars().count() + 1;
        self.at_line_col(line, column, message.into())
    }

    fn scalar<'n>(&self, node: &'n Node) -> Result<&'n str, ConfigError> {
        node.as_str()
            .ok_or_else(|| self.at(node, "expected a single value, not a list or mapping"))
    }

    fn boolean(&self, node: &Node) -> Result<bool, ConfigError> {
        match self.scalar(node)? {
            "true" | "True" | "TRUE" => Ok(true),
            "false" | "False" | "FALSE" => Ok(false),
            other => Err(self.at(node, format!("expected true or false, not `{other}`"))),
        }
    }

    fn list<'n>(&self, node: &'n Node) -> Result<Vec<&'n Node>, ConfigError> {
        match node {
            Node::Sequence { items, .. } => Ok(items.iter().collect()),
            // `ignored:` with nothing after it is an empty list.
            Node::Scalar { value, .. } if value.is_empty() || value == "~" => Ok(Vec::new()),
            _ => Err(self.at(node, "expected a list")),
        }
    }

    fn strings(&self, node: &Node) -> Result<Vec<String>, ConfigError> {
        self.list(node)?
            .into_iter()
            .map(|n| self.scalar(n).map(str::to_string))
            .collect()
    }

    fn mapping<'n>(&self, node: &'n Node) -> Result<Vec<(&'n Node, &'n Node)>, ConfigError> {
        match node {
            Node::Mapping { .. } => Ok(node.entries()),
            Node::Scalar { value, .. } if value.is_empty() || value == "~" => Ok(Vec::new()),
            _ => Err(self.at(node, "expected a mapping")),
        }
    }

    /// A list of rule codes: each resolved to dlint's code, None when dlint has no such rule.
    fn codes<'n>(
        &self,
        node: &'n Node,
    ) -> Result<Vec<(Option<&'static str>, &'n Node)>, ConfigError> {
        self.list(node)?
            .into_iter()
            .map(|n| {
                let code = self.scalar(n)?;
                Ok((crate::rules::find(code).map(|m| m.code), n))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, String> {
        parse(Path::new("dir/.hadolint.yaml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn every_setting_maps_to_dlint() {
        let text = "\
# migrated
failure-threshold: warning
ignored:
- DX100   # known
- SC2086
override:
  error: [ \"DX100\", DL9999 ]
  style:
    - syntax-error
trustedRegistries:
  - docker.io
  - \"my-company.com:5000\"
label-schema:
  author: text
  version: semver
strict-labels: true
disable-ignore-pragma: true
format: json
";
        let c = load_text(text).unwrap();
        assert_eq!(c.origin, Origin::Hadolint);
        // ShellCheck codes carry over too.
        assert_eq!(c.ignore, ["DX100", "SC2086"]);
        assert_eq!(
            c.severity,
            [("DX100", Severity::Error), ("DL1000", Severity::Style)]
        );
        assert_eq!(c.fail_level, Some(Some(Severity::Warning)));
        assert_eq!(c.hadolint_pragmas, Some(false));
        let registries = c.rule_options["DL3026"]["trusted-registries"]
            .as_array()
            .unwrap();
        assert_eq!(registries.len(), 2);
        assert_eq!(registries[1].as_str(), Some("my-company.com:5000"));
        assert_eq!(
            c.rule_options["DL3049"]["label-schema"]["version"].as_str(),
            Some("semver")
        );
        assert_eq!(
            c.rule_options["DL3050"]["strict-labels"].as_bool(),
            Some(true)
        );
        // DL9999 is not a dlint rule: it loads, with a note.
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
        assert!(c.notes[0].contains("DL9999"), "{:?}", c.notes);
    }

    #[test]
    fn no_fail_and_ignore_threshold_mean_never_fail() {
        let c = load_text("no-fail: true\nfailure-threshold: error\n").unwrap();
        assert_eq!(c.fail_level, Some(None));
        let c = load_text("failure-threshold: ignore\n").unwrap();
        assert_eq!(c.fail_level, Some(None));
        let c = load_text("no-fail: false\n").unwrap();
        assert_eq!(c.fail_level, None);
    }

    #[test]
    fn empty_files_configure_nothing() {
        for text in ["", "# nothing\n", "---\n", "ignored:\n"] {
            let c = load_text(text).unwrap();
            assert!(c.ignore.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let e = load_text("ignored:\n  - DL3008\nstrict-labels: maybe\n").unwrap_err();
        assert!(e.starts_with("dir/.hadolint.yaml:3:"), "{e}");
        assert!(e.contains("expected true or false"), "{e}");
        let e = load_text("ignored: DL3008\n").unwrap_err();
        assert!(e.starts_with("dir/.hadolint.yaml:1:"), "{e}");
        assert!(e.contains("expected a list"), "{e}");
        let e = load_text("override:\n  loud: [DL3008]\n").unwrap_err();
        assert!(e.starts_with("dir/.hadolint.yaml:2:3"), "{e}");
        let e = load_text("ignore:\n  - DL3008\n").unwrap_err();
        assert!(e.contains("unknown hadolint setting `ignore`"), "{e}");
        let e = load_text("ignored: [DL3008\nfoo: 1\n").unwrap_err();
        assert!(e.contains("not valid YAML"), "{e}");
        assert!(e.starts_with("dir/.hadolint.yaml:"), "{e}");
        let e = load_text("label-schema:\n  author: person\n").unwrap_err();
        assert!(e.starts_with("dir/.hadolint.yaml:2:"), "{e}");
        assert!(e.contains("unknown label type"), "{e}");
        let e = load_text("- a\n- b\n").unwrap_err();
        assert!(e.contains("expected a mapping"), "{e}");
    }
}
