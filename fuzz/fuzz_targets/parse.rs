//! The Dockerfile parser: never panics, and the tokens print the input back byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    dlint::invariants::check_parse(text);
});
