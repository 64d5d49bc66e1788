//! Compose files: which services build an image, from which Dockerfile and build context, with
//! which build args, and where each of those is written (1-based lines) so findings can point
//! at the Compose file when the cause is there.
//!
//! Parsed with yaml-rust2's event parser into a small tree that keeps every node's line,
//! resolving anchors, aliases and `<<` merge keys the way Compose files use them
//! (`x-build: &build ...`, `build: *build`, `<<: *defaults`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Whether a file name is a Compose file by Compose's own conventions.
pub fn is_compose_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower
        .strip_suffix(".yaml")
        .or_else(|| lower.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "compose"
        || stem == "docker-compose"
        || stem.starts_with("docker-compose.")
        || stem.starts_with("compose.")
}

/// A YAML node with the line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Scalar {
        value: String,
        line: usize,
    },
    Sequence {
        items: Vec<Node>,
        line: usize,
    },
    Mapping {
        entries: Vec<(Node, Node)>,
        line: usize,
    },
}

impl Node {
    pub fn line(&self) -> usize {
        match self {
            Node::Scalar { line, .. }
            | Node::Sequence { line, .. }
            | Node::Mapping { line, .. } => *line,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The mapping's entries with `<<` merges applied: own keys first, merged keys after
    /// (an own key wins over a merged one).
    pub fn entries(&self) -> Vec<(&Node, &Node)> {
        let Node::Mapping { entries, .. } = self else {
            return Vec::new();
        };
        let mut out: Vec<(&Node, &Node)> = entries
            .iter()
            .filter(|(k, _)| k.as_str() != Some("<<"))
            .map(|(k, v)| (k, v))
            .collect();
        for (_, merged) in entries.iter().filter(|(k, _)| k.as_str() == Some("<<")) {
            let sources: Vec<&Node> = match merged {
                Node::Sequence { items, .. } => items.iter().collect(),
                other => vec![other],
            };
            for source in sources {
                for (k, v) in source.entries() {
                    if !out.iter().any(|(own, _)| own.as_str() == k.as_str()) {
                        out.push((k, v));
                    }
                }
            }
        }
        out
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .into_iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
}

/// Parse the first YAML document of `text`.
pub fn parse_yaml(text: &str) -> Result<Node, String> {
    parse_yaml_document(text).map_err(|e| match e {
        Some(e) => e.to_string(),
        None => "empty document".to_string(),
    })
}

/// Parse the first YAML document of `text`; the scanner's error (with its place) when it
/// does not parse, None when there is no document.
pub fn parse_yaml_document(text: &str) -> Result<Node, Option<yaml_rust2::ScanError>> {
    let mut builder = TreeBuilder::default();
    Parser::new_from_str(text)
        .load(&mut builder, false)
        .map_err(Some)?;
    builder.root.ok_or(None)
}

#[derive(Default)]
struct TreeBuilder {
    /// Open sequences and mappings: (node, anchor id, pending mapping key).
    stack: Vec<(Node, usize, Option<Node>)>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
}

impl TreeBuilder {
    fn add(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some((Node::Sequence { items, .. }, _, _)) => items.push(node),
            Some((Node::Mapping { entries, .. }, _, key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
            Some((Node::Scalar { .. }, _, _)) => {}
        }
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let line = mark.line();
        match event {
            Event::Scalar(value, _, anchor, _) => self.add(Node::Scalar { value, line }, anchor),
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node::Scalar {
                    value: String::new(),
                    line,
                });
                self.add(node, 0);
            }
            Event::SequenceStart(anchor, _) => self.stack.push((
                Node::Sequence {
                    items: Vec::new(),
                    line,
                },
                anchor,
                None,
            )),
            Event::MappingStart(anchor, _) => self.stack.push((
                Node::Mapping {
                    entries: Vec::new(),
                    line,
                },
                anchor,
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, anchor, _)) = self.stack.pop() {
                    self.add(node, anchor);
                }
            }
            _ => {}
        }
    }
}

/// One service that builds an image.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceBuild {
    pub service: String,
    /// Line of the `build:` key's value.
    pub line: usize,
    /// The build context, relative to the Compose file's directory (default `.`). A URL
    /// (git context) is kept as written.
    pub context: String,
    /// `dockerfile:`, relative to the context.
    pub dockerfile: Option<String>,
    /// `dockerfile_inline:` and the line of its first content line.
    pub dockerfile_inline: Option<(String, usize)>,
    /// `args:` as (name, value, line); a list entry without `=` has no value.
    pub args: Vec<BuildArg>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildArg {
    pub name: String,
    pub value: Option<String>,
    pub line: usize,
}

impl ServiceBuild {
    /// The context directory on disk, None for a remote (URL or git) context.
    pub fn context_dir(&self, compose_file: &Path) -> Option<PathBuf> {
        if crate::context::classify_remote(&self.context).is_some() {
            return None;
        }
        let base = compose_file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(without_dots(&base.join(&self.context)))
    }

