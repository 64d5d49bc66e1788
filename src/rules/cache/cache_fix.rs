//! Edits the cache rules share: adding cache mounts (with what the manager needs for them to
//! work), removing a word or a whole command from a RUN, removing an ENV/ARG pair. All edits
//! touch only the bytes that must change, so the author's layout stays.

use crate::analysis::installs::CacheUse;
use crate::analysis::mounts::{Mount, normalize};
use crate::analysis::runs::only_heredoc_openers;
use crate::diagnostic::{Applicability, Edit};
use crate::knowledge::{Action, Manager, SetupStep};
use crate::rules::Context;
use crate::shell::SimpleCommand;
use crate::source::Span;
use crate::syntax::Instruction;

/// A cache mount to add, and whether adding it is safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountPlan {
    pub text: String,
    pub target: String,
    pub applicability: Applicability,
    /// Why the fix is unsafe, when it is.
    pub caveat: Option<String>,
}

/// Whether `dir` can be written as a mount target: an absolute path with nothing a `--mount`
/// value or the shell would read differently (blanks, commas, quotes, unexpanded variables).
fn mountable(dir: &str) -> bool {
    dir.starts_with('/')
        && !dir.contains(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '"' | '\'' | '$' | '`' | '\\' | '*' | '?' | '[')
        })
}

/// The cache mount for `dir`, used by `use_`'s manager and user; None when the directory
/// cannot be written as a mount target.
pub fn mount_for(use_: &CacheUse, dir: &str) -> Option<MountPlan> {
    if !mountable(dir) {
        return None;
    }
    let manager = use_.manager();
    let mut text = format!("--mount=type=cache,target={}", normalize(dir));
    if let Some(sharing) = manager.mount_sharing().filter(|s| *s != "shared") {
        text.push_str(&format!(",sharing={sharing}"));
    }
    let (applicability, caveat) = match (&use_.uid_gid, use_.root) {
        (_, true) => (Applicability::Safe, None),
        (Some((uid, gid)), false) => {
            text.push_str(&format!(",uid={uid},gid={gid}"));
            (Applicability::Safe, None)
        }
        (None, false) => (
            Applicability::Unsafe,
            Some(format!(
                "the RUN runs as a non-root user whose uid dlint cannot know; add `uid=`/`gid=` to the mount at {} or {} will not be able to write to it",
                normalize(dir),
                manager.name()
            )),
        ),
    };
    Some(MountPlan {
        text,
        target: normalize(dir),
        applicability,
        caveat,
    })
}

/// Whether a mount holds one of the directories the command caches in, for its user.
pub fn mount_in_place(use_: &CacheUse, mount: &Mount) -> bool {
    use_.cache_dirs.iter().any(|d| mount.covers(d))
}

/// Whether a mount was meant for this command's manager: it holds one of the directories the
/// command uses for this user, for root, or by default.
pub fn mount_claims(use_: &CacheUse, mount: &Mount) -> bool {
    let manager = use_.manager();
    let none = |_: &str| None;
    mount_in_place(use_, mount)
        || use_.caches.iter().any(|c| {
            mount.covers(&manager.cache_dir(c, "/root", &none))
                || mount.covers(&manager.cache_dir(c, &use_.home, &none))
        })
}

/// Whether the user `use_` runs as can write to a cache mount. BuildKit gives the mount's
/// directory to `uid=`/`gid=` (root by default) with `mode=` (0755 by default): root can always
/// write, another user when the mount names its uid or a mode writable by all. None when dlint
/// cannot tell: the mount names a uid and the Dockerfile does not say the user's.
pub fn mount_writable(use_: &CacheUse, mount: &Mount) -> Option<bool> {
    let writable_by_all = mount.mode.as_deref().is_some_and(|m| {
        m.trim()
            .chars()
            .last()
            .and_then(|c| c.to_digit(8))
            .is_some_and(|others| others & 2 != 0)
    });
    if use_.root || writable_by_all {
        return Some(true);
    }
    match (&mount.uid, &use_.uid_gid) {
        (None, _) => Some(false),
        (Some(uid), Some((known, _))) => Some(uid.trim() == known),
        (Some(_), None) => None,
    }
}

