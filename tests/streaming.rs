//! `check` writes each file's report as soon as every file before it (in path order) is done,
//! linting on several threads. These tests check the order and that the streamed report is
//! the report of the whole run: a run with a Compose file keeps every report to the end and
//! sorts it (the way every run used to), so it serves as the reference for every format.

mod common;
use common::*;
use std::path::PathBuf;

const FORMATS: [&str; 9] = [
    "full",
    "concise",
    "json",
    "json-lines",
    "github",
    "gitlab",
    "sarif",
    "checkstyle",
    "junit",
];

/// Many Dockerfiles whose walk order is not their path order (numbers, dots, dashes, nested
/// directories), of uneven sizes so that threads finish out of order; most have findings,
/// some have none.
fn many_files() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..120 {
        let dir = match i % 6 {
            0 => format!("svc/{i}"),
            1 => format!("svc/{i}.d"),
            2 => format!("svc-{i}"),
            3 => format!("a/b/c{}", 120 - i),
            4 => format!("Z{i}"),
            _ => format!("svc/{i}/deeper"),
        };
        let text = if i % 7 == 0 {
            "FROM alpine:3.20\nCMD [\"true\"]\n".to_string()
        } else {
            let mut text = String::from("FROM ubuntu\n");
            for n in 0..(i % 5) * 2 {
                text.push_str(&format!(
                    "RUN apt-get install -y pkg{n} && pip install mod{n}\n"
                ));
            }
            text.push_str("RUN cd /tmp\nCOPY . .\n");
            text
        };
        files.push((format!("{dir}/Dockerfile"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    project(&refs)
}

#[test]
fn reports_come_in_path_order() {
    let dir = many_files();
    let run = dlint(
        dir.path(),
        &["check", "--isolated", "--output-format", "checkstyle", "."],
    );
    assert_eq!(run.code, 1, "{run:?}");
    let listed: Vec<PathBuf> = run
        .stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<file name=\""))
        .map(|l| PathBuf::from(l.split('"').next().unwrap()))
        .collect();
    assert_eq!(listed.len(), 120, "every file is listed once");
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "files are reported in path order");
}

#[test]
fn the_streamed_report_is_the_whole_runs_report_in_every_format() {
    let dir = many_files();
    // A Compose file building one of the Dockerfiles, with its directory as the context: the
    // same findings, reported the way every run was before streaming (kept and sorted).
    let compose = dir.path().join("compose");
    std::fs::create_dir(&compose).unwrap();
    std::fs::write(
        compose.join("compose.yaml"),
        "services:\n  web:\n    build:\n      context: ../svc/6\n",
    )
    .unwrap();
    let targets = ["svc", "svc-2", "a", "Z4"];
    for format in FORMATS {
        let mut streamed_args = vec!["check", "--isolated", "--output-format", format];
        streamed_args.extend(targets);
        let mut kept_args = streamed_args.clone();
        kept_args.push("compose/compose.yaml");
        let streamed = dlint(dir.path(), &streamed_args);
        let kept = dlint(dir.path(), &kept_args);
        assert_eq!(streamed.code, 1, "{format}: {streamed:?}");
        assert_eq!(kept.code, 1, "{format}: {kept:?}");
        assert_eq!(streamed.stderr, kept.stderr, "{format}");
        assert!(
            streamed.stdout == kept.stdout,
            "{format}: the streamed report differs from the whole run's"
        );
    }
    for format in ["full", "json"] {
        let mut streamed_args = vec!["check", "--isolated", "--statistics", "--output-format"];
        streamed_args.push(format);
        streamed_args.extend(targets);
        let mut kept_args = streamed_args.clone();
        kept_args.push("compose/compose.yaml");
        let streamed = dlint(dir.path(), &streamed_args);
        let kept = dlint(dir.path(), &kept_args);
        assert_eq!(streamed.stdout, kept.stdout, "statistics, {format}");
    }
}

#[test]
fn a_file_that_cannot_be_read_does_not_stop_the_report() {
    let dir = many_files();
    // A directory named like a Dockerfile, named on the command line: an error for it, the
    // others reported in order around it.
    std::fs::create_dir_all(dir.path().join("svc/0/sub/Dockerfile")).unwrap();
    let run = dlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--output-format",
            "concise",
            "svc/0/Dockerfile",
            "svc/0/sub/Dockerfile",
            "svc/1.d/Dockerfile",
        ],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("svc/0/sub/Dockerfile"), "{run:?}");
    let paths: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|p| p.ends_with("Dockerfile"))
        .collect();
    assert!(paths.contains(&"svc/1.d/Dockerfile"), "{run:?}");
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}
