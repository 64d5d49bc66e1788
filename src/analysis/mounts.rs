//! `RUN --mount=...` options as BuildKit reads them (comma-separated `key=value` fields).

use crate::source::Span;
use crate::syntax::Instruction;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// `bind` (BuildKit's default), `cache`, `tmpfs`, `secret`, `ssh`.
    pub kind: String,
    pub target: Option<String>,
    pub id: Option<String>,
    pub sharing: Option<String>,
    pub uid: Option<String>,
    pub gid: Option<String>,
    /// The octal `mode=` of a cache mount's directory (BuildKit's default is 0755).
    pub mode: Option<String>,
    /// The whole `--mount=...` flag.
    pub span: Span,
}

impl Mount {
    pub fn is_cache(&self) -> bool {
        self.kind == "cache"
    }

    /// Whether this mount holds `dir` (the target is `dir` or one of its parents).
    pub fn covers(&self, dir: &str) -> bool {
        self.target
            .as_deref()
            .is_some_and(|t| Mount::covers_path(t, dir))
    }

    /// Whether a mount at `target` holds `dir`.
    pub fn covers_path(target: &str, dir: &str) -> bool {
        let target = normalize(target);
        let dir = normalize(dir);
        dir == target || target == "/" || dir.starts_with(&format!("{target}/"))
    }
}

pub fn normalize(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The mounts of a RUN instruction.
pub fn mounts(inst: &Instruction) -> Vec<Mount> {
    inst.flags_named("mount")
        .filter_map(|flag| {
            let value = flag.value.as_deref()?;
            let mut mount = Mount {
                kind: "bind".to_string(),
                target: None,
                id: None,
                sharing: None,
                uid: None,
                gid: None,
                mode: None,
                span: flag.span,
            };
            for field in split_fields(value) {
                let (key, val) = field.split_once('=').unwrap_or((field.as_str(), ""));
                let val = val.to_string();
                match key.trim().to_ascii_lowercase().as_str() {
                    "type" => mount.kind = val.to_ascii_lowercase(),
                    "target" | "dst" | "destination" => mount.target = Some(val),
                    "id" => mount.id = Some(val),
                    "sharing" => mount.sharing = Some(val),
                    "uid" => mount.uid = Some(val),
                    "gid" => mount.gid = Some(val),
                    "mode" => mount.mode = Some(val),
                    _ => {}
                }
            }
            Some(mount)
        })
        .collect()
}

/// CSV fields, with `"..."` quoting as Go's encoding/csv reads it.
fn split_fields(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cache_mounts() {
        let df = crate::syntax::parse(
            "FROM x\nRUN --mount=type=cache,target=/root/.cache/pip,sharing=locked --mount=type=bind,source=a,target=/a pip\n",
        );
        let m = mounts(&df.instructions[1]);
        assert_eq!(m.len(), 2);
        assert!(m[0].is_cache());
        assert_eq!(m[0].sharing.as_deref(), Some("locked"));
        assert!(m[0].covers("/root/.cache/pip/"));
        assert!(!m[0].covers("/root/.cache"));
        assert!(!m[1].is_cache());
    }
}