/// Where a field's value lies in a `--mount=...` flag (its first key of `keys` found).
fn mount_field(text: &str, mount: &Mount, keys: &[&str]) -> Option<Span> {
    let raw = mount.span.text(text);
    let mut start = raw.find('=')? + 1;
    loop {
        // `field` is a suffix of `raw`: where it starts, past any opening quote.
        let at = raw.len() - raw[start..].trim_start_matches('"').len();
        let end = raw[at..].find(',').map_or(raw.len(), |i| at + i);
        let (key, _) = raw[at..end].split_once('=').unwrap_or((&raw[at..end], ""));
        if keys.iter().any(|k| key.trim().eq_ignore_ascii_case(k)) {
            let value_start = at + key.len() + 1;
            let value_end = if end == raw.len() {
                raw.trim_end_matches('"').len().max(value_start)
            } else {
                end
            };
            return Some(Span::new(
                mount.span.start + value_start,
                mount.span.start + value_end,
            ));
        }
        if end == raw.len() {
            return None;
        }
        start = end + 1;
    }
}

/// Sets a field of a `--mount=...` flag: its value replaced, or `,key=value` added at the end.
pub fn set_mount_field(text: &str, mount: &Mount, keys: &[&str], value: &str) -> Edit {
    if let Some(span) = mount_field(text, mount, keys) {
        return Edit::replace(span, value);
    }
    let raw = mount.span.text(text);
    let end = mount.span.start + raw.trim_end_matches('"').len();
    Edit::insert(end, format!(",{}={value}", keys[0]))
}

/// Mounts for every directory of `use_` that no cache mount holds.
pub fn missing_mounts(use_: &CacheUse) -> Vec<MountPlan> {
    use_.unmounted_dirs()
        .filter_map(|d| mount_for(use_, d))
        .collect()
}

/// Whether a mount for the use would hide an index an earlier layer refreshed: `apt-get
/// install` reads the lists `apt-get update` wrote, and a mount at the lists in a RUN that does
/// not refresh them first starts empty, so the install finds no packages. Never for a manager
/// that downloads a missing index itself (dnf, yum).
pub fn hides_index(ctx: &Context, ui: usize) -> bool {
    let installs = ctx.installs();
    let u = &installs.uses[ui];
    let manager = u.manager();
    if manager.fetches_missing_index() {
        return false;
    }
    let refreshed = |id: &str| {
        manager
            .commands()
            .iter()
            .any(|c| c.action() == Action::Refresh && c.uses_cache_id(id))
    };
    let refreshes_first = installs.calls.iter().any(|c| {
        c.run == u.run
            && c.command <= u.command
            && c.invocation.action == Action::Refresh
            && std::ptr::eq(c.invocation.manager, manager)
    });
    !refreshes_first
        && u.caches
            .iter()
            .zip(&u.mounted)
            .any(|(cache, mounted)| !mounted && refreshed(cache.id()))
}

/// One insertion adding `mounts` (deduplicated) as the first flags of `inst`.
pub fn insert_mounts(inst: &Instruction, mounts: &[MountPlan]) -> Option<Edit> {
    let mut seen: Vec<&str> = Vec::new();
    let mut text = String::new();
    for m in mounts {
        if seen.contains(&m.text.as_str()) {
            continue;
        }
        seen.push(&m.text);
        text.push_str(&m.text);
        text.push(' ');
    }
    if text.is_empty() {
        return None;
    }
    let at = inst
        .flags
        .first()
        .map(|f| f.span.start)
        .unwrap_or_else(|| inst.args_span().start);
    Some(Edit::insert(at, text))
}

/// What a mount still needs before the manager keeps anything in it: commands to run first
/// (apt's docker-clean, apk's cache link), which change the image's configuration, and flags for
/// each install command (dnf's `--setopt=keepcache=1`), which change nothing in the image.
pub struct MissingSetup<'m> {
    manager: &'m Manager,
    steps: Vec<&'m SetupStep>,
}

impl<'m> MissingSetup<'m> {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The commands to put before the script (see `insert_setup`).
    pub fn runs(&self) -> Vec<String> {
        self.steps
            .iter()
            .filter_map(|s| s.run())
            .map(String::from)
            .collect()
    }

