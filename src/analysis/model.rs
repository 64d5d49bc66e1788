//! The semantic view of a Dockerfile: its stages and, for every instruction, the state the
//! build is in when it runs (variables, user, working directory, shell), with inheritance
//! through `FROM <stage>`.

use crate::syntax::{Dockerfile, Instruction, Keyword};
use std::collections::HashMap;
use std::sync::Arc;

/// Where a variable in effect was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    /// Expanded with the variables before it (as far as they are known).
    pub value: Option<String>,
    pub kind: VariableKind,
    /// Index into `Dockerfile::instructions` of the ENV or ARG that set it.
    pub instruction: usize,
    /// Index of the pair within that instruction.
    pub pair: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariableKind {
    Env,
    Arg,
}

/// The variables in effect, by name, in name order. A persistent map: every instruction keeps
/// its own snapshot, and snapshots share structure, so a file with thousands of ENV lines costs
/// O(n log n), not O(n^2), in time and memory.
pub type Variables = rpds::RedBlackTreeMapSync<String, Variable>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    pub name: Option<String>,
    /// The image reference as written (`python:3.11-slim`, or another stage's name).
    pub base: String,
    /// Set when the base is an earlier stage.
    pub base_stage: Option<usize>,
    /// Index of its FROM instruction.
    pub from: usize,
    /// Indices of its instructions after FROM (up to the next FROM).
    pub body: std::ops::Range<usize>,
}

/// The build state in effect when an instruction runs.
#[derive(Clone, Debug)]
pub struct State {
    /// None for instructions before the first FROM (global ARGs).
    pub stage: Option<usize>,
    /// ENV and ARG variables visible to RUN (build args are environment variables there).
    pub vars: Arc<Variables>,
    /// `USER` in effect, None when the base image decides (assumed root).
    pub user: Option<String>,
    pub workdir: String,
    /// The shell RUN uses in shell form.
    pub shell: Arc<Vec<String>>,
    /// Users created by earlier RUNs (`useradd`/`adduser`), for their uid and home.
    pub accounts: Arc<Vec<Account>>,
}

/// A user account a RUN creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: Option<String>,
    pub gid: Option<String>,
    pub home: Option<String>,
}

impl State {
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(|v| v.value.as_deref())
    }

    /// Whether the user in effect is root (the default of almost every base image).
    pub fn is_root(&self) -> bool {
        match self.user.as_deref() {
            None => true,
            Some(u) => {
                let name = u.split(':').next().unwrap_or(u);
                name == "root" || name == "0"
            }
        }
    }

    /// The user name (or uid) without a group.
    pub fn user_name(&self) -> &str {
        self.user
            .as_deref()
            .map(|u| u.split(':').next().unwrap_or(u))
            .unwrap_or("root")
    }

    fn account(&self) -> Option<&Account> {
        let user = self.user_name();
        self.accounts
            .iter()
            .rev()
            .find(|a| a.name == user || a.uid.as_deref() == Some(user))
    }

    /// `$HOME` for the user in effect: an explicit HOME variable wins; root's is /root; a user
    /// created in the Dockerfile has the home it was given (or /home/<name>); another named
    /// user is assumed to have /home/<name>; a bare uid with no account gets `/`, as Docker
    /// sets it when the user is not in /etc/passwd.
    pub fn home(&self) -> String {
        if let Some(home) = self.var("HOME") {
            return home.to_string();
        }
        if self.is_root() {
            return "/root".to_string();
        }
        if let Some(account) = self.account() {
            return account
                .home
                .clone()
                .unwrap_or_else(|| format!("/home/{}", account.name));
        }
        let user = self.user_name();
        if user.bytes().all(|b| b.is_ascii_digit()) {
            "/".to_string()
        } else {
            format!("/home/{user}")
        }
    }

    /// The numeric uid and gid of the user in effect, when the Dockerfile tells them
    /// (`USER 1000:1000`, or an account created with `useradd -u 1000`).
    pub fn uid_gid(&self) -> Option<(String, String)> {
        let user = self.user.as_deref()?;
        let (name, group) = match user.split_once(':') {
            Some((n, g)) => (n, Some(g)),
            None => (user, None),
        };
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let account = self.account();
        let uid = if numeric(name) {
            Some(name.to_string())
        } else {
            account.and_then(|a| a.uid.clone()).filter(|u| numeric(u))
        }?;
        let gid = match group {
            Some(g) if numeric(g) => g.to_string(),
            Some(_) => return None,
            None => account
                .and_then(|a| a.gid.clone())
                .filter(|g| numeric(g))
                .unwrap_or_else(|| uid.clone()),
        };
        Some((uid, gid))
    }

    /// Whether RUN's shell form runs a POSIX shell (not PowerShell or cmd).
    pub fn posix_shell(&self) -> bool {
        let program = self.shell.first().map(String::as_str).unwrap_or("/bin/sh");
        let base = program
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(program)
            .to_ascii_lowercase();
        matches!(
            base.trim_end_matches(".exe"),
            "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox"
        )
    }

    /// Expand `$VAR`, `${VAR}` and `${VAR:-default}` with the variables in effect; unknown
    /// variables stay as written.
    pub fn expand(&self, text: &str) -> String {
        expand(text, &|name| self.var(name).map(str::to_string))
    }
}

