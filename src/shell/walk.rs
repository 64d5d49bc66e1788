//! Turns a tree-sitter-bash syntax tree into the flat list of simple commands.
//!
//! The traversal uses an explicit stack instead of recursion: tree-sitter nests `a && b && c`
//! as a left-leaning chain of `list` nodes, so a long script would otherwise overflow the
//! call stack.

use tree_sitter::{Node, TreeCursor};

use super::nested::nested_script;
use super::word::{ValueOrigin, Word, build_quoted_leaf, build_verbatim, build_word};
use super::{Assignment, Connector, Nesting, Redirect, SimpleCommand, parse_tree};
use crate::source::Span;

/// `sh -c "sh -c '...'"` chains deeper than this are left unparsed; each level needs its
/// own quoting, so real scripts stay far below it.
const MAX_NESTED_SHELLS: usize = 8;

/// Collects commands of one script text; nested `sh -c` scripts get their own walker.
pub(crate) struct Walker<'t> {
    text: &'t str,
    /// Maps spans of `text` to the caller's text when `text` is a nested script.
    origin: Option<ValueOrigin<'t>>,
    nested_level: usize,
    /// The output list, shared with nested walkers.
    commands: &'t mut Vec<SimpleCommand>,
    /// Set when this script or a nested one did not parse cleanly.
    pub has_errors: bool,
    sequence: Sequence,
}

/// What decides `connector_before` of the next command of the current command sequence.
#[derive(Clone, Copy, Default)]
struct Sequence {
    pending: Option<Connector>,
    seen_command: bool,
}

