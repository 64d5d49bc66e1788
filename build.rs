//! Embeds the git commit in `dlint --version`. Outside a git checkout (a source archive, an
//! sdist) or without git, the version is the package version alone.
//!
//! Also converts the TOML data tables in `rules/data/` to JSON in `OUT_DIR`: the binary
//! deserializes the same types from JSON several times faster than from TOML, which is most
//! of what a one-file run spends before linting. The TOML stays the source of truth.

use std::process::Command;

fn main() {
    let version = match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) => format!("{} ({commit})", env!("CARGO_PKG_VERSION")),
        None => env!("CARGO_PKG_VERSION").to_string(),
    };
    println!("cargo:rustc-env=DLINT_VERSION={version}");
    // Re-run when HEAD moves (a commit, a checkout), not on every build. `--git-path` finds
    // the files in a linked worktree too.
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        // A missing file would make cargo re-run this script on every build.
        if let Some(path) =
            git(&["rev-parse", "--git-path", &name]).filter(|p| std::path::Path::new(p).exists())
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
    data_as_json();
}

/// `rules/data/NAME.toml` as `$OUT_DIR/NAME.json`, for every table.
fn data_as_json() {
    let out_dir = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let data = std::path::Path::new("rules/data");
    println!("cargo:rerun-if-changed={}", data.display());
    let mut entries: Vec<_> = std::fs::read_dir(data)
        .expect("rules/data")
        .map(|e| e.expect("rules/data entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("a data table");
        let table: toml::Table = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        let json = serde_json::to_string(&table).expect("a table as JSON");
        let name = path.file_stem().expect("a file name");
        std::fs::write(out_dir.join(name).with_extension("json"), json).expect("OUT_DIR");
    }
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}
