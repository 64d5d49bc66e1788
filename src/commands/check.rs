//! `dlint check`: lint and report.

use super::*;
use crate::cli::CheckArgs;
use crate::config::resolve::FileSettings;
use crate::diagnostic::FileReport;
use crate::rules::Linted;
use rayon::prelude::*;

pub fn run(args: &CheckArgs) -> u8 {
    let plan = match Plan::new(&args.common) {
        Ok(plan) => plan,
        Err(e) => {
            report_errors(&[e]);
            return EXIT_FAILURE;
        }
    };
    let settings = &plan.settings;
    let mut errors = plan.errors;
    let results: Vec<Result<(SourceFile, Linted, &FileSettings), RunError>> = plan
        .files
        .par_iter()
        .map(|file| {
            let source = read_input(&file.input)?;
            let syntax = crate::syntax::parse(&source.text);
            let linted = crate::rules::lint_file(&source, &syntax, &file.settings.selection);
            Ok((source, linted, &file.settings))
        })
        .collect();
    let mut linted = Vec::new();
    for r in results {
        match r {
            Ok((source, result, file_settings)) => {
                if settings.verbose {
                    report_silenced(&source, &result.silenced);
                }
                linted.push((source, result.diagnostics, file_settings));
            }
            Err(e) => errors.push(e),
        }
    }
    let reports: Vec<FileReport> = linted
        .iter()
        .map(|(source, diagnostics, _)| FileReport {
            source,
            diagnostics: diagnostics.clone(),
        })
        .collect();
    let fails = linted.iter().any(|(_, d, file)| settings.fails(file, d));
    let written = write(settings, &reports);
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

pub fn write(settings: &Settings, reports: &[FileReport]) -> Result<(), RunError> {
    let mut out = open_output(settings)?;
    let rules = crate::rules::all_meta();
    let result = if settings.statistics {
        crate::output::write_statistics_for(settings.format, &mut out, reports, &rules)
    } else {
        let mut options = settings.options;
        options.show_fixes_hint = !settings.quiet;
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