enum Task<'tree> {
    /// A node where statements may appear.
    Statement(Node<'tree>, Nesting),
    /// A node inside a word or expression: only command substitutions there run commands.
    Scan(Node<'tree>, Nesting),
    /// End of a command substitution: continue the enclosing sequence.
    RestoreSequence(Sequence),
    /// A list or pipeline whose last command gets the redirects of the
    /// `redirected_statement` (the second node) around it.
    RedirectedBody(Node<'tree>, Node<'tree>, Nesting),
    /// That last command.
    RedirectedCommand(Node<'tree>, Node<'tree>, Nesting),
}

impl<'t> Walker<'t> {
    pub fn new(
        text: &'t str,
        origin: Option<ValueOrigin<'t>>,
        nested_level: usize,
        commands: &'t mut Vec<SimpleCommand>,
    ) -> Self {
        Walker {
            text,
            origin,
            nested_level,
            commands,
            has_errors: false,
            sequence: Sequence::default(),
        }
    }

    /// Walks the whole tree of `self.text`, giving nested commands `depth`.
    pub fn walk(&mut self, root: Node, depth: Nesting) {
        self.has_errors |= root.has_error();
        let mut stack = vec![Task::Statement(root, depth)];
        while let Some(task) = stack.pop() {
            match task {
                Task::Statement(node, depth) => self.statement(node, depth, &mut stack),
                Task::Scan(node, depth) => scan(node, depth, &mut stack, &mut self.sequence),
                Task::RestoreSequence(sequence) => self.sequence = sequence,
                Task::RedirectedBody(body, statement, depth) => {
                    push_redirected_body(body, statement, depth, &mut stack)
                }
                Task::RedirectedCommand(command, statement, depth) => {
                    let redirects = redirects_of(statement);
                    self.simple_command(command, &redirects, depth, &mut stack);
                }
            }
        }
    }

    fn statement<'tree>(
        &mut self,
        node: Node<'tree>,
        depth: Nesting,
        stack: &mut Vec<Task<'tree>>,
    ) {
        if !node.is_named() {
            if let Some(connector) = connector(node.kind()) {
                self.sequence.pending = Some(connector);
            }
            return;
        }
        match node.kind() {
            kind if is_simple_command(kind) => self.simple_command(node, &[], depth, stack),
            "redirected_statement" => self.redirected_statement(node, depth, stack),
            "heredoc_redirect" => push_heredoc_followers(node, depth, stack),
            "subshell" => push_children(
                node,
                Nesting {
                    in_subshell: true,
                    ..depth
                },
                stack,
            ),
            "if_statement" | "elif_clause" => push_if_parts(node, depth, stack),
            "while_statement" => push_fields(node, depth, stack, |field| match field {
                "condition" => Some(Nesting {
                    in_condition: true,
                    ..depth
                }),
                _ => Some(in_body(depth)),
            }),
            "for_statement" | "c_style_for_statement" | "case_statement" => {
                push_fields(node, depth, stack, |field| {
                    (field == "body").then(|| in_body(depth))
                })
            }
            "else_clause" => push_children(node, in_body(depth), stack),
            "case_item" => push_case_item(node, in_body(depth), stack),
            "function_definition" => push_fields(node, depth, stack, |field| {
                (field == "body").then_some(Nesting {
                    in_function: true,
                    ..depth
                })
            }),
            "comment" | "heredoc_body" => {}
            kind if is_word_like(kind) => scan(node, depth, stack, &mut self.sequence),
            // Statement lists (program, list, pipeline, `{ }`, do_group, negation, error
            // recovery nodes): their statements and connectors in order.
            _ => push_children(node, depth, stack),
        }
    }

    fn redirected_statement<'tree>(
        &mut self,
        node: Node<'tree>,
        depth: Nesting,
        stack: &mut Vec<Task<'tree>>,
    ) {
        let body = node.child_by_field_name("body");
        let redirects = redirects_of(node);
        match body.filter(|body| is_simple_command(body.kind())) {
            Some(command) => self.simple_command(command, &redirects, depth, stack),
            // tree-sitter-bash puts the redirect after `a && b` or `a | b` around the whole
            // list, where the shell applies it to the last command alone.
            None if body.is_some_and(|body| last_command(body).is_some()) => {
                stack.push(Task::RedirectedBody(body.expect("checked"), node, depth));
            }
            None => {
                // A compound statement with redirects: the redirects run nothing themselves,
                // except for commands chained after a heredoc (`cat <<EOF && next`).
                for &redirect in redirects.iter().rev() {
                    push_redirect_followers(redirect, depth, stack);
                }
                for &redirect in redirects.iter().rev() {
                    push_redirect_scans(redirect, depth, stack);
                }
                if let Some(body) = body {
                    stack.push(Task::Statement(body, depth));
                }
            }
        }
    }

    /// Emits one simple command; `extra_redirects` come from an enclosing
    /// `redirected_statement`.
    fn simple_command<'tree>(
        &mut self,
        node: Node<'tree>,
        extra_redirects: &[Node<'tree>],
        depth: Nesting,
        stack: &mut Vec<Task<'tree>>,
    ) {
        let mut command = SimpleCommand {
            span: node_span(node),
            assignments: Vec::new(),
            words: Vec::new(),
            redirects: Vec::new(),
            connector_before: None,
            depth,
            nested_from: None,
        };
        match node.kind() {
            "command" => self.fill_command(node, &mut command),
            "declaration_command" | "unset_command" => self.fill_declaration(node, &mut command),
            "test_command" => self.fill_test(node, &mut command),
            "variable_assignment" => command.assignments.push(self.assignment(node)),
            _ => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    command.assignments.push(self.assignment(child));
                }
            }
        }
        for &redirect in extra_redirects {
            self.add_redirect(redirect, &mut command.redirects, &mut command.words);
            command.span = command.span.cover(command_extent(redirect));
        }
        command.span = self.map_span(command.span);
        command.connector_before = self.take_connector();

        let index = self.commands.len();
        self.commands.push(command);
        self.parse_nested_shell(index);

        // Commands that follow a heredoc operator come after this one's substitutions.
        for &redirect in extra_redirects.iter().rev() {
            push_redirect_followers(redirect, depth, stack);
        }
        for &redirect in extra_redirects.iter().rev() {
            push_redirect_scans(redirect, depth, stack);
        }
        if may_run_commands(child_text(node, self.text)) {
            stack.push(Task::Scan(node, depth));
        }
    }

    fn fill_command(&self, node: Node, command: &mut SimpleCommand) {
        // Nearly every child is a word: one allocation of the right size instead of doubling.
        command.words.reserve_exact(node.named_child_count());
        let mut cursor = node.walk();
        for_each_child(&mut cursor, |field, child| match field {
            Some("name" | "argument") => command.words.push(self.word(child)),
            Some("redirect") => {
                self.add_redirect(child, &mut command.redirects, &mut command.words)
            }
            _ if child.kind() == "variable_assignment" => {
                command.assignments.push(self.assignment(child))
            }
            _ => {}
        });
    }

    /// `export A=1 B`, `declare -x C`, `unset D`: argv in `words`, declared variables in
    /// `assignments` (`value: None` for a bare name).
    fn fill_declaration(&self, node: Node, command: &mut SimpleCommand) {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if !child.is_named() {
                command.words.push(self.verbatim(node_span(child)));
                continue;
            }
            match child.kind() {
                "comment" => continue,
                "variable_assignment" => command.assignments.push(self.assignment(child)),
                "variable_name" if node.kind() == "declaration_command" => {
                    let span = self.map_span(node_span(child));
                    command.assignments.push(Assignment {
                        span,
                        name: child_text(child, self.text).to_owned(),
                        name_span: span,
                        value: None,
                    });
                }
                _ => {}
            }
            command.words.push(self.word(child));
        }
    }

    /// `[ -f x ]` and `[[ $a == b ]]` as the argv the shell would see.
    fn fill_test(&self, node: Node, command: &mut SimpleCommand) {
        let mut cursor = node.walk();
        let mut pending: Vec<Node> = node.children(&mut cursor).collect();
        pending.reverse();
        while let Some(current) = pending.pop() {
            if matches!(
                current.kind(),
                "binary_expression"
                    | "unary_expression"
                    | "parenthesized_expression"
                    | "postfix_expression"
                    | "ternary_expression"
            ) {
                let start = pending.len();
                pending.extend(current.children(&mut cursor));
                pending[start..].reverse();
            } else if current.is_named() {
                command.words.push(self.word(current));
            } else {
                command.words.push(self.verbatim(node_span(current)));
            }
        }
    }

    fn assignment(&self, node: Node) -> Assignment {
        let name_node = node.child_by_field_name("name").unwrap_or(node);
        let name_span = node_span(name_node);
        let value = match node.child_by_field_name("value") {
            Some(value) => self.word(value),
            None => {
                // `FOO=` assigns the empty string.
                let after_operator = node.child(1).map_or(node.end_byte(), |op| op.end_byte());
                self.verbatim(Span::empty(after_operator))
            }
        };
        Assignment {
            span: self.map_span(node_span(node)),
            name: child_text(name_node, self.text).to_owned(),
            name_span: self.map_span(name_span),
            value: Some(value),
        }
    }

    /// Adds the redirect `node`, then the file redirects written after a heredoc operator
    /// (`cat <<EOF > file`), which tree-sitter-bash nests inside the heredoc redirect.
    /// tree-sitter-bash also files the arguments after a redirect (`make >log install`)
    /// as further destinations of it; those go to `words`.
    fn add_redirect(&self, node: Node, redirects: &mut Vec<Redirect>, words: &mut Vec<Word>) {
        let mut operator = String::new();
        let mut target = None;
        let mut heredoc_body = None;
        let mut inner_redirects = Vec::new();
        let is_herestring = node.kind() == "herestring_redirect";
        let mut cursor = node.walk();
        for_each_child(&mut cursor, |field, child| match (field, child.kind()) {
            (Some("redirect"), _) => inner_redirects.push(child),
            (_, "heredoc_start") => {
                target = Some(self.map_word(build_quoted_leaf(node_span(child), self.text)))
            }
            (_, "heredoc_body") => heredoc_body = Some(self.map_span(node_span(child))),
            (Some("destination"), _) if target.is_some() => words.push(self.word(child)),
            (Some("destination"), _) => target = Some(self.word(child)),
            (None, _) if is_herestring && child.is_named() && target.is_none() => {
                target = Some(self.word(child))
            }
            (None, _) if !child.is_named() && operator.is_empty() => {
                operator = child.kind().to_owned()
            }
            _ => {}
        });
        redirects.push(Redirect {
            span: self.map_span(redirect_span(node)),
            operator,
            target,
            heredoc_body,
        });
        for inner in inner_redirects {
            self.add_redirect(inner, redirects, words);
        }
    }

    fn take_connector(&mut self) -> Option<Connector> {
        let connector = self
            .sequence
            .pending
            .take()
            .or(self.sequence.seen_command.then_some(Connector::Semi));
        self.sequence.seen_command = true;
        connector
    }

    /// If `commands[index]` is `sh -c SCRIPT` or alike, appends SCRIPT's commands.
    fn parse_nested_shell(&mut self, index: usize) {
        if self.nested_level >= MAX_NESTED_SHELLS {
            return;
        }
        let Some((word_index, value_offset)) = nested_script(&self.commands[index].words) else {
            return;
        };
        // The nested walker borrows the word while appending to the same list, so it works
        // on a copy.
        let script_word = self.commands[index].words[word_index].clone();
        let script = &script_word.value[value_offset..];
        let Some(tree) = parse_tree(script) else {
            return;
        };
        let depth = self.commands[index].depth;
        let first_nested = self.commands.len();
        let mut nested = Walker::new(
            script,
            Some(ValueOrigin {
                word: &script_word,
                value_offset,
            }),
            self.nested_level + 1,
            self.commands,
        );
        nested.walk(tree.root_node(), depth);
        self.has_errors |= nested.has_errors;
        for command in &mut self.commands[first_nested..] {
            command.nested_from.get_or_insert(index);
        }
    }

    fn word(&self, node: Node) -> Word {
        self.map_word(build_word(node, self.text))
    }

    fn verbatim(&self, span: Span) -> Word {
        self.map_word(build_verbatim(span, self.text))
    }

    fn map_word(&self, word: Word) -> Word {
        match &self.origin {
            Some(origin) => origin.word(word),
            None => word,
        }
    }

    fn map_span(&self, span: Span) -> Span {
        match &self.origin {
            Some(origin) => origin.span(span),
            None => span,
        }
    }
}

