//! ShellCheck's codes (`SC2086`) as dlint sees them: interned so a finding can carry its own
//! code as `&'static str`, and recognised in selectors and suppressions.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// The registry code of the ShellCheck rule; every ShellCheck finding belongs to it.
pub const RULE_CODE: &str = "SC";

/// `SC` followed by one to four digits: a ShellCheck code (`SC2086`) or a prefix of some
/// (`SC2`, `SC20`). The bare `SC` is the rule itself and is not one of these.
pub fn is_sc_selector(s: &str) -> bool {
    let s = s.trim();
    s.len() > 2
        && s.len() <= 6
        && s[..2].eq_ignore_ascii_case("SC")
        && s[2..].bytes().all(|b| b.is_ascii_digit())
}

/// A complete ShellCheck code: `SC` and four digits.
pub fn is_sc_code(s: &str) -> bool {
    is_sc_selector(s) && s.trim().len() == 6
}

/// The one `&'static str` for an SC code or selector, upper-cased. ShellCheck has a few
/// hundred codes, so the set stays small; each distinct code is allocated once per process.
pub fn intern(code: &str) -> &'static str {
    static CODES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let upper = code.trim().to_ascii_uppercase();
    let mut set = CODES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(known) = set.get(upper.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(upper.into_boxed_str());
    set.insert(leaked);
    leaked
}

/// ShellCheck's wiki page for a code.
pub fn wiki_url(code: &str) -> String {
    format!(
        "https://www.shellcheck.net/wiki/{}",
        code.to_ascii_uppercase()
    )
}

/// The short page `dlint rule SC2086` prints: what the code is and where to read about it.
pub fn page(code: &str) -> String {
    let code = code.to_ascii_uppercase();
    format!(
        "# {code} (ShellCheck)\n\n\
         `{code}` is a ShellCheck check. dlint runs ShellCheck on every shell-form RUN script and\n\
         every shell heredoc of a Dockerfile and reports its findings under their own codes, at\n\
         their place in the Dockerfile.\n\n\
         What it finds, why, and how to fix it: {url}\n\n\
         Select or ignore it with `--select {code}` / `--ignore {code}` (or a prefix such as\n\
         `SC2`), silence it before a RUN with `# dlint ignore={code}` or\n\
         `# hadolint ignore={code}`, or inside a heredoc script with\n\
         `# shellcheck disable={code}`. How dlint runs ShellCheck: `dlint rule SC`.\n",
        url = wiki_url(&code)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_and_codes() {
        assert!(is_sc_selector("SC2086") && is_sc_selector("sc2") && is_sc_selector(" SC20 "));
        assert!(!is_sc_selector("SC") && !is_sc_selector("SC2x") && !is_sc_selector("SC12345"));
        assert!(!is_sc_selector("DL3008") && !is_sc_selector("shellcheck"));
        assert!(is_sc_code("SC2086") && !is_sc_code("SC20"));
    }

    #[test]
    fn interning_gives_one_string_per_code() {
        let a = intern("sc2086");
        let b = intern("SC2086");
        assert_eq!(a, "SC2086");
        assert!(std::ptr::eq(a, b));
    }
}
