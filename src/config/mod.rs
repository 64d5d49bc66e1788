//! Configuration files: `dlint.toml` / `.dlint.toml` (nearest to each linted file wins), and,
//! when none applies, the parts of a hadolint configuration that carry over.
//!
//! A file is read once, validated whole (unknown keys, unknown rules and bad values are errors
//! that point at the place in the file), and turned into a [`Config`] whose rule selectors are
//! already resolved to codes, so nothing later can fail on it.

mod error;
mod globs;
pub mod hadolint;
pub mod resolve;

pub use error::ConfigError;
pub use globs::PathGlobs;

use crate::diagnostic::Severity;
use crate::output::OutputFormat;
use crate::rules::{RuleOptions, selection};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The names dlint's configuration files go by, in the order they are looked for in a directory.
pub const FILE_NAMES: [&str; 2] = ["dlint.toml", ".dlint.toml"];

/// Where a [`Config`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Dlint,
    /// A `.hadolint.yaml`, mapped onto dlint's settings (see [`hadolint`]).
    Hadolint,
}

/// One configuration file, validated.
#[derive(Debug)]
pub struct Config {
    /// As found (for messages).
    pub path: PathBuf,
    /// The absolute directory the file sits in: globs are relative to it.
    pub dir: PathBuf,
    pub origin: Origin,
    pub select: Option<Vec<&'static str>>,
    pub extend_select: Vec<&'static str>,
    pub ignore: Vec<&'static str>,
    /// Some(None): `fail-level = "none"`.
    pub fail_level: Option<Option<Severity>>,
    pub severity: Vec<(&'static str, Severity)>,
    /// Glob -> rules not to run on the files it matches.
    pub per_file_ignores: Vec<(PathGlobs, Vec<&'static str>)>,
    pub exclude: Option<PathGlobs>,
    pub unsafe_fixes: Option<bool>,
    pub output_format: Option<OutputFormat>,
    pub rule_options: RuleOptions,
    /// Whether `# hadolint ignore=` comments count (None: the default, yes).
    pub hadolint_pragmas: Option<bool>,
    /// What verbose output should say about this file (codes passed over, say).
    pub notes: Vec<String>,
}

impl Config {
    fn empty(path: &Path, origin: Origin) -> Config {
        Config {
            path: path.to_path_buf(),
            dir: absolute(path.parent().unwrap_or(Path::new("."))),
            origin,
            select: None,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            fail_level: None,
            severity: Vec::new(),
            per_file_ignores: Vec::new(),
            exclude: None,
            unsafe_fixes: None,
            output_format: None,
            rule_options: RuleOptions::new(),
            hadolint_pragmas: None,
            notes: Vec::new(),
        }
    }

    /// Whether `exclude` names this file (given absolute).
    pub fn excludes(&self, file: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.matches(file))
    }
}

/// `path` made absolute against the working directory, without resolving symlinks (a file
/// reached through a symlinked directory keeps the configuration of where it appears to be).
pub fn absolute(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Drop `.` components so that globs and parents see clean paths.
    joined.components().collect()
}

/// Parse a fail level: error, warning, info, style, or none (None).
pub fn parse_fail_level(level: &str) -> Result<Option<Severity>, String> {
    if level.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    Severity::parse(level).map(Some).ok_or_else(|| {
        format!("unknown fail level `{level}`; use error, warning, info, style or none")
    })
}

/// The file's keys, as written, with their places in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    select: Option<Vec<Spanned<String>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    fail_level: Option<Spanned<String>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    exclude: Option<Vec<Spanned<String>>>,
    unsafe_fixes: Option<bool>,
    output_format: Option<Spanned<String>>,
    rules: Option<BTreeMap<Spanned<String>, toml::Table>>,
    hadolint_pragmas: Option<bool>,
}

/// Read and validate a `dlint.toml`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::unreadable(path, &crate::discover::describe_io_error(&e)))?;
    parse(path, &text)
}

