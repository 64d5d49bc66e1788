//! `.dockerignore` parsing and matching with Docker/BuildKit semantics.
//!
//! Reading follows BuildKit's ignore-file reader (the `ignorefile` package of
//! moby/patternmatcher): a UTF-8 BOM on the first line is dropped, lines whose
//! first byte is `#` are comments, surrounding whitespace is trimmed, blank
//! lines are skipped, `!` marks an exception (whitespace after the `!` is
//! trimmed too), each pattern is cleaned like Go's `path.Clean` and a leading
//! `/` is removed.
//!
//! Matching follows moby/patternmatcher as driven by BuildKit's context walker
//! (fsutil): every pattern is tested against the path *and each of its parent
//! directories*, the last matching pattern decides (exception => included),
//! and the per-directory results are carried down the tree exactly like
//! `MatchesUsingParentResults`, including its small quirks.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::glob::{clean_path, validate_pattern};

/// One valid pattern of an ignore file.
#[derive(Debug, Clone)]
pub struct IgnorePattern {
    /// 1-based line number in the ignore file (index+1 for `from_patterns`).
    pub line: usize,
    /// The line as written (without the line terminator).
    pub raw: String,
    /// The cleaned pattern, without the leading `!`.
    pub pattern: String,
    /// `true` for `!pattern` lines (re-include).
    pub exception: bool,
    matcher: Matcher,
}

impl IgnorePattern {
    /// Does this single pattern match `path` itself (no parent matching)?
    pub fn matches_exact(&self, path: &str) -> bool {
        self.matcher.is_match(&self.pattern, path)
    }

    /// Does this pattern match `path` or one of its parent directories?
    pub fn matches_or_parent(&self, path: &str) -> bool {
        if self.matches_exact(path) {
            return true;
        }
        path.match_indices('/')
            .any(|(i, _)| self.matches_exact(&path[..i]))
    }
}

/// A line that Docker would reject (the whole build fails with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub line: usize,
    pub raw: String,
    pub message: String,
}

#[derive(Debug, Clone)]
enum Matcher {
    /// Literal pattern: path must be equal.
    Exact,
    /// `literal**` (typically `dir/**`): path must start with the literal.
    Prefix(String),
    /// `**literal` (typically `**/name`): path must end with the literal.
    Suffix(String),
    Regex(Regex),
}

impl Matcher {
    fn is_match(&self, pattern: &str, path: &str) -> bool {
        match self {
            Matcher::Exact => path == pattern,
            Matcher::Prefix(p) => path.starts_with(p.as_str()),
            Matcher::Suffix(s) => {
                path.ends_with(s.as_str()) || s.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Matcher::Regex(re) => re.is_match(path),
        }
    }
}

/// Per-pattern "matched this directory (or a parent)" flags for one
/// directory, handed to its children while walking (patternmatcher's
/// `MatchInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchInfo(Vec<bool>);

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    patterns: Vec<IgnorePattern>,
    errors: Vec<PatternError>,
    has_exceptions: bool,
    /// BuildKit's `onlyPrefixExcludeExceptions`: no exception contains glob
    /// characters (apart from a trailing `/*` or `/**`).
    literal_exceptions: bool,
}

impl DockerIgnore {
    /// Parses the text of an ignore file. Never fails: invalid patterns are
    /// recorded in [`DockerIgnore::errors`] and take no part in matching.
    pub fn parse(text: &str) -> DockerIgnore {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut entries = Vec::new();
        for (idx, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.starts_with('#') {
                continue;
            }
            let mut pattern = line.trim();
            if pattern.is_empty() {
                continue;
            }
            let invert = pattern.starts_with('!');
            if invert {
                pattern = pattern[1..].trim();
            }
            let mut p = String::new();
            if !pattern.is_empty() {
                p = clean_path(pattern);
                if p.len() > 1 && p.starts_with('/') {
                    p.remove(0);
                }
            }
            if invert {
                p.insert(0, '!');
            }
            entries.push((idx + 1, line.to_string(), p));
        }
        Self::build(entries)
    }

