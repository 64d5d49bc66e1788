//! BuildKit's own parser test suite (shipped in the shared corpus): every positive case dumps
//! exactly to its `result`, every negative case is rejected, and line numbers match.

mod common;
use std::path::PathBuf;

fn suite() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("DLINT_CORPUS")?).join("buildkit-parser-testfiles");
    dir.is_dir().then_some(dir)
}

fn parse_file(path: &std::path::Path) -> (String, dlint::syntax::Dockerfile) {
    let text = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    let df = dlint::syntax::parse(&text);
    assert_eq!(df.print(&text), text, "{} must print back", path.display());
    (text, df)
}

#[test]
fn positive_cases_dump_to_their_result() {
    let Some(dir) = suite() else {
        common::notice(concat!(
            module_path!(),
            ": skipped, corpus not found (set DLINT_CORPUS)"
        ));
        return;
    };
    let mut cases: Vec<_> = std::fs::read_dir(dir.join("testfiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read_to_string(case.join("result"))
            .unwrap()
            .replace("\r\n", "\n");
        let (_, df) = parse_file(&case.join("Dockerfile"));
        let ours = dlint::syntax::sexp_dump(&df);
        if !df.errors.is_empty() {
            failures.push(format!("{}: rejected: {:?}", case.display(), df.errors));
        } else if ours.trim_end() != expected.trim_end() {
            failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- ours\n{ours}",
                case.display()
            ));
        }
    }
    println!(
        "buildkit positive cases: {}/{} agree",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn negative_cases_are_rejected() {
    let Some(dir) = suite() else {
        common::notice(concat!(
            module_path!(),
            ": skipped, corpus not found (set DLINT_CORPUS)"
        ));
        return;
    };
    let mut count = 0;
    for entry in std::fs::read_dir(dir.join("testfiles-negative")).unwrap() {
        let case = entry.unwrap().path();
        let (_, df) = parse_file(&case.join("Dockerfile"));
        assert!(!df.errors.is_empty(), "{} must be rejected", case.display());
        count += 1;
    }
    assert!(count >= 4);
}

#[test]
fn line_numbers_match() {
    let Some(dir) = suite() else {
        common::notice(concat!(
            module_path!(),
            ": skipped, corpus not found (set DLINT_CORPUS)"
        ));
        return;
    };
    let (_, df) = parse_file(&dir.join("testfile-line/Dockerfile"));
    let lines: Vec<_> = df
        .instructions
        .iter()
        .map(|i| (i.start_line, i.end_line))
        .collect();
    assert_eq!(lines, vec![(5, 5), (11, 12), (17, 31)]);
}
