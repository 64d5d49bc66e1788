//! DL3019 apk-cache-kept: apk download caches left in the image (the shared check is `clean_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct ApkCacheKept {
        code: "DL3019",
        name: "apk-cache-kept",
        summary: "`apk add` keeps the package index in the image: use `--no-cache`, or keep it in a cache mount.",
        severity: Info,
        fixable: true,
    }
}

impl Rule for ApkCacheKept {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::clean_check::check(&self.meta(), ctx, "apk", out);
    }
}
