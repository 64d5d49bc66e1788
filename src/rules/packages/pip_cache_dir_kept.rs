//! DL3042 pip-cache-dir-kept: hadolint's demand for `pip install --no-cache-dir`. dlint does
//! not make it: the right way to keep pip's cache out of the image is a cache mount, which
//! DC001 asks for (and it reports `--no-cache-dir`, which defeats the mount). The rule stays
//! so that configurations and comments naming DL3042 keep loading; it never reports.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

crate::declare_rule! {
    pub struct PipCacheDirKept {
        code: "DL3042",
        name: "pip-cache-dir-kept",
        summary: "Replaced by DC001: dlint asks for a cache mount, not `--no-cache-dir`. Never reports; kept so configurations naming it load.",
        severity: Warning,
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for PipCacheDirKept {
    fn check(&self, _ctx: &Context, _out: &mut Vec<Diagnostic>) {}
}