/// Validate the text of a `dlint.toml` found at `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let at =
        |span: std::ops::Range<usize>, message: String| ConfigError::at(path, text, span, message);
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let message = e.message().replace("field", "key");
        ConfigError::at(path, text, e.span().unwrap_or(0..0), message)
    })?;
    // What a list of selectors turns on (`enabling`) or covers (ignores).
    let codes_of = |list: Option<Vec<Spanned<String>>>,
                    enabling: bool|
     -> Result<Vec<&'static str>, ConfigError> {
        let mut out = Vec::new();
        for s in list.unwrap_or_default() {
            let resolved = if enabling {
                selection::resolve_enabling(s.get_ref())
            } else {
                selection::resolve(s.get_ref())
            };
            out.extend(resolved.map_err(|e| at(s.span(), e))?);
        }
        Ok(out)
    };
    let codes = |list| codes_of(list, false);
    let enabling = |list| codes_of(list, true);
    let rule = |s: &Spanned<String>| -> Result<&'static str, ConfigError> {
        crate::rules::find(s.get_ref())
            .map(|m| m.code)
            .ok_or_else(|| {
                let closest = selection::resolve(s.get_ref()).err().unwrap_or_default();
                at(s.span(), closest.replace("rule selector", "rule"))
            })
    };
    let mut config = Config::empty(path, Origin::Dlint);
    config.select = match raw.select {
        Some(list) => Some(enabling(Some(list))?),
        None => None,
    };
    config.extend_select = enabling(raw.extend_select)?;
    config.ignore = codes(raw.ignore)?;
    if let Some(level) = raw.fail_level {
        config.fail_level =
            Some(parse_fail_level(level.get_ref()).map_err(|e| at(level.span(), e))?);
    }
    for (code, level) in raw.severity.unwrap_or_default() {
        let code = rule(&code)?;
        let severity = Severity::parse(level.get_ref()).ok_or_else(|| {
            at(
                level.span(),
                format!(
                    "unknown severity `{}`; use error, warning, info or style",
                    level.get_ref()
                ),
            )
        })?;
        config.severity.push((code, severity));
    }
    for (glob, list) in raw.per_file_ignores.unwrap_or_default() {
        let globs = PathGlobs::new(&config.dir, &[glob.get_ref().as_str()])
            .map_err(|e| at(glob.span(), e))?;
        config.per_file_ignores.push((globs, codes(Some(list))?));
    }
    if let Some(list) = raw.exclude {
        for g in &list {
            PathGlobs::new(&config.dir, &[g.get_ref().as_str()]).map_err(|e| at(g.span(), e))?;
        }
        let patterns: Vec<&str> = list.iter().map(|g| g.get_ref().as_str()).collect();
        config.exclude = Some(PathGlobs::new(&config.dir, &patterns).map_err(|e| at(0..0, e))?);
    }
    config.unsafe_fixes = raw.unsafe_fixes;
    config.hadolint_pragmas = raw.hadolint_pragmas;
    if let Some(format) = raw.output_format {
        config.output_format = Some(
            format
                .get_ref()
                .parse::<OutputFormat>()
                .map_err(|e| at(format.span(), e.to_string()))?,
        );
    }
    for (code, table) in raw.rules.unwrap_or_default() {
        config.rule_options.insert(rule(&code)?, table);
    }
    Ok(config)
}

/// The nearest `dlint.toml`/`.dlint.toml` in `dir` or above it.
pub fn find_nearest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(Path::new("conf/dlint.toml"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn every_key() {
        let text = r#"
select = ["DL1000"]
extend-select = ["unused-suppression"]
ignore = ["DL1000"]
fail-level = "none"
unsafe-fixes = true
output-format = "json"
hadolint-pragmas = false
exclude = ["vendor/", "*.generated.Dockerfile"]

[severity]
syntax-error = "warning"

[per-file-ignores]
"legacy/**" = ["DX100"]

[rules.DL1000]
max = 3
"#;
        let c = parse(Path::new("dlint.toml"), text).unwrap();
        // A prefix selects every rule under it (DL1000 among them).
        assert!(c.select.as_ref().is_some_and(|s| s.contains(&"DL1000")));
        assert_eq!(c.extend_select, ["DX100"]);
        assert_eq!(c.ignore, ["DL1000"]);
        assert_eq!(c.fail_level, Some(None));
        assert_eq!(c.unsafe_fixes, Some(true));
        assert_eq!(c.hadolint_pragmas, Some(false));
        assert_eq!(c.output_format, Some(OutputFormat::Json));
        assert_eq!(c.severity, [("DL1000", Severity::Warning)]);
        assert_eq!(c.per_file_ignores[0].1, ["DX100"]);
        assert!(
            c.per_file_ignores[0]
                .0
                .matches(&c.dir.join("legacy/a/Dockerfile"))
        );
        assert!(c.excludes(&c.dir.join("x/vendor/Dockerfile")));
        assert!(c.excludes(&c.dir.join("api.generated.Dockerfile")));
        assert!(!c.excludes(&c.dir.join("Dockerfile")));
        assert_eq!(c.rule_options["DL1000"]["max"].as_integer(), Some(3));
    }

    /// The example in README.md ("Example configuration") is a configuration that loads.
    #[test]
    fn readme_example_configuration_loads() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("### Example configuration")
            .nth(1)
            .expect("README has an example configuration");
        let block = section
            .split("```toml\n")
            .nth(1)
            .and_then(|b| b.split("```").next())
            .expect("the example is a toml block");
        let c = parse(Path::new("dlint.toml"), block).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.ignore.contains(&"DL3008"), "{:?}", c.ignore);
    }

    #[test]
    fn errors_name_the_key_and_where_it_is() {
        let e = error("select = [\"DL\"]\nselct = [\"DL1000\"]\n");
        assert!(e.contains("conf/dlint.toml:2:1"), "{e}");
        assert!(e.contains("unknown key `selct`"), "{e}");
        let e = error("[rules.DL9999]\nx = 1\n");
        assert!(e.contains("conf/dlint.toml:1:8"), "{e}");
        assert!(e.contains("unknown rule `DL9999`"), "{e}");
        let e = error("[severity]\nDL1000 = \"loud\"\n");
        assert!(e.contains("conf/dlint.toml:2:10"), "{e}");
        let e = error("ignore = [\"DX10O\"]\n");
        assert!(e.contains("closest known: DX100"), "{e}");
        let e = error("fail-level = \"severe\"\n");
        assert!(e.contains("unknown fail level"), "{e}");
    }
}