    /// Why each step is needed, for messages.
    pub fn why(&self) -> Vec<&'m str> {
        self.steps.iter().map(|s| s.why()).collect()
    }

    /// What the commands change in the image, for the fix's description (`runs ..., which
    /// changes the image's zypper configuration in /etc/zypp/repos.d`); None without commands:
    /// flags change nothing there.
    pub fn caveat(&self) -> Option<String> {
        let runs = self.runs();
        if runs.is_empty() {
            return None;
        }
        let places: Vec<&str> = self.steps.iter().filter_map(|s| s.changes()).collect();
        let place = if places.is_empty() {
            String::new()
        } else {
            format!(" in {}", places.join(", "))
        };
        Some(format!(
            "runs `{}`, which changes the image's {} configuration{place}",
            runs.join(" && "),
            self.manager.name()
        ))
    }

    /// The flags, for the fix's description (`, with `--setopt=keepcache=1` on each install`).
    pub fn flags_note(&self) -> String {
        let flags: Vec<String> = self
            .steps
            .iter()
            .filter_map(|s| s.flag())
            .map(|f| format!("`{f}`"))
            .collect();
        if flags.is_empty() {
            String::new()
        } else {
            format!(", with {} on each install", flags.join(" "))
        }
    }

    /// The edits that do the setup: the commands before `inst`'s script, the flags on each
    /// install command among `uses`. None when the commands have no place in the script
    /// (several heredoc bodies): a mount without them would keep nothing.
    pub fn edits<'u>(
        &self,
        ctx: &Context,
        inst: &Instruction,
        uses: impl IntoIterator<Item = &'u CacheUse>,
    ) -> Option<Vec<Edit>> {
        let runs = self.runs();
        let mut edits = Vec::new();
        match insert_setup(inst, &runs) {
            Some(edit) => edits.push(edit),
            None if !runs.is_empty() => return None,
            None => {}
        }
        edits.extend(self.flag_edits(ctx, uses));
        Some(edits)
    }

    /// The flags, inserted after the subcommand of each install command among `uses` that
    /// does not have them.
    fn flag_edits<'u>(
        &self,
        ctx: &Context,
        uses: impl IntoIterator<Item = &'u CacheUse>,
    ) -> Vec<Edit> {
        let installs = ctx.installs();
        let mut seen = Vec::new();
        let mut edits = Vec::new();
        for use_ in uses {
            if use_.invocation.action != Action::Install || seen.contains(&(use_.run, use_.command))
            {
                continue;
            }
            seen.push((use_.run, use_.command));
            let command = installs.command(use_);
            let Some(end) = use_
                .invocation
                .subcommand
                .as_ref()
                .and_then(|sub| command.words.get(sub.end - 1))
            else {
                continue;
            };
            for step in &self.steps {
                if let Some(flag) = step.flag()
                    && !command.words.iter().any(|w| step.done_by(&w.value))
                {
                    edits.push(Edit::insert(end.span.end, format!(" {flag}")));
                }
            }
        }
        edits
    }
}

/// What the manager needs before a mount can keep anything (see `MissingSetup`), unless a RUN
/// of the stage (or its ancestors) already does it. `for_cache` says which of the manager's
/// caches (by id) are being mounted.
pub fn missing_setup<'m>(
    ctx: &Context,
    instruction: usize,
    manager: &'m Manager,
    for_cache: &dyn Fn(&str) -> bool,
) -> MissingSetup<'m> {
    let scripts = stage_scripts(ctx, instruction);
    let steps = manager
        .setup_for_mount()
        .iter()
        .filter(|step| step.cache_id().is_none_or(for_cache))
        .filter(|step| !scripts.iter().any(|s| step.done_by(s)))
        .collect();
    MissingSetup { manager, steps }
}

