//! Running ShellCheck: found once per process on PATH, fed scripts as files of a temporary
//! directory, many per process (never one process per RUN), its `json1` report read back.
//! Reports are kept by script text, so a batch run ahead of linting (`prefetch`) serves
//! every file of a run, and identical scripts are checked once.

use serde::Deserialize;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// ShellCheck findings that mean nothing in a Dockerfile (see `rules/SC.md`): the ash
/// dialect notice (dlint names the dialect itself), and `source` files ShellCheck cannot
/// follow, whose remedy (a directive comment, a file given on the command line) a RUN cannot
/// take.
pub const EXCLUDED: &[u32] = &[2187, 1090, 1091];

/// Scripts per ShellCheck process: large enough that start-up cost vanishes, small enough
/// that the batches of a run spread over the cores.
const BATCH: usize = 200;

/// The environment variable that names the ShellCheck binary instead of PATH.
pub const PROGRAM_ENV: &str = "DLINT_SHELLCHECK";

/// One ShellCheck finding, positions 1-based in lines and characters (`json1` counts a tab
/// as one character), end exclusive.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    #[serde(default)]
    file: String,
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    pub level: String,
    pub code: u32,
    pub message: String,
    pub fix: Option<SuggestedFix>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct SuggestedFix {
    pub replacements: Vec<Replacement>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    /// `beforeStart` or `afterEnd`: which neighbour an insertion sticks to.
    pub insertion_point: String,
    pub replacement: String,
}

#[derive(Deserialize)]
struct Report {
    comments: Vec<Comment>,
}

/// The ShellCheck binary: `$DLINT_SHELLCHECK` when set, else `shellcheck` on PATH.
pub fn program() -> Option<&'static Path> {
    static PROGRAM: OnceLock<Option<PathBuf>> = OnceLock::new();
    PROGRAM.get_or_init(find_program).as_deref()
}

fn find_program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(PROGRAM_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("shellcheck"))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file() || path.with_extension("exe").is_file()
    }
}

/// How to get ShellCheck, for messages.
pub const HOW_TO_INSTALL: &str = "install ShellCheck (Debian/Ubuntu: `apt-get install shellcheck`, macOS: `brew install shellcheck`, or see https://github.com/koalaman/shellcheck#installing) or name it with DLINT_SHELLCHECK=/path/to/shellcheck";

/// Say once per run, on stderr, that ShellCheck findings are left out.
pub fn notice_missing() {
    static SAID: AtomicBool = AtomicBool::new(false);
    if !SAID.swap(true, Ordering::Relaxed) {
        eprintln!(
            "dlint: shellcheck not found, so RUN scripts are not checked by ShellCheck (SC codes); {HOW_TO_INSTALL}"
        );
    }
}

fn notice_failure(message: &str) {
    static SAID: AtomicBool = AtomicBool::new(false);
    if !SAID.swap(true, Ordering::Relaxed) {
        eprintln!("dlint: shellcheck failed, its findings are left out: {message}");
    }
}

/// Scripts longer than this are not given to ShellCheck: its analysis grows faster than
/// linearly with a script's length (a 16 KiB chain of `&&` took minutes and gigabytes), and
/// no RUN of our corpus comes near it. The rule says which RUNs it left out.
pub const MAX_SCRIPT_BYTES: usize = 64 << 10;

/// At most this many distinct scripts of one file are checked; the rest are left out, with a
/// note (real Dockerfiles have tens of RUNs; generated ones with thousands would cost minutes).
pub const MAX_SCRIPTS_PER_FILE: usize = 300;

/// The address space one ShellCheck process may take, in KiB (`ulimit -v`): far above what
/// real scripts need (tens of MiB), far below what a pathological one would take.
const MEMORY_LIMIT_KIB: u64 = 2 << 20;

/// How long one ShellCheck process may run before it is stopped and its findings left out.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The environment variable that sets that time, in seconds (for slow machines, and tests).
pub const TIMEOUT_ENV: &str = "DLINT_SHELLCHECK_TIMEOUT";

/// Script bytes per ShellCheck process, so one slow or failing batch loses little and no
/// process gets a lot to hold in memory.
const BATCH_BYTES: usize = 256 << 10;

