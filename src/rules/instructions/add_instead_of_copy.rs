//! DL3020 add-instead-of-copy: ADD of local files, where COPY says what is meant.

use crate::analysis::copies::{self, CopyInstruction, SourceKind};
use crate::context::{SourceMatch, SourceOptions, resolve_source_with};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct AddInsteadOfCopy {
        code: "DL3020",
        name: "add-instead-of-copy",
        summary: "ADD of local files or directories: COPY does the same without ADD's surprises.",
        severity: Error,
        fixable: true,
    }
}

/// File name endings of archives ADD unpacks (by content; these names are how authors mark them).
const ARCHIVE_ENDINGS: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst",
    ".gz", ".bz2", ".xz", ".zst", ".lz4", ".tar.lz4",
];

/// ADD-only flags: with them ADD does what COPY cannot.
const ADD_ONLY_FLAGS: &[&str] = &["checksum", "keep-git-dir", "unpack"];

impl Rule for AddInsteadOfCopy {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for copy in copies::analyse(ctx.syntax, ctx.model) {
            let inst = &ctx.syntax.instructions[copy.instruction];
            if inst.keyword != Keyword::Add
                || ADD_ONLY_FLAGS.iter().any(|f| inst.flag(f).is_some())
                || !copy.sources.iter().any(is_plain_local)
            {
                continue;
            }
            // With a URL, heredoc, archive or unknown source beside the local ones, COPY
            // cannot replace ADD: report without a fix.
            let all_local = copy.sources.iter().all(is_plain_local);
            let copy_word = if inst.keyword_text.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            let edits = vec![Edit::replace(inst.keyword_span, copy_word)];
            let fix = all_local.then(|| match archive_risk(ctx, &copy) {
                None => Fix::safe("replace ADD with COPY (no source is an archive)", edits),
                Some(reason) => Fix::unsafe_(
                    format!(
                        "replace ADD with COPY (unsafe: {reason}; ADD unpacks a local tar archive, COPY copies it as it is)"
                    ),
                    edits,
                ),
            });
            out.push(
                self.finding(
                    inst.keyword_span,
                    "ADD of local files: COPY does the same, while ADD also unpacks archives and fetches URLs, which a reader must rule out",
                )
                .with_help("use COPY; keep ADD for URLs and for archives you mean to unpack")
                .with_fix(fix),
            );
        }
    }
}

/// A build-context source that is not named like an archive.
fn is_plain_local(source: &crate::analysis::copies::CopySource) -> bool {
    source.kind == SourceKind::Path && !is_archive_name(&source.expanded)
}

fn is_archive_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    ARCHIVE_ENDINGS.iter().any(|e| lower.ends_with(e))
}

/// Why the sources might be archives ADD would unpack, or None when the build context proves
/// none is: every source is a directory, or a file whose first bytes are not an archive's.
fn archive_risk(ctx: &Context, copy: &CopyInstruction) -> Option<String> {
    if copy.from.is_some() {
        // `ADD --from` reads another stage: its files are not at hand.
        return Some("the sources come from another stage, whose files dlint cannot read".into());
    }
    let Some(build) = ctx.build_context else {
        return Some(
            "without the build context dlint cannot tell whether a source is an archive".into(),
        );
    };
    for source in &copy.sources {
        if source.kind != SourceKind::Path {
            return Some(format!(
                "`{}` is not known before the build",
                source.written
            ));
        }
        let matched = resolve_source_with(build, &source.expanded, &SourceOptions::default());
        let SourceMatch::Files(indices) = matched else {
            return Some(format!("`{}` is not in the build context", source.expanded));
        };
        let roots: Vec<&crate::context::ContextFile> = indices
            .iter()
            .map(|&i| &build.files[i])
            .filter(|f| is_root(f, &indices, build))
            .collect();
        for file in roots {
            if file.is_dir {
                continue;
            }
            if file.is_symlink
                || looks_like_archive(&build.root.join(&file.rel_path)) != Some(false)
            {
                return Some(format!("`{}` may be an archive", file.rel_path));
            }
        }
    }
    None
}