/// The RUN texts (command lines and heredoc bodies) of the instruction's stage up to and
/// including it, and of the stages it is built on.
fn stage_scripts<'a>(ctx: &'a Context, instruction: usize) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut stage = ctx.model.states[instruction].stage;
    let mut limit = instruction;
    if stage.is_none() {
        // Before the first FROM (BuildKit refuses it, but it is linted): the RUNs so far.
        for inst in &ctx.syntax.instructions[..=instruction] {
            if inst.keyword == crate::syntax::Keyword::Run {
                out.push(inst.args());
                out.extend(inst.heredocs.iter().map(|h| h.content.as_str()));
            }
        }
    }
    while let Some(s) = stage {
        let st = &ctx.model.stages[s];
        for i in st.from..=limit.min(st.body.end.saturating_sub(1)).max(st.from) {
            let inst = &ctx.syntax.instructions[i];
            if inst.keyword == crate::syntax::Keyword::Run {
                out.push(inst.args());
                out.extend(inst.heredocs.iter().map(|h| h.content.as_str()));
            }
        }
        stage = st.base_stage;
        limit = usize::MAX;
    }
    out
}

/// Prepend setup commands to the RUN's script. When the script is a heredoc body (`RUN <<EOF`),
/// they go inside it, as its first line after any shebang: put on the command line they would
/// turn the body into the input of an empty command and nothing would run. None when there is
/// no single such body to put them in.
fn insert_setup(inst: &Instruction, steps: &[String]) -> Option<Edit> {
    if steps.is_empty() {
        return None;
    }
    let line = steps.join(" && ");
    if inst.heredocs.is_empty() || !only_heredoc_openers(inst.args()) {
        return Some(Edit::insert(inst.args_span().start, format!("{line} && ")));
    }
    let [heredoc] = inst.heredocs.as_slice() else {
        return None;
    };
    let body = heredoc.content.as_str();
    let newline = if body.contains("\r\n") { "\r\n" } else { "\n" };
    let at = if body.starts_with("#!") {
        body.find('\n')? + 1
    } else {
        0
    };
    Some(Edit::insert(
        heredoc.body_span.start + at,
        format!("{line}{newline}"),
    ))
}

/// Environment the manager needs with a cache mount (`UV_LINK_MODE=copy`: uv cannot hard-link
/// from another filesystem), set inline on the command when it is not set already. When it
/// cannot be set inline (the command is not the first word: `timeout 60 uv ...`), a caveat.
pub fn mount_env_edits(ctx: &Context, use_: &CacheUse) -> (Vec<Edit>, Option<String>) {
    let installs = ctx.installs();
    let command = installs.command(use_);
    let state = &ctx.model.states[use_.instruction];
    let exported = |name: &str| {
        installs.runs[use_.run].commands[..use_.command]
            .iter()
            .any(|c| c.is_export() && c.assignments.iter().any(|a| a.name == name))
    };
    let mut text = String::new();
    for (name, value) in use_.manager().mount_env() {
        let set = state.var(name).is_some()
            || command.assignments.iter().any(|a| a.name == name)
            || command
                .words
                .iter()
                .any(|w| w.value.starts_with(&format!("{name}=")))
            || exported(name);
        if !set {
            text.push_str(&format!("{name}={value} "));
        }
    }
    if text.is_empty() {
        return (Vec::new(), None);
    }
    match command.words.first() {
        Some(first) if use_.invocation.program == 0 => {
            (vec![Edit::insert(first.span.start, text)], None)
        }
        _ => (
            Vec::new(),
            Some(format!(
                "`{}` is not set for {}, which needs it to use a cache mount; set it yourself",
                text.trim(),
                use_.manager().name()
            )),
        ),
    }
}

