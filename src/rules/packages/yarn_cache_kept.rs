//! DL3060 yarn-cache-kept: yarn download caches left in the image (the shared check is `clean_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct YarnCacheKept {
        code: "DL3060",
        name: "yarn-cache-kept",
        summary: "`yarn install` leaves its download cache in the image: run `yarn cache clean`, or keep it in a cache mount.",
        severity: Info,
        fixable: true,
    }
}

impl Rule for YarnCacheKept {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::clean_check::check(&self.meta(), ctx, "yarn", out);
    }
}