pub struct Model {
    pub stages: Vec<Stage>,
    /// One per instruction of the Dockerfile, same order.
    pub states: Vec<State>,
}

impl Model {
    pub fn build(df: &Dockerfile) -> Model {
        Builder::default().run(df)
    }

    /// Whether `later` runs on top of `earlier`'s layer: `earlier` comes first, in the same
    /// stage or in a stage that `later`'s stage is built from (`FROM <stage>`, transitively).
    pub fn sees(&self, earlier: usize, later: usize) -> bool {
        if earlier > later {
            return false;
        }
        let (Some(from), Some(mut stage)) = (
            self.states.get(earlier).and_then(|s| s.stage),
            self.states.get(later).and_then(|s| s.stage),
        ) else {
            return false;
        };
        loop {
            if stage == from {
                return true;
            }
            match self.stages[stage].base_stage {
                Some(base) if base < stage => stage = base,
                _ => return false,
            }
        }
    }

    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.states
            .get(instruction)
            .and_then(|s| s.stage)
            .map(|i| &self.stages[i])
    }
}

#[derive(Default)]
struct Builder {
    stages: Vec<Stage>,
    states: Vec<State>,
    /// The state at the end of each stage, inherited by `FROM <stage>`.
    stage_end: Vec<State>,
    /// The ENV variables alone (what a child stage inherits) of the current stage, and at
    /// the end of each stage: shared with children, never copied.
    env: Arc<Variables>,
    stage_end_env: Vec<Arc<Variables>>,
    /// The latest stage of each (lower-case) name.
    stage_by_name: HashMap<String, usize>,
    global_args: Variables,
}

fn default_shell() -> Arc<Vec<String>> {
    Arc::new(vec!["/bin/sh".to_string(), "-c".to_string()])
}

