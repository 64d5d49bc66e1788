//! Conformance with BuildKit over the shared corpus (`DLINT_CORPUS`): for every file BuildKit
//! accepts, our record equals BuildKit's; every file it rejects gets a syntax error; every file
//! prints back byte for byte. The agreement floor only ever rises; the target is 100%.

mod common;
use std::path::{Path, PathBuf};

/// Files whose record must match (or that must be rejected), as a share of the corpus.
const AGREEMENT_FLOOR: f64 = 100.0;
const AGREEMENT_TARGET: f64 = 100.0;

/// The corpus directory, or `None` after saying the test is skipped.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("DLINT_CORPUS")
        .map(PathBuf::from)
        .filter(|dir| dir.join("buildkit.jsonl").exists());
    if dir.is_none() {
        common::notice(concat!(
            module_path!(),
            ": skipped, corpus not found (set DLINT_CORPUS)"
        ));
    }
    dir
}

#[test]
fn parser_agrees_with_buildkit_on_the_corpus() {
    let Some(dir) = corpus() else {
        return;
    };
    let records = std::fs::read_to_string(dir.join("buildkit.jsonl")).unwrap();
    let (mut total, mut agree, mut round_trip_failures) = (0usize, 0usize, 0usize);
    let mut disagreements = Vec::new();
    for line in records.lines() {
        let expected: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = expected["path"].as_str().unwrap().to_string();
        total += 1;
        let bytes = std::fs::read(dir.join("files").join(&path)).unwrap();
        let Ok(text) = String::from_utf8(bytes) else {
            disagreements.push(format!("{path}: not UTF-8"));
            continue;
        };
        let df = dlint::syntax::parse(&text);
        if df.print(&text) != text {
            round_trip_failures += 1;
            disagreements.push(format!("{path}: does not print back"));
        }
        let mut ours = dlint::syntax::buildkit_record(&path, &df);
        truncate_at_nul(&mut ours);
        let ok = if expected["ok"] == true {
            ours == expected
        } else {
            !df.errors.is_empty()
        };
        if ok {
            agree += 1;
        } else {
            disagreements.push(describe(&path, &expected, &ours));
        }
    }
    let pct = 100.0 * agree as f64 / total as f64;
    println!("corpus agreement: {agree}/{total} files ({pct:.2}%), target {AGREEMENT_TARGET}%");
    for d in disagreements.iter().take(40) {
        println!("  {d}");
    }
    if let Ok(out) = std::env::var("DLINT_CORPUS_REPORT") {
        std::fs::write(Path::new(&out), disagreements.join("\n")).unwrap();
    }
    assert_eq!(
        round_trip_failures, 0,
        "every file must print back byte for byte"
    );
    assert!(
        pct >= AGREEMENT_FLOOR,
        "agreement {pct:.2}% fell below the floor {AGREEMENT_FLOOR}%"
    );
}

fn describe(path: &str, expected: &serde_json::Value, ours: &serde_json::Value) -> String {
    if expected["ok"] != ours["ok"] {
        return format!(
            "{path}: buildkit ok={} ({}), ours ok={} ({})",
            expected["ok"], expected["error"], ours["ok"], ours["error"]
        );
    }
    let (e, o) = (&expected["instructions"], &ours["instructions"]);
    let n = e
        .as_array()
        .map_or(0, |a| a.len())
        .max(o.as_array().map_or(0, |a| a.len()));
    for i in 0..n {
        if e[i] != o[i] {
            return format!("{path}: instruction {i}: buildkit {} / ours {}", e[i], o[i]);
        }
    }
    format!("{path}: differs")
}

/// The corpus records were made through a C binding of BuildKit's parser, which cuts strings at
/// the first NUL character (BuildKit itself keeps it: see its `json` test case, checked by the
/// test-suite conformance test). Compare like with like.
fn truncate_at_nul(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(i) = s.find('\0') {
                s.truncate(i);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(truncate_at_nul),
        serde_json::Value::Object(map) => map.values_mut().for_each(truncate_at_nul),
        _ => {}
    }
}

/// The quick readings of a script (`src/shell/plain.rs` without tree-sitter, and
/// `src/shell/mixed.rs` with it on part of the script only) answer only for scripts they read
/// exactly as the full parser does: on every RUN script of the corpus they accept, the
/// readings are equal.
#[test]
fn plain_script_reading_agrees_with_the_full_parser_on_the_corpus() {
    let Some(dir) = corpus() else {
        return;
    };
    let records = std::fs::read_to_string(dir.join("buildkit.jsonl")).unwrap();
    let (mut scripts, mut plain, mut bytes, mut plain_bytes) = (0usize, 0usize, 0usize, 0usize);
    let mut disagreements = Vec::new();
    for line in records.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = record["path"].as_str().unwrap();
        let Ok(text) = std::fs::read_to_string(dir.join("files").join(path)) else {
            continue;
        };
        let df = dlint::syntax::parse(&text);
        for inst in &df.instructions {
            if inst.keyword != dlint::syntax::Keyword::Run || inst.json {
                continue;
            }
            let bodies = inst.heredocs.iter().map(|h| h.content.as_str());
            for script in std::iter::once(inst.args()).chain(bodies) {
                scripts += 1;
                bytes += script.len();
                let (quick, full) = dlint::shell::both_readings(script);
                let Some(quick) = quick else { continue };
                plain += 1;
                plain_bytes += script.len();
                if quick != full {
                    disagreements.push(format!("{path}:{}: {script:?}", inst.start_line));
                }
            }
        }
    }
    println!(
        "quick readings: {plain} of {scripts} RUN scripts ({plain_bytes} of {bytes} bytes) read plainly or plainly but for a few commands; {} disagree",
        disagreements.len()
    );
    for d in disagreements.iter().take(20) {
        println!("  {d}");
    }
    assert!(disagreements.is_empty());
    assert!(plain > 0, "the quick readings accepted no corpus script");
}
