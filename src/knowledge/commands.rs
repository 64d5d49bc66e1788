//! Shell commands that read nothing from the build context (`rules/data/commands.toml`).

use serde::Deserialize;
use std::sync::OnceLock;

pub const COMMANDS_TOML: &str = include_str!("../../rules/data/commands.toml");

/// The same table as JSON, converted at build time (`build.rs`).
const COMMANDS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/commands.json"));

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Operands {
    Any,
    Absolute,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    names: Vec<String>,
    operands: Operands,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    command: Vec<Entry>,
}

/// How a command may be called and still read no project file; None when it is not listed.
pub fn source_free(name: &str) -> Option<Operands> {
    static TABLE: OnceLock<Vec<Entry>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            serde_json::from_str::<File>(COMMANDS_JSON)
                .expect("rules/data/commands.toml is checked by its unit test")
                .command
        })
        .iter()
        .find(|e| e.names.iter().any(|n| n == name))
        .map(|e| e.operands)
}

/// Whether `argv` (command name first) reads nothing from the build context.
pub fn reads_no_source(argv: &[&str]) -> bool {
    let Some((name, args)) = argv.split_first() else {
        return true;
    };
    match source_free(name) {
        Some(Operands::Any) => true,
        Some(Operands::Absolute) => args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .all(|a| a.starts_with('/')),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_answers() {
        let from_toml = toml::from_str::<File>(COMMANDS_TOML).unwrap();
        let from_json = serde_json::from_str::<File>(COMMANDS_JSON).unwrap();
        assert_eq!(format!("{from_toml:?}"), format!("{from_json:?}"));
        assert!(reads_no_source(&["echo", "hi"]));
        assert!(reads_no_source(&["rm", "-rf", "/var/lib/apt/lists/x"]));
        assert!(!reads_no_source(&["rm", "-rf", "node_modules"]));
        assert!(!reads_no_source(&["pnpm", "run", "build"]));
    }
}
