"""Entry point: `e2e/run` (see e2e/README.md)."""

from __future__ import annotations

import argparse
import errno
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from datetime import datetime, timezone
from pathlib import Path

from . import bases, prepare, proofs, report, workspace
from .dlint import Dlint
from .engine import ENGINE_SUITE, Engine, HarnessError
from .indexes import Indexes

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="e2e/run", description="Build fixtures on a private Docker Engine and prove dlint's fixes.")
    ap.add_argument("--cache", default=os.environ.get("DLINT_E2E_CACHE", "/var/cache/dlint-e2e"), help="cache directory outside the repository (default: $DLINT_E2E_CACHE or /var/cache/dlint-e2e)")
    ap.add_argument("--dlint", default=os.environ.get("DLINT_BIN"), help="the dlint binary (default: build target/release/dlint)")
    ap.add_argument("--projects", help="comma-separated names from e2e/projects.toml (default: all)")
    ap.add_argument("--no-equivalence", action="store_true", help="skip the fixture equivalence sweep")
    ap.add_argument("--fixtures", help="comma-separated glob patterns (fixtures/rules/DC004/*): sweep only the matching fixtures, in the patterns' order (default: all)")
    ap.add_argument("--sweep-minutes", type=float, help="start no new fixture of the sweep after this many minutes of the run; the rest are reported as not run")
    ap.add_argument("--write-readme", action="store_true", help="write the generated table into README.md")
    args = ap.parse_args(argv)

    start = time.monotonic()
    log = lambda msg: print(f"[e2e {time.monotonic() - start:6.0f}s] {msg}", flush=True)
    cache = Path(args.cache).resolve()
    if cache.is_relative_to(REPO):
        raise HarnessError(f"the cache {cache} must be outside the repository")
    cache.mkdir(parents=True, exist_ok=True)
    projects = tomllib.loads((REPO / "e2e/projects.toml").read_text())["project"]
    if args.projects:
        wanted = set(args.projects.split(","))
        projects = [p for p in projects if p["name"] in wanted]
    xfail = {}
    xf = REPO / "e2e/xfail.toml"
    if xf.exists():
        for e in tomllib.loads(xf.read_text()).get("xfail", []):
            xfail[(e["fixture"], e["variant"])] = e["reason"]

    skip = {REPO / p["dir"] for p in projects}
    sweep = None if args.no_equivalence else proofs.select(proofs.discover(REPO, skip), args.fixtures)
    binary = Path(args.dlint) if args.dlint else build_dlint(log)
    needed = needed_bases(projects, sweep)
    log("fetching what the local indexes serve (once; kept in the cache)")
    # Only what the chosen projects and fixtures can ask for: on a fresh machine the wheels and
    # npm tarballs of every fixture are minutes of downloads.
    toolchain = lambda *names: any(t.split(":")[0] in names for t in needed)
    python = toolchain("python", "ghcr.io/astral-sh/uv") or any(p["manager"] in ("pip", "uv", "poetry", "pipenv") for p in projects)
    failed = prepare.wheels(REPO, projects, cache / "wheels", log) if python else []
    if toolchain("node") or any(p["manager"] in ("npm", "yarn", "pnpm") for p in projects):
        prepare.npm(REPO, cache / "npm", log)
    prepare.go(REPO, cache / "goproxy")
    if toolchain("fedora", "centos", "opensuse/leap"):
        prepare.rpm(REPO, cache / "rpm", log)
    mirror, _ = bases.host_mirror()

    engine = Engine(cache)
    indexes = Indexes(cache / "wheels", cache / "npm", cache / "goproxy", cache / "rpm", mirror)

    def stop_on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    engine.prepare(mirror, log)
    log(f"starting the engine (data root {engine.data_root}, socket {engine.socket})")
    engine.start()
    try:
        indexes.start()
        remove_previous_builds(engine, log)
        bases.ensure_bases(engine, cache, log, needed)
        indexes.mirrors.update(bases.distro_mirrors(cache))
        work = cache / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        out = proofs.Outcome()
        if failed:
            out.notes.append("pip download could not resolve: " + ", ".join(failed))
        ctx = proofs.Ctx(REPO, work, engine, indexes, Dlint(binary), xfail, out, log)
        out.fixable = ctx.dlint.fixable_rules()
        log("proof 1+3: the rebuild table, with `dlint cache` checked on every rebuild")
        for p in projects:
            proofs.rebuild_project(ctx, p)
            if free_disk(engine, cache, f"e2e/{p['name']}", log, always=True):
                fresh_engine(engine, cache, needed, log)
        if not args.no_equivalence:
            log("proof 2: fix equivalence on every fixture with a fix")
            local = {t for b in bases.BASES for t in b.tags}
            for label, dockerfile, context in sweep:
                if args.sweep_minutes is not None and time.monotonic() - start > args.sweep_minutes * 60:
                    out.equivalence.append({"fixture": label, "variant": "-", "skipped": f"not run: the run's time limit (--sweep-minutes {args.sweep_minutes:g}) was reached"})
                    continue
                proofs.equivalence_fixture(ctx, label, dockerfile, context, local)
                if free_disk(engine, cache, "e2e/eq", log):
                    fresh_engine(engine, cache, needed, log)
        if indexes.counters.misses:
            out.notes.append("requests the local indexes could not answer: " + ", ".join(sorted(set(indexes.counters.misses))[:20]))
        seconds = time.monotonic() - start
        # Kept before rendering, so a report that fails to render loses no measurement.
        (cache / "outcome.json").write_text(json.dumps(vars(out), indent=1, default=str))
        machine = describe_machine(engine)
        text = report.render(out, machine, seconds)
        print(text)
        (cache / "results.md").write_text(text)
        section = report.readme_section(out, machine, seconds)
        (cache / "readme-section.md").write_text(section)
        if args.write_readme:
            report.write_readme(REPO / "README.md", section)
            log("README.md: the section \"End-to-end builds\" was rewritten")
        return report.verdict(out)
    finally:
        indexes.stop()
        engine.docker("container", "prune", "--force", check=False)
        engine.stop()
        log("engine stopped")


