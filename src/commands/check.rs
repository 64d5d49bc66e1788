//! `dlint check`: lint and report.

use super::*;
use crate::cli::CheckArgs;
use crate::diagnostic::FileReport;
use crate::rules::LintOptions;
use rayon::prelude::*;

pub fn run(args: &CheckArgs) -> u8 {
    let settings = match Settings::from_args(&args.common) {
        Ok(s) => s,
        Err(e) => {
            report_errors(&[e]);
            return EXIT_FAILURE;
        }
    };
    let contexts = match contexts::BuildContexts::new(args.common.context.clone()) {
        Ok(c) => c,
        Err(e) => {
            report_errors(&[e]);
            return EXIT_FAILURE;
        }
    };
    let (inputs, mut errors) = inputs(&args.common);
    let results: Vec<Result<(SourceFile, Vec<Diagnostic>), RunError>> = inputs
        .par_iter()
        .map(|input| {
            let source = read_input(input)?;
            let syntax = crate::syntax::parse(&source.text);
            let build_context = contexts.for_input(input, &syntax);
            let options = LintOptions {
                build_context: build_context.as_deref(),
            };
            let diagnostics =
                crate::rules::lint_parsed(&source, &syntax, &settings.selection, &options);
            Ok((source, diagnostics))
        })
        .collect();
    let mut linted = Vec::new();
    for r in results {
        match r {
            Ok(pair) => linted.push(pair),
            Err(e) => errors.push(e),
        }
    }
    let reports: Vec<FileReport> = linted
        .iter()
        .map(|(source, diagnostics)| FileReport {
            source,
            diagnostics: diagnostics.clone(),
        })
        .collect();
    let fails = linted.iter().any(|(_, d)| settings.fails(d));
    let written = write(&settings, &reports);
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