impl Builder {
    fn run(mut self, df: &Dockerfile) -> Model {
        let mut current = State {
            stage: None,
            vars: Arc::new(Variables::new_sync()),
            user: None,
            workdir: "/".to_string(),
            shell: default_shell(),
            accounts: Arc::new(Vec::new()),
        };
        for (index, inst) in df.instructions.iter().enumerate() {
            match inst.keyword {
                Keyword::From => {
                    self.close_stage(&current, index);
                    current = self.open_stage(inst, index);
                }
                Keyword::Env => {
                    let vars = Arc::make_mut(&mut current.vars);
                    let env = Arc::make_mut(&mut self.env);
                    for (pair_index, pair) in inst.pairs.iter().enumerate() {
                        let raw = pair.unquoted_value().unwrap_or_default();
                        let value = expand(&raw, &|n| vars.get(n).and_then(|v| v.value.clone()));
                        let var = Variable {
                            value: Some(value),
                            kind: VariableKind::Env,
                            instruction: index,
                            pair: pair_index,
                        };
                        env.insert_mut(pair.key.clone(), var.clone());
                        vars.insert_mut(pair.key.clone(), var);
                    }
                }
                Keyword::Arg => {
                    let in_stage = current.stage.is_some();
                    for (pair_index, pair) in inst.pairs.iter().enumerate() {
                        let value = match pair.unquoted_value() {
                            Some(raw) => {
                                let vars = &current.vars;
                                Some(expand(&raw, &|n| vars.get(n).and_then(|v| v.value.clone())))
                            }
                            // `ARG NAME` in a stage takes the global default, if any.
                            None if in_stage => self
                                .global_args
                                .get(&pair.key)
                                .and_then(|v| v.value.clone()),
                            None => None,
                        };
                        let var = Variable {
                            value,
                            kind: VariableKind::Arg,
                            instruction: index,
                            pair: pair_index,
                        };
                        // An ENV of the same name wins over a build arg.
                        let shadowed = current
                            .vars
                            .get(&pair.key)
                            .is_some_and(|v| v.kind == VariableKind::Env);
                        if !in_stage {
                            self.global_args.insert_mut(pair.key.clone(), var.clone());
                        }
                        if !shadowed {
                            Arc::make_mut(&mut current.vars).insert_mut(pair.key.clone(), var);
                        }
                    }
                }
                Keyword::User => {
                    if let Some(user) = inst.values.first() {
                        current.user = Some(current.expand(user));
                    }
                }
                Keyword::Workdir => {
                    if let Some(dir) = inst.values.first() {
                        let dir = current.expand(dir);
                        current.workdir = if dir.starts_with('/') {
                            dir
                        } else {
                            format!("{}/{}", current.workdir.trim_end_matches('/'), dir)
                        };
                    }
                }
                Keyword::Shell if inst.json => current.shell = Arc::new(inst.values.clone()),
                Keyword::Run => {
                    let vars = &current.vars;
                    let created = accounts_created(inst.args(), &|n| {
                        vars.get(n).and_then(|v| v.value.clone())
                    });
                    if !created.is_empty() {
                        Arc::make_mut(&mut current.accounts).extend(created);
                    }
                }
                _ => {}
            }
            self.states.push(current.clone());
        }
        self.close_stage(&current, df.instructions.len());
        Model {
            stages: self.stages,
            states: self.states,
        }
    }

    fn close_stage(&mut self, current: &State, next_from: usize) {
        if let Some(stage) = current.stage {
            self.stages[stage].body = self.stages[stage].from + 1..next_from;
            self.stage_end.push(current.clone());
            self.stage_end_env.push(self.env.clone());
        }
    }

    fn open_stage(&mut self, from: &Instruction, index: usize) -> State {
        let words = &from.values;
        let base_raw = words.first().cloned().unwrap_or_default();
        let name = match words.as_slice() {
            [_, as_kw, name, ..] if as_kw.eq_ignore_ascii_case("as") => {
                Some(name.to_ascii_lowercase())
            }
            _ => None,
        };
        // FROM may use global ARGs only.
        let globals = &self.global_args;
        let base = expand(&base_raw, &|n| globals.get(n).and_then(|v| v.value.clone()));
        let base_stage = self
            .stage_by_name
            .get(base.to_ascii_lowercase().as_str())
            .copied();
        let stage_index = self.stages.len();
        if let Some(name) = &name {
            self.stage_by_name.insert(name.clone(), stage_index);
        }
        self.stages.push(Stage {
            index: stage_index,
            name,
            base,
            base_stage,
            from: index,
            body: index + 1..index + 1,
        });
        let inherited = base_stage.and_then(|b| Some((self.stage_end.get(b)?, b)));
        let accounts = inherited
            .map(|(p, _)| p.accounts.clone())
            .unwrap_or_default();
        let (vars, user, workdir, shell) = match inherited {
            Some((parent, parent_index)) => {
                // Only ENV is part of the image; build args end with their stage.
                let vars = self.stage_end_env[parent_index].clone();
                (
                    vars,
                    parent.user.clone(),
                    parent.workdir.clone(),
                    parent.shell.clone(),
                )
            }
            None => (
                Arc::new(Variables::new_sync()),
                None,
                "/".to_string(),
                default_shell(),
            ),
        };
        self.env = vars.clone();
        State {
            stage: Some(stage_index),
            vars,
            user,
            workdir,
            shell,
            accounts,
        }
    }
}

