//! Every input under `tests/regressions/` keeps the invariants of `dlint::invariants` (see the
//! README there). Most of these were found by the fuzzers and minimised.

use std::path::Path;

#[test]
fn regression_inputs_keep_the_invariants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let run = |check: fn(&str)| {
            let text = std::fs::read_to_string(&path).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| check(&text)) {
                eprintln!("regression input {name} failed");
                std::panic::resume_unwind(panic);
            }
        };
        if name.ends_with(".Dockerfile") {
            run(dlint::invariants::check_lint_fix);
        } else if name.ends_with(".sh") {
            run(|t| {
                dlint::invariants::check_shell(t);
            });
        } else {
            continue;
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "no regression inputs found in {}",
        dir.display()
    );
}
