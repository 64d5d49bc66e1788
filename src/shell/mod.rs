//! A typed view of the shell commands in a `RUN` instruction.
//!
//! [`parse_script`] takes one script text (a Docker logical line with its continuations
//! already joined, or a heredoc body) and returns every simple command in it, in source
//! order, with spans that are byte offsets into that same text.
//!
//! What counts as a simple command:
//! - `FOO=1 pip install x >/dev/null`: `assignments` is the inline environment, `words` the
//!   argv, `redirects` the redirections.
//! - A bare assignment `FOO=1` is a command with no words.
//! - `export A=1 B`, `declare -x C=1`, `readonly`, `local`, `typeset`: `words` is the full
//!   argv (`["export", "A=1", "B"]`) and `assignments` the declared variables (`B` with
//!   `value: None`); see [`SimpleCommand::is_export`]. `unset A` keeps `A` in `words` only.
//! - `[ -f x ]` and `[[ $a == b ]]`: words are the brackets, operators and operands.
//! - Commands inside `( )`, `{ }`, `if`/`while`/`until`/`for`/`case`, function bodies and
//!   `$(..)`/`` `..` ``/`<(..)` all appear, flagged in [`SimpleCommand::depth`].
//! - The script of `sh -c '...'` (and alike, see [`SimpleCommand::nested_from`]) is parsed
//!   too; its commands follow the `sh` command, with spans in the outer text.
//!
//! Not commands: heredoc bodies inside the script (`cat <<EOF ... EOF` is data, even when it
//! contains `$(..)`), arithmetic `(( ))`, a redirect with no command (`> file`).

mod mixed;
mod nested;
mod plain;
mod walk;
mod word;

#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use tree_sitter::{Parser, Tree};

use crate::source::Span;

pub use nested::heredoc_is_shell;
pub use word::{ValuePiece, Word};

/// The commands of one script text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    /// Every simple command, in source order; a nested `sh -c` script's commands directly
    /// follow the command that runs it.
    pub commands: Vec<SimpleCommand>,
    /// The script (or a nested one) had syntax errors; `commands` holds what could be
    /// recovered.
    pub has_errors: bool,
}

/// One simple command: optional inline assignments, argv words and redirections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    /// The whole command including its inline assignments and redirects (for a heredoc,
    /// up to the delimiter word, not the body).
    pub span: Span,
    /// Inline environment (`FOO=1 BAR=x pip install`), or the variables an `export`-like
    /// command declares.
    pub assignments: Vec<Assignment>,
    /// The argv: `words[0]` is the command name. Empty for a bare assignment.
    pub words: Vec<Word>,
    /// Redirections in source order; a heredoc's file redirects follow it.
    pub redirects: Vec<Redirect>,
    /// How this command is joined to the command before it in the same sequence. `None` for
    /// the first command of a script, of a `$(..)`, and of a nested `sh -c` script. A newline
    /// or a keyword (`then`, `do`) counts as [`Connector::Semi`].
    pub connector_before: Option<Connector>,
    /// The constructs this command sits in.
    pub depth: Nesting,
    /// For commands parsed from the script of `sh -c '...'`, `su -c`, `bash -ec "..."`, ...:
    /// the index in [`Script::commands`] of that command. Such commands run in a child
    /// shell, so their `export`s and `cd`s do not affect later commands; `depth` is inherited
    /// from the outer command.
    pub nested_from: Option<usize>,
}

impl SimpleCommand {
    /// Calls `f` on every span of the command, its words' pieces included.
    pub(crate) fn for_each_span_mut(&mut self, f: &mut dyn FnMut(&mut Span)) {
        fn word(w: &mut Word, f: &mut dyn FnMut(&mut Span)) {
            f(&mut w.span);
            for piece in &mut w.pieces {
                f(&mut piece.text);
            }
        }
        f(&mut self.span);
        for a in &mut self.assignments {
            f(&mut a.span);
            f(&mut a.name_span);
            if let Some(value) = &mut a.value {
                word(value, f);
            }
        }
        for w in &mut self.words {
            word(w, f);
        }
        for r in &mut self.redirects {
            f(&mut r.span);
            if let Some(target) = &mut r.target {
                word(target, f);
            }
            if let Some(body) = &mut r.heredoc_body {
                f(body);
            }
        }
    }

    /// The command name as the shell sees it (before expansion), if any.
    pub fn name(&self) -> Option<&str> {
        self.words.first().map(|word| word.value.as_str())
    }

    /// The arguments after the command name.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or_default()
    }

    /// Whether this command exports its `assignments` to later commands: `export ...`, or
    /// `declare`/`typeset` with `-x` in a flag cluster.
    pub fn is_export(&self) -> bool {
        match self.name() {
            Some("export") => true,
            Some("declare" | "typeset") => self.args().iter().any(|arg| {
                arg.value
                    .strip_prefix('-')
                    .is_some_and(|flags| flags.contains('x'))
            }),
            _ => false,
        }
    }
}

