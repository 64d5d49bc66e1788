//! Lint and fix with every rule and unsafe fixes: never panics, a fixed file has no new syntax
//! errors, and fixing it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    dlint::invariants::check_lint_fix(text);
});
