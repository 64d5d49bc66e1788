//! DX100 unused-suppression: an entry of a suppression comment that silenced nothing.
//!
//! Unlike other rules this one needs the other rules' findings, so the engine calls [`report`]
//! after suppressions were applied; [`Rule::check`] finds nothing on its own.

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule, RuleSelection};
use crate::suppression::{Suppression, Target, Tool};

crate::declare_rule! {
    pub struct UnusedSuppression {
        code: "DX100",
        name: "unused-suppression",
        summary: "A suppression comment names a rule that reports nothing where it applies.",
        severity: Style,
        fixable: true,
    }
}

/// Kept equal to the code declared above; other modules name the rule through it.
pub const CODE: &str = "DX100";

impl Rule for UnusedSuppression {
    fn check(&self, _ctx: &Context, _out: &mut Vec<Diagnostic>) {}
}

/// Whether an entry that silenced nothing is worth reporting.
fn reportable(tool: Tool, target: Target, selection: &RuleSelection) -> bool {
    match target {
        // `skip=all` says nothing about any one rule.
        Target::All => false,
        // Another tool's rules (ShellCheck codes in a hadolint comment, BuildKit checks dlint
        // lacks) are not ours to judge; in a dlint comment an unknown code is a typo.
        Target::Unknown => tool == Tool::Dlint,
        // A rule that did not run could not have reported anything; and a suppression of this
        // rule itself is judged after this rule ran, so it cannot be judged here.
        Target::Rule(code) => code != CODE && selection.is_enabled(code),
    }
}

/// One finding per entry that silenced nothing, with a safe fix that removes the entry, or the
/// whole suppression when no entry of it would be left.
pub fn report(suppressions: &[Suppression], selection: &RuleSelection) -> Vec<Diagnostic> {
    let meta = UnusedSuppression.meta();
    let severity = selection.severity_of(CODE).unwrap_or(meta.default_severity);
    let mut out = Vec::new();
    for s in suppressions {
        let unused: Vec<_> = s
            .entries
            .iter()
            .filter(|e| e.silenced == 0 && reportable(s.tool, e.target, selection))
            .collect();
        let nothing_left = unused.len() == s.entries.len();
        for e in unused {
            let place = if s.scope.is_some() {
                "the next instruction"
            } else {
                "this file"
            };
            let message = match e.target {
                Target::Unknown => {
                    format!("`{}` is not a dlint rule; it suppresses nothing", e.text)
                }
                _ => format!("`{}` is suppressed but reports nothing in {place}", e.text),
            };
            let (description, removal) = if nothing_left {
                ("remove the suppression", s.removal)
            } else {
                ("remove the unused rule from the suppression", e.removal)
            };
            out.push(
                Diagnostic::new(meta.code, meta.name, severity, e.span, message)
                    .with_fix(Some(Fix::safe(description, vec![Edit::delete(removal)]))),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::{LintOptions, RuleSelection, lint};
    use crate::source::SourceFile;

    fn check(text: &str, selection: &RuleSelection) -> Vec<(String, String)> {
        let source = SourceFile::new("Dockerfile", text.to_string());
        lint(&source, selection, &LintOptions::default())
            .into_iter()
            .map(|d| (d.code.to_string(), d.span.text(text).to_string()))
            .collect()
    }

    fn fixed(text: &str) -> String {
        let lint = |t: &str| {
            let source = SourceFile::new("Dockerfile", t.to_string());
            lint(&source, &RuleSelection::default(), &LintOptions::default())
        };
        crate::fix::fix_until_stable(text, false, &lint).text
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn used_suppression_is_quiet_and_silences() {
        let text = "FROM a:1\n# dlint ignore=DL1000 -- migrating\nENV PATH\n";
        assert_eq!(check(text, &RuleSelection::default()), []);
    }

    #[test]
    fn suppression_for_another_rule_does_not_silence_and_is_reported() {
        let text = "FROM a:1\n# dlint ignore=DX100\nENV PATH\n";
        // DX100 entries are never judged (DX100 runs last), so only DL1000 shows.
        assert_eq!(
            check(text, &RuleSelection::default()),
            pairs(&[("DL1000", "ENV PATH")])
        );
        let text = "FROM a:1\n# dlint ignore=syntax-error\nRUN x\nENV PATH\n";
        assert_eq!(
            check(text, &RuleSelection::default()),
            pairs(&[("DX100", "syntax-error"), ("DL1000", "ENV PATH")])
        );
    }

    #[test]
    fn disabled_rules_and_foreign_codes_are_not_reported() {
        // Codes only another tool knows; SC codes are judged only when ShellCheck ran
        // (tests/shellcheck.rs).
        let text = "# hadolint global ignore=DL3999,DL3998\n# check=skip=all\nFROM a:1\n";
        assert_eq!(check(text, &RuleSelection::default()), []);
        let text = "FROM a:1\n# dlint ignore=DL1000\nRUN x\n";
        assert_eq!(check(text, &RuleSelection::only(&["DX100"])), []);
        let text = "FROM a:1\n# dlint ignore=DL9999\nRUN x\n";
        assert_eq!(
            check(text, &RuleSelection::default()),
            pairs(&[("DX100", "DL9999")])
        );
    }

    #[test]
    fn unused_reports_can_be_suppressed() {
        let text = "# dlint global ignore=DX100\nFROM a:1\n# dlint ignore=DL1000\nRUN x\n";
        assert_eq!(check(text, &RuleSelection::default()), []);
    }

    #[test]
    fn fix_removes_the_entry_or_the_line() {
        assert_eq!(
            fixed("FROM a:1\n# dlint ignore=DL1000\n# keep\nRUN x\n"),
            "FROM a:1\n# keep\nRUN x\n"
        );
        assert_eq!(
            fixed("FROM a:1\n# dlint ignore=DL1000, DX100\nRUN x\n"),
            "FROM a:1\n# dlint ignore=DX100\nRUN x\n"
        );
        assert_eq!(
            fixed("FROM a:1\n# hadolint ignore=DL3999,DL1000\nRUN x\n"),
            "FROM a:1\n# hadolint ignore=DL3999\nRUN x\n"
        );
        assert_eq!(
            fixed("# check=skip=syntax-error;error=true\nFROM a\n"),
            "# check=error=true\nFROM a\n"
        );
        assert_eq!(
            fixed("# dlint global ignore=DL1000,syntax-error\nFROM a:1\n"),
            "FROM a:1\n"
        );
        // Fixing again changes nothing.
        let once = fixed("FROM a:1\n# dlint ignore=DL1000 -- old\nRUN x\n");
        assert_eq!(fixed(&once), once);
    }

    #[test]
    fn doc_page_example_triggers_and_use_instead_does_not() {
        let doc = include_str!("../../../rules/DX100.md");
        let blocks: Vec<&str> = doc
            .split("```dockerfile\n")
            .skip(1)
            .map(|b| b.split("```").next().unwrap())
            .collect();
        assert_eq!(blocks.len(), 2);
        let codes = |t: &str| -> Vec<String> {
            check(t, &RuleSelection::default())
                .into_iter()
                .map(|(c, _)| c)
                .collect()
        };
        assert_eq!(codes(blocks[0]), ["DX100"]);
        assert!(codes(blocks[1]).is_empty());
    }
}
