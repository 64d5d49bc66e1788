//! `dlint fix`: apply fixes in place (atomically), print a diff, or write stdin's fix to stdout.

use super::*;
use crate::cli::FixArgs;
use crate::diagnostic::FileReport;
use crate::fix::{FixOutcome, fix_source};
use crate::rules::LintOptions;
use rayon::prelude::*;

struct Fixed<'p> {
    input: Input,
    /// The settings of this file (its selection and fail level).
    file_settings: &'p crate::config::resolve::FileSettings,
    source: SourceFile,
    outcome: FixOutcome,
    remaining: Vec<Diagnostic>,
    is_stdin: bool,
    /// Whether what is left fails the run under this file's settings.
    fails: bool,
}

pub fn run(args: &FixArgs) -> u8 {
    let (plan, contexts) = match prepare(&args.common) {
        Ok(prepared) => prepared,
        Err(e) => {
            report_errors(&[e]);
            return EXIT_FAILURE;
        }
    };
    let settings = &plan.settings;
    let mut errors = plan.errors;
    // Compose files are checked (`dlint check`), not fixed: their Dockerfiles are fixed as
    // files of their own.
    let results: Vec<Result<Fixed, RunError>> = plan
        .files
        .par_iter()
        .filter(|file| !is_compose_input(&file.input))
        .map(|file| {
            let input = &file.input;
            let source = read_input(input)?;
            // The context is listed once, from the original file: fixes edit the Dockerfile,
            // not the context (files they create are written after the loop).
            let build_context = contexts.for_input(input, &crate::syntax::parse(&source.text));
            let options = LintOptions {
                build_context: build_context.as_deref(),
            };
            let selection = &file.settings.selection;
            let outcome = fix_source(&source, selection, &options, file.settings.unsafe_fixes);
            let fixed = SourceFile::new(source.path.clone(), outcome.text.clone());
            let remaining = crate::rules::lint(&fixed, selection, &options);
            let fails = settings.fails(&file.settings, &remaining);
            Ok(Fixed {
                input: input.clone(),
                file_settings: &file.settings,
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

    // A file several fixes (or several Dockerfiles sharing a context) want is created once.
    let mut seen_new_files = std::collections::HashSet::new();
    for f in &mut fixed {
        f.outcome
            .created
            .retain(|n| seen_new_files.insert(n.path.clone()));
    }
    let any_change = fixed
        .iter()
        .any(|f| f.outcome.changed(&f.source.text) || !f.outcome.created.is_empty());
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
            for new_file in &f.outcome.created {
                if let Err(e) = out.write_all(new_file_diff(new_file).as_bytes()) {
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

    for f in &mut fixed {
        // Fixing standard input writes only to standard output, never files next to its name.
        if f.is_stdin {
            f.outcome.created.clear();
            continue;
        }
        if create_files(f, &mut errors) {
            // The context changed under the rules (a new `.dockerignore`): report what is left
            // against the context as it now is.
            let build_context = contexts.reload(&f.input);
            let options = LintOptions {
                build_context: build_context.as_deref(),
            };
            let candidate = SourceFile::new(f.source.path.clone(), f.outcome.text.clone());
            f.remaining = crate::rules::lint(&candidate, &f.file_settings.selection, &options);
            f.fails = settings.fails(f.file_settings, &f.remaining);
        }
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
    } else if let Err(e) = super::check::write(settings, &reports, !errors.is_empty()) {
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

/// Write the files `f`'s fixes create; a file that already exists is left alone and reported.
/// Returns whether anything was written.
fn create_files(f: &mut Fixed, errors: &mut Vec<RunError>) -> bool {
    let mut written = false;
    f.outcome.created.retain(|new_file| {
        match crate::fs::create_new_atomic(&new_file.path, new_file.content.as_bytes()) {
            Ok(()) => {
                written = true;
                true
            }
            Err(e) => {
                errors.push(RunError {
                    path: Some(new_file.path.clone()),
                    message: format!("not created: {}", crate::discover::describe_io_error(&e)),
                });
                false
            }
        }
    });
    written
}

/// A unified diff creating `new_file`, as git shows one.
pub fn new_file_diff(new_file: &crate::diagnostic::NewFile) -> String {
    let path = new_file.path.to_string_lossy();
    let path = path.strip_prefix("./").unwrap_or(&path);
    similar::TextDiff::from_lines("", new_file.content.as_str())
        .unified_diff()
        .context_radius(3)
        .header("/dev/null", &format!("b/{path}"))
        .to_string()
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
