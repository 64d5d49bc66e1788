//! Consistency checks the schema alone cannot express.

use std::collections::HashSet;

use super::{Knowledge, ManifestOnly};

const SHARING: &[&str] = &["shared", "locked", "private"];

/// Every problem found, as messages naming the place; empty when the table is sound.
pub(super) fn validate(k: &Knowledge) -> Vec<String> {
    let mut p = Vec::new();
    if k.version != 1 {
        p.push(format!(
            "version {} is not supported (expected 1)",
            k.version
        ));
    }
    if k.truthy_values.is_empty() {
        p.push("truthy-values is empty".into());
    }
    if k.managers.is_empty() {
        p.push("no manager".into());
    }
    if k.removal.executables.is_empty() {
        p.push("removal.executables is empty".into());
    }

    let mut programs: HashSet<&str> = HashSet::new();
    for w in &k.wrappers {
        let at = format!("wrapper {}", w.name);
        non_empty(&mut p, &at, "executables", w.executables.len());
        for e in &w.executables {
            executable(&mut p, &at, e);
            if !programs.insert(e) {
                p.push(format!("{at}: executable {e:?} is claimed twice"));
            }
        }
        flags(&mut p, &at, "options-with-value", &w.options_with_value);
        flags(&mut p, &at, "stop-flags", &w.stop_flags);
    }
    let mut names = HashSet::new();
    for i in &k.interpreters {
        let at = format!("interpreter {}", i.name);
        if !names.insert(i.name.as_str()) {
            p.push(format!("{at}: duplicate interpreter name"));
        }
        non_empty(&mut p, &at, "executables", i.executables.len());
        for e in &i.executables {
            executable(&mut p, &at, e);
            if !programs.insert(e) {
                p.push(format!("{at}: executable {e:?} is claimed twice"));
            }
        }
        if i.module_flag.is_none() && !i.script {
            p.push(format!("{at}: needs a module-flag or script = true"));
        }
        if let Some(f) = &i.module_flag {
            flag(&mut p, &at, "module-flag", f);
        }
        flags(&mut p, &at, "options-with-value", &i.options_with_value);
        flags(&mut p, &at, "stop-flags", &i.stop_flags);
    }

    let mut manager_names = HashSet::new();
    for m in &k.managers {
        let at = format!("manager {}", m.name);
        if m.name.trim().is_empty() {
            p.push("a manager has an empty name".into());
        }
        for pattern in &m.project.source_line_patterns {
            if let Err(e) = regex::Regex::new(pattern) {
                p.push(format!(
                    "{at}: project.source-line-patterns {pattern:?}: {e}"
                ));
            }
        }
        if !m.project.source_line_patterns.is_empty() && m.project.text_manifest.is_none() {
            p.push(format!(
                "{at}: project.source-line-patterns without a text-manifest"
            ));
        }
        if !manager_names.insert(m.name.as_str()) {
            p.push(format!("{at}: duplicate manager name"));
        }
        if m.description.trim().is_empty() {
            p.push(format!("{at}: empty description"));
        }
        if m.executables.is_empty() && m.modules.is_empty() {
            p.push(format!("{at}: no invocation (executables or modules)"));
        }
        for e in &m.executables {
            executable(&mut p, &at, e);
            if !programs.insert(e) {
                p.push(format!("{at}: executable {e:?} is claimed twice"));
            }
        }
        for mi in &m.modules {
            match k.interpreters.iter().find(|i| i.name == mi.interpreter) {
                None => p.push(format!(
                    "{at}: module {:?} names unknown interpreter {:?}",
                    mi.module, mi.interpreter
                )),
                Some(i) if i.module_flag.is_none() => p.push(format!(
                    "{at}: interpreter {:?} has no module-flag",
                    mi.interpreter
                )),
                Some(_) => {}
            }
            if mi.module.trim().is_empty() {
                p.push(format!("{at}: empty module name"));
            }
        }
        flags(&mut p, &at, "options-with-value", &m.options_with_value);
        flags(&mut p, &at, "no-cache-flags", &m.no_cache_flags);
        flags(&mut p, &at, "info-flags", &m.info_flags);
        for f in &m.no_cache_flags {
            if m.options_with_value.contains(f) {
                p.push(format!(
                    "{at}: no-cache flag {f:?} is also listed as taking a value"
                ));
            }
        }
        for d in &m.env_disables {
            env_name(&mut p, &at, &d.var);
        }
        for (var, value) in &m.assumed_env {
            env_name(&mut p, &at, var);
            if value.is_empty() {
                p.push(format!("{at}: assumed-env {var} is empty"));
            }
        }

        // Caches.
        non_empty(&mut p, &at, "cache", m.caches.len());
        let mut ids = HashSet::new();
        for c in &m.caches {
            let cat = format!("{at}: cache {:?}", c.id);
            if c.id.trim().is_empty() {
                p.push(format!("{at}: a cache has an empty id"));
            }
            if !ids.insert(c.id.as_str()) {
                p.push(format!("{cat}: duplicate cache id"));
            }
            dir(&mut p, &cat, "dir", &c.dir);
            if let Some(r) = &c.root_dir
                && !r.starts_with('/')
            {
                p.push(format!("{cat}: root-dir {r:?} must be absolute"));
            }
            for r in &c.relocate {
                env_name(&mut p, &cat, &r.var);
                if r.suffix.starts_with('/') || r.suffix.ends_with('/') {
                    p.push(format!("{cat}: suffix {:?} must be relative", r.suffix));
                }
            }
        }
        for f in &m.cache_dir_flags {
            flag(&mut p, &at, "cache-dir-flags", &f.flag);
            if m.cache(&f.cache).is_none() {
                p.push(format!(
                    "{at}: cache-dir flag {:?} names unknown cache {:?}",
                    f.flag, f.cache
                ));
            }
        }

        flags(&mut p, &at, "offline-flags", &m.offline_flags);
        flags(&mut p, &at, "local-only-flags", &m.local_only_flags);
        for r in &m.config_relocations {
            if m.cache(&r.cache).is_none() || r.keys.is_empty() || r.command.trim().is_empty() {
                p.push(format!(
                    "{at}: config relocation {:?} needs a command, keys and a known cache (not {:?})",
                    r.command, r.cache
                ));
            }
        }

        // Mount.
        if let Some(s) = &m.mount.sharing
            && !SHARING.contains(&s.as_str())
        {
            p.push(format!(
                "{at}: mount sharing {s:?} is not one of {SHARING:?}"
            ));
        }
        for var in m.mount.env.keys() {
            env_name(&mut p, &at, var);
        }
        for s in &m.mount.setup {
            if s.run.trim().is_empty() == s.flag.trim().is_empty() || s.why.trim().is_empty() {
                p.push(format!(
                    "{at}: a mount setup step needs a why and exactly one of run and flag"
                ));
            }
            if !s.changes.is_empty() && s.run.is_empty() {
                p.push(format!(
                    "{at}: a mount setup step's changes says where its run writes"
                ));
            }
        }

        // Commands.
        let mut spellings = HashSet::new();
        for c in &m.commands {
            let cat = format!("{at}: command {:?}", c.name);
            for s in c.spellings() {
                if s.trim().is_empty() || s != s.trim() || s.contains("  ") {
                    p.push(format!("{cat}: badly spaced spelling {s:?}"));
                }
                if s.starts_with('-') {
                    p.push(format!("{cat}: spelling {s:?} looks like a flag"));
                }
                if !spellings.insert(s) {
                    p.push(format!("{at}: {s:?} is spelled by two commands"));
                }
                if m.goal_style.is_some() && s.contains(' ') {
                    p.push(format!("{cat}: goals are single words"));
                }
            }
            for id in c.caches.iter().flatten() {
                if m.cache(id).is_none() {
                    p.push(format!("{cat}: caches names unknown cache {id:?}"));
                }
            }
            flags(&mut p, &cat, "requires-all", &c.requires_all);
            flags(&mut p, &cat, "requires-any", &c.requires_any);
            flags(&mut p, &cat, "when-any", &c.when_any);
            flags(&mut p, &cat, "manifest-flags", &c.manifest_flags);
            flags(&mut p, &cat, "operand-flags", &c.operand_flags);
            let manifest_only = c.manifest_only != ManifestOnly::Never;
            if manifest_only && c.action != super::Action::Install {
                p.push(format!("{cat}: only an install can be manifest-only"));
            }
            if !manifest_only && (!c.requires_all.is_empty() || !c.requires_any.is_empty()) {
                p.push(format!(
                    "{cat}: requires-* only make sense for manifest-only commands"
                ));
            }
            if c.manifest_only == ManifestOnly::ManifestFlags && c.manifest_flags.is_empty() {
                p.push(format!(
                    "{cat}: manifest-only = manifest-flags without manifest-flags"
                ));
            }
            let manifests = c.manifests.as_ref().unwrap_or(&m.manifests);
            if manifest_only && manifests.is_empty() {
                p.push(format!("{cat}: manifest-only, but no manifests are known"));
            }
            if let Some(own) = &c.manifests {
                non_empty(&mut p, &cat, "manifests", own.len());
            }
        }
        if let Some(d) = &m.default_command
            && !m.commands.iter().any(|c| &c.name == d)
        {
            p.push(format!("{at}: default-command {d:?} is not a command"));
        }
        for g in &m.manifests {
            if g.trim().is_empty() || g.starts_with('/') {
                p.push(format!("{at}: manifest {g:?} must be a relative glob"));
            }
        }
        lint(&mut p, &at, m);
    }
    p
}

