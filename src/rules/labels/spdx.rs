//! DL3054 label-not-spdx: a label the schema types as `spdx` whose value is not one.

use super::check_type;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

crate::declare_rule! {
    pub struct LabelNotSpdx {
        code: "DL3054",
        name: "label-not-spdx",
        summary: "A label the schema types as `spdx` does not hold an SPDX license expression.",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for LabelNotSpdx {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        check_type(
            self,
            ctx,
            "spdx",
            valid,
            "an SPDX license expression (`MIT`, `Apache-2.0 OR MIT`)",
            out,
        );
    }
}

/// The identifiers of `rules/data/spdx-licenses.txt`: (licenses, exceptions).
fn known() -> &'static (Vec<&'static str>, Vec<&'static str>) {
    static KNOWN: std::sync::OnceLock<(Vec<&'static str>, Vec<&'static str>)> =
        std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/rules/data/spdx-licenses.txt"
        ));
        let (licenses, exceptions) = text
            .split_once("[exceptions]")
            .expect("an [exceptions] section");
        let list = |s: &'static str| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        };
        (list(licenses), list(exceptions))
    })
}

fn is_license(id: &str) -> bool {
    let id = id.strip_suffix('+').unwrap_or(id);
    let custom = |rest: &str| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    };
    id.strip_prefix("LicenseRef-").is_some_and(custom)
        || id.split_once(":LicenseRef-").is_some_and(|(doc, r)| {
            doc.strip_prefix("DocumentRef-").is_some_and(custom) && custom(r)
        })
        || known().0.iter().any(|k| k.eq_ignore_ascii_case(id))
}

/// An SPDX license expression: identifiers joined by `AND`/`OR`, `WITH` an exception,
/// parentheses.
fn valid(value: &str) -> bool {
    let spaced = value.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    expression(&tokens, &mut pos) && pos == tokens.len()
}

fn expression(tokens: &[&str], pos: &mut usize) -> bool {
    if !term(tokens, pos) {
        return false;
    }
    while tokens
        .get(*pos)
        .is_some_and(|t| t.eq_ignore_ascii_case("AND") || t.eq_ignore_ascii_case("OR"))
    {
        *pos += 1;
        if !term(tokens, pos) {
            return false;
        }
    }
    true
}

fn term(tokens: &[&str], pos: &mut usize) -> bool {
    match tokens.get(*pos) {
        Some(&"(") => {
            *pos += 1;
            let ok = expression(tokens, pos) && tokens.get(*pos) == Some(&")");
            *pos += 1;
            ok
        }
        Some(id) if is_license(id) => {
            *pos += 1;
            if tokens
                .get(*pos)
                .is_some_and(|t| t.eq_ignore_ascii_case("WITH"))
            {
                *pos += 1;
                let exception = tokens
                    .get(*pos)
                    .is_some_and(|e| known().1.iter().any(|k| k.eq_ignore_ascii_case(e)));
                *pos += 1;
                return exception;
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::valid;

    #[test]
    fn expressions() {
        for ok in [
            "MIT",
            "apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            "LicenseRef-Proprietary",
        ] {
            assert!(valid(ok), "{ok}");
        }
        for bad in [
            "",
            "MIT License",
            "Apache 2.0",
            "MIT OR",
            "(MIT",
            "GPL-2.0 WITH Nothing",
        ] {
            assert!(!valid(bad), "{bad}");
        }
    }

    #[test]
    fn the_data_file_holds_identifiers() {
        let (licenses, exceptions) = super::known();
        assert!(licenses.len() > 50 && !exceptions.is_empty());
        for id in licenses.iter().chain(exceptions) {
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.+".contains(&b)),
                "{id}"
            );
        }
    }
}
