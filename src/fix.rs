//! Applying fixes: non-overlapping edits on the original bytes, safe or unsafe, repeated
//! (re-parse, re-lint) until nothing applicable is left. A pass whose result no longer parses
//! is narrowed down to the fixes that keep the file parsing; the others are dropped and reported.
//! A fix whose result still has the finding it fixed (the same rule, message and flagged text,
//! counted) would be applied again every round: it is dropped and reported, so fixing always
//! converges.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, NewFile};
use crate::source::Span;

/// At most this many lint/fix rounds: each round fixes everything that does not conflict, so
/// real files settle in two or three.
const MAX_ROUNDS: usize = 10;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedFix {
    pub code: &'static str,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedFix {
    pub fix: AppliedFix,
    pub reason: DropReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// The file would no longer parse.
    BreaksParse,
    /// The fixed file has the same finding again: applying it would never end.
    Recreates,
}

impl DropReason {
    pub fn describe(self) -> &'static str {
        match self {
            DropReason::BreaksParse => "the result would not parse",
            DropReason::Recreates => "the result has the same finding again",
        }
    }
}

#[derive(Debug, Default)]
pub struct FixOutcome {
    pub text: String,
    pub applied: Vec<AppliedFix>,
    /// Fixes withheld, with the reason.
    pub dropped: Vec<DroppedFix>,
    /// Files the applied fixes create (one per path, the first fix asking for it wins). The
    /// caller writes them; the Dockerfile's text above does not depend on them.
    pub created: Vec<NewFile>,
}

impl FixOutcome {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

fn fix_allowed(fix: &Fix, unsafe_fixes: bool) -> bool {
    fix.applicability == Applicability::Safe || unsafe_fixes
}

/// Apply every allowed fix that does not overlap an earlier one (by position). Returns the new
/// text and the diagnostics whose fixes went in.
pub fn apply_once<'d>(
    text: &str,
    diagnostics: &'d [Diagnostic],
    unsafe_fixes: bool,
) -> (String, Vec<&'d Diagnostic>) {
    let mut candidates: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| fix_allowed(f, unsafe_fixes) && !f.edits.is_empty())
        })
        .collect();
    candidates.sort_by_key(|d| {
        let f = d.fix.as_ref().expect("filtered");
        (f.edits[0].span.start, d.code)
    });
    let mut taken: Vec<Span> = Vec::new();
    let mut chosen = Vec::new();
    let mut edits: Vec<&Edit> = Vec::new();
    for d in candidates {
        let fix = d.fix.as_ref().expect("filtered");
        let conflicts = fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| overlaps(*t, e.span)));
        // Two fixes making the same edit (e.g. the same cache mount for two findings in one
        // RUN) are one change: keep the first.
        let duplicate = !chosen.is_empty()
            && chosen
                .iter()
                .any(|c: &&Diagnostic| c.fix.as_ref().map(|f| &f.edits) == Some(&fix.edits));
        if conflicts || duplicate || fix.edits.iter().any(|e| e.span.end > text.len()) {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| e.span));
        edits.extend(fix.edits.iter());
        chosen.push(d);
    }
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.content);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    (out, chosen)
}

/// Edits conflict when their ranges overlap, or when both insert at the same point (the order
/// of the two insertions would be arbitrary).
fn overlaps(a: Span, b: Span) -> bool {
    if a.is_empty() || b.is_empty() {
        return a.start == b.start
            || (a.start > b.start && a.start < b.end)
            || (b.start > a.start && b.start < a.end);
    }
    a.start < b.end && b.start < a.end
}

/// What identifies a finding across rounds, whatever the edits before it moved: its rule, its
/// message, the text it flags and the whole line that text starts on. The line keeps apart
/// equal findings on different lines: a rule that reports the first of several `wget`s in a
/// RUN reports the next one once the first is fixed, which is progress, not the same finding.
type Identity = (&'static str, String, String, String);

fn identity(text: &str, d: &Diagnostic) -> Identity {
    let flagged = text.get(d.span.start..d.span.end).unwrap_or("").to_string();
    let at = d.span.start.min(text.len());
    let line = match (text.get(..at), text.get(at..)) {
        (Some(head), Some(tail)) => {
            let start = head.rfind('\n').map_or(0, |i| i + 1);
            let end = tail.find('\n').map_or(text.len(), |i| at + i);
            text[start..end].to_string()
        }
        _ => String::new(),
    };
    (d.code, d.message.clone(), flagged, line)
}

/// The fixes of `chosen` (applied to `before`, giving `after` with findings `lint_after`) whose
/// finding is still there: more findings with its identity remain than were there minus the
/// ones fixed.
fn recreated<'d>(
    before: &str,
    lint_before: &[Diagnostic],
    chosen: &[&'d Diagnostic],
    after: &str,
    lint_after: &[Diagnostic],
) -> Vec<&'d Diagnostic> {
    let count = |text: &str, ds: &[Diagnostic], id: &Identity| {
        ds.iter().filter(|d| &identity(text, d) == id).count()
    };
    chosen
        .iter()
        .filter(|d| {
            let id = identity(before, d);
            let fixed = chosen.iter().filter(|c| identity(before, c) == id).count();
            count(after, lint_after, &id) + fixed > count(before, lint_before, &id)
        })
        .copied()
        .collect()
}

