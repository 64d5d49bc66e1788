//! Hover: the rule's documentation over a finding, a short help over an instruction keyword
//! (from `rules/data/instructions.toml`).

use super::document::Document;
use crate::diagnostic::Diagnostic;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};
use serde::Deserialize;
use std::sync::OnceLock;

const INSTRUCTIONS_TOML: &str = include_str!("../../rules/data/instructions.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Instructions {
    instruction: Vec<InstructionHelp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstructionHelp {
    pub keyword: String,
    pub syntax: String,
    pub summary: String,
}

pub fn instructions() -> &'static [InstructionHelp] {
    static TABLE: OnceLock<Vec<InstructionHelp>> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str::<Instructions>(INSTRUCTIONS_TOML)
            .expect("rules/data/instructions.toml is valid (tested)")
            .instruction
    })
}

pub fn hover(document: &Document, findings: &[Diagnostic], position: Position) -> Option<Hover> {
    let lines = document.lines();
    let offset = lines.offset(&document.text, position);
    let here: Vec<&Diagnostic> = findings
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end)
        .collect();
    let (markdown, span) = if !here.is_empty() {
        let mut pages = Vec::new();
        for finding in &here {
            let rule = crate::rules::registry()
                .iter()
                .find(|r| r.meta().code == finding.code);
            let page = match rule {
                Some(rule) => format!(
                    "**{}** {}\n\n{}\n\n{}",
                    finding.code,
                    finding.message,
                    rule.doc().trim_end(),
                    crate::rules::doc_url(finding.code)
                ),
                None if crate::rules::shell::is_sc_code(finding.code) => format!(
                    "**{}** {}\n\n{}",
                    finding.code,
                    finding.message,
                    crate::rules::shell::codes::wiki_url(finding.code)
                ),
                None => format!("**{}** {}", finding.code, finding.message),
            };
            if !pages.contains(&page) {
                pages.push(page);
            }
        }
        (pages.join("\n\n---\n\n"), here[0].span)
    } else {
        let syntax = crate::syntax::parse(&document.text);
        let instruction = syntax
            .instructions
            .iter()
            .find(|i| i.keyword_span.start <= offset && offset <= i.keyword_span.end)?;
        let keyword = instruction.keyword_text.to_ascii_uppercase();
        let help = instructions().iter().find(|h| h.keyword == keyword)?;
        (
            format!(
                "**{}**\n\n```\n{}\n```\n\n{}",
                help.keyword, help.syntax, help.summary
            ),
            instruction.keyword_span,
        )
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(lines.range(&document.text, span)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_has_help_and_nothing_else_does() {
        let mut keywords: Vec<&str> = instructions().iter().map(|h| h.keyword.as_str()).collect();
        keywords.sort();
        let mut want = vec![
            "ADD",
            "ARG",
            "CMD",
            "COPY",
            "ENTRYPOINT",
            "ENV",
            "EXPOSE",
            "FROM",
            "HEALTHCHECK",
            "LABEL",
            "MAINTAINER",
            "ONBUILD",
            "RUN",
            "SHELL",
            "STOPSIGNAL",
            "USER",
            "VOLUME",
            "WORKDIR",
        ];
        want.sort();
        assert_eq!(keywords, want);
        for help in instructions() {
            assert_ne!(
                crate::syntax::Keyword::from_word(&help.keyword),
                crate::syntax::Keyword::Unknown
            );
            assert!(help.syntax.starts_with(&help.keyword), "{}", help.keyword);
            assert!(!help.summary.is_empty());
        }
    }
}
