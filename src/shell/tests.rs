use super::*;

/// The argv of each command, by value.
fn argvs(script: &Script) -> Vec<Vec<&str>> {
    script
        .commands
        .iter()
        .map(|command| command.words.iter().map(|w| w.value.as_str()).collect())
        .collect()
}

fn connectors(script: &Script) -> Vec<Option<Connector>> {
    script.commands.iter().map(|c| c.connector_before).collect()
}

/// The span of `needle`, which must occur exactly once in `text`.
fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle present");
    assert_eq!(
        text.rfind(needle),
        Some(start),
        "needle {needle:?} is ambiguous"
    );
    Span::new(start, start + needle.len())
}

fn word(script: &Script, command: usize, index: usize) -> &Word {
    &script.commands[command].words[index]
}

#[test]
fn empty_and_blank_input() {
    for text in ["", "   ", "\n\n", "# only a comment"] {
        let script = parse_script(text);
        assert!(script.commands.is_empty(), "{text:?}");
        assert!(!script.has_errors, "{text:?}");
    }
}

#[test]
fn plain_command_words_and_spans() {
    let text = "apt-get install -y curl";
    let script = parse_script(text);
    assert_eq!(argvs(&script), [["apt-get", "install", "-y", "curl"]]);
    let command = &script.commands[0];
    assert_eq!(command.span, Span::new(0, text.len()));
    assert_eq!(command.name(), Some("apt-get"));
    assert_eq!(command.args().len(), 3);
    assert_eq!(word(&script, 0, 2).span, span_of(text, "-y"));
    assert_eq!(command.connector_before, None);
    assert!(command.depth.is_top_level());
    assert_eq!(command.nested_from, None);
}

#[test]
fn single_and_double_quotes() {
    let text = r#"echo 'a b' "c $HOME d" 'it'"'"'s'"#;
    let script = parse_script(text);
    assert_eq!(argvs(&script), [["echo", "a b", "c $HOME d", "it's"]]);
    let single = word(&script, 0, 1);
    assert_eq!(single.span, span_of(text, "'a b'"));
    assert!(single.is_literal);
    assert_eq!(single.text_span(0..3), span_of(text, "a b"));
    let double = word(&script, 0, 2);
    assert!(!double.is_literal);
    assert_eq!(double.text_span(2..7).text(text), "$HOME");
    assert!(word(&script, 0, 3).is_literal);
}