/// The simple command that ends the list or pipeline `body`, following last statements down.
fn last_command(body: Node) -> Option<Node> {
    let mut node = body;
    while matches!(node.kind(), "list" | "pipeline") {
        node = last_statement(node)?;
    }
    (node != body && is_simple_command(node.kind())).then_some(node)
}

/// The last named child that is not a comment.
fn last_statement(node: Node) -> Option<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|child| child.kind() != "comment")
        .last()
}

/// Pushes the children of a list or pipeline in source order; the last statement carries the
/// redirects of `statement` (see [`Task::RedirectedBody`]).
fn push_redirected_body<'tree>(
    body: Node<'tree>,
    statement: Node<'tree>,
    depth: Nesting,
    stack: &mut Vec<Task<'tree>>,
) {
    let last = last_statement(body);
    let start = stack.len();
    let mut cursor = body.walk();
    for child in body.children(&mut cursor) {
        stack.push(match child {
            child if Some(child) != last => Task::Statement(child, depth),
            child if matches!(child.kind(), "list" | "pipeline") => {
                Task::RedirectedBody(child, statement, depth)
            }
            child => Task::RedirectedCommand(child, statement, depth),
        });
    }
    stack[start..].reverse();
}

/// The redirects of a `redirected_statement`.
fn redirects_of(statement: Node) -> Vec<Node> {
    let mut redirects = Vec::new();
    let mut cursor = statement.walk();
    for_each_child(&mut cursor, |field, child| {
        if field != Some("body") && child.kind().ends_with("_redirect") {
            redirects.push(child);
        }
    });
    redirects
}

