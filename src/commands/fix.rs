//! `dlint fix`: apply fixes in place (atomically), print a diff, or write stdin's fix to stdout.

use super::*;
use crate::cli::FixArgs;
use crate::diagnostic::FileReport;
use crate::fix::{FixOutcome, fix_until_stable};
use rayon::prelude::*;

struct Fixed<'p> {
    /// The directories of the file's build contexts (see [`jobs::LintJob::read`]).
    roots: Vec<Option<std::path::PathBuf>>,
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
    // A Compose file's services lead to their Dockerfiles, each fixed once and only with
    // fixes that hold under every context it is built with. Inline Dockerfiles are written in
    // the Compose file: checked, not fixed.
    let planned: Vec<(Input, &crate::config::resolve::FileSettings)> = plan
        .files
        .iter()
        .map(|f| (f.input.clone(), &f.settings))
        .collect();
    let jobs: Vec<_> = jobs::lint_jobs(planned, &mut errors)
        .into_iter()
        .filter(|(job, _)| !matches!(job, jobs::LintJob::Inline(_)))
        .collect();
    let results: Vec<Result<Fixed, RunError>> = jobs
        .par_iter()
        .map(|(job, file_settings)| {
            let (source, roots) = job.read(&contexts)?;
            // The contexts are listed once, from the original file: fixes edit the
            // Dockerfile, not the context (files they create are written after the loop).
            let loaded = jobs::load_contexts(
                &contexts,
                &roots,
                &source.path,
                &crate::syntax::parse(&source.text),
            );
            let selection = &file_settings.selection;
            let lint = |text: &str| {
                let candidate = SourceFile::new(source.path.clone(), text.to_string());
                let syntax = crate::syntax::parse(text);
                jobs::lint_in_contexts(&candidate, &syntax, selection, &loaded).diagnostics
            };
            let outcome = fix_until_stable(&source.text, file_settings.unsafe_fixes, &lint);
            let remaining = lint(&outcome.text);
            let fails = settings.fails(file_settings, &remaining);
            Ok(Fixed {
                roots,
                file_settings,
                source,
                outcome,
                remaining,
                is_stdin: job.is_stdin(),
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
            let reloaded: Vec<_> = f
                .roots
                .iter()
                .map(|root| {
                    root.as_ref()
                        .and_then(|r| contexts.reload(r, &f.source.path))
                })
                .collect();
            let candidate = SourceFile::new(f.source.path.clone(), f.outcome.text.clone());
            let syntax = crate::syntax::parse(&candidate.text);
            f.remaining =
                jobs::lint_in_contexts(&candidate, &syntax, &f.file_settings.selection, &reloaded)
                    .diagnostics;
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
                "{}: fix for {} withheld: {} ({})",
                f.source.display_path(),
                d.fix.code,
                d.reason.describe(),
                d.fix.description
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