    /// Builds a matcher from already-split patterns the way
    /// `patternmatcher.New` does (used for `COPY --exclude` and for
    /// `--parents` include patterns). No comment handling and no leading-`/`
    /// stripping happen here. `line` is the 1-based index in `patterns`.
    pub fn from_patterns<S: AsRef<str>>(patterns: &[S]) -> DockerIgnore {
        let entries = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (i + 1, p.as_ref().to_string(), p.as_ref().to_string()))
            .collect();
        Self::build(entries)
    }

    /// Second stage, equivalent to `patternmatcher.New`.
    fn build(entries: Vec<(usize, String, String)>) -> DockerIgnore {
        let mut out = DockerIgnore {
            literal_exceptions: true,
            ..DockerIgnore::default()
        };
        for (line, raw, p) in entries {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            let p = clean_path(p);
            let (exception, body) = match p.strip_prefix('!') {
                Some(rest) => (true, rest.to_string()),
                None => (false, p.clone()),
            };
            let err = |message: String| PatternError {
                line,
                raw: raw.clone(),
                message,
            };
            if exception && body.is_empty() {
                out.errors
                    .push(err("illegal exclusion pattern: \"!\"".to_string()));
                continue;
            }
            if validate_pattern(&body).is_err() {
                out.errors.push(err(format!(
                    "syntax error in pattern {body:?} (Go filepath.Match rules)"
                )));
                continue;
            }
            let matcher = match compile(&body) {
                Ok(m) => m,
                Err(e) => {
                    out.errors
                        .push(err(format!("invalid pattern {body:?}: {e}")));
                    continue;
                }
            };
            if exception {
                out.has_exceptions = true;
                if without_trailing_glob(&body).contains(['*', '[', ']', '?', '^', '\\']) {
                    out.literal_exceptions = false;
                }
            }
            out.patterns.push(IgnorePattern {
                line,
                raw,
                pattern: body,
                exception,
                matcher,
            });
        }
        out
    }

    /// Valid patterns in file order, with line numbers.
    pub fn patterns(&self) -> &[IgnorePattern] {
        &self.patterns
    }

    /// Lines Docker would reject. Docker fails the whole build if any exist.
    pub fn errors(&self) -> &[PatternError] {
        &self.errors
    }

    /// True when there are no valid patterns at all.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// True if any `!` exception pattern exists.
    pub fn has_exceptions(&self) -> bool {
        self.has_exceptions
    }

    /// Is `rel_path` (a `/`-separated path relative to the context root)
    /// left out of the build context?
    ///
    /// The path is normalised first (`./a`, `a//b`, trailing `/`, leading
    /// `/`). The context root itself is never excluded. This simulates
    /// BuildKit's walk from the root down to the path, including its
    /// skipping of excluded directories, so the answer is what the
    /// transferred context would contain. Note that an excluded directory
    /// that has re-included descendants still reports `true` here even
    /// though BuildKit transfers the directory entry itself.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.is_excluded_impl(rel_path, true)
    }

    pub(crate) fn is_excluded_impl(&self, rel_path: &str, prune: bool) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let path = normalize_rel(rel_path);
        if path.is_empty() {
            return false;
        }
        let mut info: Option<MatchInfo> = None;
        let mut end = 0;
        loop {
            let next = path[end..].find('/').map(|i| end + i);
            let prefix = &path[..next.unwrap_or(path.len())];
            let (m, i) = self.match_entry(prefix, info.as_ref());
            let Some(n) = next else {
                return m;
            };
            // `prefix` is a directory the walker would visit.
            if m && prune && self.can_skip_excluded_dir(prefix) {
                return true;
            }
            info = Some(i);
            end = n + 1;
        }
    }

    /// One step of the walk: is `path` excluded, given the results of its
    /// parent directory (`None` for entries directly under the root)?
    /// Returns the verdict and the info to hand to `path`'s children.
    /// Mirrors patternmatcher's `MatchesUsingParentResults`.
    pub fn match_entry(&self, path: &str, parent: Option<&MatchInfo>) -> (bool, MatchInfo) {
        let mut matched = false;
        let mut info = vec![false; self.patterns.len()];
        for (i, pat) in self.patterns.iter().enumerate() {
            let mut m = parent.is_some_and(|p| p.0.get(i).copied().unwrap_or(false));
            if !m {
                // Evaluation can't change the verdict: skip (and, like
                // upstream, record "no match" for the children).
                if pat.exception != matched {
                    continue;
                }
                m = if parent.is_none() {
                    pat.matches_or_parent(path)
                } else {
                    pat.matches_exact(path)
                };
            }
            info[i] = m;
            if m {
                matched = !pat.exception;
            }
        }
        (matched, MatchInfo(info))
    }

    /// BuildKit skips walking into an excluded directory when no exception
    /// could re-include anything below it: either there are no exceptions,
    /// or all exceptions are literal paths (a trailing `/*` or `/**` is
    /// allowed) and none of them lies below `rel_dir`.
    pub fn can_skip_excluded_dir(&self, rel_dir: &str) -> bool {
        if !self.has_exceptions {
            return true;
        }
        if !self.literal_exceptions {
            return false;
        }
        let dir_slash = format!("{rel_dir}/");
        !self
            .patterns
            .iter()
            .filter(|p| p.exception)
            .any(|p| format!("{}/", without_trailing_glob(&p.pattern)).starts_with(&dir_slash))
    }

    /// The last pattern that matches `rel_path` or one of its parents, i.e.
    /// the line responsible for the verdict (useful for diagnostics such as
    /// "excluded by .dockerignore line 3"). `None` if no pattern matches.
    pub fn deciding_pattern(&self, rel_path: &str) -> Option<&IgnorePattern> {
        let path = normalize_rel(rel_path);
        if path.is_empty() {
            return None;
        }
        self.patterns
            .iter()
            .rev()
            .find(|p| p.matches_or_parent(&path))
    }
}

