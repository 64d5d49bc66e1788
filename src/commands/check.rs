//! `dlint check`: lint and report.

use super::*;
use crate::cli::CheckArgs;
use crate::config::resolve::FileSettings;
use crate::diagnostic::FileReport;
use crate::rules::Linted;
use rayon::prelude::*;

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
    let jobs = jobs::lint_jobs(planned, &mut errors);
    prefetch_shellcheck(&jobs);
    type Checked<'s> = (SourceFile, Linted, &'s FileSettings, Vec<ComposeFinding>);
    let results: Vec<Result<Checked, RunError>> = jobs
        .par_iter()
        .map(|(job, file_settings)| {
            let (source, roots) = job.read(&contexts)?;
            let syntax = crate::syntax::parse(&source.text);
            let loaded = jobs::load_contexts(&contexts, &roots, &source.path, &syntax);
            let linted =
                jobs::lint_in_contexts(&source, &syntax, &file_settings.selection, &loaded);
            let compose = if file_settings.selection.is_enabled("DC002") {
                job.routes()
                    .iter()
                    .flat_map(|route| compose_findings(&route.compose_file, &route.build, &syntax))
                    .collect()
            } else {
                Vec::new()
            };
            Ok((source, linted, *file_settings, compose))
        })
        .collect();
    let mut linted = Vec::new();
    // Findings whose cause is in a Compose file, gathered per Compose file.
    let mut compose_reports: std::collections::BTreeMap<
        PathBuf,
        (String, Vec<Diagnostic>, &FileSettings),
    > = std::collections::BTreeMap::new();
    for r in results {
        match r {
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
                linted.push((source, result.diagnostics, file_settings));
            }
            Err(e) => errors.push(e),
        }
    }
    for (path, (text, mut diagnostics, file_settings)) in compose_reports {
        diagnostics.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
        diagnostics.dedup();
        linted.push((SourceFile::new(path, text), diagnostics, file_settings));
    }
    linted.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let reports: Vec<FileReport> = linted
        .iter()
        .map(|(source, diagnostics, _)| FileReport {
            source,
            diagnostics: diagnostics.clone(),
        })
        .collect();
    let fails = linted.iter().any(|(_, d, file)| settings.fails(file, d));
    let written = write(settings, &reports, !errors.is_empty());
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
    let wanted = |s: &FileSettings| s.selection.is_enabled(crate::rules::shell::RULE_CODE);
    if jobs.len() < 2
        || crate::rules::shell::runner::program().is_none()
        || !jobs.iter().any(|(_, s)| wanted(s))
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

/// Write the report; `files_failed` says some inputs could not be read, so a clean summary
/// does not claim that everything passed.
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
    match result {
        Err(e) if output_failed(&e) => Err(RunError {
            path: settings.output_file.clone(),
            message: format!("cannot write the report: {e}"),
        }),
        _ => Ok(()),
    }
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
