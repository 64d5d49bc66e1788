//! `dlint rule CODE` and `dlint rules`: the documentation, from the one registry.

use super::*;

pub fn show(code_or_name: &str) -> u8 {
    if crate::rules::shell::is_sc_code(code_or_name) {
        let page = crate::rules::shell::codes::page(code_or_name);
        let _ = std::io::stdout().lock().write_all(page.as_bytes());
        return EXIT_OK;
    }
    let Some(rule) = crate::rules::registry().iter().find(|r| {
        let m = r.meta();
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    }) else {
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

pub fn list() -> u8 {
    let mut out = std::io::stdout().lock();
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
