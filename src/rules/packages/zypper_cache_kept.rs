//! DL3036 zypper-cache-kept: zypper download caches left in the image (the shared check is `clean_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct ZypperCacheKept {
        code: "DL3036",
        name: "zypper-cache-kept",
        summary: "`zypper install` leaves its downloads in the image: run `zypper clean` after it, or keep them in a cache mount.",
        severity: Warning,
        fixable: true,
    }
}

impl Rule for ZypperCacheKept {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::clean_check::check(&self.meta(), ctx, "zypper", out);
    }
}
