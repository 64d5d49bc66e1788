//! Paths inside an image: cleaning and resolving against a working directory.

/// Clean an absolute path: no `.`, `..`, doubled or trailing slashes (`/a/./b/../c/` → `/a/c`).
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
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
    }
}
