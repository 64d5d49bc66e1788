//! DL3009 apt-lists-not-deleted: apt download caches left in the image (the shared check is `clean_check`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};

crate::declare_rule! {
    pub struct AptListsNotDeleted {
        code: "DL3009",
        name: "apt-lists-not-deleted",
        summary: "`apt-get update` leaves the package lists in the image: delete them in the same RUN, or keep them in a cache mount.",
        severity: Info,
        fixable: true,
    }
}

impl Rule for AptListsNotDeleted {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        super::clean_check::check(&self.meta(), ctx, "apt", out);
    }
}
