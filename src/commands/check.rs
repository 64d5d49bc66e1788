//! `dlint check`: lint and report.
//!
//! Files are linted in parallel and reported in path order as soon as every earlier file is:
//! each file's text and findings are dropped once written, so memory does not grow with the
//! number of files (`ordered`). A run with Compose files keeps every report to the end, since
//! findings whose cause is in a Compose file are reported at that file, in path order.

use super::*;
use crate::cli::CheckArgs;
use crate::config::resolve::FileSettings;
use crate::diagnostic::FileReport;
use crate::output::ReportStream;
use crate::rules::Linted;

type Checked<'s> = (SourceFile, Linted, &'s FileSettings, Vec<ComposeFinding>);

pub fn run(args: &CheckArgs) -> u8 {
    let (plan, contexts) = match prepare(&args.common) {
        Ok(prepared) => prepared,
        Err(e) => {
            report_errors(&[e]);
            return EXIT_FAILURE;
        }
    };
    let settings = &plan.settings;
    let mut errors = plan.errors;
    let planned: Vec<(Input, &FileSettings)> = plan
        .files
        .iter()
        .map(|f| (f.input.clone(), &f.settings))
        .collect();
    let mut jobs = jobs::lint_jobs(planned, &mut errors);
    // Reports come out in path order: lint in that order.
    jobs.sort_by(|a, b| a.0.path().cmp(b.0.path()));
    prefetch_shellcheck(&jobs);
    let composed = jobs.iter().any(|(job, _)| !job.routes().is_empty());
    let mut out = match open_output(settings) {
        Ok(out) => out,
        Err(e) => {
            errors.push(e);
            report_errors(&errors);
            return EXIT_FAILURE;
        }
    };
    let rules = crate::rules::all_meta();
    let mut report = Report::new(settings, &mut *out, &rules);
    // Reports kept to the end (a run with Compose files), and the Compose files' findings.
    let mut kept: Vec<(SourceFile, Vec<Diagnostic>, &FileSettings)> = Vec::new();
    let mut compose_reports: std::collections::BTreeMap<
        PathBuf,
        (String, Vec<Diagnostic>, &FileSettings),
    > = std::collections::BTreeMap::new();
    let threads = ordered::threads_for(jobs.len());
    ordered::for_each_in_order(
        &jobs,
        threads,
        |job| check(job, &contexts),
        |result| match result {
            Ok((source, result, file_settings, compose)) => {
                if settings.verbose {
                    report_silenced(&source, &result.silenced);
                }
                for finding in compose {
                    let entry = compose_reports
                        .entry(finding.path)
                        .or_insert_with(|| (finding.text, Vec::new(), file_settings));
                    entry.1.push(finding.diagnostic);
                }
                if composed {
                    kept.push((source, result.diagnostics, file_settings));
                } else {
                    report.file(&source, result.diagnostics, file_settings);
                }
            }
            Err(e) => errors.push(e),
        },
    );
    for (path, (text, mut diagnostics, file_settings)) in compose_reports {
        diagnostics.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
        diagnostics.dedup();
        kept.push((SourceFile::new(path, text), diagnostics, file_settings));
    }
    kept.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    for (source, diagnostics, file_settings) in kept {
        report.file(&source, diagnostics, file_settings);
    }
    let (fails, written) = report.finish(!errors.is_empty());
    drop(out);
    report_errors(&errors);
    if let Err(e) = written {
        report_errors(&[e]);
        return EXIT_FAILURE;
    }
    if !errors.is_empty() {
        EXIT_FAILURE
    } else if fails {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Run ShellCheck over the scripts of all files at once, in a few batches, before linting
/// them one by one (standard input is read once, by the lint, so it is left to it). Without
/// ShellCheck, or with no file selecting it, this reads nothing.
fn prefetch_shellcheck(jobs: &[(jobs::LintJob, &FileSettings)]) {
    use rayon::prelude::*;
    let wanted = |s: &FileSettings| s.selection.is_enabled(crate::rules::shell::RULE_CODE);
    // Looking ShellCheck up searches PATH: only when a file selects it.
    if jobs.len() < 2
        || !jobs.iter().any(|(_, s)| wanted(s))
        || crate::rules::shell::runner::program().is_none()
    {
        return;
    }
    let sources: Vec<SourceFile> = jobs
        .par_iter()
        .filter_map(|(job, s)| match job {
            jobs::LintJob::Input(input @ Input::File(_)) if wanted(s) => read_input(input).ok(),
            _ => None,
        })
        .collect();
    crate::rules::shell::prefetch(&sources);
}

/// Read, parse and lint one file.
fn check<'s>(
    (job, file_settings): &(jobs::LintJob, &'s FileSettings),
    contexts: &contexts::BuildContexts,
) -> Result<Checked<'s>, RunError> {
    let (source, roots) = job.read(contexts)?;
    let syntax = crate::syntax::parse(&source.text);
    let loaded = jobs::load_contexts(contexts, &roots, &source.path, &syntax);
    let linted = jobs::lint_in_contexts(&source, &syntax, &file_settings.selection, &loaded);
    let compose = if file_settings.selection.is_enabled("DC002") {
        job.routes()
            .iter()
            .flat_map(|route| compose_findings(&route.compose_file, &route.build, &syntax))
            .collect()
    } else {
        Vec::new()
    };
    Ok((source, linted, *file_settings, compose))
}

/// The report of a run, written file by file, and whether its findings fail the run.
struct Report<'o> {
    settings: &'o Settings,
    stream: ReportStream<'o>,
    /// The first write error: nothing more is written after it.
    failed: Option<std::io::Error>,
    fails: bool,
}

