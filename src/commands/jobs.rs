//! What `check` and `fix` lint: each Dockerfile once, under its normalised path, with every
//! build context it is built with (its directory or `--context`, or the context of each Compose
//! service that builds it, from any Compose file), and what a finding means across contexts.

use super::contexts::BuildContexts;
use super::{RunError, read_input};
use crate::compose::ServiceBuild;
use crate::diagnostic::Diagnostic;
use crate::discover::Input;
use crate::rules::{LintOptions, Linted, RuleSelection};
use crate::source::SourceFile;
use crate::syntax::Dockerfile;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// One Compose service building an image.
#[derive(Clone, Debug)]
pub struct Route {
    pub compose_file: PathBuf,
    pub build: ServiceBuild,
}

/// One file to lint.
pub enum LintJob {
    /// A Dockerfile given or found on its own: its context is `--context` or its directory.
    Input(Input),
    /// A Dockerfile that Compose services build (one route per service, from any Compose
    /// file): linted once, with each service's context.
    Compose {
        dockerfile: PathBuf,
        routes: Vec<Route>,
    },
    /// A `dockerfile_inline`, reported at its Compose file.
    Inline(Route),
}

/// Whether an input is a Compose file (by name).
pub fn is_compose_input(input: &Input) -> bool {
    matches!(input, Input::File(p) if p
        .file_name()
        .is_some_and(|n| crate::compose::is_compose_name(&n.to_string_lossy())))
}

/// `a/./b/../c` as `a/c`: the same file reached by different routes has one name. Lexical, as
/// Compose and the Docker CLI resolve `context:` and `dockerfile:`.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// Expand Compose files into the Dockerfiles their services build, each job keeping the
/// settings (`T`) of the file it came from (the first route's, when several lead to it). A
/// Dockerfile that a Compose service builds is linted with the services' contexts, not again
/// on its own; a Dockerfile named twice is linted once.
pub fn lint_jobs<T: Clone>(
    inputs: Vec<(Input, T)>,
    errors: &mut Vec<RunError>,
) -> Vec<(LintJob, T)> {
    let mut compose: Vec<(PathBuf, Vec<Route>, T)> = Vec::new();
    let mut inline = Vec::new();
    for (input, payload) in &inputs {
        if !is_compose_input(input) {
            continue;
        }
        let path = input.path().to_path_buf();
        let builds =
            crate::discover::read_text(&path).and_then(|t| crate::compose::service_builds(&t));
        let builds = match builds {
            Ok(builds) => builds,
            Err(message) => {
                errors.push(RunError {
                    path: Some(path),
                    message: format!("cannot read the Compose file: {message}"),
                });
                continue;
            }
        };
        for build in builds {
            let route = Route {
                compose_file: path.clone(),
                build,
            };
            match route.build.dockerfile_path(&path) {
                Some(dockerfile) => {
                    let dockerfile = normalise(&dockerfile);
                    match compose.iter_mut().find(|(d, _, _)| *d == dockerfile) {
                        Some((_, routes, _)) => routes.push(route),
                        None => compose.push((dockerfile, vec![route], payload.clone())),
                    }
                }
                None if route.build.dockerfile_inline.is_some() => {
                    inline.push((LintJob::Inline(route), payload.clone()))
                }
                None => errors.push(RunError {
                    path: Some(path.clone()),
                    message: format!(
                        "service `{}` builds from a remote context ({}): not linted",
                        route.build.service, route.build.context
                    ),
                }),
            }
        }
    }
    let mut seen: std::collections::HashSet<PathBuf> =
        compose.iter().map(|(d, _, _)| d.clone()).collect();
    let mut all: Vec<(LintJob, T)> = Vec::new();
    for (input, payload) in inputs {
        if is_compose_input(&input) {
            continue;
        }
        let input = match input {
            Input::File(p) => Input::File(normalise(&p)),
            stdin => stdin,
        };
        if matches!(input, Input::File(_)) && !seen.insert(input.path().to_path_buf()) {
            continue;
        }
        all.push((LintJob::Input(input), payload));
    }
    all.extend(
        compose.into_iter().map(|(dockerfile, routes, payload)| {
            (LintJob::Compose { dockerfile, routes }, payload)
        }),
    );
    all.extend(inline);
    all
}

impl LintJob {
    /// The Compose services that build this file (none for a file on its own).
    pub fn routes(&self) -> &[Route] {
        match self {
            LintJob::Input(_) => &[],
            LintJob::Compose { routes, .. } => routes,
            LintJob::Inline(route) => std::slice::from_ref(route),
        }
    }

    /// The path its findings are reported at.
    pub fn path(&self) -> &Path {
        match self {
            LintJob::Input(input) => input.path(),
            LintJob::Compose { dockerfile, .. } => dockerfile,
            LintJob::Inline(route) => &route.compose_file,
        }
    }

    pub fn is_stdin(&self) -> bool {
        matches!(self, LintJob::Input(Input::Stdin(_)))
    }

