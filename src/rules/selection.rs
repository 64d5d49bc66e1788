//! Turning `--select`/`--extend-select`/`--ignore` selectors (codes, code prefixes, rule names,
//! `ALL`) into the set of rules that run.

use super::{RuleSelection, registry};

/// The rule codes a selector names, or an error listing the closest known selectors. A prefix
/// covers every rule it starts, those off by default included: this is what `--ignore` and
/// per-file ignores remove. Use [`resolve_enabling`] for what a selector turns on.
pub fn resolve(selector: &str) -> Result<Vec<&'static str>, String> {
    resolve_with(selector, true)
}

/// The rule codes a selector turns on: a prefix (`DL30`) selects the rules that are on by
/// default; a rule that is off by default runs only when named, or with `ALL`.
pub fn resolve_enabling(selector: &str) -> Result<Vec<&'static str>, String> {
    resolve_with(selector, false)
}

fn resolve_with(selector: &str, prefix_covers_all: bool) -> Result<Vec<&'static str>, String> {
    let sel = selector.trim();
    // ShellCheck's codes are not registry entries: an SC code or prefix stands for itself.
    if super::shell::is_sc_selector(sel) {
        return Ok(vec![super::shell::codes::intern(sel)]);
    }
    if sel.eq_ignore_ascii_case("ALL") {
        return Ok(registry().iter().map(|r| r.meta().code).collect());
    }
    let named = |m: &crate::diagnostic::RuleMeta| {
        m.code.eq_ignore_ascii_case(sel)
            || m.name.eq_ignore_ascii_case(sel)
            || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(sel))
    };
    let matched: Vec<&'static str> = registry()
        .iter()
        .map(|r| r.meta())
        .filter(|m| {
            named(m)
                || ((prefix_covers_all || m.default_enabled)
                    && m.code
                        .to_ascii_uppercase()
                        .starts_with(&sel.to_ascii_uppercase()))
        })
        .map(|m| m.code)
        .collect();
    // A prefix naming only rules that are off by default selects nothing, but it is a known
    // selector, not a typo.
    let known = matched.is_empty()
        && !prefix_covers_all
        && resolve_with(sel, true).is_ok_and(|all| !all.is_empty());
    if sel.is_empty() || (matched.is_empty() && !known) {
        return Err(format!("unknown rule selector `{sel}`{}", suggestions(sel)));
    }
    Ok(matched)
}

fn suggestions(sel: &str) -> String {
    let mut known: Vec<(usize, String)> = registry()
        .iter()
        .flat_map(|r| [r.meta().code.to_string(), r.meta().name.to_string()])
        .map(|k| {
            (
                edit_distance(&k.to_ascii_lowercase(), &sel.to_ascii_lowercase()),
                k,
            )
        })
        .collect();
    known.sort();
    let close: Vec<String> = known.into_iter().take(3).map(|(_, k)| k).collect();
    format!("; closest known: {}", close.join(", "))
}

/// The option nearest to `word` by edit distance, when it is near enough to be a likely typo
/// (at most 2 edits, and fewer than the word's length).
pub(crate) fn closest<'a>(word: &str, options: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    options
        .filter(|o| *o != word)
        .map(|o| (edit_distance(word, o), o))
        .filter(|(d, _)| *d <= 2 && *d < word.chars().count())
        .min_by_key(|(d, o)| (*d, *o))
        .map(|(_, o)| o)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Build the selection: `select` replaces the default (all rules), `extend` adds, `ignore` removes.
pub fn from_selectors(
    select: Option<&[String]>,
    extend: &[String],
    ignore: &[String],
) -> Result<RuleSelection, String> {
    let mut selection = RuleSelection::only(&[]);
    let base: Vec<&'static str> = match select {
        Some(list) => {
            let mut codes = Vec::new();
            for s in list {
                codes.extend(resolve_enabling(s)?);
            }
            codes
        }
        None => registry()
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.default_enabled)
            .map(|m| m.code)
            .collect(),
    };
    for code in base {
        selection.set_enabled(code, true);
    }
    for s in extend {
        for code in resolve_enabling(s)? {
            selection.set_enabled(code, true);
        }
    }
    for s in ignore {
        for code in resolve(s)? {
            selection.set_enabled(code, false);
        }
    }
    Ok(selection)
}
