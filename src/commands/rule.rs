//! `dlint rule CODE` and `dlint rules`: the documentation, from the one registry.

use super::*;

pub fn show(code_or_name: &str) -> u8 {
    if crate::rules::shell::is_sc_code(code_or_name) {
        let page = crate::rules::shell::codes::page(code_or_name);
        let _ = std::io::stdout().lock().write_all(page.as_bytes());
        return EXIT_OK;
    }
    let named = |r: &&&dyn crate::rules::Rule| {
        let m = r.meta();
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    };
    // A BuildKit check name is an alias; one name may cover several rules
    // (MultipleInstructionsDisallowed): their pages are printed one after another.
    let by_alias: Vec<&&dyn crate::rules::Rule> = crate::rules::registry()
        .iter()
        .filter(|r| {
            r.meta()
                .aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(code_or_name))
        })
        .collect();
    if !crate::rules::registry().iter().any(|r| named(&r)) && !by_alias.is_empty() {
        let mut out = std::io::stdout().lock();
        for (i, rule) in by_alias.iter().enumerate() {
            if i > 0 {
                let _ = out.write_all(b"\n");
            }
            let _ = out.write_all(rule.doc().as_bytes());
        }
        return EXIT_OK;
    }
    let Some(rule) = crate::rules::registry().iter().find(|r| named(r)) else {
        let message = match selection::resolve(code_or_name) {
            Err(e) => e,
            Ok(codes) => format!("`{code_or_name}` names several rules: {}", codes.join(", ")),
        };
        report_errors(&[RunError {
            path: None,
            message,
        }]);
        return EXIT_FAILURE;
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(rule.doc().as_bytes());
    EXIT_OK
}

/// One rule in `dlint rules --output-format json`.
#[derive(serde::Serialize)]
struct RuleRecord {
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: &'static str,
    fixable: bool,
    default_enabled: bool,
    aliases: &'static [&'static str],
    url: String,
}

pub fn list(format: crate::cli::TextOrJson) -> u8 {
    let mut out = std::io::stdout().lock();
    if format == crate::cli::TextOrJson::Json {
        let records: Vec<RuleRecord> = crate::rules::registry()
            .iter()
            .map(|rule| {
                let m = rule.meta();
                RuleRecord {
                    code: m.code,
                    name: m.name,
                    summary: m.summary,
                    severity: m.default_severity.as_str(),
                    fixable: m.fixable,
                    default_enabled: m.default_enabled,
                    aliases: m.aliases,
                    url: crate::rules::doc_url(m.code),
                }
            })
            .collect();
        let text = serde_json::to_string_pretty(&records).expect("plain data") + "\n";
        return match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
            Err(e) if output_failed(&e) => EXIT_FAILURE,
            _ => EXIT_OK,
        };
    }
    let _ = writeln!(
        out,
        "{:<8} {:<28} {:<8} {:<4} summary",
        "code", "name", "severity", "fix"
    );
    for rule in crate::rules::registry() {
        let m = rule.meta();
        let _ = writeln!(
            out,
            "{:<8} {:<28} {:<8} {:<4} {}",
            m.code,
            m.name,
            m.default_severity.as_str(),
            if m.fixable { "yes" } else { "" },
            m.summary
        );
    }
    EXIT_OK
}