/// Why the dependencies in `use_`'s dependency caches (Go's modules, Maven's `~/.m2`) must stay
/// in the layer, if they must: the image runs the manager when it starts (`CMD mvn ...`), or a
/// later stage copies the cache out (`COPY --from=deps /root/.m2 /root/.m2`). A cache mount
/// would leave them empty.
pub fn dependencies_needed_in_layer(ctx: &Context, use_index: usize) -> Option<String> {
    let installs = ctx.installs();
    let use_ = &installs.uses[use_index];
    let dirs: Vec<&str> = use_.dependency_dirs().collect();
    if dirs.is_empty() {
        return None;
    }
    let manager = use_.manager();
    if let Some(&at) = installs
        .runtime_users(ctx.model, use_.instruction, manager)
        .first()
    {
        let line = ctx
            .source
            .line_col(ctx.syntax.instructions[at].span.start)
            .line;
        return Some(format!(
            "the image runs {} when it starts (line {line}) and reads its dependencies from {}",
            manager.name(),
            dirs.join(" and ")
        ));
    }
    if let Some(at) = installs.writes_into_dependency_cache(ctx.model, use_index) {
        let line = ctx
            .source
            .line_col(ctx.syntax.instructions[at].span.start)
            .line;
        return Some(format!(
            "line {line} copies files into {}, which a mount would hide",
            dirs.join(" and ")
        ));
    }
    for copy in crate::analysis::copies::analyse(ctx.syntax, ctx.model) {
        let Some(from) = copy.from.as_deref() else {
            continue;
        };
        let stage = ctx
            .model
            .stages
            .iter()
            .rev()
            .filter(|s| s.from < copy.instruction)
            .find(|s| {
                s.name.as_deref() == Some(from.to_ascii_lowercase().as_str())
                    || s.index.to_string() == from
            });
        let Some(stage) = stage else { continue };
        let last = stage.body.end.saturating_sub(1).max(stage.from);
        if !ctx.model.sees(use_.instruction, last) {
            continue;
        }
        let copied = copy.sources.iter().any(|s| {
            let path = s.expanded.trim_end_matches('*');
            path.starts_with('/')
                && dirs
                    .iter()
                    .any(|d| Mount::covers_path(path, d) || Mount::covers_path(d, path))
        });
        if copied {
            let line = ctx
                .source
                .line_col(ctx.syntax.instructions[copy.instruction].span.start)
                .line;
            return Some(format!(
                "line {line} copies {} out of this stage",
                dirs.join(" and ")
            ));
        }
    }
    None
}

/// Join insertions at the same offset into one, in the order given (a mount before the
/// `UV_LINK_MODE=copy ` that goes in front of the same command word).
pub fn merge_insertions(edits: Vec<Edit>) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    for edit in edits {
        let at = edit.span.start;
        if edit.span.is_empty()
            && let Some(prev) = out
                .iter_mut()
                .find(|e| e.span.is_empty() && e.span.start == at)
        {
            prev.content.push_str(&edit.content);
            continue;
        }
        out.push(edit);
    }
    out
}

/// Delete one word: with the blanks after it, or the whole line when it stands alone on a
/// continuation line, or with the blanks before it at the end of a line.
pub fn remove_word(text: &str, span: Span, escape: char) -> Edit {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let before = &text[line_start..span.start];
    let after = &text[span.end..line_end];
    let after_trimmed = after.trim_end_matches('\r').trim();
    if before.trim().is_empty() && after_trimmed == escape.to_string() {
        let end = (line_end + 1).min(text.len());
        return Edit::delete(Span::new(line_start, end));
    }
    let blanks_after = after.len() - after.trim_start_matches([' ', '\t']).len();
    if blanks_after > 0 && !after_trimmed.is_empty() {
        return Edit::delete(Span::new(span.start, span.end + blanks_after));
    }
    let blanks_before = before.len() - before.trim_end_matches([' ', '\t']).len();
    Edit::delete(Span::new(
        span.start - blanks_before,
        span.end + blanks_after,
    ))
}

/// Delete a command from a RUN's `&&`/`;` chain, with the connector that joins it. None when
/// removing it could change what runs (it is piped, `||`-joined, nested or alone), or when the
/// deletion would reach across a heredoc's opener, body or terminator (the command line and a
/// heredoc body are separate scripts).
pub fn remove_command(
    inst: &Instruction,
    commands: &[SimpleCommand],
    index: usize,
) -> Option<Edit> {
    let edit = chain_deletion(commands, index)?;
    let crosses = inst.heredocs.iter().any(|h| {
        let whole = Span::new(
            h.marker_span.start,
            h.terminator_span.end.max(h.body_span.end),
        );
        let inside_body = h.body_span.start <= edit.span.start && edit.span.end <= h.body_span.end;
        overlapping(edit.span, whole) && !inside_body
    });
    (!crosses).then_some(edit)
}

