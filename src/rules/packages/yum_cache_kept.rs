//! DL3032 yum-cache-kept: yum download caches left in the image (the shared check is `clean_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct YumCacheKept {
        code: "DL3032",
        name: "yum-cache-kept",
        summary: "`yum install` leaves its downloads in the image: run `yum clean all` after it, or keep them in a cache mount.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for YumCacheKept {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::clean_check::check(&self.meta(), ctx, "yum", out);
    }
}