def remove_previous_builds(engine: Engine, log) -> None:
    """Keep only the base images. With vfs every layer is a full copy of its root filesystem, and
    deleting them is slow, so it is done at the start of the next run, not at the end of this one
    (a CI machine starts with an empty cache and has nothing to delete)."""
    built = engine.docker("image", "ls", "-q", "--filter", "reference=e2e/*").stdout.split()
    if built:
        log(f"removing {len(set(built))} images of the previous run")
        engine.docker("rmi", "--force", *sorted(set(built)), check=False)
    engine.docker("image", "prune", "--force", check=False)
    engine.prune_build_cache()


# With vfs every layer is a full copy of its root filesystem: the origin-story project alone leaves
# about 30 GB of images. A finished project's images are removed at once; the sweep's, when less
# than this much space is free.
LOW_DISK = 25 * 1024**3


def free_disk(engine: Engine, cache: Path, reference: str, log, always: bool = False) -> bool:
    """Remove the images of `reference` (when `always`, or when the disk runs low) and every
    untagged image: a rebuild under the same tag leaves the previous image untagged, and its
    layers still hold their full copies. Returns whether the disk is still low."""
    free = shutil.disk_usage(cache).free
    if free >= LOW_DISK and not always:
        return False
    images = engine.docker("image", "ls", "-q", "--filter", f"reference={reference}*").stdout.split()
    if images:
        log(f"{free / 1024**3:.0f} GB free: removing the {len(set(images))} images of {reference} and the untagged ones")
        engine.docker("rmi", "--force", *sorted(set(images)), check=False)
    engine.docker("image", "prune", "--force", check=False)
    engine.prune_build_cache()
    return shutil.disk_usage(cache).free < LOW_DISK


def fresh_engine(engine: Engine, cache: Path, needed: set[str], log) -> None:
    """Restart the engine on an empty data root, with the bases imported again. Docker 26's
    BuildKit on vfs keeps layers that no image, container or cache record holds (a complete
    run leaked about 60 GB in 40 fixtures; `docker system df` counted 2 GB), so when removing
    images does not free the disk, the whole data root goes. Only between projects and fixtures:
    nothing a later build needs is lost."""
    log(f"{shutil.disk_usage(cache).free / 1024**3:.0f} GB free after removing images: a fresh engine (empty data root)")
    engine.stop()
    shutil.rmtree(engine.data_root)
    engine.start()
    bases.ensure_bases(engine, cache, log, needed)


def needed_bases(projects: list[dict], sweep: list | None) -> set[str]:
    """The base tags the projects and the swept fixtures start from."""
    files = [REPO / p["dir"] / "Dockerfile" for p in projects] + [f for _, f, _ in sweep or []]
    return {image for f in files for image in workspace.bases_of(f.read_text(errors="replace"))}


def build_dlint(log) -> Path:
    log("building dlint (cargo build --release)")
    res = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    if res.returncode != 0:
        raise HarnessError("cargo build --release failed")
    return REPO / "target/release/dlint"


def describe_machine(engine: Engine) -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem = int(line.split()[1]) / 1024 / 1024
    version = engine.docker("version", "--format", "{{.Server.Version}}", check=False).stdout.strip()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{when}; {os.cpu_count()} cores ({cpu}), {mem:.1f} GiB RAM, Linux {platform.release()}; Docker Engine {version} (Debian {ENGINE_SUITE}'s docker.io) and its built-in BuildKit, vfs storage"


def entry() -> int:
    try:
        return main(sys.argv[1:])
    except HarnessError as e:
        print(f"e2e: error: {e}", file=sys.stderr, flush=True)
        return 2
    except OSError as e:
        if e.errno == errno.ENOSPC:
            print(f"e2e: error: no space left on the disk ({e.filename}); with vfs a full run needs about 35 GB free", file=sys.stderr, flush=True)
            return 2
        raise
    except KeyboardInterrupt as e:
        print(f"e2e: interrupted ({e}); the engine was stopped", file=sys.stderr, flush=True)
        return 130