fn connector(token: &str) -> Option<Connector> {
    Some(match token {
        "&&" => Connector::AndAnd,
        "||" => Connector::OrOr,
        ";" | ";;" | ";&" | ";;&" | "\n" => Connector::Semi,
        "|" | "|&" => Connector::Pipe,
        "&" => Connector::Background,
        _ => return None,
    })
}

fn in_body(depth: Nesting) -> Nesting {
    Nesting {
        in_loop_or_branch: true,
        ..depth
    }
}

fn is_simple_command(kind: &str) -> bool {
    matches!(
        kind,
        "command"
            | "declaration_command"
            | "unset_command"
            | "test_command"
            | "variable_assignment"
            | "variable_assignments"
    )
}

/// Nodes that are words or expressions, never statements.
fn is_word_like(kind: &str) -> bool {
    matches!(
        kind,
        "word"
            | "string"
            | "raw_string"
            | "ansi_c_string"
            | "translated_string"
            | "concatenation"
            | "number"
            | "simple_expansion"
            | "expansion"
            | "command_substitution"
            | "process_substitution"
            | "arithmetic_expansion"
            | "binary_expression"
            | "unary_expression"
            | "postfix_expression"
            | "parenthesized_expression"
            | "ternary_expression"
            | "variable_name"
            | "file_redirect"
            | "herestring_redirect"
    )
}

