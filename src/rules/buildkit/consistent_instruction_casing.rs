//! BK004 consistent-instruction-casing (BuildKit's `ConsistentInstructionCasing`): keywords
//! written in a case other than the file's majority, or in mixed case.

use super::cased;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    pub struct ConsistentInstructionCasing {
        code: "BK004",
        name: "consistent-instruction-casing",
        summary: "Instruction keywords should all be upper case or all lower case, as most of the file has them.",
        severity: Warning,
        fixable: true,
        aliases: ["ConsistentInstructionCasing"],
    }
}

impl Rule for ConsistentInstructionCasing {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        // BuildKit counts the instructions of its stages: from the first FROM on (global ARGs
        // are not part of a stage).
        let counted: Vec<&Instruction> = ctx
            .syntax
            .instructions
            .iter()
            .skip_while(|i| i.keyword != Keyword::From)
            .filter(|i| i.keyword != Keyword::Unknown)
            .collect();
        let (mut lower, mut upper) = (0, 0);
        for inst in &counted {
            let k = &inst.keyword_text;
            if *k == k.to_ascii_lowercase() {
                lower += 1;
            } else if *k == k.to_ascii_uppercase() {
                upper += 1;
            }
        }
        let majority_upper = lower <= upper;
        let case = if majority_upper { "upper" } else { "lower" };
        for inst in counted {
            let wanted = cased(&inst.keyword_text, majority_upper);
            if inst.keyword_text == wanted {
                continue;
            }
            out.push(
                Diagnostic::for_rule(
                    &meta,
                    inst.keyword_span,
                    format!(
                        "`{}` should be {case} case, as most instructions in this file are",
                        inst.keyword_text
                    ),
                )
                .with_fix(Some(Fix::safe(
                    format!("write `{wanted}`"),
                    vec![Edit::replace(inst.keyword_span, wanted)],
                ))),
            );
        }
    }
}
