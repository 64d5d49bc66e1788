//! BK012 from-platform-flag-const-disallowed (BuildKit's `FromPlatformFlagConstDisallowed`):
//! `FROM --platform=linux/amd64` pins a stage to one platform.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Declared, Rule};
use crate::syntax::Keyword;

crate::declare_rule! {
    pub struct FromPlatformFlagConstDisallowed {
        code: "BK012",
        name: "from-platform-flag-const-disallowed",
        summary: "FROM --platform with a constant value pins the stage to one platform.",
        severity: Warning,
        fixable: false,
        aliases: ["FromPlatformFlagConstDisallowed"],
    }
}

const KNOWN_OS: [&str; 12] = [
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "illumos",
    "ios",
    "js",
    "linux",
    "netbsd",
    "openbsd",
    "windows",
];

/// The operating system and normalised architecture of a platform string (containerd's
/// reading: `os`, `arch`, `os/arch` or `os/arch/variant`).
pub fn os_and_architecture(platform: &str) -> Option<(String, String)> {
    let parts: Vec<String> = platform.split('/').map(str::to_ascii_lowercase).collect();
    let (os, arch) = match parts.as_slice() {
        [one] if KNOWN_OS.contains(&one.as_str()) => (one.clone(), "amd64".to_string()),
        [one] => ("linux".to_string(), one.clone()),
        [os, arch] | [os, arch, _] => (os.clone(), arch.clone()),
        _ => return None,
    };
    let arch = match arch.as_str() {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "armhf" | "armel" | "armv7" | "armv7l" | "armv6l" => "arm",
        "i386" | "i686" => "386",
        other => other,
    }
    .to_string();
    (!os.is_empty() && !arch.is_empty()).then_some((os, arch))
}

/// The normalised architecture of a platform string.
pub fn architecture(platform: &str) -> Option<String> {
    os_and_architecture(platform).map(|(_, arch)| arch)
}

impl Rule for FromPlatformFlagConstDisallowed {
    fn check(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let meta = self.meta();
        for from in ctx
            .syntax
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            let Some(flag) = from.flag("platform") else {
                continue;
            };
            let Some(value) = flag.value.as_deref().filter(|v| !v.contains('$')) else {
                continue;
            };
            let Some((os, arch)) = os_and_architecture(value) else {
                continue;
            };
            let stage = super::stage_name_word(from)
                .map(|(_, n)| n.text.to_ascii_lowercase())
                .unwrap_or_default();
            // A stage named for its platform (`build_amd64`) is meant to be platform-specific.
            if stage.contains(&os) || stage.contains(&arch) {
                continue;
            }
            out.push(
                Diagnostic::for_rule(&meta, flag.span, format!("`--platform={value}` pins this stage to one platform, so the Dockerfile cannot build for others"))
                    .with_help("leave --platform out, use a variable such as $BUILDPLATFORM, or name the stage for its platform"),
            );
        }
    }
}