fn chain_deletion(commands: &[SimpleCommand], index: usize) -> Option<Edit> {
    use crate::shell::Connector;
    let command = commands.get(index)?;
    if !command.depth.is_top_level() || command.nested_from.is_some() {
        return None;
    }
    let joins = |c: &SimpleCommand| {
        matches!(
            c.connector_before,
            Some(Connector::AndAnd | Connector::Semi)
        )
    };
    let top: Vec<usize> = (0..commands.len())
        .filter(|&i| commands[i].nested_from.is_none() && commands[i].depth.is_top_level())
        .collect();
    let pos = top.iter().position(|&i| i == index)?;
    if pos > 0 {
        // `prev && this`: delete from the end of the previous command.
        if !joins(command) {
            return None;
        }
        if let Some(&next) = top.get(pos + 1)
            && !joins(&commands[next])
        {
            return None;
        }
        let prev = &commands[top[pos - 1]];
        return Some(Edit::delete(Span::new(prev.span.end, command.span.end)));
    }
    // `this && next`: delete up to the start of the next command.
    let &next = top.get(1)?;
    if !joins(&commands[next]) {
        return None;
    }
    Some(Edit::delete(Span::new(
        command.span.start,
        commands[next].span.start,
    )))
}

/// Delete pair `pair` of an ENV/ARG; the whole instruction when it is the only one.
pub fn remove_pair(inst: &Instruction, pair: usize) -> Edit {
    let pairs = &inst.pairs;
    if pairs.len() <= 1 {
        return Edit::delete(inst.span);
    }
    let this = pairs[pair].span;
    if pair + 1 < pairs.len() {
        Edit::delete(Span::new(this.start, pairs[pair + 1].span.start))
    } else {
        Edit::delete(Span::new(pairs[pair - 1].span.end, this.end))
    }
}