/// The package rules' facts must name real flags, commands and executables of the manager.
fn lint(p: &mut Vec<String>, at: &str, m: &super::Manager) {
    let l = &m.lint;
    let own = |e: &String| m.executables.contains(e);
    if let Some(y) = &l.yes {
        let at = format!("{at}: lint.yes");
        non_empty(p, &at, "commands", y.commands.len());
        non_empty(p, &at, "flags", y.flags.len());
        flags(p, &at, "flags", &y.flags);
        if !y.flags.contains(&y.add) {
            p.push(format!("{at}: add {:?} is not one of its flags", y.add));
        }
    }
    if let Some(pin) = &l.pin {
        let at = format!("{at}: lint.pin");
        non_empty(p, &at, "commands", pin.commands.len());
        if pin.marks.is_empty() && !pin.dash_version {
            p.push(format!(
                "{at}: no way to write a version (marks or dash-version)"
            ));
        }
        flags(p, &at, "version-flags", &pin.version_flags);
        flags(p, &at, "release-flags", &pin.release_flags);
        flags(p, &at, "file-flags", &pin.file_flags);
    }
    if let Some(r) = &l.recommends {
        let at = format!("{at}: lint.recommends");
        non_empty(p, &at, "commands", r.commands.len());
        non_empty(p, &at, "flags", r.flags.len());
        flags(p, &at, "flags", &r.flags);
    }
    if let Some(i) = &l.interactive {
        if !own(&i.executable) || !own(&i.instead) {
            p.push(format!(
                "{at}: lint.interactive names executables the manager does not have"
            ));
        }
        non_empty(
            p,
            at,
            "lint.interactive.same-commands",
            i.same_commands.len(),
        );
    }
    if let Some(c) = &l.clean {
        non_empty(p, at, "lint.clean.commands", c.commands.len());
        if let Some(e) = c.executables.iter().find(|e| !own(e)) {
            p.push(format!(
                "{at}: lint.clean: {e:?} is not an executable of the manager"
            ));
        }
    }
}

