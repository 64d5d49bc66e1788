"""What the local indexes serve, fetched once into the cache (outside the repository).

- wheels: `pip download` (Linux x86_64, CPython 3.11: what the python base runs) of every
  requirements file, uv.lock, poetry.lock and pyproject.toml (build requirements, dependencies)
  the fixtures, projects and manifest changes have, plus each project's manifest change;
- npm: the tarballs every package-lock.json, pnpm-lock.yaml and yarn.lock names, and a packument
  per package listing them;
- both: what fixtures install by name alone (e2e/indexes.toml);
- Go: modules made from e2e/gomodules (proxy.golang.org is not reachable here);
- rpm: stand-in packages for the rpm bases (e2e/indexes.toml), built here with rpmbuild and
  indexed with createrepo_c: no Fedora, CentOS or openSUSE mirror is reachable here.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

from . import gomods
from .engine import HarnessError, need
from .indexes import fetch

PLATFORMS = ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64", "any"]


def wheels(repo: Path, projects: list[dict], dest: Path, log) -> list[str]:
    """Download wheels for every file `python_requirements` reads (and each project's manifest
    change and pip-extra); returns the files pip could not resolve."""
    reqs: list[tuple[str, str]] = []  # (label, requirements text)
    roots = [repo / "fixtures", repo / "e2e/projects", repo / "e2e/changes"]
    for f in sorted(f for r in roots for f in r.rglob("*") if f.is_file()):
        text = python_requirements(f)
        if text:
            reqs.append((str(f.relative_to(repo)), text))
    extra = named_only(repo)["pip"]
    if extra:
        reqs.append(("e2e/indexes.toml", "".join(f"{r}\n" for r in extra)))
    for p in projects:
        m = p.get("manifest", {})
        if "append" in m and m["append"][0].startswith("requirements"):
            base = (repo / p["dir"] / m["append"][0]).read_text()
            reqs.append((f"{p['name']} manifest change", base + m["append"][1]))
        for extra in p.get("pip-extra", []):
            reqs.append((f"{p['name']} extra", extra + "\n"))
    key = hashlib.sha256(repr((reqs, PLATFORMS)).encode()).hexdigest()[:16]
    done = dest / f".done-{key}"
    failed_file = dest / f".failed-{key}"
    if done.exists():
        return json.loads(failed_file.read_text()) if failed_file.exists() else []
    dest.mkdir(parents=True, exist_ok=True)
    failed = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    for label, text in reqs:
        # `-r` includes and constraints are followed relative to the file's own folder.
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as t:
            t.write("\n".join(l for l in text.splitlines() if not l.strip().startswith(("-r", "-c", "-e", "--"))) + "\n")
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(dest), "--only-binary=:all:",
               "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311", "--abi", "abi3", "--abi", "none"]
        for p in PLATFORMS:
            cmd += ["--platform", p]
        if label.endswith(".lock"):
            cmd.append("--no-deps")  # a lock is the whole closure, pinned
        res = subprocess.run(cmd + ["-r", t.name], capture_output=True, text=True, env=env)
        os.unlink(t.name)
        if res.returncode != 0 and label.endswith(".lock"):
            # One package without a wheel for this platform must not cost the rest of the lock.
            missing = [l for l in text.splitlines() if l and subprocess.run(cmd + [l], capture_output=True, env=env).returncode != 0]
            res = subprocess.CompletedProcess(res.args, 1 if missing else 0, "", f"no wheel for {', '.join(missing)}")
        if res.returncode != 0:
            failed.append(label)
            log(f"  pip download could not resolve {label}: {res.stderr.strip().splitlines()[-1:]}")
    failed_file.write_text(json.dumps(failed))
    done.touch()
    return failed


def python_requirements(f: Path) -> str:
    """What `f` asks pip, uv or poetry to install, as requirement lines ("" for other files):
    a requirements file as it is; a uv.lock or poetry.lock pinned package by package (those from
    an index: not the project itself, paths or git); a pyproject.toml's build requirements and
    dependencies (what `pip install .` fetches)."""
    name = f.name
    if name.startswith("requirements") and name.endswith(".txt"):
        return f.read_text(errors="replace")
    if name not in ("uv.lock", "poetry.lock", "pyproject.toml"):
        return ""
    try:
        data = tomllib.loads(f.read_text(errors="replace"))
    except tomllib.TOMLDecodeError:
        return ""
    if name == "pyproject.toml":
        wanted = list(data.get("build-system", {}).get("requires", []))
        wanted += list(data.get("project", {}).get("dependencies", []))
        return "".join(f"{w}\n" for w in wanted if isinstance(w, str))
    pins = []
    for package in data.get("package", []):
        source = package.get("source", {})
        # uv: `source = { registry = ... }`; poetry: no source table for an index package.
        from_index = "registry" in source if name == "uv.lock" else source.get("type") in (None, "legacy")
        if from_index and package.get("name") and package.get("version"):
            pins.append(f"{package['name']}=={package['version']}\n")
    return "".join(pins)


def named_only(repo: Path) -> dict[str, list[str]]:
    """What fixtures install by name alone (e2e/indexes.toml), per index."""
    data = tomllib.loads((repo / "e2e/indexes.toml").read_text())
    return {index: list(data.get(index, [])) for index in ("pip", "npm", "rpm")}


NPM_REGISTRY = "https://registry.npmjs.org/"
NODE_LOCKS = ("package-lock.json", "pnpm-lock.yaml", "yarn.lock")


def npm(repo: Path, store: Path, log) -> None:
    locks = sorted(f for root in (repo / "fixtures", repo / "e2e") for f in root.rglob("*") if f.name in NODE_LOCKS)
    wanted: dict[str, dict[str, str]] = {}  # name -> version -> resolved url
    for lock in locks:
        for name, version, url in node_lock_packages(lock):
            wanted.setdefault(name, {})[version] = url
    for name, version, url in named_npm_packages(named_only(repo)["npm"], store):
        wanted.setdefault(name, {})[version] = url
    for name, versions in sorted(wanted.items()):
        pdir = store / name
        missing = [v for v, url in versions.items() if not (pdir / url.rsplit("/", 1)[1]).exists()]
        if not missing and (pdir / "packument.json").exists():
            continue
        for v in missing:
            url = versions[v]
            fetch(url, pdir / url.rsplit("/", 1)[1])
        full = registry_packument(name)
        have = {f.name for f in pdir.glob("*.tgz")}
        kept = {}
        for v, meta in full.get("versions", {}).items():
            file = meta.get("dist", {}).get("tarball", "").rsplit("/", 1)[-1]
            if file in have:
                meta["dist"]["tarball"] = f"@@REGISTRY@@/{name}/-/{file}"
                kept[v] = meta
        latest = max(kept, key=lambda v: [int(x) if x.isdigit() else 0 for x in v.split("-")[0].split(".")])
        doc = {"name": name, "versions": kept, "dist-tags": {"latest": latest}}
        (pdir / "packument.json").write_text(json.dumps(doc))
    log(f"  npm store: {len(wanted)} packages")


def registry_packument(name: str) -> dict:
    with urllib.request.urlopen(f"{NPM_REGISTRY}{name.replace('/', '%2f')}", timeout=120) as r:
        return json.load(r)


def registry_tarball(name: str, version: str) -> str:
    """The public registry's tarball URL (`@scope/name` -> `@scope/name/-/name-1.0.0.tgz`)."""
    return f"{NPM_REGISTRY}{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def named_npm_packages(specs: list[str], store: Path) -> list[tuple[str, str, str]]:
    """(name, version, tarball URL) for `name`, `name@version`, `@scope/name@version` (the
    latest version when none is given), with the optional dependencies npm installs on this
    platform (linux, x64, glibc: TypeScript 7 and pnpm 10+ ship their binaries so). Resolved
    once; the answer is kept in `store` so later runs need no registry."""
    key = hashlib.sha256(repr(specs).encode()).hexdigest()[:16]
    kept = store / f".named-{key}.json"
    if kept.exists():
        return [tuple(x) for x in json.loads(kept.read_text())]

    def for_this_platform(meta: dict) -> bool:
        fits = lambda field, value: not meta.get(field) or value in meta[field]
        return fits("os", "linux") and fits("cpu", "x64") and fits("libc", "glibc")

    found = []
    for spec in specs:
        name, _, version = spec[1:].partition("@") if spec.startswith("@") else spec.partition("@")
        name = "@" + name if spec.startswith("@") else name
        full = registry_packument(name)
        version = version or full["dist-tags"]["latest"]
        meta = full["versions"][version]
        found.append((name, version, meta["dist"]["tarball"]))
        for dep, wanted in (meta.get("optionalDependencies") or {}).items():
            try:
                dep_meta = registry_packument(dep).get("versions", {}).get(wanted)
            except urllib.error.HTTPError:  # an optional package never published
                continue
            if dep_meta and for_this_platform(dep_meta):
                found.append((dep, wanted, dep_meta["dist"]["tarball"]))
    store.mkdir(parents=True, exist_ok=True)
    kept.write_text(json.dumps(found))
    return found