impl<'o> Report<'o> {
    fn new(
        settings: &'o Settings,
        out: &'o mut dyn std::io::Write,
        rules: &'o [crate::diagnostic::RuleMeta],
    ) -> Self {
        let stream = if settings.statistics {
            ReportStream::statistics(settings.format, out, rules)
        } else {
            let mut options = settings.options;
            options.show_fixes_hint = !settings.quiet;
            ReportStream::new(settings.format, out, rules, &options)
        };
        Report {
            settings,
            stream,
            failed: None,
            fails: false,
        }
    }

    fn file(&mut self, source: &SourceFile, diagnostics: Vec<Diagnostic>, file: &FileSettings) {
        self.fails |= self.settings.fails(file, &diagnostics);
        if self.failed.is_none() {
            let report = FileReport {
                source,
                diagnostics,
            };
            self.failed = self.stream.file(&report).err();
        }
    }

    /// Whether the findings fail the run, and the outcome of writing the report.
    fn finish(self, files_failed: bool) -> (bool, Result<(), RunError>) {
        let written = match self.failed {
            Some(e) => Err(e),
            None => self.stream.finish(files_failed),
        };
        (
            self.fails,
            written
                .map_err(|e| write_error(self.settings, e))
                .or_else(quiet_pipe),
        )
    }
}

/// A closed pipe ends the report quietly; other write errors are failures.
fn quiet_pipe(e: Option<RunError>) -> Result<(), RunError> {
    e.map_or(Ok(()), Err)
}

fn write_error(settings: &Settings, e: std::io::Error) -> Option<RunError> {
    output_failed(&e).then(|| RunError {
        path: settings.output_file.clone(),
        message: format!("cannot write the report: {e}"),
    })
}

/// Write the report of files linted together (`fix`); `files_failed` says some inputs could
/// not be read, so a clean summary does not claim that everything passed.
pub fn write(
    settings: &Settings,
    reports: &[FileReport],
    files_failed: bool,
) -> Result<(), RunError> {
    let mut out = open_output(settings)?;
    let rules = crate::rules::all_meta();
    let result = if settings.statistics {
        crate::output::write_statistics_for(settings.format, &mut out, reports, &rules)
    } else {
        let mut options = settings.options;
        options.show_fixes_hint = !settings.quiet;
        options.files_failed = files_failed;
        crate::output::write_report(settings.format, &mut out, reports, &rules, &options)
    }
    .and_then(|_| out.flush());
    result
        .map_err(|e| write_error(settings, e))
        .or_else(quiet_pipe)
}

/// A finding whose cause is written in a Compose file.
struct ComposeFinding {
    path: PathBuf,
    text: String,
    diagnostic: Diagnostic,
}

fn compose_findings(
    compose_file: &std::path::Path,
    build: &crate::compose::ServiceBuild,
    dockerfile: &crate::syntax::Dockerfile,
) -> Vec<ComposeFinding> {
    let Ok(text) = crate::discover::read_text(compose_file) else {
        return Vec::new();
    };
    let compose = SourceFile::new(compose_file.to_path_buf(), text);
    crate::rules::cache::pip_no_cache_dir_env::compose_build_arg_findings(
        build, &compose, dockerfile,
    )
    .into_iter()
    .map(|diagnostic| ComposeFinding {
        path: compose.path.clone(),
        text: compose.text.clone(),
        diagnostic,
    })
    .collect()
}
