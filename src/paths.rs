//! Paths inside an image: cleaning and resolving against a working directory.

/// Clean an absolute path: no `.`, `..`, doubled or trailing slashes (`/a/./b/../c/` → `/a/c`).
pub fn clean(path: &str) -> String {
    if is_clean(path) {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len() + 1);
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                let parent = out.rfind('/').unwrap_or(0);
                out.truncate(parent);
            }
            p => {
                out.push('/');
                out.push_str(p);
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Whether `clean` would return `path` unchanged: absolute, no empty, `.` or `..` component,
/// no trailing slash (most paths in Dockerfiles and the data tables already are).
pub fn is_clean(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    path.starts_with('/')
        && !path.ends_with('/')
        && path[1..]
            .split('/')
            .all(|part| !matches!(part, "" | "." | ".."))
}

/// `path` as seen from `workdir` (absolute paths stay), cleaned.
pub fn resolve(workdir: &str, path: &str) -> String {
    if path.starts_with('/') {
        clean(path)
    } else {
        clean(&format!("{workdir}/{path}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_and_resolves() {
        assert_eq!(clean("/a/./b/../c//"), "/a/c");
        assert_eq!(clean("/"), "/");
        assert_eq!(resolve("/app", "./x/../y/"), "/app/y");
        assert_eq!(resolve("/app", "/etc"), "/etc");
        assert_eq!(clean("a/b"), "/a/b");
        assert_eq!(clean("/.."), "/");
        assert_eq!(clean("/a/b/../../.."), "/");
        assert_eq!(clean("//a"), "/a");
        assert_eq!(clean("/a/b"), "/a/b");
    }
}