PNPM_KEY = re.compile(r"^  '?/?((?:@[^/@\s']+/)?[^/@\s'(]+)@([^(:'\s]+)")
YARN_RESOLVED = re.compile(r'^\s+resolved "?https://registry\.(?:yarnpkg\.com|npmjs\.org)/((?:@[^/]+/)?[^/]+)/-/[^"#\s]+?-(\d[^"#\s]*)\.tgz')


def node_lock_packages(lock: Path) -> list[tuple[str, str, str]]:
    """(name, version, tarball URL on the public registry) of the registry packages a
    package-lock.json, pnpm-lock.yaml (v6 to v9) or yarn.lock (v1) names."""
    text = lock.read_text(errors="replace")
    found = []
    if lock.name == "package-lock.json":
        try:
            data = json.loads(text)
        except ValueError:
            return []
        for path, entry in data.get("packages", {}).items():
            url = entry.get("resolved", "")
            if path and url.startswith(NPM_REGISTRY):
                found.append((path.rsplit("node_modules/", 1)[1], entry["version"], url))
        return found
    if lock.name == "pnpm-lock.yaml":
        # The `packages:` section's keys: `name@version` (v9), `/name@version` (v6), scoped names
        # quoted; a peer suffix in parentheses is not part of the version.
        section = text.split("\npackages:\n", 1)[1].split("\nsnapshots:\n", 1)[0] if "\npackages:\n" in text else ""
        for line in section.splitlines():
            m = PNPM_KEY.match(line)
            if m and not line.startswith("   "):
                name, version = m.groups()
                found.append((name, version, registry_tarball(name, version)))
        return found
    for line in text.splitlines():  # yarn.lock v1: the registry URL names package and version
        m = YARN_RESOLVED.match(line)
        if m:
            name, version = m.groups()
            found.append((name, version, registry_tarball(name, version)))
    return found