#[test]
fn quoted_flag_maps_inside_the_quotes() {
    let text = r#"pip install "--no-cache-dir" flask"#;
    let script = parse_script(text);
    let flag = word(&script, 0, 2);
    assert_eq!(flag.value, "--no-cache-dir");
    assert!(flag.is_literal);
    assert_eq!(flag.span, span_of(text, r#""--no-cache-dir""#));
    assert_eq!(
        flag.text_span(0..flag.value.len()),
        span_of(text, "--no-cache-dir")
    );
}

#[test]
fn flag_with_value_parts() {
    let text = r#"pip install --cache-dir="/tmp/x y" --index-url=$URL a"#;
    let script = parse_script(text);
    let cache_dir = word(&script, 0, 2);
    assert_eq!(cache_dir.value, "--cache-dir=/tmp/x y");
    assert!(cache_dir.is_literal);
    assert_eq!(cache_dir.text_span(0..11), span_of(text, "--cache-dir"));
    assert_eq!(cache_dir.text_span(12..20), span_of(text, "/tmp/x y"));
    let index_url = word(&script, 0, 3);
    assert_eq!(index_url.value, "--index-url=$URL");
    assert!(!index_url.is_literal);
    assert_eq!(index_url.text_span(12..16), span_of(text, "$URL"));
}

#[test]
fn escapes_resolve_and_map_to_the_escape() {
    let text = r#"touch a\ b "q\"x\y" \$HOME"#;
    let script = parse_script(text);
    assert_eq!(argvs(&script), [["touch", "a b", r#"q"x\y"#, "$HOME"]]);
    let spaced = word(&script, 0, 1);
    assert_eq!(spaced.span, span_of(text, r"a\ b"));
    assert_eq!(spaced.text_span(1..2), span_of(text, r"\ "));
    assert_eq!(spaced.text_span(0..3), span_of(text, r"a\ b"));
    // `\$` is a quoted dollar, not an expansion.
    assert!(word(&script, 0, 3).is_literal);
}

#[test]
fn ansi_c_strings_decode() {
    let text = r"printf $'a\tb\x41\u00e9'";
    let script = parse_script(text);
    let arg = word(&script, 0, 1);
    assert_eq!(arg.value, "a\tbAé");
    assert!(arg.is_literal);
    assert_eq!(arg.text_span(1..2), span_of(text, r"\t"));
    assert_eq!(arg.text_span(4..6), span_of(text, r"\u00e9"));
}

#[test]
fn connectors_between_commands() {
    let text = "a && b || c; d | e |& f & g\nh";
    let script = parse_script(text);
    assert_eq!(
        argvs(&script),
        [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"], ["h"]]
    );
    use Connector::*;
    assert_eq!(
        connectors(&script),
        [
            None,
            Some(AndAnd),
            Some(OrOr),
            Some(Semi),
            Some(Pipe),
            Some(Pipe),
            Some(Background),
            Some(Semi)
        ]
    );
}

#[test]
fn docker_joined_continuations() {
    let text = "apt-get update &&     apt-get install -y x     && rm -rf /var/lib/apt/lists/*";
    let script = parse_script(text);
    assert_eq!(
        argvs(&script),
        [
            vec!["apt-get", "update"],
            vec!["apt-get", "install", "-y", "x"],
            vec!["rm", "-rf", "/var/lib/apt/lists/*"]
        ]
    );
    assert_eq!(
        connectors(&script),
        [None, Some(Connector::AndAnd), Some(Connector::AndAnd)]
    );
    assert_eq!(
        script.commands[1].span,
        span_of(text, "apt-get install -y x")
    );
    assert_eq!(
        script.commands[2].span,
        span_of(text, "rm -rf /var/lib/apt/lists/*")
    );
    // Globs are literal.
    assert!(word(&script, 2, 2).is_literal);
}

#[test]
fn inline_assignments() {
    let text = r#"FOO=1 BAR="x y" EMPTY= pip install x"#;
    let script = parse_script(text);
    let command = &script.commands[0];
    assert_eq!(argvs(&script), [["pip", "install", "x"]]);
    assert_eq!(command.span, Span::new(0, text.len()));
    let names: Vec<&str> = command
        .assignments
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["FOO", "BAR", "EMPTY"]);
    let bar = &command.assignments[1];
    assert_eq!(bar.span, span_of(text, r#"BAR="x y""#));
    assert_eq!(bar.name_span, span_of(text, "BAR"));
    let bar_value = bar.value.as_ref().unwrap();
    assert_eq!(bar_value.value, "x y");
    assert_eq!(bar_value.span, span_of(text, r#""x y""#));
    let empty = command.assignments[2].value.as_ref().unwrap();
    assert_eq!(empty.value, "");
    assert_eq!(empty.span, Span::empty(span_of(text, "EMPTY=").end));
    assert!(!command.is_export());
}

#[test]
fn bare_assignments_are_commands_without_words() {
    let script = parse_script("A=1; B=2 C=3");
    assert_eq!(script.commands.len(), 2);
    assert!(script.commands.iter().all(|c| c.words.is_empty()));
    assert_eq!(script.commands[1].assignments.len(), 2);
    assert_eq!(script.commands[1].name(), None);
}

#[test]
fn export_then_command() {
    let text = "export PIP_NO_CACHE_DIR=1 && pip install x";
    let script = parse_script(text);
    assert_eq!(
        argvs(&script),
        [
            vec!["export", "PIP_NO_CACHE_DIR=1"],
            vec!["pip", "install", "x"]
        ]
    );
    let export = &script.commands[0];
    assert!(export.is_export());
    assert_eq!(export.span, span_of(text, "export PIP_NO_CACHE_DIR=1"));
    let declared = &export.assignments[0];
    assert_eq!(declared.name, "PIP_NO_CACHE_DIR");
    assert_eq!(declared.name_span, span_of(text, "PIP_NO_CACHE_DIR"));
    assert_eq!(declared.value.as_ref().unwrap().value, "1");
    assert_eq!(script.commands[1].connector_before, Some(Connector::AndAnd));
}

#[test]
fn export_forms() {
    let text = "export A=1 B; declare -x C=2; declare D=3; unset E; readonly F=4";
    let script = parse_script(text);
    let exports: Vec<bool> = script.commands.iter().map(|c| c.is_export()).collect();
    assert_eq!(exports, [true, true, false, false, false]);
    let bare = &script.commands[0].assignments[1];
    assert_eq!((bare.name.as_str(), bare.value.is_none()), ("B", true));
    let bare_start = span_of(text, " B;").start + 1;
    assert_eq!(bare.span, Span::new(bare_start, bare_start + 1));
    assert_eq!(bare.name_span, bare.span);
    assert_eq!(argvs(&script)[1], ["declare", "-x", "C=2"]);
    assert_eq!(argvs(&script)[3], ["unset", "E"]);
    assert!(script.commands[3].assignments.is_empty());
}

#[test]
fn subshells_and_groups() {
    let text = "(cd /x && make) && { a; b; }";
    let script = parse_script(text);
    assert_eq!(
        argvs(&script),
        [vec!["cd", "/x"], vec!["make"], vec!["a"], vec!["b"]]
    );
    let in_subshell: Vec<bool> = script
        .commands
        .iter()
        .map(|c| c.depth.in_subshell)
        .collect();
    assert_eq!(in_subshell, [true, true, false, false]);
    assert_eq!(script.commands[2].connector_before, Some(Connector::AndAnd));
    assert!(script.commands[2].depth.is_top_level());
}

#[test]
fn if_while_for_case_and_functions() {
    let text = "if [ -f x ]; then a; elif b; then c; else d; fi; \
                while e; do f; done; until g; do h; done; \
                for i in 1 2; do j; done; \
                case $k in x|y) l;; *) m;; esac; \
                fn() { n; }; o";
    let script = parse_script(text);
    let names: Vec<&str> = script.commands.iter().filter_map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            "[", "a", "b", "c", "d", "e", "f", "g", "h", "j", "l", "m", "n", "o"
        ]
    );
    let by_name = |name: &str| {
        script
            .commands
            .iter()
            .find(|c| c.name() == Some(name))
            .unwrap()
            .depth
    };
    for condition in ["[", "b", "e", "g"] {
        let depth = by_name(condition);
        assert!(
            depth.in_condition && !depth.in_loop_or_branch,
            "{condition}"
        );
    }
    for body in ["a", "c", "d", "f", "h", "j", "l", "m"] {
        let depth = by_name(body);
        assert!(depth.in_loop_or_branch && !depth.in_condition, "{body}");
    }
    assert!(by_name("n").in_function);
    assert!(by_name("o").is_top_level());
    assert_eq!(argvs(&script)[0], ["[", "-f", "x", "]"]);
}

#[test]
fn test_commands_are_commands() {
    let text = r#"[[ "$a" == b* ]] && rm x"#;
    let script = parse_script(text);
    assert_eq!(
        argvs(&script),
        [vec!["[[", "$a", "==", "b*", "]]"], vec!["rm", "x"]]
    );
    assert_eq!(
        script.commands[0].span,
        span_of(text, r#"[[ "$a" == b* ]]"#)
    );
    assert_eq!(script.commands[1].connector_before, Some(Connector::AndAnd));
}

#[test]
fn command_substitution() {
    let text = "VERSION=$(curl -s https://x | jq -r .v) && echo `date` && wget $(echo u)";
    let script = parse_script(text);
    assert_eq!(
        argvs(&script),
        [
            vec![],
            vec!["curl", "-s", "https://x"],
            vec!["jq", "-r", ".v"],
            vec!["echo", "`date`"],
            vec!["date"],
            vec!["wget", "$(echo u)"],
            vec!["echo", "u"],
        ]
    );
    let in_substitution: Vec<bool> = script
        .commands
        .iter()
        .map(|c| c.depth.in_command_substitution)
        .collect();
    assert_eq!(
        in_substitution,
        [false, true, true, false, true, false, true]
    );
    use Connector::*;
    assert_eq!(
        connectors(&script),
        [
            None,
            None,
            Some(Pipe),
            Some(AndAnd),
            None,
            Some(AndAnd),
            None
        ]
    );
    assert_eq!(script.commands[1].span, span_of(text, "curl -s https://x"));
    assert!(
        !script.commands[0].assignments[0]
            .value
            .as_ref()
            .unwrap()
            .is_literal
    );
}

#[test]
fn redirects_are_not_words() {
    let text = "make >/dev/null 2>&1 install";
    let script = parse_script(text);
    assert_eq!(argvs(&script), [["make", "install"]]);
    let command = &script.commands[0];
    assert_eq!(command.span, Span::new(0, text.len()));
    let operators: Vec<&str> = command
        .redirects
        .iter()
        .map(|r| r.operator.as_str())
        .collect();
    assert_eq!(operators, [">", ">&"]);
    assert_eq!(command.redirects[1].span, span_of(text, "2>&1"));
    assert_eq!(
        command.redirects[0].target.as_ref().unwrap().value,
        "/dev/null"
    );
}

#[test]
fn trailing_redirects_extend_the_command_span() {
    let text = "pip install x > /tmp/log 2>&1 && b";
    let script = parse_script(text);
    assert_eq!(
        script.commands[0].span,
        span_of(text, "pip install x > /tmp/log 2>&1")
    );
    assert_eq!(script.commands[0].redirects.len(), 2);
}

#[test]
fn heredoc_bodies_are_not_commands() {
    let text = "cat <<'EOF' > /etc/x.conf && echo done\nrm -rf /\n$(curl evil)\nEOF\nls";
    let script = parse_script(text);
    assert_eq!(
        argvs(&script),
        [vec!["cat"], vec!["echo", "done"], vec!["ls"]]
    );
    let cat = &script.commands[0];
    assert_eq!(cat.span, span_of(text, "cat <<'EOF' > /etc/x.conf"));
    assert_eq!(cat.redirects[0].operator, "<<");
    assert_eq!(cat.redirects[0].target.as_ref().unwrap().value, "EOF");
    assert_eq!(
        cat.redirects[0].heredoc_body.unwrap().text(text),
        "rm -rf /\n$(curl evil)\n"
    );
    assert_eq!(
        cat.redirects[1].target.as_ref().unwrap().value,
        "/etc/x.conf"
    );
    use Connector::*;
    assert_eq!(connectors(&script), [None, Some(AndAnd), Some(Semi)]);
}

#[test]
fn heredoc_piped_into_a_command() {
    let script = parse_script("cat <<EOF | sh\necho hi\nEOF\n");
    assert_eq!(argvs(&script), [vec!["cat"], vec!["sh"]]);
    assert_eq!(script.commands[1].connector_before, Some(Connector::Pipe));
}

#[test]
fn echo_arguments_are_plain_words() {
    let script = parse_script("echo pip install --no-cache-dir");
    assert_eq!(
        argvs(&script),
        [["echo", "pip", "install", "--no-cache-dir"]]
    );
}

#[test]
fn nested_single_quoted_script_maps_exactly() {
    let text = "sh -c 'pip install --no-cache-dir x' && true";
    let script = parse_script(text);
    assert_eq!(
        argvs(&script),
        [
            vec!["sh", "-c", "pip install --no-cache-dir x"],
            vec!["pip", "install", "--no-cache-dir", "x"],
            vec!["true"],
        ]
    );
    let nested = &script.commands[1];
    assert_eq!(nested.nested_from, Some(0));
    assert_eq!(nested.connector_before, None);
    assert_eq!(nested.span, span_of(text, "pip install --no-cache-dir x"));
    assert_eq!(word(&script, 1, 2).span, span_of(text, "--no-cache-dir"));
    assert_eq!(word(&script, 1, 2).text_span(2..4), span_of(text, "no"));
    assert_eq!(script.commands[2].nested_from, None);
    assert_eq!(script.commands[2].connector_before, Some(Connector::AndAnd));
}

#[test]
fn nested_double_quoted_script_maps_through_escapes() {
    let text = r#"bash -c "pip install \"a b\" --no-cache-dir""#;
    let script = parse_script(text);
    assert_eq!(
        argvs(&script)[1],
        ["pip", "install", "a b", "--no-cache-dir"]
    );
    let quoted = word(&script, 1, 2);
    assert_eq!(quoted.span, span_of(text, r#"\"a b\""#));
    assert_eq!(quoted.text_span(0..3), span_of(text, "a b"));
    assert_eq!(word(&script, 1, 3).span, span_of(text, "--no-cache-dir"));
    assert_eq!(
        script.commands[1].span,
        span_of(text, r#"pip install \"a b\" --no-cache-dir"#)
    );
}

#[test]
fn nested_exact_run_straddling_an_outer_escape() {
    // Inside the nested script `'x"y'` is one quoted run, written `'x\"y'` in the outer text.
    let text = r#"sh -c "echo 'x\"y'""#;
    let script = parse_script(text);
    let inner = word(&script, 1, 1);
    assert_eq!(inner.value, "x\"y");
    assert_eq!(inner.text_span(0..1), span_of(text, "x"));
    assert_eq!(inner.text_span(1..2), span_of(text, "\\\""));
    assert_eq!(inner.text_span(2..3).text(text), "y");
}

#[test]
fn nested_shell_variants() {
    let cases = [
        ("/bin/sh -ec 'a 1'", 2),
        ("bash -euxo pipefail -c 'a 1'", 4),
        ("dash -c 'a 1' name arg", 2),
        ("zsh --norc -c 'a 1'", 3),
        ("ash -c -- 'a 1'", 3),
        ("busybox sh -c 'a 1'", 3),
        ("exec sudo -u app env A=1 sh -c 'a 1'", 8),
        ("su -s /bin/sh -c 'a 1' app", 4),
        ("su app --command='a 1'", 2),
        ("gosu app bash -lc 'a 1'", 4),
    ];
    for (text, script_word) in cases {
        let script = parse_script(text);
        assert_eq!(script.commands.len(), 2, "{text}");
        let nested = &script.commands[1];
        assert_eq!(nested.nested_from, Some(0), "{text}");
        assert_eq!(argvs(&script)[1], ["a", "1"], "{text}");
        assert_eq!(nested.span, span_of(text, "a 1"), "{text}");
        let outer_word = word(&script, 0, script_word);
        assert!(outer_word.span.contains(nested.span), "{text}");
    }
    for not_nested in [
        "sh script.sh -c",
        "bash",
        "sh -c",
        "python -c 'a 1'",
        "echo sh -c 'a 1'",
    ] {
        let script = parse_script(not_nested);
        assert_eq!(script.commands.len(), 1, "{not_nested}");
    }
}

#[test]
fn doubly_nested_shells() {
    let text = r#"sh -c "bash -c 'apk add --no-cache x'""#;
    let script = parse_script(text);
    assert_eq!(script.commands.len(), 3);
    assert_eq!(script.commands[1].nested_from, Some(0));
    assert_eq!(script.commands[2].nested_from, Some(1));
    assert_eq!(word(&script, 2, 2).span, span_of(text, "--no-cache"));
}

#[test]
fn nested_script_with_expansion_in_double_quotes() {
    let text = r#"sh -c "pip install $PKG && rm -rf \$HOME/.cache""#;
    let script = parse_script(text);
    assert_eq!(
        argvs(&script)[1..],
        [
            vec!["pip", "install", "$PKG"],
            vec!["rm", "-rf", "$HOME/.cache"]
        ]
    );
    // `\$HOME` was escaped in the outer text, so the inner script expands it.
    let home = word(&script, 2, 2);
    assert!(!home.is_literal);
    assert_eq!(home.span, span_of(text, r"\$HOME/.cache"));
    assert_eq!(home.text_span(0..5), span_of(text, r"\$HOME"));
}

#[test]
fn syntax_errors_keep_recoverable_commands() {
    let text = "apt-get update && ) pip install x; fi; curl -o y z";
    let script = parse_script(text);
    assert!(script.has_errors);
    let names: Vec<&str> = script.commands.iter().filter_map(|c| c.name()).collect();
    assert!(names.contains(&"apt-get") && names.contains(&"pip") && names.contains(&"curl"));
    let curl = script
        .commands
        .iter()
        .find(|c| c.name() == Some("curl"))
        .unwrap();
    assert_eq!(curl.span, span_of(text, "curl -o y z"));

    let unterminated = parse_script("echo \"unterminated && pip install x");
    assert!(unterminated.has_errors);
    assert_eq!(unterminated.commands[0].name(), Some("echo"));
}

#[test]
fn never_panics_on_odd_input() {
    let inputs = [
        "\"",
        "'",
        "$(",
        "`",
        "${",
        "<<EOF",
        "sh -c",
        "sh -c '",
        "sh -c \"$(\"",
        "((((",
        "))))",
        "a=b=c=d",
        "\\",
        "$'\\",
        "$'\\x'",
        "case",
        "if then fi",
        "|| &&",
        ";;",
        "\u{feff}é ü",
        "cat <<-'E' > f; b\n\tE\n",
        "for ((i=0;i<3;i++)); do x; done",
        "sh -c 'sh -c \"sh -c\"'",
    ];
    for input in inputs {
        let script = parse_script(input);
        for command in &script.commands {
            assert!(command.span.end <= input.len(), "{input:?}");
            for word in &command.words {
                assert!(word.span.end <= input.len(), "{input:?}");
                let _ = word.text_span(0..word.value.len());
                let _ = word.text_span(0..word.value.len() + 10);
            }
        }
    }
}

/// Checks that every span of `script` lies on character boundaries of `text`.
fn assert_spans_valid(text: &str, script: &Script) {
    let valid = |span: Span| {
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end)
    };
    for command in &script.commands {
        assert!(valid(command.span), "{text:?}: {command:?}");
        let words = command
            .words
            .iter()
            .chain(command.assignments.iter().filter_map(|a| a.value.as_ref()));
        for word in words {
            assert!(valid(word.span), "{text:?}: {word:?}");
            for piece in &word.pieces {
                assert!(valid(piece.text), "{text:?}: {word:?}");
            }
            assert!(
                valid(word.text_span(0..word.value.len())),
                "{text:?}: {word:?}"
            );
            let second_char = word.value.chars().next().map_or(0, char::len_utf8);
            let past_end = second_char..word.value.len() + 5;
            assert!(valid(word.text_span(past_end)), "{text:?}: {word:?}");
        }
        for assignment in &command.assignments {
            assert!(valid(assignment.name_span), "{text:?}: {assignment:?}");
        }
    }
}

#[test]
fn random_input_gives_valid_spans() {
    const TOKENS: &[&str] = &[
        "'", "\"", "\\", "$", "(", ")", "{", "}", "`", " ", "\n", ";", "&", "|", "<", ">", "=",
        "a", "-", "c", "é", "€", "sh", " -c ", "EOF", "<<", "#", "[", "]", "x", "$'", "\\x4",
    ];
    // A fixed linear congruential generator: reproducible without extra dependencies.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    for _ in 0..3000 {
        let length = next(30);
        let text: String = (0..length).map(|_| TOKENS[next(TOKENS.len())]).collect();
        assert_spans_valid(&text, &parse_script(&text));
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let chain = "a && ".repeat(50_000) + "a";
    assert_eq!(parse_script(&chain).commands.len(), 50_001);
    let parens = "(".repeat(20_000) + "a" + &")".repeat(20_000);
    let script = parse_script(&parens);
    assert!(script.commands.len() <= 1);
}

#[test]
fn heredoc_shebangs() {
    for shell in [
        "",
        "echo hi\n",
        "#!/bin/sh\nx",
        "#!/bin/bash -e\n",
        "#!/usr/bin/env bash\n",
        "#!/usr/bin/env -S dash -e\n",
        "#! /bin/ash\n",
        "#!/bin/busybox sh\n",
        "#!/bin/zsh",
        " #!/usr/bin/python\n",
    ] {
        assert!(heredoc_is_shell(shell), "{shell:?}");
    }
    for other in [
        "#!/usr/bin/env python3\nprint(1)",
        "#!/usr/bin/python\n",
        "#!/usr/bin/node\n",
        "#!/usr/bin/perl -w\n",
        "#!/usr/bin/env ruby\n",
        "#!/bin/busybox awk\n",
    ] {
        assert!(!heredoc_is_shell(other), "{other:?}");
    }
}

#[test]
fn heredoc_script_body_parses_as_a_script() {
    let body = "#!/bin/sh\nset -e\napt-get update\napt-get install -y \\\n  curl\n";
    assert!(heredoc_is_shell(body));
    let script = parse_script(body);
    assert_eq!(
        argvs(&script),
        [
            vec!["set", "-e"],
            vec!["apt-get", "update"],
            vec!["apt-get", "install", "-y", "curl"]
        ]
    );
}

/// A script of about `bytes` bytes of chained installs.
fn big_script(bytes: usize) -> String {
    let unit = "apt-get install -y --no-install-recommends \"pkg\" $X && ";
    let mut text = unit.repeat(bytes / unit.len());
    text.push_str("true");
    text
}

/// A 1 MiB script is read whole: every chained command is found, as in a quarter of it.
/// (Its cost is measured by `bench/` and tests/pathological.rs's sizes, never timed in a test.)
#[test]
fn one_megabyte_script_is_read_whole() {
    let small = big_script(1 << 18);
    let large = big_script(1 << 20);
    let small_count = parse_script(&small).commands.len();
    let large_count = parse_script(&large).commands.len();
    assert_eq!(large_count, large.matches("&&").count() + 1);
    assert_eq!(small_count, small.matches("&&").count() + 1);
}

#[test]
fn cached_parse_is_the_parse_and_is_shared() {
    let cache = ScriptCache::new(CACHE_BUDGET);
    let text = "FOO=1 sh -c 'apk add x' && echo \"$FOO\" > /tmp/f";
    let first = cache.parse(text);
    assert_eq!(*first, parse_script(text));
    assert!(Arc::ptr_eq(&first, &cache.parse(text)));
    // Scripts past the size limit are parsed again each time, with the same result.
    let long = format!("echo {}", "x".repeat(CACHED_SCRIPT_MAX));
    let long_first = cache.parse(&long);
    assert_eq!(*long_first, parse_script(&long));
    assert!(!Arc::ptr_eq(&long_first, &cache.parse(&long)));
    // The process-wide cache gives the same parse.
    assert_eq!(*parse_script_cached(text), *first);
}

#[test]
fn cache_starts_over_past_its_budget() {
    let budget = 64 << 10;
    let cache = ScriptCache::new(budget);
    let texts: Vec<String> = (0..budget / 1000 + 2)
        .map(|i| format!("echo $(date) {i} {}", "x".repeat(1000)))
        .collect();
    let first = cache.parse(&texts[0]);
    for text in &texts[1..] {
        assert_eq!(*cache.parse(text), parse_script(text));
    }
    assert!(cache.text_bytes() <= budget);
    assert!(!Arc::ptr_eq(&first, &cache.parse(&texts[0])));
}

#[test]
fn one_cache_serves_every_thread() {
    let cache = ScriptCache::new(CACHE_BUDGET);
    let text = "apt-get update && V=$(cat /v) apt-get install -y curl";
    let here = cache.parse(text);
    let there = std::thread::scope(|s| s.spawn(|| cache.parse(text)).join().unwrap());
    assert!(Arc::ptr_eq(&here, &there));
}

#[test]
fn plain_scripts_are_read_again_not_cached() {
    let cache = ScriptCache::new(CACHE_BUDGET);
    let text = "apt-get update && apt-get install -y curl";
    let first = cache.parse(text);
    assert_eq!(*first, parse_script(text));
    assert!(!Arc::ptr_eq(&first, &cache.parse(text)));
    assert_eq!(cache.text_bytes(), 0);
}

#[test]
fn dockerfile_heredoc_lines_keep_their_redirects() {
    // Docker takes the bodies out of the line; alone the line is an unterminated heredoc.
    for (text, delimiter, redirects) in [
        (
            "cat <<EOF > /tmp/notes",
            "EOF",
            [("<<", "EOF"), (">", "/tmp/notes")],
        ),
        (
            "bash <<-'RUN' 2>/dev/null",
            "RUN",
            [("<<-", "RUN"), (">", "/dev/null")],
        ),
    ] {
        assert!(parse_script(text).has_errors, "{text:?}");
        let script = parse_command_line(text, &[delimiter]);
        assert!(!script.has_errors, "{text:?}");
        let [command] = &script.commands[..] else {
            panic!("{text:?}: {:?}", script.commands);
        };
        let found: Vec<(&str, &str)> = command
            .redirects
            .iter()
            .map(|r| {
                (
                    r.operator.as_str(),
                    r.target.as_ref().unwrap().value.as_str(),
                )
            })
            .collect();
        assert_eq!(found, redirects, "{text:?}");
        assert!(command.redirects.iter().all(|r| r.heredoc_body.is_none()));
        assert_eq!(command.span.text(text), text);
    }
}

/// tree-sitter-bash puts a redirect written after `a && b` or `a | b` around the whole list;
/// the shell applies it to the last command, and so does the walk.
#[test]
fn a_redirect_after_a_list_belongs_to_its_last_command() {
    for (text, owner) in [
        ("a && b >/dev/null", 1),
        ("a | b 2>&1", 1),
        ("a || b && c > log", 2),
        ("a && b | c >> log && d", 2),
    ] {
        let script = parse_script_with_tree_sitter(text);
        let with_redirects: Vec<usize> = (0..script.commands.len())
            .filter(|&i| !script.commands[i].redirects.is_empty())
            .collect();
        assert_eq!(with_redirects, [owner], "{text:?}: {:#?}", script.commands);
        let command = &script.commands[owner];
        assert!(
            command
                .span
                .text(text)
                .ends_with(command.redirects[0].span.text(text))
        );
    }
}

/// The plain reader answers only where it reads exactly as the full parser (see also the
/// corpus test in `tests/corpus.rs`).
#[test]
fn plain_reading_agrees_with_the_full_parser() {
    let accepted = [
        "apt-get update && apt-get install -y curl",
        "rm -rf /var/lib/apt/lists/* /tmp/?? ~/x a^b",
        "make -j4 install|tee log||true;echo done",
        "pip install --index-url=http://x:1/simple pkg==1.0 other==2",
        "go build -o /out/app ./cmd/app && ls -la",
        "  padded   words\t",
        "echo $HOME ${PATH}x \"a $B c\" 'd $e \"f' --opt=\"two words\" \"\" x''y",
        "pip install -r \"$APP_HOME/requirements.txt\" && cp a\"$B\"'c' d",
        "make >/dev/null 2>&1 && ls <in >>\"$LOG\" | tee x 1>&2; wc -l < 'f g'",
    ];
    let refused = [
        "",
        "a;",
        "&& a",
        "a & b",
        "a |& b",
        "A=1 make",
        "export A=1",
        "if true; then x; fi",
        "2 x",
        "echo $1",
        "echo $@",
        "echo $?",
        "echo $(date)",
        "echo ${A:-b}",
        "echo $'x'",
        "echo $\"y\"",
        "echo \"a\\\"b\"",
        "echo \"`date`\"",
        "echo a\\ b",
        "\"echo\" x",
        "$CMD x",
        "echo 1\"a\"",
        "echo \"unterminated",
        "sh -c make",
        "ls >&-",
        "ls 0>f",
        "ls 12>f",
        "ls a0>f",
        "ls - 2>f",
        "ls &>f",
        "ls > f arg",
        "ls <<EOF",
        "ls <<<x",
        "ls >(tee)",
        "> f",
        "a\nb",
        "echo {a,b}",
        "echo # comment",
        "a@ b",
        "a%b",
        "a+:",
        "- a@",
    ];
    for text in accepted {
        let (plain, full) = both_readings(text);
        assert_eq!(plain.as_ref(), Some(&full), "{text:?}");
    }
    for text in refused {
        assert_eq!(plain::parse(text), None, "{text:?}");
    }
}

proptest::proptest! {
    #[test]
    fn plain_reading_agrees_on_generated_scripts(
        text in "[a-z0-9_./:@%+,=*?~^ -]{0,6}([ ]?(&&|\\|\\||;|\\|)[ ]?[a-z0-9_./:@%+,=*?~^ -]{1,6}){0,4}|[aZ9_./:@%+,=*?~^ \t&|;-]{0,16}|[a-z]{1,3}( ([a-z0-9=_:.-]|\"([a-z ${}=:#!*]|\\$[A-Z_]{1,2}|\\$\\{[A-Z]\\})*\"|'[a-z $\"{}!*#]*'|\\$[A-Za-z_0-9]{1,2}|\\$\\{[A-Z0-9_]{1,2}\\}){1,4}){0,4}( ?(&&|\\|) ?[a-z]{1,3} [$a-z\"']{1,4}){0,2}|[a-z]{1,3}( [a-z0-9$-]{1,3}){0,2}( ?[0-9]?(>|>>|<|>&|<&|&>)[ ]?[a-z0-9$-]{1,3}){1,2}( ?(&&|\\|\\||;|\\|) ?[a-z]{1,3}( ?[0-9]?(>|<|>&) ?[a-z0-9-]{1,2})?){0,2}"
    ) {
        let (plain, full) = both_readings(&text);
        if let Some(plain) = plain {
            proptest::prop_assert_eq!(plain, full, "{:?}", text);
        }
    }
}

/// Scripts plain but for a few commands are read partly by tree-sitter (`mixed.rs`): the
/// result must be the full parser's, nested commands and `sh -c` scripts included.
#[test]
fn mixed_reading_agrees_with_the_full_parser() {
    let accepted = [
        "apt-get update && V=$(cat /v) make install && rm -rf /var/lib/apt/lists/*",
        "a b c && echo \"$(x && y)\" | tee f; d e f",
        "pip install x && if [ -f y ]; then z; fi && cleanup now",
        "wget -q u && { a; b; } && ( c && d ) && rm f",
        "one two && sh -c 'make && make install' && three four",
        "a b c d && for i in x y; do echo $i; done || b c d e f",
        "x=1 a && apt-get install -y curl wget && export P=/bin && rm -rf /var/lib/apt/lists/*",
        "set -eux; if [ -n \"$A\" ]; then apt-get update && apt-get install -y a b c; fi; rm -rf /x",
        "{ echo one; echo two three; } | tee /etc/f && ( cd /src && make all install ) && ls",
        "while read -r line; do echo \"$line\" >> /out/file; done < /in/list && cat /out/file",
        "set -eux; arch=\"$(dpkg --print-architecture)\"; case \"$arch\" in amd64|x86_64) url=a; echo amd64 here ;; (arm64) echo arm here; echo more ;; *) echo unsupported arch; exit 1 ;; esac; wget -O /tmp/x \"$url\"",
        "case $A in a) echo one two three ;; esac && echo four five six seven",
        "cd /src && ./configure --prefix=${PREFIX:-/usr} && make -j$(nproc) && make install && make clean",
        "make all 2>&1 && date && echo 'x && y' \\&\\& z && rm -rf /a /b/c /d/e/f /g",
        "make && ! grep -q x f && ls",
    ];
    for text in accepted {
        let (quick, full) = both_readings(text);
        assert!(plain::parse(text).is_none(), "{text:?} is plain");
        assert_eq!(quick.as_ref(), Some(&full), "{text:?}");
    }
    // Where the cut is uncertain, the whole script goes to tree-sitter.
    let refused = [
        "a b && c\nd",
        "a b && c # x && y",
        "a b && cat <<EOF",
        "a b c d e f && echo $(case x in y) z;; esac)",
        "a b && [[ x && y ]]",
        "a b && ((i++))",
        "a b && f() { x; }",
        "a b && echo `date` && c",
        "yek>1m || tub -\"\" | l 1n | ds&&v wx\\\\ | i 4 c -2>&1",
        "a b && echo $'a\\'b' && c",
        "a b && c & d e",
        "a b && c |& d",
        "a b && diff <(a) <(b)",
        "a b && if x; then y",
        "a b && fi",
        "a b && A=(1 2) && c",
        "a b && echo \"unterminated",
        "a b && ",
        "&& a b",
        // Not worth it: too little of the script is plain.
        "a && X=$(some long command substitution here) other $(and another one) && if x; then y; fi",
    ];
    for text in refused {
        assert_eq!(mixed::parse(text), None, "{text:?}");
    }
}

/// Scripts of plain and other commands joined by operators, for the mixed reader.
fn mixed_scripts() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let plain = "[a-z]{1,3}( [a-z0-9$'\"-]{1,3}){0,3}( ?[12]?(>|>>|>&)[a-z12]{1,2})?";
    let other = prop_oneof![
        "[A-Z]=[a-z$]{0,2} [a-z]{1,2}",
        "echo \\$\\([a-z]{1,2}( [a-z]{1,2})?( (&&|;|\\|) [a-z]{1,2})?\\)",
        "echo \"\\$\\([a-z]{1,2}( (&&|\\|) [a-z]{1,2})?\\)\"",
        "echo \\$\\{[A-Z]{1,2}(:-|#|%|/)[a-z/ ]{0,3}\\}",
        "if [a-z]{1,2}; then [a-z]{1,2}( (&&|;) [a-z]{1,2})?; (else [a-z]; )?fi",
        "case [a-z$]{1,2} in( \\(?[a-z*]{1,2}(\\|[a-z])?\\) ([a-z]{1,2}( (&&|;) [a-z]{1,2})?)? ?(;;|;&|;;&)){1,3} esac",
        "for [a-z] in [a-z ]{0,4}; do [a-z]{1,2}; done",
        "while [a-z]{1,2}; do [a-z]{1,2}; done",
        "\\{ [a-z]{1,2}; [a-z]{1,2}; \\}",
        "\\( [a-z]{1,2} (&&|\\|\\||;|\\|) [a-z]{1,2} \\)",
        "\\[ -[fd] [a-z]{1,2} \\]",
        "(sh|bash) -c '[a-z]{1,2}( (&&|;) [a-z]{1,2})?'",
        "export [A-Z]{1,2}=[a-z]{1,2}",
        "! [a-z]{1,2}",
        "echo `[a-z]{1,2}`",
        "echo [a-z]\\\\[&|;][a-z]",
        "[a-z]{1,2} [&|;()<>{}#\\\\$'\"` a-z]{1,6}",
    ];
    let command = prop_oneof![3 => plain.prop_map(String::from), 1 => other];
    let joint = prop_oneof![
        Just(" && "),
        Just(" || "),
        Just("; "),
        Just(" | "),
        Just("&&"),
        Just(";")
    ];
    (
        command.clone(),
        proptest::collection::vec((joint, command), 0..6),
    )
        .prop_map(|(first, rest)| {
            rest.into_iter()
                .fold(first, |mut script, (joint, command)| {
                    script.push_str(joint);
                    script.push_str(&command);
                    script
                })
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    #[test]
    fn mixed_reading_agrees_on_generated_scripts(text in mixed_scripts()) {
        let (quick, full) = both_readings(&text);
        if let Some(quick) = quick {
            proptest::prop_assert_eq!(quick, full, "{:?}", text);
        }
    }
}
