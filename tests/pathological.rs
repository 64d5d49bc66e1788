//! Pathological inputs: each is parsed, modelled, its RUNs analysed and linted, and the result
//! checked. They must complete (nothing quadratic); their timings are in `bench/`, never
//! asserted here. The largest sizes run in release builds, a quarter of them in debug ones.

use dlint::analysis::model::Model;
use dlint::invariants::check_parse;
use dlint::rules::{LintOptions, RuleSelection, lint_parsed};
use dlint::source::SourceFile;

/// Full size in release builds; a quarter in debug builds, so `cargo test` stays quick.
fn scaled(n: usize) -> usize {
    if cfg!(debug_assertions) { n / 4 } else { n }
}

struct Checked {
    df: dlint::syntax::Dockerfile,
    model: Model,
    runs: Vec<dlint::analysis::runs::Run>,
    diagnostics: Vec<dlint::diagnostic::Diagnostic>,
}

fn check(text: &str) -> Checked {
    let df = check_parse(text);
    let model = Model::build(&df);
    let runs = dlint::analysis::runs::analyse(&df, &model);
    let source = SourceFile::new("Dockerfile", text.to_string());
    let diagnostics = lint_parsed(
        &source,
        &df,
        &RuleSelection::default(),
        &LintOptions::default(),
    );
    Checked {
        df,
        model,
        runs,
        diagnostics,
    }
}

#[test]
fn hundred_thousand_continuation_lines() {
    let n = scaled(100_000);
    let mut text = String::from("FROM alpine:3.20\nRUN echo start \\\n");
    for i in 0..n {
        text.push_str(&format!("  && echo {i} \\\n"));
        if i % 1000 == 0 {
            text.push_str("  # a comment inside the continuation\n\n");
        }
    }
    text.push_str("  && echo end\nRUN echo after\n");
    let c = check(&text);
    assert!(c.df.errors.is_empty(), "{:?}", c.df.errors);
    let run = &c.df.instructions[1];
    assert_eq!(run.start_line, 2);
    assert_eq!(c.df.instructions[2].start_line, run.end_line + 1);
    assert_eq!(c.runs[0].commands.len(), n + 2);
    let last = c.runs[0].commands.last().unwrap();
    assert_eq!(last.span.text(&text), "echo end");
}

#[test]
fn one_megabyte_run() {
    let size = scaled(1 << 20);
    // Across continuations: one instruction, every command seen.
    let mut text = String::from("FROM alpine:3.20\nRUN true");
    let mut commands = 1;
    while text.len() < size {
        text.push_str(" \\\n && apk add --no-cache package-with-a-long-name");
        commands += 1;
    }
    text.push('\n');
    let c = check(&text);
    assert!(c.df.errors.is_empty(), "{:?}", c.df.errors);
    assert_eq!(c.runs[0].commands.len(), commands);

    // On one physical line: past BuildKit's 64 KiB line limit, so a syntax error, and the
    // rest of the file is still linted.
    let line: String = "echo x && ".repeat(size / 10);
    let text = format!("FROM alpine:3.20\nRUN {line}true\nRUN <<EOF\n");
    let c = check(&text);
    let messages: Vec<&str> = c.df.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "dockerfile line greater than max allowed size of 65535",
            "unterminated heredoc"
        ]
    );
    assert_eq!(c.runs[0].commands.len(), size / 10 + 1);
    assert!(c.diagnostics.iter().filter(|d| d.code == "DL1000").count() >= 2);
}