/// Lint and fix until stable. `lint` returns the diagnostics of a text.
pub fn fix_until_stable(
    original: &str,
    unsafe_fixes: bool,
    lint: &dyn Fn(&str) -> Vec<Diagnostic>,
) -> FixOutcome {
    let mut outcome = FixOutcome {
        text: original.to_string(),
        ..FixOutcome::default()
    };
    let baseline_errors = crate::syntax::parse(original).errors.len();
    let mut diagnostics = lint(&outcome.text);
    for _ in 0..MAX_ROUNDS {
        take_new_files(&diagnostics, unsafe_fixes, &mut outcome);
        // Withheld fixes stay out of every later round.
        let withheld = |d: &&Diagnostic| {
            outcome.dropped.iter().any(|x| {
                x.fix.code == d.code
                    && Some(&x.fix.description) == d.fix.as_ref().map(|f| &f.description)
            })
        };
        let candidates: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| !withheld(d))
            .cloned()
            .collect();
        let Some((next, chosen, next_diagnostics)) = fix_round(
            &outcome.text,
            &candidates,
            unsafe_fixes,
            baseline_errors,
            lint,
            &mut outcome.dropped,
        ) else {
            break;
        };
        outcome.applied.extend(chosen.iter().map(applied));
        outcome.text = next;
        diagnostics = next_diagnostics;
    }
    outcome
}

/// One round: apply what can go in together, narrowed down until the result parses and none of
/// its fixes re-creates its own finding. Returns the new text, the fixes applied and the new
/// text's findings; None when nothing could be applied.
fn fix_round(
    text: &str,
    diagnostics: &[Diagnostic],
    unsafe_fixes: bool,
    baseline_errors: usize,
    lint: &dyn Fn(&str) -> Vec<Diagnostic>,
    dropped: &mut Vec<DroppedFix>,
) -> Option<(String, Vec<Diagnostic>, Vec<Diagnostic>)> {
    let mut pool: Vec<Diagnostic> = diagnostics.to_vec();
    loop {
        let (next, chosen) = apply_once(text, &pool, unsafe_fixes);
        if chosen.is_empty() || next == text {
            return None;
        }
        let chosen: Vec<Diagnostic> = chosen.into_iter().cloned().collect();
        if crate::syntax::parse(&next).errors.len() > baseline_errors {
            // Some fix broke the file. Drop each fix that breaks it on its own and try the
            // rest together again; if they only break it together, apply the first of them
            // alone this round. (Keeping just one fix whenever any broke the file left a file
            // with many fixes and one broken fix one fix per round, out of rounds before all
            // were applied.)
            let mut parse_alone = Vec::new();
            for d in &chosen {
                let (candidate, _) = apply_once(text, std::slice::from_ref(d), unsafe_fixes);
                if crate::syntax::parse(&candidate).errors.len() <= baseline_errors {
                    parse_alone.push(d.clone());
                    continue;
                }
                dropped.push(DroppedFix {
                    fix: applied(d),
                    reason: DropReason::BreaksParse,
                });
                pool.retain(|p| p != d);
            }
            if parse_alone.len() == chosen.len() {
                pool = parse_alone.into_iter().take(1).collect();
            }
            if pool.is_empty() {
                return None;
            }
            continue;
        }
        let next_diagnostics = lint(&next);
        let chosen_refs: Vec<&Diagnostic> = chosen.iter().collect();
        let again = recreated(text, diagnostics, &chosen_refs, &next, &next_diagnostics);
        if again.is_empty() {
            return Some((next, chosen, next_diagnostics));
        }
        for d in again {
            dropped.push(DroppedFix {
                fix: applied(d),
                reason: DropReason::Recreates,
            });
            pool.retain(|p| p != d);
        }
    }
}

/// Fix a file as `dlint fix` does: lint it with `selection` and `options`, apply the allowed
/// fixes, repeat until stable. The command and the language server's fix-all both use this.
pub fn fix_source(
    source: &crate::source::SourceFile,
    selection: &crate::rules::RuleSelection,
    options: &crate::rules::LintOptions,
    unsafe_fixes: bool,
) -> FixOutcome {
    let lint = |text: &str| {
        let candidate = crate::source::SourceFile::new(source.path.clone(), text.to_string());
        crate::rules::lint(&candidate, selection, options)
    };
    fix_until_stable(&source.text, unsafe_fixes, &lint)
}

