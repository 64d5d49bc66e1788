//! Packaging agrees with itself: one distribution name in Cargo.toml and pyproject.toml, the
//! pre-commit hooks of both kinds, and dlint's own Dockerfile clean under dlint's rules.

mod common;
use common::{dlint, repo_root};

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap()
}

#[test]
fn one_distribution_name_and_the_command_stays_dlint() {
    let cargo: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let pyproject: toml::Table = toml::from_str(&read("pyproject.toml")).unwrap();
    let name = cargo["package"]["name"].as_str().unwrap();
    assert_eq!(name, "dockerfile-dlint");
    assert_eq!(pyproject["project"]["name"].as_str(), Some(name));
    assert_eq!(cargo["lib"]["name"].as_str(), Some("dlint"));
    assert_eq!(cargo["bin"][0]["name"].as_str(), Some("dlint"));
    assert_eq!(
        pyproject["tool"]["maturin"]["bindings"].as_str(),
        Some("bin")
    );
    // The version is Cargo.toml's: the backend that may take a prebuilt wheel reads it there.
    assert!(
        pyproject["project"]["dynamic"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v.as_str() == Some("version"))
    );
    let backend = pyproject["build-system"]["build-backend"].as_str().unwrap();
    assert!(repo_root().join(format!("python/{backend}.py")).is_file());
}

#[test]
fn hooks_install_the_wheel_and_a_from_source_variant_remains() {
    let text = read(".pre-commit-hooks.yaml");
    let hooks = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    let hooks = hooks[0].as_vec().unwrap();
    let hook = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no hook {id}"))
    };
    for (id, language) in [
        ("dlint", "python"),
        ("dlint-fix", "python"),
        ("dlint-from-source", "rust"),
        ("dlint-fix-from-source", "rust"),
    ] {
        assert_eq!(hook(id)["language"].as_str(), Some(language), "{id}");
        assert_eq!(hook(id)["require_serial"].as_bool(), Some(true), "{id}");
        assert!(
            hook(id)["entry"]
                .as_str()
                .unwrap()
                .ends_with("--force-exclude"),
            "{id}"
        );
    }
    assert_eq!(hook("dlint")["entry"], hook("dlint-from-source")["entry"]);
    assert_eq!(
        hook("dlint-fix")["entry"],
        hook("dlint-fix-from-source")["entry"]
    );
}

#[test]
fn dlints_own_dockerfile_is_clean_under_all_rules() {
    let run = dlint(
        &repo_root(),
        &[
            "check",
            "--isolated",
            "--select",
            "ALL",
            "--output-format",
            "concise",
            "Dockerfile",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "All checks passed!\n", "{run:?}");
    // What the image build copies is what the build needs.
    let ignore = read(".dockerignore");
    for needed in ["Cargo.toml", "Cargo.lock", "build.rs", "src/", "rules/"] {
        assert!(ignore.contains(&format!("!{needed}")), "{needed}");
    }
}
