//! The shell view of RUN: never panics; every span lies inside the script, on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    dlint::invariants::check_shell(text);
});
