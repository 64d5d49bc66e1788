//! Migration from hadolint: the two keys of `.hadolint.yaml` that mean the same in dlint,
//! `ignored` (rules not to run) and `override` (severity per rule), for the rules dlint has.
//! dlint's `DLxxxx` codes keep hadolint's meanings, so those carry over as they are; codes
//! dlint does not have (ShellCheck's, rules not written yet) are passed over silently.
//!
//! hadolint's configuration is YAML, but these two keys only ever hold lists of codes, so a
//! reader for that small subset (block and flow lists, comments, quotes) is enough and spares
//! a YAML dependency. Other keys are skipped whatever they hold.

use super::{Config, Origin};
use crate::diagnostic::Severity;
use std::path::{Path, PathBuf};

pub const FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// The nearest hadolint configuration in `dir` or above it.
pub fn find_nearest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// Read a hadolint configuration; an unreadable file is an error like any configuration's.
pub fn load(path: &Path) -> Result<Config, super::ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        super::ConfigError::unreadable(path, &crate::discover::describe_io_error(&e))
    })?;
    Ok(parse(path, &text))
}

pub fn parse(path: &Path, text: &str) -> Config {
    let lists = read_lists(text);
    let mut config = Config::empty(path, Origin::Hadolint);
    let known = |code: &str| crate::rules::find(code).map(|m| m.code);
    // ShellCheck codes in `ignored` leave out those codes, as in hadolint.
    let ignorable = |code: &str| {
        let sc = crate::rules::shell::is_sc_code(code);
        known(code).or_else(|| sc.then(|| crate::rules::shell::codes::intern(code)))
    };
    for (key, items) in &lists {
        match key.as_str() {
            "ignored" => config
                .ignore
                .extend(items.iter().filter_map(|c| ignorable(c))),
            _ => {
                let Some(level) = key.strip_prefix("override.").and_then(Severity::parse) else {
                    continue;
                };
                for code in items.iter().filter_map(|c| known(c)) {
                    config.severity.push((code, level));
                }
            }
        }
    }
    config
}

/// The lists under `ignored` and `override.<level>`, keyed by that dotted path.
fn read_lists(text: &str) -> Vec<(String, Vec<String>)> {
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    let mut top = String::new();
    let mut sub: Option<String> = None;
    for raw in text.lines() {
        let line = strip_comment(raw).trim_end();
        let content = line.trim_start();
        if content.is_empty() || content == "---" {
            continue;
        }
        let indent = line.len() - content.len();
        let target = |top: &str, sub: &Option<String>| match sub {
            Some(s) => format!("{top}.{s}"),
            None => top.to_string(),
        };
        if let Some(item) = content.strip_prefix('-') {
            let key = target(&top, &sub);
            push(&mut lists, key, vec![unquote(item.trim())]);
            continue;
        }
        let Some((key, value)) = content.split_once(':') else {
            continue;
        };
        let key = unquote(key.trim());
        if indent == 0 {
            top = key;
            sub = None;
        } else if top == "override" {
            sub = Some(key.to_ascii_lowercase());
        } else {
            continue;
        }
        let value = value.trim();
        if let Some(flow) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let items = flow
                .split(',')
                .map(|i| unquote(i.trim()))
                .filter(|i| !i.is_empty())
                .collect();
            push(&mut lists, target(&top, &sub), items);
        }
    }
    lists
}

fn push(lists: &mut Vec<(String, Vec<String>)>, key: String, items: Vec<String>) {
    match lists.iter_mut().find(|(k, _)| *k == key) {
        Some((_, list)) => list.extend(items),
        None => lists.push((key, items)),
    }
}

/// A line without its comment: `#` at the start or after a blank, outside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous == ' ' || previous == '\t' => return &line[..i],
            _ => {}
        }
        previous = c;
    }
    line
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ignored_and_override_in_both_list_styles() {
        let text = "\
# migrated
failure-threshold: warning
ignored:
- DL1000   # known
- SC2086
override:
  error: [ \"DX100\", DL9999 ]
  style:
    - syntax-error
trustedRegistries:
  - docker.io
";
        let lists = read_lists(text);
        assert_eq!(
            lists,
            [
                (
                    "ignored".to_string(),
                    vec!["DL1000".into(), "SC2086".into()]
                ),
                (
                    "override.error".to_string(),
                    vec!["DX100".into(), "DL9999".into()]
                ),
                ("override.style".to_string(), vec!["syntax-error".into()]),
                ("trustedRegistries".to_string(), vec!["docker.io".into()]),
            ]
        );
        let config = parse(Path::new(".hadolint.yaml"), text);
        // ShellCheck codes carry over too.
        assert_eq!(config.ignore, ["DL1000", "SC2086"]);
        assert_eq!(
            config.severity,
            [("DX100", Severity::Error), ("DL1000", Severity::Style)]
        );
        assert_eq!(config.origin, Origin::Hadolint);
    }
}