/// Normalises a context-relative path: cleaned, no leading `/`, `""` for
/// the root. `..` components that would leave the root are dropped.
pub fn normalize_rel(p: &str) -> String {
    let c = clean_path(&format!("/{p}"));
    c.trim_start_matches('/').to_string()
}

fn without_trailing_glob(p: &str) -> &str {
    let p = p.strip_suffix("/**").unwrap_or(p);
    p.strip_suffix("/*").unwrap_or(p)
}

/// Translates a cleaned pattern the way patternmatcher does, producing the
/// same fast-path classification (exact / prefix / suffix / regexp).
///
/// The regexp text patternmatcher builds is interpreted by Go's RE2; Rust's
/// `regex` syntax differs inside character classes (nested `[`, `&&`, `--`,
/// `~~`), so class state is tracked and those characters are escaped to keep
/// RE2's reading.
fn compile(pattern: &str) -> Result<Matcher, String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut re = String::from("^");
    let mut kind = Kind::Exact;
    let mut in_class = false;
    let mut i = 0;
    let mut first = true;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        let at_start = first;
        first = false;
        match ch {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i >= chars.len() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        re.push_str(if in_class { r"\.\*" } else { ".*" });
                        kind = Kind::Regex;
                    }
                } else {
                    re.push_str(if in_class { r"\(\.\*/\)\?" } else { "(.*/)?" });
                    kind = Kind::Regex;
                }
                if at_start {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                if in_class {
                    // RE2 reads "[^/]*" inside a class as the literals
                    // '[', '^', '/' followed by the class end.
                    re.push_str(r"\[\^/]*");
                    in_class = false;
                } else {
                    re.push_str("[^/]*");
                }
                kind = Kind::Regex;
            }
            '?' => {
                if in_class {
                    re.push_str(r"\[\^/]");
                    in_class = false;
                } else {
                    re.push_str("[^/]");
                }
                kind = Kind::Regex;
            }
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                re.push('\\');
                re.push(ch);
            }
            '\\' => {
                if let Some(&next) = chars.get(i) {
                    i += 1;
                    if next.is_ascii_alphanumeric() {
                        // patternmatcher hands `\x` to the regexp engine
                        // verbatim (so `\d` is a digit class there).
                        re.push('\\');
                        re.push(next);
                    } else {
                        re.push_str(&regex::escape(&next.to_string()));
                    }
                    kind = Kind::Regex;
                } else {
                    re.push_str(r"\\");
                }
            }
            '[' => {
                if in_class {
                    // POSIX class such as [:alpha:] (understood by RE2).
                    let posix_end = (chars.get(i) == Some(&':'))
                        .then(|| {
                            (i + 1..chars.len().saturating_sub(1))
                                .find(|&j| chars[j] == ':' && chars[j + 1] == ']')
                        })
                        .flatten();
                    if let Some(end) = posix_end {
                        re.push('[');
                        re.extend(&chars[i..end + 2]);
                        i = end + 2;
                    } else {
                        re.push_str(r"\[");
                    }
                } else {
                    re.push('[');
                    in_class = true;
                }
                kind = Kind::Regex;
            }
            ']' => {
                if in_class {
                    re.push(']');
                    in_class = false;
                } else {
                    re.push_str(r"\]");
                }
                kind = Kind::Regex;
            }
            '&' | '~' | '-' if in_class => {
                if ch == '-' {
                    re.push('-');
                } else {
                    re.push('\\');
                    re.push(ch);
                }
            }
            '#' | ' ' => {
                re.push_str(&regex::escape(&ch.to_string()));
            }
            _ => re.push(ch),
        }
    }
    match kind {
        Kind::Exact => Ok(Matcher::Exact),
        Kind::Prefix => Ok(Matcher::Prefix(pattern[..pattern.len() - 2].to_string())),
        Kind::Suffix => Ok(Matcher::Suffix(pattern[2..].to_string())),
        Kind::Regex => {
            re.push('$');
            Regex::new(&re)
                .map(Matcher::Regex)
                .map_err(|e| e.to_string())
        }
    }
}

/// Locates the ignore file BuildKit would use for `dockerfile` built with
/// context directory `context`: `<dir of Dockerfile>/<Dockerfile name>.dockerignore`
/// if it exists (e.g. `build/app.Dockerfile.dockerignore`), otherwise
/// `<context>/.dockerignore` if it exists.
pub fn find_ignore_file(context: &Path, dockerfile: &Path) -> Option<PathBuf> {
    if let Some(name) = dockerfile.file_name() {
        let mut specific = name.to_os_string();
        specific.push(".dockerignore");
        let candidate = match dockerfile.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(&specific),
            _ => PathBuf::from(&specific),
        };
        if candidate.is_file() {
            return Some(candidate);
        }
    }
    let root = context.join(".dockerignore");
    root.is_file().then_some(root)
}
