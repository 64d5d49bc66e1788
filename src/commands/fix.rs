//! `dlint fix`: apply fixes in place (atomically), print a diff, or write stdin's fix to stdout.

use super::*;
use crate::cli::FixArgs;
use crate::diagnostic::FileReport;
use crate::fix::{FixOutcome, fix_until_stable};
use rayon::prelude::*;

struct Fixed {
    source: SourceFile,
    outcome: FixOutcome,
    remaining: Vec<Diagnostic>,
    is_stdin: bool,
    /// Whether what is left fails the run under this file's settings.
    fails: bool,
}

pub fn run(args: &FixArgs) -> u8 {
    let plan = match Plan::new(&args.common) {
        Ok(plan) => plan,
        Err(e) => {
            report_errors(&[e]);
            return EXIT_FAILURE;
        }
    };
    let settings = &plan.settings;
    let mut errors = plan.errors;
    let results: Vec<Result<Fixed, RunError>> = plan
        .files
        .par_iter()
        .map(|file| {
            let source = read_input(&file.input)?;
            let selection = &file.settings.selection;
            let lint = |text: &str| {
                let candidate = SourceFile::new(source.path.clone(), text.to_string());
                crate::rules::lint(&candidate, selection)
            };
            let outcome = fix_until_stable(&source.text, file.settings.unsafe_fixes, &lint);
            let remaining = lint(&outcome.text);
            let fails = settings.fails(&file.settings, &remaining);
            Ok(Fixed {
                source,
                outcome,
                remaining,
                is_stdin: matches!(file.input, Input::Stdin(_)),
                fails,
            })
        })
        .collect();
    let mut fixed = Vec::new();
    for r in results {
        match r {
            Ok(f) => fixed.push(f),
            Err(e) => errors.push(e),
        }
    }

    let any_change = fixed.iter().any(|f| f.outcome.changed(&f.source.text));
    if args.diff {
        let mut out = std::io::stdout().lock();
        for f in &fixed {
            if f.outcome.changed(&f.source.text) {
                let path = f.source.display_path();
                let diff =
                    similar::TextDiff::from_lines(f.source.text.as_str(), f.outcome.text.as_str());
                let text = diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{path}"), &format!("b/{path}"))
                    .to_string();
                if let Err(e) = out.write_all(text.as_bytes()) {
                    if output_failed(&e) {
                        return EXIT_FAILURE;
                    }
                    break;
                }
            }
        }
        report_errors(&errors);
        return if !errors.is_empty() {
            EXIT_FAILURE
        } else if any_change {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        };
    }

    for f in &fixed {
        if f.is_stdin {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(f.outcome.text.as_bytes());
            let _ = out.flush();
        } else if f.outcome.changed(&f.source.text)
            && let Err(e) = crate::fs::write_atomic(&f.source.path, f.outcome.text.as_bytes())
        {
            errors.push(RunError {
                path: Some(f.source.path.clone()),
                message: format!(
                    "cannot write the fixed file (left unchanged): {}",
                    crate::discover::describe_io_error(&e)
                ),
            });
        }
    }

    if args.show_fixes || !settings.quiet {
        summarise_fixes(&fixed, args.show_fixes);
    }
    // What is left after fixing, in the chosen format (to stderr when stdout carries the text).
    let remaining_sources: Vec<SourceFile> = fixed
        .iter()
        .map(|f| SourceFile::new(f.source.path.clone(), f.outcome.text.clone()))
        .collect();
    let reports: Vec<FileReport> = remaining_sources
        .iter()
        .zip(&fixed)
        .map(|(source, f)| FileReport {
            source,
            diagnostics: f.remaining.clone(),
        })
        .collect();
    let fails = fixed.iter().any(|f| f.fails);
    if fixed.iter().any(|f| f.is_stdin) {
        let rules = crate::rules::all_meta();
        let _ = crate::output::write_report(
            settings.format,
            &mut std::io::stderr().lock(),
            &reports,
            &rules,
            &settings.options,
        );
    } else if let Err(e) = super::check::write(settings, &reports) {
        errors.push(e);
    }
    report_errors(&errors);
    if !errors.is_empty() {
        EXIT_FAILURE
    } else if fails || (args.exit_non_zero_on_fix && any_change) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn summarise_fixes(fixed: &[Fixed], detailed: bool) {
    let mut err = std::io::stderr().lock();
    let total: usize = fixed.iter().map(|f| f.outcome.applied.len()).sum();
    for f in fixed {
        if detailed && !f.outcome.applied.is_empty() {
            let _ = writeln!(err, "Fixed in {}:", f.source.display_path());
            for a in &f.outcome.applied {
                let _ = writeln!(err, "  {} {}", a.code, a.description);
            }
        }
        for d in &f.outcome.dropped {
            let _ = writeln!(
                err,
                "{}: fix for {} withheld: the result would not parse ({})",
                f.source.display_path(),
                d.code,
                d.description
            );
        }
    }
    if total > 0 {
        let files = fixed
            .iter()
            .filter(|f| !f.outcome.applied.is_empty())
            .count();
        let _ = writeln!(
            err,
            "Fixed {total} problem{} in {files} file{}.",
            plural(total),
            plural(files)
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
