//! What BuildKit refuses after its parser accepted the file: its instruction parser
//! (`frontend/dockerfile/instructions`) and converter (`dockerfile2llb`) stop the build on an
//! unknown instruction, a wrong argument count, an unknown, repeated or valueless flag, a flag
//! value they cannot read, an instruction before the first `FROM`, or a file with no `FROM`.
//!
//! Each refusal is reported by DL1000 at the instruction (or flag, or word) that causes it.
//! Values holding a variable are judged only where BuildKit judges them before expansion.

use crate::source::Span;
use crate::syntax::{Dockerfile, Instruction, Keyword};

/// One thing BuildKit refuses: where, and why (in our words).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    /// `--link` or `--link=true|false`.
    Bool,
    /// `--from=value`; once.
    Text,
    /// `--mount=...`; any number of times.
    Repeated,
}

use FlagKind::{Bool, Repeated, Text};

/// The flags each instruction accepts (BuildKit's stable and labs channels together, so a file
/// written for labs is not refused).
fn accepted_flags(keyword: Keyword) -> &'static [(&'static str, FlagKind)] {
    match keyword {
        Keyword::Add => &[
            ("chown", Text),
            ("chmod", Text),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", Text),
            ("exclude", Repeated),
            ("unpack", Bool),
        ],
        Keyword::Copy => &[
            ("chown", Text),
            ("chmod", Text),
            ("from", Text),
            ("link", Bool),
            ("exclude", Repeated),
            ("parents", Bool),
        ],
        Keyword::From => &[("platform", Text)],
        Keyword::Run => &[
            ("mount", Repeated),
            ("network", Text),
            ("security", Text),
            ("device", Repeated),
        ],
        Keyword::Healthcheck => &[
            ("interval", Text),
            ("timeout", Text),
            ("start-period", Text),
            ("start-interval", Text),
            ("retries", Text),
        ],
        _ => &[],
    }
}

/// Whether BuildKit reads the flags of this instruction at all (ARG, STOPSIGNAL and
/// `HEALTHCHECK NONE` never look at theirs).
fn reads_flags(inst: &Instruction) -> bool {
    match inst.keyword {
        Keyword::Arg | Keyword::Stopsignal | Keyword::Unknown => false,
        Keyword::Healthcheck => !inst
            .values
            .first()
            .is_some_and(|v| v.eq_ignore_ascii_case("none")),
        _ => true,
    }
}

/// Every refusal in the file, in file order.
pub fn find(df: &Dockerfile, text: &str) -> Vec<Refusal> {
    let mut out = Vec::new();
    if text.is_empty() {
        out.push(Refusal {
            span: Span::empty(0),
            message: "the Dockerfile is empty: there is nothing to build".to_string(),
        });
        return out;
    }
    if let Err((span, message)) = crate::suppression::check_options(df) {
        out.push(Refusal { span, message });
    }
    let mut seen_from = false;
    let stage_names = stage_names(df);
    let mut stage = 0usize;
    // After an unterminated heredoc the parser's recovery reads the body as instructions:
    // judging those would only repeat the syntax error.
    let recovered_from = df
        .errors
        .iter()
        .filter(|e| e.message.contains("heredoc"))
        .map(|e| e.span.start)
        .min()
        .unwrap_or(usize::MAX);
    for inst in &df.instructions {
        if inst.span.start > recovered_from {
            continue;
        }
        let before = out.len();
        check_instruction(inst, &mut out);
        if inst.keyword == Keyword::From {
            seen_from = true;
            stage += 1;
        } else if !seen_from && inst.keyword != Keyword::Arg && out.len() == before {
            out.push(Refusal {
                span: inst.keyword_span,
                message: format!(
                    "`{}` comes before the first FROM: only ARG may precede it, so BuildKit has no stage to run it in",
                    inst.keyword_text
                ),
            });
        }
        if inst.keyword == Keyword::Copy && out.len() == before {
            check_copy_from(inst, stage, &stage_names, &mut out);
        }
    }
    if !seen_from && df.errors.is_empty() {
        out.push(Refusal {
            span: df
                .instructions
                .first()
                .map_or(Span::empty(0), |i| i.keyword_span),
            message: "the Dockerfile has no FROM: it holds no stage to build".to_string(),
        });
    }
    out
}