fn non_empty(p: &mut Vec<String>, at: &str, what: &str, len: usize) {
    if len == 0 {
        p.push(format!("{at}: {what} is empty"));
    }
}

fn executable(p: &mut Vec<String>, at: &str, e: &str) {
    if e.is_empty() || e.contains('/') || e.contains(char::is_whitespace) || e.starts_with('-') {
        p.push(format!("{at}: {e:?} is not an executable name"));
    }
}

fn flag(p: &mut Vec<String>, at: &str, what: &str, f: &str) {
    let ok = (f.starts_with('-') || f.starts_with('+'))
        && f.len() >= 2
        && f != "--"
        && !f.contains(char::is_whitespace)
        && !f.contains('=');
    if !ok {
        p.push(format!(
            "{at}: {what}: {f:?} is not a flag (flags start with '-')"
        ));
    }
}

fn flags(p: &mut Vec<String>, at: &str, what: &str, fs: &[String]) {
    let mut seen = HashSet::new();
    for f in fs {
        flag(p, at, what, f);
        if !seen.insert(f) {
            p.push(format!("{at}: {what}: {f:?} listed twice"));
        }
    }
}

fn env_name(p: &mut Vec<String>, at: &str, v: &str) {
    let ok = v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        p.push(format!("{at}: {v:?} is not an environment variable name"));
    }
}

fn dir(p: &mut Vec<String>, at: &str, what: &str, d: &str) {
    let ok = (d.starts_with('/') || d.starts_with("$HOME/"))
        && !d.ends_with('/')
        && !d.contains("//")
        && !d.contains(char::is_whitespace);
    if !ok {
        p.push(format!(
            "{at}: {what} {d:?} must be absolute or start with $HOME/, without a trailing '/'"
        ));
    }
}