/// Record the files that allowed fixes create. The lint that reports them cannot see the file
/// until it is written, so a later round asks again: a path already taken is skipped.
fn take_new_files(diagnostics: &[Diagnostic], unsafe_fixes: bool, outcome: &mut FixOutcome) {
    for d in diagnostics {
        let Some(fix) = d.fix.as_ref().filter(|f| fix_allowed(f, unsafe_fixes)) else {
            continue;
        };
        let Some(new_file) = &fix.creates else {
            continue;
        };
        if outcome.created.iter().all(|c| c.path != new_file.path) {
            outcome.created.push(new_file.clone());
            outcome.applied.push(applied(d));
        }
    }
}

fn applied(d: &Diagnostic) -> AppliedFix {
    AppliedFix {
        code: d.code,
        description: d
            .fix
            .as_ref()
            .map(|f| f.description.clone())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn diag(start: usize, end: usize, content: &str, applicability: Applicability) -> Diagnostic {
        Diagnostic::new(
            "T001",
            "test",
            Severity::Warning,
            Span::new(start, end),
            "m",
        )
        .with_fix(Some(Fix::new(
            applicability,
            "d",
            vec![Edit::replace(Span::new(start, end), content)],
        )))
    }

    #[test]
    fn file_creations_are_collected_once_and_only_when_allowed() {
        let create = |applicability| {
            Diagnostic::new("T002", "test", Severity::Warning, Span::new(0, 1), "m").with_fix(Some(
                Fix::create_file(
                    applicability,
                    "write .dockerignore",
                    ".dockerignore".into(),
                    ".git\n".into(),
                ),
            ))
        };
        // The lint keeps reporting the finding (it cannot see the file before it is written).
        let lint = |_: &str| vec![create(Applicability::Unsafe)];
        let outcome = fix_until_stable("FROM a\n", false, &lint);
        assert!(outcome.created.is_empty());
        let outcome = fix_until_stable("FROM a\n", true, &lint);
        assert_eq!(outcome.text, "FROM a\n");
        assert_eq!(outcome.created.len(), 1);
        assert_eq!(outcome.created[0].content, ".git\n");
        assert_eq!(outcome.applied.len(), 1);
    }

    #[test]
    fn applies_non_overlapping_and_skips_unsafe() {
        let text = "abcdef";
        let ds = vec![
            diag(0, 1, "A", Applicability::Safe),
            diag(0, 2, "X", Applicability::Safe),
            diag(4, 5, "E", Applicability::Unsafe),
        ];
        let (out, chosen) = apply_once(text, &ds, false);
        assert_eq!(out, "Abcdef");
        assert_eq!(chosen.len(), 1);
        let (out, _) = apply_once(text, &ds, true);
        assert_eq!(out, "AbcdEf");
    }

    #[test]
    fn a_fix_that_recreates_its_finding_is_dropped_and_reported() {
        // The finding flags the first line; its fix appends a line and leaves the first as it
        // was, so every round would append another.
        let lint = |t: &str| {
            let mut ds = vec![
                Diagnostic::new("T003", "test", Severity::Warning, Span::new(0, 4), "m").with_fix(
                    Some(Fix::new(
                        Applicability::Safe,
                        "append",
                        vec![Edit::insert(t.len(), "more\n")],
                    )),
                ),
            ];
            // An honest fix beside it still goes in.
            if let Some(at) = t.find("bad") {
                ds.push(diag(at, at + 3, "good", Applicability::Safe));
            }
            ds
        };
        let outcome = fix_until_stable("line\nbad\n", false, &lint);
        assert_eq!(outcome.text, "line\ngood\n");
        assert_eq!(outcome.applied.len(), 1);
        assert_eq!(outcome.dropped.len(), 1);
        assert_eq!(outcome.dropped[0].fix.code, "T003");
        assert_eq!(outcome.dropped[0].reason, DropReason::Recreates);
    }

    #[test]
    fn a_finding_deferred_by_a_conflict_is_not_taken_for_a_recreated_one() {
        // Two identical findings whose fixes overlap: one goes in per round.
        let lint = |t: &str| {
            t.match_indices("ab")
                .map(|(at, _)| diag(at, at + 2, "c", Applicability::Safe))
                .chain(
                    t.match_indices("ab")
                        .map(|(at, _)| diag(at + 1, at + 2, "c", Applicability::Safe)),
                )
                .collect::<Vec<_>>()
        };
        let outcome = fix_until_stable("ab ab", false, &lint);
        assert!(outcome.dropped.is_empty(), "{:?}", outcome.dropped);
        assert!(!outcome.text.contains("ab"), "{}", outcome.text);
    }
}