/// The combined applicability of plans: unsafe if any is.
pub fn combined(plans: &[MountPlan], extra_unsafe: Option<String>) -> (Applicability, Vec<String>) {
    let mut caveats: Vec<String> = plans.iter().filter_map(|p| p.caveat.clone()).collect();
    caveats.extend(extra_unsafe);
    caveats.dedup();
    let applicability = if caveats.is_empty() {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    (applicability, caveats)
}

/// "add a cache mount at X" / "... (unsafe: reason)".
pub fn describe(action: &str, caveats: &[String]) -> String {
    if caveats.is_empty() {
        action.to_string()
    } else {
        format!("{action} (unsafe: {})", caveats.join("; "))
    }
}

/// Edits removing what empties `manager`'s caches at the directories `mounted` accepts in the
/// RUN (`pip cache purge`, `rm -rf /var/lib/apt/lists/*`): the whole command, or just the
/// operand of an `rm` that removes other things too. Wipes of caches that stay in the layer
/// (apt's lists when only /var/cache/apt is mounted) are kept, and wipes that cannot be
/// removed safely are left alone.
pub fn remove_wipes(
    ctx: &Context,
    run: usize,
    manager: &Manager,
    mounted: &dyn Fn(&str) -> bool,
) -> Vec<Edit> {
    let installs = ctx.installs();
    let commands = &installs.runs[run].commands;
    let inst = &ctx.syntax.instructions[installs.runs[run].instruction];
    let mut edits = Vec::new();
    for wipe in installs.wipes.iter().filter(|w| {
        w.run == run && std::ptr::eq(w.manager, manager) && w.dirs.iter().all(|d| mounted(d))
    }) {
        let command = &commands[wipe.command];
        let edit = match wipe.operand {
            Some(operand) => {
                let operands = command
                    .words
                    .iter()
                    .skip(1)
                    .filter(|w| !w.value.starts_with('-'))
                    .count();
                if operands > 1 {
                    command
                        .words
                        .get(operand)
                        .map(|w| remove_word(ctx.text(), w.span, ctx.syntax.escape))
                } else {
                    remove_command(inst, commands, wipe.command)
                }
            }
            None => remove_command(inst, commands, wipe.command),
        };
        if let Some(edit) = edit
            && !edits.iter().any(|e: &Edit| overlapping(e.span, edit.span))
        {
            edits.push(edit);
        }
    }
    edits
}

fn overlapping(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, e: &Edit) -> String {
        format!(
            "{}{}{}",
            &text[..e.span.start],
            e.content,
            &text[e.span.end..]
        )
    }

    #[test]
    fn only_plain_absolute_paths_become_mount_targets() {
        assert!(mountable("/root/.cache/pip"));
        for bad in [
            "/home/a b/.npm",
            "/x,y",
            "relative",
            "/home/$USER/.npm",
            "/a\"b",
        ] {
            assert!(!mountable(bad), "{bad}");
        }
    }

    #[test]
    fn removes_words_keeping_layout() {
        let t = "RUN pip install --no-cache-dir -r r.txt\n";
        let s = t.find("--no").unwrap();
        assert_eq!(
            apply(t, &remove_word(t, Span::new(s, s + 14), '\\')),
            "RUN pip install -r r.txt\n"
        );
        let t = "RUN pip install \\\n    --no-cache-dir \\\n    -r r.txt\n";
        let s = t.find("--no").unwrap();
        assert_eq!(
            apply(t, &remove_word(t, Span::new(s, s + 14), '\\')),
            "RUN pip install \\\n    -r r.txt\n"
        );
        let t = "RUN pip install -r r.txt --no-cache-dir\r\n";
        let s = t.find("--no").unwrap();
        assert_eq!(
            apply(t, &remove_word(t, Span::new(s, s + 14), '\\')),
            "RUN pip install -r r.txt\r\n"
        );
    }

    #[test]
    fn heredoc_scripts_get_edits_inside_their_body() {
        let text =
            "FROM debian\nRUN <<EOF\nrm -rf /var/lib/apt/lists/*\napt-get install -y x\nEOF\n";
        let df = crate::syntax::parse(text);
        let model = crate::analysis::model::Model::build(&df);
        let runs = crate::analysis::runs::analyse(&df, &model);
        let inst = &df.instructions[1];
        let commands = &runs[0].commands;
        let rm = commands
            .iter()
            .position(|c| c.name() == Some("rm"))
            .unwrap();
        // Joined to the command line's `<<EOF`, the deletion would eat the opener's newline.
        if let Some(edit) = remove_command(inst, commands, rm) {
            let fixed = apply(text, &edit);
            assert!(fixed.contains("RUN <<EOF\n"), "{fixed}");
        }
        let setup = insert_setup(inst, &["a".to_string(), "b".to_string()]).unwrap();
        assert_eq!(
            apply(text, &setup),
            "FROM debian\nRUN <<EOF\na && b\nrm -rf /var/lib/apt/lists/*\napt-get install -y x\nEOF\n"
        );
        let shebang = "FROM debian\nRUN <<EOF\n#!/bin/bash\nset -e\nEOF\n";
        let df = crate::syntax::parse(shebang);
        let setup = insert_setup(&df.instructions[1], &["a".to_string()]).unwrap();
        assert_eq!(
            apply(shebang, &setup),
            "FROM debian\nRUN <<EOF\n#!/bin/bash\na\nset -e\nEOF\n"
        );
        // Two heredoc scripts: no single place for the setup.
        let two = "FROM debian\nRUN <<A <<B\nx\nA\ny\nB\n";
        let df = crate::syntax::parse(two);
        assert!(insert_setup(&df.instructions[1], &["a".to_string()]).is_none());
    }

    #[test]
    fn setup_before_the_first_from_is_seen() {
        // Found by the lint_fix fuzzer: with no stage, the setup already in the RUN was not
        // seen, so the unsafe fix prepended it again on every round.
        let selection = crate::rules::RuleSelection::default();
        let options = crate::rules::LintOptions::default();
        let lint = |t: &str| {
            crate::rules::lint(
                &crate::source::SourceFile::new("Dockerfile", t.to_string()),
                &selection,
                &options,
            )
        };
        let once = crate::fix::fix_until_stable("RUN apt update && apt install", true, &lint);
        assert_eq!(
            once.text.matches("docker-clean").count(),
            1,
            "{}",
            once.text
        );
        let twice = crate::fix::fix_until_stable(&once.text, true, &lint);
        assert_eq!(twice.text, once.text);
    }
}
