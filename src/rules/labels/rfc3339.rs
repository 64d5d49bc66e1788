//! DL3053 label-not-rfc3339: a label the schema types as `rfc3339` whose value is not one.

use super::check_type;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

crate::declare_rule! {
    pub struct LabelNotRfc3339 {
        code: "DL3053",
        name: "label-not-rfc3339",
        summary: "A label the schema types as `rfc3339` does not hold an RFC 3339 date and time.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for LabelNotRfc3339 {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        check_type(
            self,
            ctx,
            "rfc3339",
            valid,
            "an RFC 3339 date and time (`2024-05-01T12:00:00Z`)",
            out,
        );
    }
}

/// `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)`, `T` or `t` or a blank between date and time.
fn valid(value: &str) -> bool {
    let b = value.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| {
        value
            .get(r)
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(99)
    };
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
    {
        return false;
    }
    if !matches!(b[10], b'T' | b't' | b' ')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    if !(1..=12).contains(&num(5..7))
        || !(1..=31).contains(&num(8..10))
        || num(11..13) > 23
        || num(14..16) > 59
        || num(17..19) > 60
    {
        return false;
    }
    let mut rest = &value[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}
