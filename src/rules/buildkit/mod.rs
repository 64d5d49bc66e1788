//! BuildKit's build checks (`docker build --check`), each answering to its BuildKit name:
//! BKxxx codes for the checks hadolint has no rule for, and hadolint's DL code where it has
//! the same rule (one implementation answers to both names).

pub mod consistent_instruction_casing;
pub mod duplicate_stage_name;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod invalid_base_image_platform;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod json_args;
pub mod json_args_hadolint;
pub mod json_args_recommended;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_cmd;
pub mod multiple_entrypoint;
pub mod multiple_healthcheck;
pub mod multiple_instructions;
pub mod no_empty_continuation;
pub mod ports;
pub mod reference;
pub mod secrets_used_in_arg_or_env;
pub mod stage_name_casing;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod words;
pub mod workdir_relative_path;

use crate::diagnostic::RuleMeta;
use crate::source::Span;
use crate::syntax::{Dockerfile, Instruction, Keyword};

/// The rules of this family, for the registry.
pub(crate) const RULES: &[&dyn crate::rules::Rule] = &[
    &stage_name_casing::StageNameCasing,
    &from_as_casing::FromAsCasing,
    &no_empty_continuation::NoEmptyContinuation,
    &consistent_instruction_casing::ConsistentInstructionCasing,
    &duplicate_stage_name::DuplicateStageName,
    &json_args_recommended::JsonArgsRecommended,
    &json_args_hadolint::JsonArgsHadolint,
    &maintainer_deprecated::MaintainerDeprecated,
    &undefined_arg_in_from::UndefinedArgInFrom,
    &workdir_relative_path::WorkdirRelativePath,
    &undefined_var::UndefinedVar,
    &multiple_cmd::MultipleCmd,
    &multiple_entrypoint::MultipleEntrypoint,
    &multiple_healthcheck::MultipleHealthcheck,
    &legacy_key_value_format::LegacyKeyValueFormat,
    &invalid_base_image_platform::InvalidBaseImagePlatform,
    &secrets_used_in_arg_or_env::SecretsUsedInArgOrEnv,
    &invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &from_platform_flag_const_disallowed::FromPlatformFlagConstDisallowed,
    &invalid_definition_description::InvalidDefinitionDescription,
    &expose_proto_casing::ExposeProtoCasing,
    &expose_invalid_format::ExposeInvalidFormat,
];

/// BuildKit's 22 check names. A rule with one of them among its aliases is a BuildKit check:
/// `# check=error=true` raises its findings to errors, `# check=experimental=` can enable it.
pub const CHECK_NAMES: [&str; 22] = [
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
];

/// The BuildKit check name of a rule, if it is one.
pub fn check_name(meta: &RuleMeta) -> Option<&'static str> {
    meta.aliases
        .iter()
        .copied()
        .find(|a| CHECK_NAMES.contains(a))
}

/// The platform arguments BuildKit defines for every build, usable in FROM without an ARG.
pub const AUTOMATIC_ARGS: [&str; 11] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "BUILDOSVERSION",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETOSVERSION",
    "TARGETSTAGE",
];

/// A value for an automatic argument when a check must expand one offline: a common build
/// machine (linux/amd64). Used only where the exact value cannot change the verdict.
pub fn automatic_arg_default(name: &str) -> Option<&'static str> {
    Some(match name {
        "BUILDPLATFORM" | "TARGETPLATFORM" => "linux/amd64",
        "BUILDOS" | "TARGETOS" => "linux",
        "BUILDARCH" | "TARGETARCH" => "amd64",
        "BUILDVARIANT" | "TARGETVARIANT" | "BUILDOSVERSION" | "TARGETOSVERSION" => "",
        "TARGETSTAGE" => "",
        _ => return None,
    })
}

/// An argument word of a plain-word instruction (FROM, EXPOSE, COPY in shell form...).
pub(crate) struct Word {
    pub text: String,
    pub span: Span,
}

/// The argument words, split on blanks as BuildKit splits these instructions.
pub(crate) fn arg_words(inst: &Instruction) -> Vec<Word> {
    let args = inst.args();
    let mut out = Vec::new();
    let mut offset = 0;
    for piece in args.split([' ', '\t']) {
        if !piece.is_empty() {
            let start = inst.args_start + offset;
            out.push(Word {
                text: piece.to_string(),
                span: inst.logical.span(start, start + piece.len()),
            });
        }
        offset += piece.len() + 1;
    }
    out
}

/// The global ARGs (before the first FROM): name and default value, in order.
pub(crate) fn global_args(df: &Dockerfile) -> Vec<(String, Option<String>)> {
    df.instructions
        .iter()
        .take_while(|i| i.keyword != Keyword::From)
        .filter(|i| i.keyword == Keyword::Arg)
        .flat_map(|i| i.pairs.iter().map(|p| (p.key.clone(), p.value.clone())))
        .collect()
}

/// The stage name written after `AS` in a FROM, with its span, as written.
pub(crate) fn stage_name_word(from: &Instruction) -> Option<(Word, Word)> {
    let words = arg_words(from);
    match <[Word; 3]>::try_from(words) {
        Ok([_, as_kw, name]) if as_kw.text.eq_ignore_ascii_case("as") => Some((as_kw, name)),
        _ => None,
    }
}

/// The keyword text in `upper` or lower case.
pub(crate) fn cased(word: &str, upper: bool) -> String {
    if upper {
        word.to_ascii_uppercase()
    } else {
        word.to_ascii_lowercase()
    }
}
