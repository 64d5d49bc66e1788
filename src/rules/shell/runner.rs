//! Running ShellCheck: found once per process on PATH, fed scripts as files of a temporary
//! directory, many per process (never one process per RUN), its `json1` report read back.
//! Reports are kept by script text, so a batch run ahead of linting (`prefetch`) serves
//! every file of a run, and identical scripts are checked once.

use serde::Deserialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

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

type Cache = Mutex<HashMap<String, Arc<Vec<Comment>>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

/// ShellCheck's findings for each script, in order: from the cache, the others checked in
/// as few processes as the batch size allows. None when ShellCheck is missing.
pub fn check(scripts: &[&str]) -> Option<Vec<Arc<Vec<Comment>>>> {
    let program = program()?;
    let missing: Vec<&str> = {
        let cached = cache().lock().unwrap_or_else(|e| e.into_inner());
        let mut missing: Vec<&str> = scripts
            .iter()
            .copied()
            .filter(|s| !cached.contains_key(*s))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    };
    for batch in missing.chunks(BATCH) {
        run_and_store(program, batch);
    }
    let cached = cache().lock().unwrap_or_else(|e| e.into_inner());
    Some(
        scripts
            .iter()
            .map(|s| cached.get(*s).cloned().unwrap_or_default())
            .collect(),
    )
}

/// Check many scripts ahead of linting, batches in parallel, so linting finds them cached.
pub fn prefetch(mut scripts: Vec<String>) {
    use rayon::prelude::*;
    let Some(program) = program() else {
        return;
    };
    scripts.sort_unstable();
    scripts.dedup();
    {
        let cached = cache().lock().unwrap_or_else(|e| e.into_inner());
        scripts.retain(|s| !cached.contains_key(s));
    }
    // Even batches, at least one per core, so no core waits for one long batch.
    let threads = rayon::current_num_threads().max(1);
    let per_batch = scripts.len().div_ceil(threads).clamp(1, BATCH);
    scripts.par_chunks(per_batch).for_each(|batch| {
        let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
        run_and_store(program, &refs);
    });
}

fn run_and_store(program: &Path, batch: &[&str]) {
    let found = match run(program, batch) {
        Ok(found) => found,
        Err(message) => {
            notice_failure(&message);
            vec![Vec::new(); batch.len()]
        }
    };
    let mut cached = cache().lock().unwrap_or_else(|e| e.into_inner());
    for (script, comments) in batch.iter().zip(found) {
        cached.insert((*script).to_string(), Arc::new(comments));
    }
}

/// One ShellCheck process over `scripts`, each written to its own file.
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
    let output = std::process::Command::new(program)
        .current_dir(dir.path())
        .args(["--format=json1", "--norc", "--severity=style"])
        .arg(format!("--exclude={}", excluded.join(",")))
        .arg("--")
        .args(&names)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    // 0: nothing found, 1: findings; anything else is a failure of the run.
    if !matches!(output.status.code(), Some(0 | 1)) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "{} exited with {}: {}",
            program.display(),
            output.status,
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