/// Accounts a RUN creates with `useradd`/`adduser` (Debian and BusyBox options), read from the
/// command words: the name is the last operand; `-u`/`--uid`, `-g`/`--gid` (numeric) and
/// `-d`/`-h`/`--home`/`--home-dir` give the rest. A value is kept only when it is proven: a
/// literal, or variables (ARG/ENV, through `lookup`) that resolve to one. A uid or gid must
/// then be a number and a home a plain absolute path; anything else (`"${APP_UID}"` with no
/// value known, quoting escaped inside `bash -c "..."`) is dropped, never pasted into a fix.
fn accounts_created(script: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<Account> {
    let mut out = Vec::new();
    // Quotes (and the backslashes escaping them inside `sh -c "..."`) around a value.
    let literal = |v: &str| {
        let v = expand(v.trim_matches(['"', '\'', '\\']), lookup);
        let plain = !v.is_empty() && !v.contains(['$', '`', '"', '\'', '\\', '(', ')', ',', ' ']);
        plain.then_some(v)
    };
    let number = |v: &str| literal(v).filter(|v| v.bytes().all(|b| b.is_ascii_digit()));
    let path = |v: &str| literal(v).filter(|v| v.starts_with('/'));
    for segment in script.split(['&', ';', '|', '\n']) {
        let words: Vec<&str> = segment.split_whitespace().collect();
        let Some(start) = words
            .iter()
            .position(|w| w.ends_with("useradd") || w.ends_with("adduser"))
        else {
            continue;
        };
        let mut account = Account {
            name: String::new(),
            uid: None,
            gid: None,
            home: None,
        };
        let mut i = start + 1;
        while i < words.len() {
            let w = words[i];
            let value = words.get(i + 1).copied().unwrap_or_default();
            match w {
                "-u" | "--uid" => (account.uid, i) = (number(value), i + 1),
                "-g" | "--gid" => (account.gid, i) = (number(value), i + 1),
                "-G" => i += 1,
                "-d" | "-h" | "--home" | "--home-dir" => (account.home, i) = (path(value), i + 1),
                "-s" | "--shell" | "-c" | "--comment" | "-k" | "-K" | "-e" | "-f" | "--gecos"
                | "--ingroup" => i += 1,
                w if w.starts_with('-') => {}
                w => account.name = w.trim_matches(['"', '\'', '\\']).to_string(),
            }
            i += 1;
        }
        if !account.name.is_empty() {
            out.push(account);
        }
    }
    out
}

/// Shell-style expansion of `$NAME`, `${NAME}`, `${NAME:-default}`/`${NAME-default}` and
/// `${NAME:+alt}`; unknown names are left as written so callers can see them.
pub fn expand(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let Some(close) = inner.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let body = &inner[..close];
            let name_len = body
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .map(char::len_utf8)
                .sum::<usize>();
            let (name, op) = body.split_at(name_len);
            let value = lookup(name);
            let replaced = match (op, value) {
                ("", Some(v)) => Some(v),
                (op, v) if op.starts_with(":-") => Some(
                    v.filter(|v| !v.is_empty())
                        .unwrap_or_else(|| op[2..].to_string()),
                ),
                (op, v) if op.starts_with('-') => Some(v.unwrap_or_else(|| op[1..].to_string())),
                (op, v) if op.starts_with(":+") => Some(
                    v.filter(|v| !v.is_empty())
                        .map(|_| op[2..].to_string())
                        .unwrap_or_default(),
                ),
                _ => None,
            };
            match replaced {
                Some(v) => out.push_str(&v),
                None => out.push_str(&rest[i..i + 2 + close + 1]),
            }
            rest = &inner[close + 1..];
        } else {
            let name_len = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .map(char::len_utf8)
                .sum::<usize>();
            let name = &after[..name_len];
            match (name.is_empty(), lookup(name)) {
                (false, Some(v)) => out.push_str(&v),
                _ => out.push_str(&rest[i..i + 1 + name_len]),
            }
            rest = &after[name_len..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn stages_inherit_env_user_and_workdir() {
        let df = parse(
            "ARG PY=3.11\nFROM python:${PY} AS base\nENV HOME=/app A=1\nUSER app\nWORKDIR src\nFROM base AS test\nARG X=2\nRUN x\nFROM other\nRUN y\n",
        );
        let m = Model::build(&df);
        assert_eq!(m.stages.len(), 3);
        assert_eq!(m.stages[0].base, "python:3.11");
        assert_eq!(m.stages[1].base_stage, Some(0));
        let run = &m.states[7];
        assert_eq!(run.var("A"), Some("1"));
        assert_eq!(run.var("X"), Some("2"));
        assert_eq!(run.user.as_deref(), Some("app"));
        assert_eq!(run.workdir, "/src");
        assert_eq!(run.home(), "/app");
        let other = &m.states[9];
        assert_eq!(other.var("A"), None);
        assert!(other.is_root());
        assert_eq!(m.stages[2].body, 9..10);
    }

    #[test]
    fn accounts_give_home_and_ids() {
        let df = parse(
            "FROM x\nRUN groupadd -g 2000 app && useradd -u 1001 -g 2000 -m -d /srv/app app\nUSER app\nRUN y\nUSER 1001\nRUN z\nUSER 42\nRUN w\n",
        );
        let m = Model::build(&df);
        assert_eq!(m.states[3].home(), "/srv/app");
        assert_eq!(m.states[3].uid_gid(), Some(("1001".into(), "2000".into())));
        assert_eq!(m.states[5].home(), "/srv/app");
        assert_eq!(m.states[7].home(), "/");
        assert_eq!(m.states[7].uid_gid(), Some(("42".into(), "42".into())));
    }

    #[test]
    fn account_ids_are_kept_only_when_proven() {
        // Inside `bash -c "..."` the quotes are escaped; with no value for the build arg the
        // uid is unknown and must not reach a fix as text.
        let df = parse(
            "FROM x\nARG APP_UID\nRUN bash -c \"useradd -u \\\"${APP_UID}\\\" -d \\\"$H\\\" app\"\nUSER app\nRUN y\n",
        );
        let m = Model::build(&df);
        assert_eq!(m.states[4].uid_gid(), None);
        assert_eq!(m.states[4].home(), "/home/app");
        // A build arg with a literal default resolves.
        let df =
            parse("FROM x\nARG APP_UID=1500\nRUN useradd -u \"${APP_UID}\" app\nUSER app\nRUN y\n");
        let m = Model::build(&df);
        assert_eq!(m.states[4].uid_gid(), Some(("1500".into(), "1500".into())));
        // `USER ${X}` with X unknown is not a uid either.
        let df = parse("FROM x\nARG X\nUSER ${X}\nRUN y\n");
        assert_eq!(Model::build(&df).states[3].uid_gid(), None);
    }

    #[test]
    fn expansion() {
        let look = |n: &str| (n == "A").then(|| "x".to_string());
        assert_eq!(expand("$A/${A}/${B:-d}/$B/${A:+y}", &look), "x/x/d/$B/y");
    }

    #[test]
    fn children_inherit_env_but_not_args_and_latest_stage_name_wins() {
        let df = parse(
            "FROM a AS p\nARG X=1\nENV Y=2\nFROM p AS c\nRUN x\nFROM b AS p\nENV Z=3\nFROM p\nRUN y\n",
        );
        let m = Model::build(&df);
        let child = &m.states[4];
        assert_eq!(child.var("X"), None);
        assert_eq!(child.var("Y"), Some("2"));
        assert_eq!(m.stages[3].base_stage, Some(2));
        let last = &m.states[8];
        assert_eq!((last.var("Y"), last.var("Z")), (None, Some("3")));
    }

    #[test]
    fn thousands_of_env_lines_share_their_maps() {
        let text: String = std::iter::once("FROM a\n".to_string())
            .chain((0..5_000).map(|i| format!("ENV V{i}={i}\n")))
            .collect();
        let m = Model::build(&parse(&text));
        assert_eq!(m.states.last().unwrap().vars.size(), 5_000);
        assert_eq!(m.states[1].vars.size(), 1);
    }
}