fn timeout() -> Duration {
    static TIMEOUT: OnceLock<Duration> = OnceLock::new();
    *TIMEOUT.get_or_init(|| {
        std::env::var(TIMEOUT_ENV)
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .map_or(DEFAULT_TIMEOUT, Duration::from_secs_f64)
    })
}

/// Set once a ShellCheck process ran out of time: later batches are not started, so one
/// pathological input costs one timeout, not one per batch.
static GAVE_UP: AtomicBool = AtomicBool::new(false);

/// What became of one script.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// ShellCheck's findings.
    Checked(Arc<Vec<Comment>>),
    /// Above [`MAX_SCRIPT_BYTES`]: not given to ShellCheck.
    TooLarge,
    /// ShellCheck failed, ran out of time or memory, or was not started after that (the
    /// notice on stderr says why).
    NotChecked,
}

type Cache = Mutex<HashMap<String, Outcome>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

/// What became of each script, in order: from the cache, the others checked in as few
/// processes as the batch sizes allow. None when ShellCheck is missing.
pub fn check(scripts: &[&str]) -> Option<Vec<Outcome>> {
    let program = program()?;
    run_uncached(program, scripts.iter().copied());
    let cached = cache().lock().unwrap_or_else(|e| e.into_inner());
    Some(
        scripts
            .iter()
            .map(|s| cached.get(*s).cloned().unwrap_or(Outcome::NotChecked))
            .collect(),
    )
}

/// Check many scripts ahead of linting, so linting finds them cached.
pub fn prefetch(scripts: Vec<String>) {
    if let Some(program) = program() {
        run_uncached(program, scripts.iter().map(String::as_str));
    }
}

/// Check the scripts not yet cached, batches in parallel: even batches, at least one per
/// core, so no core waits for one long batch.
fn run_uncached<'s>(program: &Path, scripts: impl Iterator<Item = &'s str>) {
    use rayon::prelude::*;
    let missing = uncached(scripts);
    let threads = rayon::current_num_threads().max(1);
    let per_batch = missing.len().div_ceil(threads).clamp(1, BATCH);
    batches(&missing, per_batch)
        .par_iter()
        .for_each(|batch| run_and_store(program, batch));
}

/// The distinct scripts not yet in the cache, sorted; those too large are stored as such.
fn uncached<'s>(scripts: impl Iterator<Item = &'s str>) -> Vec<&'s str> {
    let mut cached = cache().lock().unwrap_or_else(|e| e.into_inner());
    let mut missing: Vec<&str> = scripts.filter(|s| !cached.contains_key(*s)).collect();
    missing.sort_unstable();
    missing.dedup();
    missing.retain(|s| {
        let small = s.len() <= MAX_SCRIPT_BYTES;
        if !small {
            cached.insert((*s).to_string(), Outcome::TooLarge);
        }
        small
    });
    missing
}