    /// The Dockerfile on disk (`dockerfile:` relative to the context, default `Dockerfile`);
    /// None for inline Dockerfiles and remote contexts.
    pub fn dockerfile_path(&self, compose_file: &Path) -> Option<PathBuf> {
        if self.dockerfile_inline.is_some() {
            return None;
        }
        let dir = self.context_dir(compose_file)?;
        let name = self.dockerfile.as_deref().unwrap_or("Dockerfile");
        Some(if Path::new(name).is_absolute() {
            PathBuf::from(name)
        } else {
            dir.join(name)
        })
    }
}

/// `a/./b` as `a/b`, so paths read the way they are written elsewhere.
fn without_dots(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

/// The services of a Compose file that have a `build:` section, in file order.
pub fn service_builds(text: &str) -> Result<Vec<ServiceBuild>, String> {
    let root = parse_yaml(text)?;
    let Some(services) = root.get("services") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, service) in services.entries() {
        let Some(build) = service.get("build") else {
            continue;
        };
        let service = name.as_str().unwrap_or_default().to_string();
        let mut sb = ServiceBuild {
            service,
            line: build.line(),
            context: ".".to_string(),
            dockerfile: None,
            dockerfile_inline: None,
            args: Vec::new(),
        };
        match build {
            // `build: ./dir` is the context alone.
            Node::Scalar { value, .. } => sb.context = value.clone(),
            Node::Mapping { .. } => {
                if let Some(c) = build.get("context").and_then(Node::as_str) {
                    sb.context = c.to_string();
                }
                sb.dockerfile = build
                    .get("dockerfile")
                    .and_then(Node::as_str)
                    .map(str::to_string);
                sb.dockerfile_inline = build
                    .get("dockerfile_inline")
                    .and_then(|n| n.as_str().map(|s| (s.to_string(), n.line())));
                sb.args = build.get("args").map(build_args).unwrap_or_default();
            }
            Node::Sequence { .. } => continue,
        }
        out.push(sb);
    }
    Ok(out)
}

/// `args:` as a mapping (`NAME: value`) or a list (`- NAME=value`, `- NAME`).
fn build_args(node: &Node) -> Vec<BuildArg> {
    match node {
        Node::Mapping { .. } => node
            .entries()
            .into_iter()
            .filter_map(|(k, v)| {
                Some(BuildArg {
                    name: k.as_str()?.to_string(),
                    value: v.as_str().map(str::to_string),
                    line: k.line(),
                })
            })
            .collect(),
        Node::Sequence { items, .. } => items
            .iter()
            .filter_map(|item| {
                let text = item.as_str()?;
                let (name, value) = match text.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (text.to_string(), None),
                };
                Some(BuildArg {
                    name,
                    value,
                    line: item.line(),
                })
            })
            .collect(),
        Node::Scalar { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for yes in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.yaml",
            "docker-compose.prod.yml",
            "compose.override.yaml",
        ] {
            assert!(is_compose_name(yes), "{yes}");
        }
        for no in ["compose.json", "config.yml", "docker-compose", "Dockerfile"] {
            assert!(!is_compose_name(no), "{no}");
        }
    }

    #[test]
    fn services_with_builds_lines_anchors_and_merges() {
        let text = "\
x-build: &build
  context: ./api
  args:
    PIP_NO_CACHE_DIR: \"1\"
services:
  api:
    build:
      <<: *build
      dockerfile: api.Dockerfile
  web:
    build: ./web
  db:
    image: postgres:16
  tool:
    build:
      dockerfile_inline: |
        FROM alpine
        RUN echo hi
      args:
        - MODE=prod
        - TOKEN
";
        let builds = service_builds(text).unwrap();
        assert_eq!(builds.len(), 3);
        let api = &builds[0];
        assert_eq!(api.service, "api");
        assert_eq!(api.context, "./api");
        assert_eq!(api.dockerfile.as_deref(), Some("api.Dockerfile"));
        // The merged arg keeps the line where it is written (in the anchor).
        assert_eq!(
            api.args,
            vec![BuildArg {
                name: "PIP_NO_CACHE_DIR".into(),
                value: Some("1".into()),
                line: 4
            }]
        );
        assert_eq!(
            api.dockerfile_path(Path::new("deploy/compose.yaml")),
            Some(PathBuf::from("deploy/api/api.Dockerfile"))
        );
        assert_eq!(builds[1].context, "./web");
        assert_eq!(builds[1].line, 11);
        let tool = &builds[2];
        assert_eq!(
            tool.dockerfile_inline,
            Some(("FROM alpine\nRUN echo hi\n".to_string(), 17))
        );
        assert_eq!(tool.args[1].value, None);
        assert_eq!(tool.args[0].line, 20);
    }

    #[test]
    fn bad_yaml_is_an_error() {
        assert!(service_builds("services: [\n").is_err());
    }
}