/// A matched entry that is not below another matched directory: what ADD sees as a source
/// (archives inside a copied directory are copied as they are).
fn is_root(
    file: &crate::context::ContextFile,
    indices: &[usize],
    build: &crate::context::Context,
) -> bool {
    !indices.iter().any(|&j| {
        let other = &build.files[j];
        other.is_dir
            && file.rel_path.len() > other.rel_path.len()
            && file.rel_path.starts_with(&other.rel_path)
            && file.rel_path.as_bytes()[other.rel_path.len()] == b'/'
    })
}

/// Whether a file starts like a tar archive or a compressed stream ADD would unpack; None
/// when it cannot be read.
fn looks_like_archive(path: &std::path::Path) -> Option<bool> {
    use std::io::Read;
    let mut head = [0u8; 512];
    let mut file = std::fs::File::open(path).ok()?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]).ok()? {
            0 => break,
            k => n += k,
        }
    }
    let head = &head[..n];
    const MAGIC: &[&[u8]] = &[
        b"\x1f\x8b",         // gzip
        b"BZh",              // bzip2
        b"\xfd7zXZ\x00",     // xz
        b"\x28\xb5\x2f\xfd", // zstd
        b"\x04\x22\x4d\x18", // lz4
    ];
    let compressed = MAGIC.iter().any(|m| head.starts_with(m));
    Some(compressed || tar_header(head))
}

/// A tar header: the `ustar` magic, or (old v7 archives have none) a valid header checksum.
fn tar_header(head: &[u8]) -> bool {
    if head.len() < 512 {
        return false;
    }
    if &head[257..262] == b"ustar" {
        return true;
    }
    let field = String::from_utf8_lossy(&head[148..156]);
    let Ok(stored) = u32::from_str_radix(field.trim_matches(|c: char| c == ' ' || c == '\0'), 8)
    else {
        return false;
    };
    let sum: u32 = head[..512]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(b)
            }
        })
        .sum();
    stored == sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Applicability;
    use crate::rules::{LintOptions, RuleSelection, lint};
    use crate::source::SourceFile;

    fn fixes(text: &str, build: Option<&crate::context::Context>) -> Vec<Option<Applicability>> {
        let source = SourceFile::new("Dockerfile", text.to_string());
        let options = LintOptions {
            build_context: build,
        };
        lint(&source, &RuleSelection::only(&["DL3020"]), &options)
            .into_iter()
            .map(|d| d.fix.map(|f| f.applicability))
            .collect()
    }

    #[test]
    fn without_the_context_the_fix_is_unsafe_and_mixed_sources_get_none() {
        let text = "FROM a:1\nADD app.py /app/\nADD https://example.com/x app.py /app/\n";
        assert_eq!(fixes(text, None), [Some(Applicability::Unsafe), None]);
    }

    #[test]
    fn archives_are_told_by_content() {
        let dir = std::env::temp_dir().join(format!("dlint-dl3020-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut tar = vec![0u8; 512];
        tar[..5].copy_from_slice(b"a.txt");
        tar[257..262].copy_from_slice(b"ustar");
        std::fs::write(dir.join("layer.bin"), &tar).unwrap();
        std::fs::write(dir.join("plain.txt"), "hello").unwrap();
        assert_eq!(looks_like_archive(&dir.join("layer.bin")), Some(true));
        assert_eq!(looks_like_archive(&dir.join("plain.txt")), Some(false));
        let build = crate::context::Context::load(&dir, None).unwrap();
        assert_eq!(
            fixes(
                "FROM a:1\nADD plain.txt /x\nADD layer.bin /y\n",
                Some(&build)
            ),
            [Some(Applicability::Safe), Some(Applicability::Unsafe)]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn old_tar_headers_pass_the_checksum() {
        let mut head = vec![0u8; 512];
        head[..5].copy_from_slice(b"a.txt");
        head[148..156].copy_from_slice(b"        ");
        let sum: u32 = head.iter().map(|&b| u32::from(b)).sum();
        let field = format!("{sum:06o}\0 ");
        head[148..156].copy_from_slice(field.as_bytes());
        assert!(tar_header(&head));
        head[0] = b'b';
        assert!(!tar_header(&head));
    }
}