/// The lower-case name of each stage, by stage index (None when unnamed).
fn stage_names(df: &Dockerfile) -> Vec<Option<String>> {
    df.instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
        .map(|i| match i.values.as_slice() {
            [_, kw, name] if kw.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

fn refuse(out: &mut Vec<Refusal>, span: Span, message: impl Into<String>) {
    out.push(Refusal {
        span,
        message: message.into(),
    });
}

fn check_instruction(inst: &Instruction, out: &mut Vec<Refusal>) {
    let name = inst.keyword_text.to_ascii_uppercase();
    if inst.keyword == Keyword::Unknown {
        let near = crate::rules::selection::closest(
            &inst.keyword_text.to_ascii_lowercase(),
            KEYWORDS.iter().copied(),
        );
        let hint = near.map_or(String::new(), |n| {
            format!(" (did you mean {}?)", n.to_ascii_uppercase())
        });
        refuse(
            out,
            inst.keyword_span,
            format!("unknown instruction `{}`{hint}", inst.keyword_text),
        );
        return;
    }
    let before = out.len();
    // BuildKit checks argument counts before flags for these instructions.
    let counts_first = matches!(
        inst.keyword,
        Keyword::Add
            | Keyword::Copy
            | Keyword::Maintainer
            | Keyword::Onbuild
            | Keyword::Workdir
            | Keyword::Healthcheck
            | Keyword::User
            | Keyword::Stopsignal
            | Keyword::Arg
            | Keyword::From
    );
    if counts_first {
        check_arguments(inst, &name, out);
        if out.len() > before {
            return;
        }
    }
    if reads_flags(inst) {
        check_flags(inst, &name, out);
        if out.len() > before {
            return;
        }
    }
    if !counts_first {
        check_arguments(inst, &name, out);
    }
    if out.len() == before {
        check_values(inst, &name, out);
    }
}

const KEYWORDS: [&str; 18] = [
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

fn check_flags(inst: &Instruction, name: &str, out: &mut Vec<Refusal>) {
    let accepted = accepted_flags(inst.keyword);
    let mut seen: Vec<&str> = Vec::new();
    for flag in &inst.flags {
        let Some(&(_, kind)) = accepted.iter().find(|(n, _)| *n == flag.name) else {
            let near =
                crate::rules::selection::closest(&flag.name, accepted.iter().map(|(n, _)| *n));
            let hint = near.map_or(String::new(), |n| format!(" (did you mean --{n}?)"));
            let allowed = if accepted.is_empty() {
                format!("{name} takes no flags")
            } else {
                format!(
                    "{name} accepts {}",
                    accepted
                        .iter()
                        .map(|(n, _)| format!("--{n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            refuse(
                out,
                flag.span,
                format!("unknown flag `--{}`{hint}: {allowed}", flag.name),
            );
            continue;
        };
        if kind != Repeated && seen.contains(&flag.name.as_str()) {
            refuse(
                out,
                flag.span,
                format!("`--{}` is given twice; {name} takes it once", flag.name),
            );
            continue;
        }
        seen.push(&flag.name);
        match (kind, flag.value.as_deref()) {
            (Bool, Some("")) => refuse(out, flag.span, format!("`--{}=` has no value", flag.name)),
            (Bool, Some(v))
                if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
            {
                refuse(
                    out,
                    flag.span,
                    format!("`--{}` takes true or false, not `{v}`", flag.name),
                )
            }
            (Text | Repeated, None) => refuse(
                out,
                flag.span,
                format!("`--{}` needs a value (`--{}=...`)", flag.name, flag.name),
            ),
            _ => {}
        }
    }
}

fn check_arguments(inst: &Instruction, name: &str, out: &mut Vec<Refusal>) {
    let n = inst.values.len();
    let at = inst.keyword_span;
    let exactly_one = |out: &mut Vec<Refusal>| {
        if n != 1 {
            refuse(
                out,
                at,
                format!("{name} takes exactly one argument, found {n}"),
            );
        }
    };
    let at_least_one = |out: &mut Vec<Refusal>| {
        if n == 0 {
            refuse(out, at, format!("{name} needs at least one argument"));
        }
    };
    match inst.keyword {
        Keyword::Add | Keyword::Copy => {
            if n < 2 {
                refuse(
                    out,
                    at,
                    format!(
                        "{name} needs a source and a destination; with one argument there is no destination"
                    ),
                );
            } else if is_heredoc_word(&inst.values[n - 1]) {
                refuse(
                    out,
                    inst.args_span(),
                    format!("{name} cannot take a heredoc as its destination"),
                );
            }
        }
        Keyword::Env | Keyword::Label => {
            at_least_one(out);
            if inst.pairs.iter().any(|p| p.key.is_empty()) {
                refuse(out, at, format!("{name} names cannot be blank"));
            }
        }
        Keyword::Arg => {
            at_least_one(out);
            if inst.pairs.iter().any(|p| p.key.is_empty()) {
                refuse(out, at, "ARG names cannot be blank");
            }
        }
        Keyword::Maintainer | Keyword::Workdir | Keyword::User | Keyword::Stopsignal => {
            exactly_one(out)
        }
        Keyword::Expose | Keyword::Volume | Keyword::Onbuild | Keyword::Healthcheck => {
            at_least_one(out)
        }
        Keyword::From => match inst.values.as_slice() {
            [_] => {}
            [_, kw, stage] if kw.eq_ignore_ascii_case("as") => {
                if !valid_stage_name(&stage.to_ascii_lowercase()) {
                    refuse(
                        out,
                        inst.args_span(),
                        format!(
                            "`{stage}` is not a valid stage name: it must start with a letter and hold only letters, digits, `-`, `_` and `.`"
                        ),
                    );
                }
            }
            _ => refuse(
                out,
                at,
                format!(
                    "FROM takes an image, optionally followed by `AS name`; found {n} arguments"
                ),
            ),
        },
        Keyword::Shell => {
            if n == 0 {
                refuse(out, at, "SHELL needs at least one argument");
            } else if !inst.json {
                refuse(
                    out,
                    inst.args_span(),
                    "SHELL must be written as a JSON array, e.g. [\"/bin/bash\", \"-c\"]",
                );
            }
        }
        _ => {}
    }
}

/// A word BuildKit reads as a heredoc opener (`<<EOF`, `<<-"EOF"`).
fn is_heredoc_word(word: &str) -> bool {
    let Some(rest) = word.strip_prefix("<<") else {
        return false;
    };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let name = rest.trim_matches(['"', '\'']);
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// BuildKit's stage-name rule, on the lower-cased name.
pub fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

fn has_variable(value: &str) -> bool {
    value.contains('$')
}

fn check_values(inst: &Instruction, name: &str, out: &mut Vec<Refusal>) {
    match inst.keyword {
        Keyword::Onbuild => {
            if let Some(first) = inst.values.first().map(|_| inst.effective()) {
                let trigger = first.keyword_text.to_ascii_uppercase();
                if matches!(first.keyword, Keyword::Onbuild) {
                    refuse(
                        out,
                        first.keyword_span,
                        "ONBUILD cannot trigger another ONBUILD",
                    );
                } else if matches!(first.keyword, Keyword::Maintainer | Keyword::From) {
                    refuse(
                        out,
                        first.keyword_span,
                        format!("{trigger} is not allowed as an ONBUILD trigger"),
                    );
                }
            }
        }
        Keyword::Healthcheck => check_healthcheck(inst, out),
        Keyword::Expose => {
            for (word, span) in words_with_spans(inst) {
                if has_variable(&word) {
                    continue;
                }
                if let Err(why) = crate::rules::buildkit::ports::parse(&word) {
                    refuse(out, span, format!("EXPOSE `{word}`: {why}"));
                }
            }
        }
        Keyword::Volume if inst.values.iter().any(|v| v.trim().is_empty()) => {
            refuse(out, inst.args_span(), "VOLUME cannot name an empty path");
        }
        Keyword::Stopsignal => {
            let sig = &inst.values[0];
            if !has_variable(sig) && !valid_signal(sig) {
                refuse(
                    out,
                    inst.args_span(),
                    format!("STOPSIGNAL `{sig}` is not a signal name or number"),
                );
            }
        }
        Keyword::Add | Keyword::Copy => check_copy_values(inst, name, out),
        Keyword::From => {
            if let Some(flag) = inst.flag("platform") {
                let value = flag.value.as_deref().unwrap_or("");
                if !has_variable(value) && !valid_platform(value) {
                    refuse(
                        out,
                        flag.span,
                        format!("`{value}` is not a platform (os[/arch[/variant]])"),
                    );
                }
            }
            let base = &inst.values[0];
            if !has_variable(base) && !crate::rules::buildkit::reference::is_valid(base) {
                refuse(
                    out,
                    inst.logical
                        .span(inst.args_start, inst.args_start + base.len()),
                    format!("`{base}` is not a valid image reference"),
                );
            }
        }
        Keyword::Run => {
            for flag in &inst.flags {
                let Some(value) = flag.value.as_deref() else {
                    continue;
                };
                let allowed: &[&str] = match flag.name.as_str() {
                    "network" => &["default", "none", "host"],
                    "security" => &["sandbox", "insecure"],
                    _ => continue,
                };
                if !has_variable(value) && !allowed.contains(&value) {
                    refuse(
                        out,
                        flag.span,
                        format!(
                            "`--{}={value}` is not one of {}",
                            flag.name,
                            allowed.join(", ")
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The instruction's argument words with their file spans (plain-word instructions only).
fn words_with_spans(inst: &Instruction) -> Vec<(String, Span)> {
    let args = inst.args();
    let mut out = Vec::new();
    let mut offset = 0;
    for word in args.split([' ', '\t']) {
        if !word.is_empty() {
            let start = inst.args_start + offset;
            out.push((
                word.to_string(),
                inst.logical.span(start, start + word.len()),
            ));
        }
        offset += word.len() + 1;
    }
    out
}

fn check_healthcheck(inst: &Instruction, out: &mut Vec<Refusal>) {
    let kind = inst.values[0].to_ascii_uppercase();
    let rest = inst.values.len() - 1;
    match kind.as_str() {
        "NONE" if rest > 0 => refuse(out, inst.args_span(), "HEALTHCHECK NONE takes no arguments"),
        "NONE" => {}
        "CMD" if rest == 0 || (inst.json && inst.values[1..].is_empty()) => {
            refuse(out, inst.args_span(), "HEALTHCHECK CMD needs a command")
        }
        "CMD" => {
            for flag in &inst.flags {
                let Some(value) = flag.value.as_deref() else {
                    continue;
                };
                if value.is_empty() {
                    continue;
                }
                let problem = if flag.name == "retries" {
                    match value.parse::<i64>() {
                        Ok(n) if n < 0 => {
                            Some("the number of retries cannot be negative".to_string())
                        }
                        Ok(n) if n > i64::from(i32::MAX) => {
                            Some("the number is too large".to_string())
                        }
                        Ok(_) => None,
                        Err(_) => Some("it is not a whole number".to_string()),
                    }
                } else {
                    match go_duration_nanos(value) {
                        None => {
                            Some("it is not a duration such as 30s, 1m30s or 500ms".to_string())
                        }
                        Some(d) if d != 0 && d < 1_000_000 => {
                            Some("a duration shorter than 1ms is not allowed".to_string())
                        }
                        Some(_) => None,
                    }
                };
                if let Some(why) = problem {
                    refuse(out, flag.span, format!("`--{}={value}`: {why}", flag.name));
                }
            }
        }
        _ => refuse(
            out,
            inst.args_span(),
            format!(
                "HEALTHCHECK type `{}` is unknown: it must be CMD or NONE",
                inst.values[0]
            ),
        ),
    }
}

fn check_copy_values(inst: &Instruction, name: &str, out: &mut Vec<Refusal>) {
    if let Some(flag) = inst.flag("chmod") {
        let value = flag.value.as_deref().unwrap_or("");
        if !value.is_empty() && !has_variable(value) && !valid_chmod(value) {
            refuse(
                out,
                flag.span,
                format!(
                    "`--chmod={value}` is not an octal mode from 0 to 7777 (or a symbolic mode such as u+x)"
                ),
            );
        }
    }
    let sources = &inst.values[..inst.values.len() - 1];
    if let Some(flag) = inst.flag("checksum") {
        let value = flag.value.as_deref().unwrap_or("");
        if !has_variable(value) {
            if !valid_digest(value) {
                refuse(
                    out,
                    flag.span,
                    format!("`--checksum={value}` is not a digest such as sha256:<64 hex digits>"),
                );
            } else if sources.len() != 1 {
                refuse(
                    out,
                    flag.span,
                    "--checksum applies to a single source; this ADD has several",
                );
            } else if !is_remote(&sources[0]) && !has_variable(&sources[0]) {
                refuse(
                    out,
                    flag.span,
                    "--checksum applies only to a URL or Git source",
                );
            }
        }
    }
    if inst.keyword == Keyword::Copy {
        for source in sources {
            let lower = source.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                refuse(
                    out,
                    inst.args_span(),
                    format!("{name} cannot fetch a URL (`{source}`); use ADD for that"),
                );
                return;
            }
            if lower.starts_with("git@") || lower.starts_with("git://") {
                refuse(
                    out,
                    inst.args_span(),
                    format!("{name} cannot fetch a Git repository (`{source}`); use ADD for that"),
                );
                return;
            }
        }
    }
}

/// `COPY --from` must name an earlier stage (or an image): not the stage it is in, not a later
/// one, and an index must exist and come before.
fn check_copy_from(
    inst: &Instruction,
    stage: usize,
    names: &[Option<String>],
    out: &mut Vec<Refusal>,
) {
    let Some(flag) = inst.flag("from") else {
        return;
    };
    let value = flag.value.as_deref().unwrap_or("");
    if value.is_empty() || has_variable(value) || stage == 0 {
        return;
    }
    let current = stage - 1;
    let target = match value.parse::<i64>() {
        Ok(i) if i < 0 || i as usize >= names.len() => {
            refuse(
                out,
                flag.span,
                format!("`--from={value}`: there is no stage {value} (stages count from 0)"),
            );
            return;
        }
        Ok(i) => i as usize,
        Err(_) => {
            let lower = value.to_ascii_lowercase();
            // The latest stage of that name wins, as in BuildKit.
            match names
                .iter()
                .rposition(|n| n.as_deref() == Some(lower.as_str()))
            {
                Some(i) => i,
                None => return,
            }
        }
    };
    if target == current {
        refuse(
            out,
            flag.span,
            format!("`--from={value}` names the stage this COPY is in"),
        );
    } else if target > current {
        refuse(
            out,
            flag.span,
            format!(
                "`--from={value}` names a stage defined later; a stage can only copy from earlier ones"
            ),
        );
    }
}

fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    ["http://", "https://", "git@", "git://", "ssh://"]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn valid_digest(value: &str) -> bool {
    let Some((algorithm, hex)) = value.split_once(':') else {
        return false;
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn valid_chmod(value: &str) -> bool {
    if value.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return u32::from_str_radix(value, 8).is_ok_and(|m| m <= 0o7777);
    }
    // Symbolic modes: `u+x`, `go-w`, `a=rX,u+w`.
    value.split(',').all(|clause| {
        let who_end = clause
            .find(|c: char| !"ugoa".contains(c))
            .unwrap_or(clause.len());
        let ops = &clause[who_end..];
        !ops.is_empty()
            && ops.starts_with(['+', '-', '='])
            && ops.chars().all(|c| "+-=rwxXstugo".contains(c))
    })
}

fn valid_platform(value: &str) -> bool {
    let parts: Vec<&str> = value.split('/').collect();
    (1..=3).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        })
}

/// Signal names Linux knows (with or without `SIG`, any case) or a non-zero number.
fn valid_signal(value: &str) -> bool {
    if let Ok(n) = value.parse::<i64>() {
        return n != 0;
    }
    const NAMES: [&str; 35] = [
        "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
        "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
        "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
        "UNUSED",
    ];
    let upper = value.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if NAMES.contains(&name) || name == "RTMIN" || name == "RTMAX" {
        return true;
    }
    let offset = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| (1..=15).contains(&n))
    };
    offset("RTMIN+") || offset("RTMAX-")
}

/// Go's `time.ParseDuration`, in nanoseconds (None when it does not parse).
fn go_duration_nanos(value: &str) -> Option<i128> {
    let (negative, mut rest) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        _ => (false, value),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." {
            return None;
        }
        let n: f64 = number.parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += n * scale;
        rest = &rest[unit_len..];
    }
    let nanos = total as i128;
    Some(if negative { -nanos } else { nanos })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusals(text: &str) -> Vec<(usize, String)> {
        let df = crate::syntax::parse(text);
        let source = crate::source::SourceFile::new("Dockerfile", text.to_string());
        find(&df, text)
            .into_iter()
            .map(|r| (source.line_col(r.span.start).line, r.message))
            .collect()
    }

    fn lines(text: &str) -> Vec<usize> {
        refusals(text).into_iter().map(|(l, _)| l).collect()
    }

    #[test]
    fn refused_files_are_reported_at_their_line() {
        assert_eq!(lines("FROM a\nFROBNICATE x\n"), [2]);
        assert_eq!(lines("FROM a\nCOPY onlyone\n"), [2]);
        assert_eq!(lines("FROM a\nCOPY --frm=x a b\n"), [2]);
        assert_eq!(lines("FROM\n"), [1]);
        assert_eq!(lines("FROM a\nEXPOSE\n"), [2]);
        assert_eq!(lines("FROM a\nWORKDIR\n"), [2]);
        assert_eq!(lines("RUN x\nFROM a\n"), [1]);
        assert_eq!(lines("ARG A=1\n\nLABEL a=b\n"), [3, 1]);
        // A file without instructions is already a parse error.
        assert!(!crate::syntax::parse("# just a comment\n").errors.is_empty());
    }

    #[test]
    fn flags_values_and_arguments() {
        for bad in [
            "FROM a\nCOPY --from=x --from=y a b\n",
            "FROM a\nCOPY --link=maybe a b\n",
            "FROM a\nCOPY --from a b\n",
            "FROM a\nENV --x=1 A=b\n",
            "FROM a\nCOPY --chmod=8000 a b\n",
            "FROM a\nCOPY --chmod=banana a b\n",
            "FROM a\nADD --checksum=md5:abc https://x/y /z\n",
            "FROM a\nADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 local /z\n",
            "FROM a\nCOPY https://example.com/x /y\n",
            "FROM a\nHEALTHCHECK --interval=5 CMD true\n",
            "FROM a\nHEALTHCHECK --interval=10us CMD true\n",
            "FROM a\nHEALTHCHECK --retries=-1 CMD true\n",
            "FROM a\nHEALTHCHECK CMD\n",
            "FROM a\nHEALTHCHECK NONE x\n",
            "FROM a\nHEALTHCHECK WAT x\n",
            "FROM a AS 1st\n",
            "FROM a AS b c\n",
            "FROM a\nONBUILD ONBUILD RUN x\n",
            "FROM a\nONBUILD FROM b\n",
            "FROM a\nSHELL /bin/bash -c\n",
            "FROM a\nSTOPSIGNAL SIGWAT\n",
            "FROM a\nEXPOSE 80/tcpx\n",
            "FROM a\nEXPOSE 70000\n",
            "FROM a\nCOPY <<EOF <<EOF\nx\nEOF\n",
            "FROM a\nRUN --network=bridge x\n",
            "FROM --platform=linux/amd64/v8/x a\n",
            "FROM Alpine\n",
            "FROM a AS one\nCOPY --from=one x y\n",
            "FROM a AS one\nCOPY --from=two x y\nFROM b AS two\n",
            "FROM a\nCOPY --from=3 x y\n",
        ] {
            assert_eq!(lines(bad).len(), 1, "{bad:?}: {:?}", refusals(bad));
        }
    }

    #[test]
    fn what_buildkit_accepts_is_not_refused() {
        for good in [
            "ARG V=1\nFROM a:${V}\n",
            "FROM a AS build.stage-1_x\nCOPY --link --chmod=755 --chown=1:1 a b\nFROM b\nCOPY --from=build.stage-1_x a b\n",
            "FROM a\nCOPY --chmod=u+x,go=rX a b\nCOPY --exclude=*.md --exclude=x --parents a b\n",
            "FROM a\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://x/y /z\n",
            "FROM a\nADD --keep-git-dir=true --link=false git@github.com:x/y.git /z\n",
            "FROM a\nRUN --mount=type=cache,target=/x --network=none --security=insecure x\n",
            "FROM a\nHEALTHCHECK --interval=1m30s --timeout=0 --retries=3 --start-period=5s CMD [\"x\"]\n",
            "FROM a\nHEALTHCHECK NONE\n",
            "FROM a\nEXPOSE 80 443/tcp 53/UDP 8000-8010 ${PORT}\n",
            "FROM a\nSTOPSIGNAL SIGRTMIN+3\nSTOPSIGNAL 9\nSTOPSIGNAL term\n",
            "FROM a\nARG --weird X\nONBUILD RUN x\nVOLUME /a /b\nSHELL [\"bash\", \"-c\"]\n",
            "FROM --platform=$BUILDPLATFORM golang:1.22@sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d AS b\n",
            "FROM a\nCOPY <<EOF /x\nhi\nEOF\n",
            "FROM a AS one\nFROM b\nCOPY --from=0 x y\nCOPY --from=one x y\nCOPY --from=nginx:latest x y\n",
            "FROM localhost:5000/my/x:Tag_1\n",
        ] {
            assert!(refusals(good).is_empty(), "{good:?}: {:?}", refusals(good));
        }
    }

    #[test]
    fn durations_as_go_reads_them() {
        assert_eq!(go_duration_nanos("1m30s"), Some(90_000_000_000));
        assert_eq!(go_duration_nanos("1.5h"), Some(5_400_000_000_000));
        assert_eq!(go_duration_nanos("0"), Some(0));
        assert_eq!(go_duration_nanos("5"), None);
        assert_eq!(go_duration_nanos("s"), None);
    }
}