/// Finds the commands that run inside a word: those of `$(..)`, `` `..` `` and `<(..)`.
fn scan<'tree>(
    node: Node<'tree>,
    depth: Nesting,
    stack: &mut Vec<Task<'tree>>,
    sequence: &mut Sequence,
) {
    match node.kind() {
        "command_substitution" | "process_substitution" => {
            // A substitution is a command sequence of its own.
            stack.push(Task::RestoreSequence(*sequence));
            *sequence = Sequence::default();
            push_children(
                node,
                Nesting {
                    in_command_substitution: true,
                    ..depth
                },
                stack,
            );
        }
        // A heredoc body is data for the command, not commands.
        "heredoc_body" => {}
        _ => {
            let start = stack.len();
            let mut cursor = node.walk();
            stack.extend(
                node.named_children(&mut cursor)
                    .map(|child| Task::Scan(child, depth)),
            );
            stack[start..].reverse();
        }
    }
}

/// Whether a command's text can hold `$(..)`, `` `..` `` or `<(..)`: each needs a `(` or a
/// backquote, and most commands have neither, so their words need no scan.
fn may_run_commands(text: &str) -> bool {
    text.bytes().any(|b| b == b'(' || b == b'`')
}

fn push_children<'tree>(node: Node<'tree>, depth: Nesting, stack: &mut Vec<Task<'tree>>) {
    let start = stack.len();
    let mut cursor = node.walk();
    stack.extend(
        node.children(&mut cursor)
            .map(|child| Task::Statement(child, depth)),
    );
    stack[start..].reverse();
}

/// Pushes the children in source order: a field child gets the nesting `depth_for(field)`
/// gives, or is only scanned for substitutions when it gives none (loop variables, values);
/// keywords and separators such as the `;` before `do` keep `depth`.
fn push_fields<'tree>(
    node: Node<'tree>,
    depth: Nesting,
    stack: &mut Vec<Task<'tree>>,
    depth_for: impl Fn(&str) -> Option<Nesting>,
) {
    let start = stack.len();
    let mut cursor = node.walk();
    for_each_child(&mut cursor, |field, child| {
        stack.push(match field.map(|field| (field, depth_for(field))) {
            Some((_, Some(field_depth))) => Task::Statement(child, field_depth),
            Some((_, None)) => Task::Scan(child, depth),
            None => Task::Statement(child, depth),
        })
    });
    stack[start..].reverse();
}

/// `if`/`elif`: statements before `then` are the condition, the rest the branch body.
fn push_if_parts<'tree>(node: Node<'tree>, depth: Nesting, stack: &mut Vec<Task<'tree>>) {
    let start = stack.len();
    let mut seen_then = false;
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        seen_then |= child.kind() == "then";
        let child_depth = match child.kind() {
            "elif_clause" => depth,
            _ if seen_then => in_body(depth),
            _ => Nesting {
                in_condition: true,
                ..depth
            },
        };
        stack.push(Task::Statement(child, child_depth));
    }
    stack[start..].reverse();
}