# A package of the rpm stand-in: a file that names it, so an install is visible in the image, and
# 512 kB of random bytes, so that what a build downloads shows in the rebuild table.
STANDIN_SPEC = """\
Name: %{standin_name}
Version: %{standin_version}
Release: 1
Summary: Stand-in package of dlint's end-to-end harness
License: MIT
BuildArch: noarch
%description
Stands in for the package of this name and version, which no reachable mirror serves.
%install
mkdir -p %{buildroot}/usr/share/e2e-standin/%{standin_name}
echo %{standin_version} > %{buildroot}/usr/share/e2e-standin/%{standin_name}/version
head -c 524288 /dev/urandom > %{buildroot}/usr/share/e2e-standin/%{standin_name}/payload
%files
/usr/share/e2e-standin/%{standin_name}
"""


def rpm(repo: Path, dest: Path, log) -> None:
    """The rpm repository of the stand-in bases: a package per `name-version` in
    e2e/indexes.toml's `rpm` list, and createrepo_c's metadata. Made again only when the list
    or the spec changes."""
    specs = named_only(repo)["rpm"]
    key = hashlib.sha256(repr((specs, STANDIN_SPEC)).encode()).hexdigest()[:16]
    stamp = dest / f".made-{key}"
    if stamp.exists():
        return
    for tool, package in (("rpmbuild", "rpm"), ("createrepo_c", "createrepo-c")):
        need(tool, package)
    log(f"rpm stand-in repository: {', '.join(specs)}")
    subprocess.run(["rm", "-rf", str(dest)], check=True)
    dest.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "standin.spec"
        spec.write_text(STANDIN_SPEC)
        for item in specs:
            name, _, version = item.rpartition("-")
            res = subprocess.run(["rpmbuild", "-bb", "--define", f"_topdir {tmp}/top", "--define", f"_rpmdir {dest}",
                                  "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
                                  "--define", f"standin_name {name}", "--define", f"standin_version {version}", str(spec)],
                                 capture_output=True, text=True)
            if res.returncode != 0 or not name:
                raise HarnessError(f"rpmbuild of the stand-in {item} failed: {res.stderr.strip()[-1500:]}")
    res = subprocess.run(["createrepo_c", "--quiet", str(dest)], capture_output=True, text=True)
    if res.returncode != 0:
        raise HarnessError(f"createrepo_c failed: {res.stderr.strip()[-1500:]}")
    stamp.touch()


def go(repo: Path, store: Path) -> None:
    gomods.build_store(repo / "e2e/gomodules", store)
