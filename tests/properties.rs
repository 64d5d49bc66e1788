//! Property tests on generated Dockerfiles: random instruction sequences with flags,
//! continuations (with either escape character), comment and blank lines inside continuations,
//! heredocs (`<<`, `<<-`, quoted delimiters), CRLF, a BOM and non-ASCII text.
//!
//! - Any generated text, well-formed or mangled: no panic, and the invariants of
//!   `dlint::invariants` (round trip, spans in bounds) hold, lint and fix included.
//! - A well-formed file parses to exactly the instructions generated: keyword, flags, start
//!   and end lines.

use proptest::prelude::*;

/// One generated instruction and what the parser must find for it.
#[derive(Clone, Debug)]
struct Gen {
    keyword: &'static str,
    flags: Vec<String>,
    /// Argument words; continuation points come between them.
    words: Vec<String>,
    /// After which words a continuation breaks the line, and the comment/blank lines there.
    breaks: Vec<(usize, Vec<Filler>)>,
    heredoc: Option<HeredocGen>,
}

#[derive(Clone, Debug)]
enum Filler {
    Comment(String),
    Blank,
}

#[derive(Clone, Debug)]
struct HeredocGen {
    name: String,
    chomp: bool,
    quote: Option<char>,
    body: Vec<String>,
}

const KEYWORDS: &[&str] = &[
    "RUN",
    "COPY",
    "ADD",
    "ENV",
    "LABEL",
    "WORKDIR",
    "USER",
    "EXPOSE",
    "ARG",
    "CMD",
    "ENTRYPOINT",
    "VOLUME",
    "STOPSIGNAL",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_./:-]{0,12}",
        "[a-z]{1,5}=[a-z0-9]{0,6}",
        // Non-ASCII letters (never an escape, quote or blank).
        "[a-zé漢ü]{1,6}",
    ]
}

fn pair() -> impl Strategy<Value = String> {
    "[a-z]{1,5}=[a-z0-9é]{0,6}"
}

fn flag() -> impl Strategy<Value = String> {
    prop_oneof![
        "--[a-z]{2,8}=[a-z0-9/,=]{1,10}",
        Just("--mount=type=cache,target=/root/.cache".to_string()),
        Just("--link".to_string()),
    ]
}

fn filler() -> impl Strategy<Value = Filler> {
    prop_oneof![
        "[ ]{0,2}# [a-z é]{0,10}".prop_map(Filler::Comment),
        Just(Filler::Blank),
    ]
}

fn heredoc() -> impl Strategy<Value = HeredocGen> {
    (
        "[A-Z]{1,4}",
        any::<bool>(),
        prop_oneof![Just(None), Just(Some('"')), Just(Some('\''))],
        prop::collection::vec("[a-z é$]{0,12}", 0..4),
    )
        .prop_map(|(name, chomp, quote, body)| HeredocGen {
            // Body lines are lower case and non-empty names upper case: never a terminator.
            name: format!("EOF{name}"),
            chomp,
            quote,
            body,
        })
}

fn instruction() -> impl Strategy<Value = Gen> {
    (
        prop::sample::select(KEYWORDS),
        prop::collection::vec(flag(), 0..3),
        prop::collection::vec(word(), 1..6),
        prop::collection::vec(pair(), 1..6),
        prop::collection::vec((0usize..6, prop::collection::vec(filler(), 0..3)), 0..3),
        prop::option::weighted(0.3, heredoc()),
    )
        .prop_map(|(keyword, flags, words, pairs, breaks, heredoc)| {
            // ENV, LABEL and ARG take key=value pairs (a lone word is an error for ENV).
            let words = if matches!(keyword, "ENV" | "LABEL" | "ARG") {
                pairs
            } else {
                words
            };
            let takes_heredoc = matches!(keyword, "RUN" | "COPY" | "ADD");
            // BuildKit reads flags only on instructions that take them; keep them to those.
            let flagged = matches!(keyword, "RUN" | "COPY" | "ADD");
            let mut breaks: Vec<(usize, Vec<Filler>)> = breaks
                .into_iter()
                .map(|(at, f)| (at % words.len(), f))
                .collect();
            breaks.sort_by_key(|b| b.0);
            breaks.dedup_by_key(|b| b.0);
            Gen {
                keyword,
                flags: if flagged { flags } else { Vec::new() },
                words,
                breaks,
                heredoc: heredoc.filter(|_| takes_heredoc),
            }
        })
}

#[derive(Clone, Debug)]
struct Style {
    escape: char,
    crlf: bool,
    bom: bool,
    lower_case: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (
        prop_oneof![Just('\\'), Just('`')],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(escape, crlf, bom, lower_case)| Style {
            escape,
            crlf,
            bom,
            lower_case,
        })
}