    /// The text to lint and the directory of each build context it is built with (None: no
    /// context is known, e.g. standard input or a remote context).
    pub fn read(
        &self,
        contexts: &BuildContexts,
    ) -> Result<(SourceFile, Vec<Option<PathBuf>>), RunError> {
        match self {
            LintJob::Input(input) => Ok((read_input(input)?, vec![contexts.root_of(input)])),
            LintJob::Compose { dockerfile, routes } => {
                let text = crate::discover::read_text(dockerfile).map_err(|message| {
                    let route = &routes[0];
                    RunError {
                        path: Some(dockerfile.clone()),
                        message: format!(
                            "(service `{}` in {}) {message}",
                            route.build.service,
                            route.compose_file.display()
                        ),
                    }
                })?;
                // `--context` does not apply: each service names its own.
                let mut roots: Vec<Option<PathBuf>> = Vec::new();
                for route in routes {
                    let root = route
                        .build
                        .context_dir(&route.compose_file)
                        .map(|r| normalise(&r));
                    if !roots.contains(&root) {
                        roots.push(root);
                    }
                }
                Ok((SourceFile::new(dockerfile.clone(), text), roots))
            }
            LintJob::Inline(route) => {
                // Placed at the lines where it is written, so findings carry the Compose
                // file's line numbers.
                let (inline, line) = route.build.dockerfile_inline.as_ref().expect("inline");
                let text = "\n".repeat(line.saturating_sub(1)) + inline;
                let root = route.build.context_dir(&route.compose_file);
                Ok((
                    SourceFile::new(route.compose_file.clone(), text),
                    vec![root],
                ))
            }
        }
    }
}

/// The build contexts of a file, listed (once per run) from its parse.
pub fn load_contexts(
    contexts: &BuildContexts,
    roots: &[Option<PathBuf>],
    dockerfile: &Path,
    syntax: &Dockerfile,
) -> Vec<Option<Arc<crate::context::Context>>> {
    roots
        .iter()
        .map(|root| {
            root.clone()
                .and_then(|r| contexts.for_dockerfile(r, dockerfile, syntax))
        })
        .collect()
}

/// Lint a file under each of its contexts and merge the findings.
pub fn lint_in_contexts(
    source: &SourceFile,
    syntax: &Dockerfile,
    selection: &RuleSelection,
    loaded: &[Option<Arc<crate::context::Context>>],
) -> Linted {
    let mut lints: Vec<Linted> = loaded
        .iter()
        .map(|bc| {
            let options = LintOptions {
                build_context: bc.as_deref(),
            };
            crate::rules::lint_file(source, syntax, selection, &options)
        })
        .collect();
    if lints.len() == 1 {
        return lints.pop().expect("one");
    }
    let silenced = lints
        .first_mut()
        .map(|l| std::mem::take(&mut l.silenced))
        .unwrap_or_default();
    Linted {
        diagnostics: merge(lints.into_iter().map(|l| l.diagnostics).collect()),
        silenced,
    }
}

/// The findings of one file under several contexts: each once; a fix is kept only when every
/// context offers the very same one (a fix proven under one context may break the build of
/// another).
pub fn merge(mut lints: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    if lints.len() <= 1 {
        return lints.pop().unwrap_or_default();
    }
    let same = |a: &Diagnostic, b: &Diagnostic| {
        a.code == b.code && a.span == b.span && a.message == b.message
    };
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in lints.iter().flatten() {
        if out.iter().any(|o| same(o, d)) {
            continue;
        }
        let everywhere = lints
            .iter()
            .all(|l| l.iter().any(|x| same(x, d) && x.fix == d.fix));
        let mut d = d.clone();
        if !everywhere {
            d.fix = None;
        }
        out.push(d);
    }
    out.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_lexically() {
        for (given, want) in [
            ("a/../../b/Dockerfile", "../b/Dockerfile"),
            ("./a/./b/../Dockerfile", "a/Dockerfile"),
            ("a/..", "."),
            ("/x/../y", "/y"),
        ] {
            assert_eq!(normalise(Path::new(given)), PathBuf::from(want), "{given}");
        }
    }

    #[test]
    fn a_fix_one_context_lacks_is_not_kept() {
        use crate::diagnostic::{Edit, Fix, Severity};
        use crate::source::Span;
        let finding = |fix: bool| {
            Diagnostic::new("T1", "t", Severity::Warning, Span::new(0, 1), "m")
                .with_fix(fix.then(|| Fix::safe("f", vec![Edit::replace(Span::new(0, 1), "x")])))
        };
        let merged = merge(vec![vec![finding(true)], vec![finding(true)]]);
        assert_eq!(merged.len(), 1);
        assert!(merged[0].fix.is_some());
        let merged = merge(vec![vec![finding(true)], vec![finding(false)]]);
        assert_eq!(merged.len(), 1);
        assert!(merged[0].fix.is_none());
        let merged = merge(vec![vec![finding(true)], vec![]]);
        assert_eq!(merged.len(), 1);
        assert!(merged[0].fix.is_none());
    }
}