#[test]
fn ten_thousand_stages() {
    let n = scaled(10_000);
    let mut text = String::from("ARG BASE=alpine:3.20\nFROM ${BASE} AS s0\nENV V0=0\n");
    for i in 1..n {
        // Each stage builds on the one before, sets an ENV and a build arg, and runs.
        text.push_str(&format!(
            "FROM s{} AS s{i}\nARG A{i}={i}\nENV V{i}=$A{i}\nRUN echo $V{i}\n",
            i - 1
        ));
    }
    let c = check(&text);
    assert!(c.df.errors.is_empty(), "{:?}", c.df.errors);
    assert_eq!(c.model.stages.len(), n);
    assert_eq!(c.model.stages[0].base, "alpine:3.20");
    assert_eq!(c.model.stages[n - 1].base_stage, Some(n - 2));
    let last = c.model.states.last().unwrap();
    assert_eq!(
        last.var(&format!("V{}", n - 1)),
        Some(&*format!("{}", n - 1))
    );
    assert_eq!(last.var("V0"), Some("0"), "ENV is inherited down the chain");
    assert_eq!(last.var(&format!("A{}", n - 2)), None, "build args are not");
    assert_eq!(c.runs.len(), n - 1);
}

#[test]
fn unterminated_heredoc_at_the_start_of_ten_megabytes() {
    // Every line is a RUN for the shell parser: a sixteenth of the size in debug builds.
    let size = if cfg!(debug_assertions) {
        10 << 16
    } else {
        10 << 20
    };
    let mut text = String::from("FROM alpine:3.20\nRUN <<EOF\n");
    let mut lines = 0;
    while text.len() < size {
        text.push_str("RUN echo a line that would have been the heredoc body\n");
        lines += 1;
    }
    let c = check(&text);
    let errors: Vec<(&str, usize)> =
        c.df.errors
            .iter()
            .map(|e| (e.message.as_str(), e.span.start))
            .collect();
    assert_eq!(errors, [("unterminated heredoc", 21)]);
    // Every line after the opener is still an instruction of its own, and linted.
    assert_eq!(c.df.instructions.len(), 2 + lines);
    assert_eq!(c.runs.len(), 1 + lines);
    assert_eq!(c.df.instructions.last().unwrap().start_line, 2 + lines);
}

#[test]
fn many_distinct_unterminated_heredocs() {
    let n = scaled(20_000);
    let text: String = std::iter::once("FROM alpine:3.20\n".to_string())
        .chain((0..n).map(|i| format!("RUN cat <<E{i}\n")))
        .collect();
    let c = check(&text);
    assert_eq!(c.df.errors.len(), n);
    assert_eq!(c.df.instructions.len(), n + 1);
}

#[test]
fn thousands_of_env_lines() {
    let n = scaled(20_000);
    let text: String = std::iter::once("FROM alpine:3.20\n".to_string())
        .chain((0..n).map(|i| format!("ENV V{i}=${{V0:-x}}/{i}\n")))
        .collect();
    let c = check(&text);
    assert!(c.df.errors.is_empty());
    assert_eq!(c.model.states.last().unwrap().vars.size(), n);
}

/// A 700 KB RUN on one line, plain but for one command in five (`$(..)`: the mixed shell
/// reading), with a finding for every install: each finding's column is counted on that one
/// line, which once cost a pass over the line per finding.
#[test]
fn one_long_line_with_thousands_of_findings() {
    let n = scaled(25_000);
    let commands: Vec<String> = (0..n)
        .map(|i| {
            if i % 5 == 0 {
                format!("V=$(cat /v{i}) make")
            } else {
                format!("apt-get install -y pkg{i}")
            }
        })
        .collect();
    let text = format!("FROM debian:12\nRUN {}\n", commands.join(" && "));
    let c = check(&text);
    assert_eq!(c.runs[0].commands.len(), n + n / 5);
    let source = SourceFile::new("Dockerfile", text.clone());
    let unpinned = c.diagnostics.iter().filter(|d| d.code == "DL3008").count();
    assert!(
        unpinned >= n * 4 / 5,
        "{unpinned} unpinned installs reported"
    );
    let last = c
        .diagnostics
        .iter()
        .map(|d| source.line_col(d.span.start))
        .max();
    assert_eq!(last.map(|lc| lc.line), Some(2));
}