/// Renders the file; returns the text and, per instruction, (start line, end line).
fn render(style: &Style, insts: &[Gen]) -> (String, Vec<(usize, usize)>) {
    let nl = if style.crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    if style.bom {
        out.push('\u{feff}');
    }
    let mut line = 1;
    if style.escape == '`' {
        out.push_str(&format!("# escape=`{nl}"));
        line += 1;
    }
    out.push_str(&format!("FROM alpine:3.20 AS base{nl}"));
    let mut lines = vec![(line, line)];
    line += 1;
    for inst in insts {
        // A comment and a blank line between instructions.
        out.push_str(&format!("# about {}{nl}{nl}", inst.keyword));
        line += 2;
        let start = line;
        let keyword = if style.lower_case {
            inst.keyword.to_lowercase()
        } else {
            inst.keyword.to_string()
        };
        out.push_str(&keyword);
        for f in &inst.flags {
            out.push(' ');
            out.push_str(f);
        }
        if let Some(h) = &inst.heredoc {
            let dash = if h.chomp { "-" } else { "" };
            let name = match h.quote {
                Some(q) => format!("{q}{}{q}", h.name),
                None => h.name.clone(),
            };
            out.push_str(&format!(" <<{dash}{name}"));
        }
        for (i, w) in inst.words.iter().enumerate() {
            out.push(' ');
            out.push_str(w);
            if let Some((_, fillers)) = inst.breaks.iter().find(|b| b.0 == i)
                && i + 1 < inst.words.len()
            {
                out.push_str(&format!(" {}{nl}", style.escape));
                line += 1;
                for f in fillers {
                    match f {
                        Filler::Comment(c) => out.push_str(c),
                        Filler::Blank => {}
                    }
                    out.push_str(nl);
                    line += 1;
                }
                out.push_str("   ");
            }
        }
        out.push_str(nl);
        if let Some(h) = &inst.heredoc {
            let indent = if h.chomp { "\t" } else { "" };
            for b in &h.body {
                out.push_str(&format!("{indent}{b}{nl}"));
                line += 1;
            }
            out.push_str(&format!("{indent}{}{nl}", h.name));
            line += 1;
        }
        lines.push((start, line));
        line += 1;
    }
    (out, lines)
}

fn file() -> impl Strategy<Value = (Style, Vec<Gen>)> {
    (style(), prop::collection::vec(instruction(), 0..8))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn well_formed_files_parse_to_what_was_generated((style, insts) in file()) {
        let (text, lines) = render(&style, &insts);
        let df = dlint::invariants::check_parse(&text);
        prop_assert!(df.errors.is_empty(), "{:?}\n{}", df.errors, text);
        prop_assert_eq!(df.escape, style.escape);
        prop_assert_eq!(df.instructions.len(), insts.len() + 1);
        let found: Vec<(usize, usize)> =
            df.instructions.iter().map(|i| (i.start_line, i.end_line)).collect();
        prop_assert_eq!(&found, &lines, "{}", text);
        for (parsed, generated) in df.instructions[1..].iter().zip(&insts) {
            prop_assert_eq!(parsed.keyword_text.to_uppercase(), generated.keyword);
            let flags: Vec<&str> = parsed.flags.iter().map(|f| f.text.as_str()).collect();
            prop_assert_eq!(flags, generated.flags.iter().map(String::as_str).collect::<Vec<_>>());
            match &generated.heredoc {
                Some(h) => {
                    prop_assert_eq!(parsed.heredocs.len(), 1, "{}", text);
                    prop_assert_eq!(&parsed.heredocs[0].name, &h.name);
                    prop_assert_eq!(parsed.heredocs[0].chomp, h.chomp);
                    prop_assert_eq!(parsed.heredocs[0].expand, h.quote.is_none());
                }
                None => prop_assert!(parsed.heredocs.is_empty()),
            }
        }
    }

    #[test]
    fn lint_and_fix_keep_the_invariants((style, insts) in file()) {
        let (text, _) = render(&style, &insts);
        dlint::invariants::check_lint_fix(&text);
    }

    /// Mangled files: cut anywhere (on a char boundary), with a line dropped or a heredoc
    /// terminator missing. No panic, and the invariants hold.
    #[test]
    fn mangled_files_keep_the_invariants(
        (style, insts) in file(),
        cut in any::<prop::sample::Index>(),
        drop in any::<prop::sample::Index>(),
    ) {
        let (text, _) = render(&style, &insts);
        let mut at = cut.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        dlint::invariants::check_lint_fix(&text[..at]);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let skip = drop.index(lines.len().max(1));
        let dropped: String = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        dlint::invariants::check_lint_fix(&dropped);
    }

    /// Arbitrary text made of the characters that matter to the parser.
    #[test]
    fn arbitrary_text_keeps_the_parse_invariants(
        text in "[RUNFOMCPYHEL<>\\-`\\\\#'\" \t\r\na-z=é\u{feff}]{0,200}",
    ) {
        dlint::invariants::check_lint_fix(&text);
        dlint::invariants::check_shell(&text);
    }
}