/// How a command is joined to the previous one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Connector {
    /// `a && b`
    AndAnd,
    /// `a || b`
    OrOr,
    /// `a; b`, a newline, or a keyword between them.
    Semi,
    /// `a | b` or `a |& b`
    Pipe,
    /// `a & b`
    Background,
}

/// The constructs enclosing a command; several can hold at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Nesting {
    /// Inside `( ... )`.
    pub in_subshell: bool,
    /// In the condition of `if`, `elif`, `while` or `until`.
    pub in_condition: bool,
    /// In the body of a loop or a branch of `if`/`case`: may run zero or many times.
    pub in_loop_or_branch: bool,
    /// In a function body: runs only if the function is called.
    pub in_function: bool,
    /// Inside `$( ... )`, `` `...` `` or `<( ... )`.
    pub in_command_substitution: bool,
}

impl Nesting {
    /// True when the command runs unconditionally in the main shell, as far as nesting goes
    /// (`&&`/`||` chains are told by [`SimpleCommand::connector_before`]).
    pub fn is_top_level(&self) -> bool {
        *self == Nesting::default()
    }
}

/// `NAME=value`, inline or declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The whole `NAME=value`.
    pub span: Span,
    /// The variable name as written (`arr[0]` for an array element).
    pub name: String,
    pub name_span: Span,
    /// The value; `FOO=` gives an empty word. `None` only for a declared bare name
    /// (`export FOO`).
    pub value: Option<Word>,
}

/// A redirection such as `>/dev/null`, `2>&1`, `<<EOF` or `<<<"$x"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The redirect including its file descriptor; for a heredoc only `<<EOF`.
    pub span: Span,
    /// The operator as written: `>`, `>>`, `>&`, `&>`, `<`, `<<`, `<<-`, `<<<`, ...
    pub operator: String,
    /// The file, descriptor, herestring or heredoc delimiter (quotes removed).
    pub target: Option<Word>,
    /// For a heredoc, the body lines (without the closing delimiter); `None` for the
    /// heredocs of a Dockerfile RUN line (see [`parse_command_line`]).
    pub heredoc_body: Option<Span>,
}

thread_local! {
    // Creating a parser allocates; scripts are parsed by the thousand, so reuse one per thread.
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    use_mimalloc_for_tree_sitter();
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .expect("tree-sitter-bash is built against a compatible tree-sitter");
    parser
}

/// Points tree-sitter's C allocations at mimalloc, the crate's global allocator, once and
/// before the first parser exists: nothing tree-sitter allocated with the system allocator
/// may be freed by mimalloc, and every tree-sitter object here comes from a parser made by
/// [`new_parser`].
fn use_mimalloc_for_tree_sitter() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: runs once, before any tree-sitter allocation in this process (all of them
        // go through a parser made here), so every block is freed by the allocator that
        // made it.
        unsafe {
            tree_sitter::set_allocator(
                Some(libmimalloc_sys::mi_malloc),
                Some(libmimalloc_sys::mi_calloc),
                Some(libmimalloc_sys::mi_realloc),
                Some(libmimalloc_sys::mi_free),
            );
        }
    });
}

/// Parses `text`; `None` only if tree-sitter gives up (it does not for plain input).
fn parse_tree(text: &str) -> Option<Tree> {
    PARSER.with(|parser| parser.borrow_mut().parse(text, None))
}

/// Scripts longer than this are parsed every time: caching them would take memory for
/// scripts that rarely repeat.
const CACHED_SCRIPT_MAX: usize = 16 << 10;
/// Script text the process-wide cache holds at most before it starts over.
const CACHE_BUDGET: usize = 512 << 10;

/// Recently parsed scripts by their text. Dockerfiles of one project often repeat RUN scripts
/// verbatim (a stage per variant, images generated from one template), and files are linted
/// in path order, so the repeats come close together: a small cache of recent scripts saves
/// their parses. One cache serves every thread: with a cache per thread, a project's files
/// were split between the threads and each saw only part of the repeats.
pub(crate) struct ScriptCache {
    budget: usize,
    state: Mutex<CachedScripts>,
}

#[derive(Default)]
struct CachedScripts {
    scripts: HashMap<Box<str>, Arc<Script>>,
    text_bytes: usize,
}

impl ScriptCache {
    pub(crate) fn new(budget: usize) -> ScriptCache {
        ScriptCache {
            budget,
            state: Mutex::new(CachedScripts::default()),
        }
    }