/// Consecutive runs of at most `count` scripts and [`BATCH_BYTES`] bytes (a longer script
/// goes alone).
fn batches<'a, 's>(scripts: &'a [&'s str], count: usize) -> Vec<&'a [&'s str]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, script) in scripts.iter().enumerate() {
        if i > start && (i - start == count || bytes + script.len() > BATCH_BYTES) {
            out.push(&scripts[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += script.len();
    }
    if start < scripts.len() {
        out.push(&scripts[start..]);
    }
    out
}

fn run_and_store(program: &Path, batch: &[&str]) {
    let found = if GAVE_UP.load(Ordering::Relaxed) {
        None
    } else {
        match run(program, batch) {
            Ok(found) => Some(found),
            Err(message) => {
                notice_failure(&message);
                None
            }
        }
    };
    let mut cached = cache().lock().unwrap_or_else(|e| e.into_inner());
    match found {
        Some(found) => {
            for (script, comments) in batch.iter().zip(found) {
                cached.insert((*script).to_string(), Outcome::Checked(Arc::new(comments)));
            }
        }
        None => {
            for script in batch {
                cached.insert((*script).to_string(), Outcome::NotChecked);
            }
        }
    }
}

/// One ShellCheck process over `scripts`, each written to its own file, under a memory limit
/// and a time limit.
fn run(program: &Path, scripts: &[&str]) -> Result<Vec<Vec<Comment>>, String> {
    let dir = tempfile::Builder::new()
        .prefix("dlint-shellcheck")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let mut names = Vec::with_capacity(scripts.len());
    for (i, script) in scripts.iter().enumerate() {
        let name = format!("{i}.sh");
        let mut file = std::fs::File::create(dir.path().join(&name))
            .map_err(|e| format!("cannot write a script: {e}"))?;
        file.write_all(script.as_bytes())
            .map_err(|e| format!("cannot write a script: {e}"))?;
        names.push(name);
    }
    let excluded: Vec<String> = EXCLUDED.iter().map(|c| format!("SC{c}")).collect();
    let mut command = limited(program);
    command
        .current_dir(dir.path())
        .args(["--format=json1", "--norc", "--severity=style"])
        .arg(format!("--exclude={}", excluded.join(",")))
        .arg("--")
        .args(&names);
    let output = run_with_timeout(&mut command, timeout())
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let Some(output) = output else {
        GAVE_UP.store(true, Ordering::Relaxed);
        return Err(format!(
            "{} ran longer than {} s on {} script(s) and was stopped; the scripts left are not \
             checked (set {TIMEOUT_ENV}=SECONDS to allow more)",
            program.display(),
            timeout().as_secs_f64(),
            scripts.len()
        ));
    };
    // 0: nothing found, 1: findings; anything else is a failure of the run.
    if !matches!(output.status.code(), Some(0 | 1)) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "{} exited with {} (its memory is limited to {} MiB): {}",
            program.display(),
            output.status,
            MEMORY_LIMIT_KIB >> 10,
            stderr.trim()
        ));
    }
    let report: Report = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("unreadable report from {}: {e}", program.display()))?;
    let mut found = vec![Vec::new(); scripts.len()];
    for comment in report.comments {
        let index = comment
            .file
            .strip_suffix(".sh")
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(slot) = index.and_then(|i| found.get_mut(i)) {
            slot.push(comment);
        }
    }
    Ok(found)
}

/// The command that runs `program` with its address space limited: through `sh`, whose
/// `ulimit -v` sets the limit before it becomes the program (`exec`), so the limit needs no
/// unsafe code here. Elsewhere the program runs as it is, under the time limit only.
fn limited(program: &Path) -> Command {
    if cfg!(unix) && Path::new("/bin/sh").is_file() {
        let mut command = Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_LIMIT_KIB} 2>/dev/null; exec \"$0\" \"$@\""
            ))
            .arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// Run `command` to the end and collect its output, or stop it after `limit`: None then.
fn run_with_timeout(command: &mut Command, limit: Duration) -> std::io::Result<Option<Output>> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Both pipes are drained while the child runs, so a large report cannot block it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_millis(1);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            // The readers are left to end with the pipes: a process the child started may
            // still hold them open.
            return Ok(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    };
    Ok(Some(Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_bound_count_and_bytes() {
        let small = "x".repeat(10);
        let big = "y".repeat(BATCH_BYTES);
        let scripts = [small.as_str(), small.as_str(), big.as_str(), small.as_str()];
        let sizes: Vec<usize> = batches(&scripts, 2).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [2, 1, 1]);
        let sizes: Vec<usize> = batches(&scripts, 10).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [2, 1, 1]);
        assert!(batches(&[], 10).is_empty());
    }

    #[test]
    fn a_slow_child_is_stopped() {
        if !cfg!(unix) {
            return;
        }
        let mut command = Command::new("/bin/sh");
        command.args(["-c", "exec sleep 30"]);
        let out = run_with_timeout(&mut command, Duration::from_millis(200)).unwrap();
        assert!(out.is_none());
        let mut command = Command::new("/bin/sh");
        command.args(["-c", "echo done"]);
        let out = run_with_timeout(&mut command, Duration::from_secs(30))
            .unwrap()
            .unwrap();
        assert_eq!(out.stdout, b"done\n");
    }
}