/// `a|b) cmd;;`: patterns are scanned, the statements after `)` walked.
fn push_case_item<'tree>(node: Node<'tree>, depth: Nesting, stack: &mut Vec<Task<'tree>>) {
    let start = stack.len();
    let mut in_statements = false;
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if in_statements {
            stack.push(Task::Statement(child, depth));
        } else if child.kind() == ")" {
            in_statements = true;
        } else if child.is_named() {
            stack.push(Task::Scan(child, depth));
        }
    }
    stack[start..].reverse();
}

/// Commands chained onto a heredoc operator (`cat <<EOF | sh`, `cat <<EOF && next`), which
/// tree-sitter-bash places inside the `heredoc_redirect` node.
fn push_redirect_followers<'tree>(
    redirect: Node<'tree>,
    depth: Nesting,
    stack: &mut Vec<Task<'tree>>,
) {
    if redirect.kind() == "heredoc_redirect" {
        stack.push(Task::Statement(redirect, depth));
    }
}

fn push_heredoc_followers<'tree>(node: Node<'tree>, depth: Nesting, stack: &mut Vec<Task<'tree>>) {
    let start = stack.len();
    let mut cursor = node.walk();
    for_each_child(&mut cursor, |field, child| {
        let is_redirect_part = matches!(field, Some("redirect" | "descriptor"))
            || matches!(
                child.kind(),
                "heredoc_start" | "heredoc_body" | "heredoc_end" | "<<" | "<<-"
            );
        if !is_redirect_part {
            stack.push(Task::Statement(child, depth));
        }
    });
    stack[start..].reverse();
}

/// Scans the parts of a redirect that belong to it (not the commands chained after a heredoc).
fn push_redirect_scans<'tree>(redirect: Node<'tree>, depth: Nesting, stack: &mut Vec<Task<'tree>>) {
    if redirect.kind() != "heredoc_redirect" {
        stack.push(Task::Scan(redirect, depth));
        return;
    }
    let mut cursor = redirect.walk();
    for_each_child(&mut cursor, |field, child| {
        if field == Some("redirect") {
            stack.push(Task::Scan(child, depth));
        }
    });
}

/// The extent of a redirect itself: up to its first destination (later ones are command
/// arguments); for a heredoc, `<<EOF` and its file redirects, not the body nor the commands
/// chained after it.
fn redirect_span(node: Node) -> Span {
    let is_heredoc = node.kind() == "heredoc_redirect";
    let mut end = node.start_byte();
    let mut seen_destination = false;
    let mut cursor = node.walk();
    for_each_child(&mut cursor, |field, child| {
        let belongs = match field {
            Some("destination") => !std::mem::replace(&mut seen_destination, true),
            Some("redirect" | "descriptor") => true,
            _ => !is_heredoc || matches!(child.kind(), "heredoc_start" | "<<" | "<<-"),
        };
        if belongs {
            end = end.max(child.end_byte());
        }
    });
    Span::new(node.start_byte(), end)
}

/// How far a redirect extends its command: all of it, including the arguments filed under
/// it, except a heredoc's body and chained commands.
fn command_extent(redirect: Node) -> Span {
    if redirect.kind() == "heredoc_redirect" {
        redirect_span(redirect)
    } else {
        node_span(redirect)
    }
}

/// Calls `visit(field name, child)` for each child in order.
fn for_each_child<'tree>(
    cursor: &mut TreeCursor<'tree>,
    mut visit: impl FnMut(Option<&'static str>, Node<'tree>),
) {
    if !cursor.goto_first_child() {
        return;
    }
    loop {
        visit(cursor.field_name(), cursor.node());
        if !cursor.goto_next_sibling() {
            break;
        }
    }
    cursor.goto_parent();
}

fn node_span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

fn child_text<'t>(node: Node, text: &'t str) -> &'t str {
    &text[node.start_byte()..node.end_byte()]
}