    /// The parse of `text`, shared with an earlier parse of the same text (the result
    /// depends on the text alone). Parsing happens outside the lock.
    pub(crate) fn parse(&self, text: &str) -> Arc<Script> {
        if text.len() > CACHED_SCRIPT_MAX {
            return Arc::new(parse_script(text));
        }
        // A plain script is read again about as fast as a cached reading is copied, and a
        // reading no cache shares is moved into the file without a copy (`analysis::runs`).
        if let Some(script) = plain::parse(text) {
            return Arc::new(script);
        }
        if let Some(script) = self.lock().scripts.get(text) {
            return Arc::clone(script);
        }
        let script = Arc::new(parse_script(text));
        let mut state = self.lock();
        if state.text_bytes + text.len() > self.budget {
            *state = CachedScripts::default();
        }
        if !state.scripts.contains_key(text) {
            state.text_bytes += text.len();
            state.scripts.insert(text.into(), Arc::clone(&script));
        }
        script
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CachedScripts> {
        // A panic while holding the lock leaves a consistent map: go on using it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    fn text_bytes(&self) -> usize {
        self.lock().text_bytes
    }
}

static SCRIPTS: LazyLock<ScriptCache> = LazyLock::new(|| ScriptCache::new(CACHE_BUDGET));

/// [`parse_script`], shared with earlier parses of the same text in this process.
pub fn parse_script_cached(text: &str) -> Arc<Script> {
    SCRIPTS.parse(text)
}

/// Parses the command line of a RUN whose heredoc bodies Docker takes out of the script
/// (`RUN bash <<EOF`, `RUN cat <<EOF > /f`): `delimiters` are its heredocs' names in order.
/// Alone, `bash <<EOF` is an unterminated heredoc to the shell parser, which then drops the
/// redirects, marks the script as broken and spends its error recovery on every such line;
/// so each heredoc is closed right after the line, with an empty body. The redirects keep
/// their operator and delimiter; `heredoc_body` is `None` (the body is the Dockerfile
/// heredoc's).
pub fn parse_command_line(line: &str, delimiters: &[&str]) -> Arc<Script> {
    if delimiters.is_empty() {
        return parse_script_cached(line);
    }
    let mut closed = String::with_capacity(
        line.len() + delimiters.iter().map(|d| d.len() + 1).sum::<usize>() + 1,
    );
    closed.push_str(line);
    for delimiter in delimiters {
        closed.push('\n');
        closed.push_str(delimiter);
    }
    closed.push('\n');
    let mut script = parse_script(&closed);
    for redirect in script.commands.iter_mut().flat_map(|c| &mut c.redirects) {
        if redirect
            .heredoc_body
            .is_some_and(|body| body.end > line.len())
        {
            redirect.heredoc_body = None;
        }
    }
    // The closing lines are not the RUN's text: if the shell read anything of them as part of
    // a command (Docker and the shell disagreeing on what opens a heredoc), keep the plain
    // parse of the line instead.
    if !script.commands.iter().all(|c| ends_within(c, line.len())) {
        return parse_script_cached(line);
    }
    Arc::new(script)
}

/// Whether every span of `command` (its body spans aside) ends by `len`.
fn ends_within(command: &SimpleCommand, len: usize) -> bool {
    let word = |w: &Word| w.span.end <= len && w.pieces.iter().all(|p| p.text.end <= len);
    command.span.end <= len
        && command.words.iter().all(word)
        && command.assignments.iter().all(|a| {
            a.span.end <= len && a.name_span.end <= len && a.value.as_ref().is_none_or(word)
        })
        && command
            .redirects
            .iter()
            .all(|r| r.span.end <= len && r.target.as_ref().is_none_or(word))
}

/// Parses a shell script into its simple commands. Never panics; on syntax errors it returns
/// the commands it could recover and sets [`Script::has_errors`].
pub fn parse_script(text: &str) -> Script {
    quick_reading(text).unwrap_or_else(|| parse_script_with_tree_sitter(text))
}

/// The reading of `text` without tree-sitter (a plain script) or with it on part of the text
/// only (a script plain but for a few commands), where one is certain to equal the full
/// parser's.
fn quick_reading(text: &str) -> Option<Script> {
    plain::parse(text).or_else(|| mixed::parse(text))
}

/// The quick reading of `text` ([`parse_script`] takes it when there is one) and the full
/// parser's, for the tests that check they agree.
#[doc(hidden)]
pub fn both_readings(text: &str) -> (Option<Script>, Script) {
    (quick_reading(text), parse_script_with_tree_sitter(text))
}

fn parse_script_with_tree_sitter(text: &str) -> Script {
    let Some(tree) = parse_tree(text) else {
        return Script {
            commands: Vec::new(),
            has_errors: true,
        };
    };
    let mut commands = Vec::new();
    let mut walker = walk::Walker::new(text, None, 0, &mut commands);
    walker.walk(tree.root_node(), Nesting::default());
    let has_errors = walker.has_errors;
    Script {
        commands,
        has_errors,
    }
}
