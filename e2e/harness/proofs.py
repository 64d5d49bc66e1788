"""The three proofs: the rebuild table, fix equivalence, and `dlint cache` against BuildKit."""

from __future__ import annotations

import fnmatch
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import compare, workspace
from .dlint import Dlint, rules_of
from .engine import BuildResult, Engine, build, image_config, image_size
from .indexes import Indexes

VARIANTS = (("as written", None), ("dlint fix", False), ("dlint fix --unsafe-fixes", True))


@dataclass
class Measure:
    ok: bool
    bytes: int
    seconds: float
    result: BuildResult


@dataclass
class Outcome:
    """Everything the run found; `hard` fails the run, `soft` is a target not reached yet."""

    hard: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)
    xfailed: list[str] = field(default_factory=list)
    xpassed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    table: list[dict] = field(default_factory=list)
    equivalence: list[dict] = field(default_factory=list)
    cache_checks: list[dict] = field(default_factory=list)
    # Every rule that offers a fix: what the report counts as proven by a build, or not yet.
    fixable: list[str] = field(default_factory=list)


@dataclass
class Ctx:
    repo: Path
    work: Path
    engine: Engine
    indexes: Indexes
    dlint: Dlint
    xfail: dict[tuple[str, str], str]
    out: Outcome
    log: callable


def measured_build(ctx: Ctx, ws: Path, tag: str, what: str) -> Measure:
    before = ctx.indexes.counters.snapshot()
    res = build(ctx.engine, ws, ws / "Dockerfile", tag)
    after = ctx.indexes.counters.snapshot()
    m = Measure(res.ok, sum(after.values()) - sum(before.values()), res.seconds, res)
    ctx.log(f"    {what}: {'built' if m.ok else 'FAILED'}, {mb(m.bytes)} downloaded, {m.seconds:.0f} s")
    return m


def expect_failure(ctx: Ctx, fixture: str, variant: str, problem: str) -> None:
    """A fix that breaks the build or changes the image: a bug, unless recorded in e2e/xfail.toml."""
    key = (fixture, variant)
    if key in ctx.xfail:
        ctx.out.xfailed.append(f"{fixture} [{variant}]: {problem.splitlines()[0]} (known: {ctx.xfail[key]})")
    else:
        ctx.out.hard.append(f"{fixture} [{variant}]: {problem}")


def expect_success(ctx: Ctx, fixture: str, variant: str) -> None:
    if (fixture, variant) in ctx.xfail:
        ctx.out.xpassed.append(f"{fixture} [{variant}] passes now: remove it from e2e/xfail.toml")


def compare_images(ctx: Ctx, fixture: str, variant: str, before: str, after: str, applied: list[tuple[str, str]],
                   dockerfile: tuple[str, int, int] | None = None) -> dict:
    descriptions = [d for _, d in applied]
    tree, announced_files = compare.tree_differences(compare.listing(ctx.engine, before), compare.listing(ctx.engine, after),
                                                     descriptions, dockerfile=dockerfile)
    bad, announced = compare.config_differences(image_config(ctx.engine, before), image_config(ctx.engine, after), descriptions)
    announced += announced_files
    row = {"fixture": fixture, "variant": variant, "tree": tree, "config": bad, "announced": announced, "rules": rules_of(applied)}
    ctx.out.equivalence.append(row)
    # The verdict goes to the log at once, so that a run stopped early still tells what it proved.
    verdict = "DIFFERS" if tree or bad else f"equal ({len(announced)} announced difference(s))" if announced else "equal"
    ctx.log(f"  {fixture} [{variant}]: {verdict}")
    if tree or bad:
        expect_failure(ctx, fixture, variant, "the image differs from the original's:\n      " + "\n      ".join(tree + bad))
    else:
        expect_success(ctx, fixture, variant)
    return row


# --- `dlint cache` against BuildKit -----------------------------------------------------------

STEP_LABEL = re.compile(r"^\[(?:(\S+) )?(\d+)/(\d+)\] (.*)$")


def rerun_by_buildkit(res: BuildResult, single_stage: bool) -> dict[tuple[str, int], str]:
    """(stage, step number from 1 after FROM) -> instruction, for each step BuildKit did not take from cache."""
    out = {}
    for s in res.steps:
        m = STEP_LABEL.match(s.name)
        if not m or m.group(2) == "1":  # [1/m] is FROM
            continue
        if not s.cached:
            # BuildKit sometimes names the only stage `stage-0`, sometimes not at all.
            out[("" if single_stage else m.group(1) or "", int(m.group(2)) - 1)] = m.group(4)
    return out


def rerun_by_dlint(plan: dict, single_stage: bool) -> dict[tuple[str, int], str]:
    out = {}
    for stage in plan["stages"]:
        if not stage.get("built", True):
            continue
        label = "" if single_stage else (stage["name"] or f"stage-{stage['index']}")
        for i, step in enumerate(stage["steps"], start=1):
            if step["status"] != "cached":
                out[(label, i)] = step["instruction"]
    return out


def check_cache_plan(ctx: Ctx, name: str, variant: str, change: str, plan: dict | None, res: BuildResult) -> None:
    if plan is None:
        ctx.out.cache_checks.append({"project": name, "variant": variant, "change": change, "result": "not compared", "why": "the change edits the Dockerfile, which `dlint cache` does not model"})
        return
    single = len(plan["stages"]) == 1
    actual = rerun_by_buildkit(res, single)
    predicted = rerun_by_dlint(plan, single)
    # Steps are compared by stage and number: BuildKit's label shows an instruction as it ran
    # (arguments expanded, long lines cut), dlint's plan as written.
    if actual.keys() == predicted.keys():
        ctx.out.cache_checks.append({"project": name, "variant": variant, "change": change, "result": "match", "steps": len(actual)})
        return
    missed = [f"{k[0]} step {k[1]} `{v}`" for k, v in sorted(actual.items()) if k not in predicted]
    extra = [f"{k[0]} step {k[1]} `{v}`" for k, v in sorted(predicted.items()) if k not in actual]
    why = "; ".join(
        ([f"BuildKit re-ran, dlint said cached: {', '.join(missed)}"] if missed else [])
        + ([f"dlint said re-run, BuildKit used its cache: {', '.join(extra)}"] if extra else [])
    )
    ctx.out.cache_checks.append({"project": name, "variant": variant, "change": change, "result": "MISMATCH", "why": why})
    # Reported as a target not reached (the summary gives the level reached), not a CI failure yet.
    ctx.out.soft.append(f"dlint cache on {name} [{variant}] after a {change}: {why}")


# --- the rebuild table (with equivalence and cache checks on the same builds) ---------------------


def rebuild_project(ctx: Ctx, project: dict) -> None:
    name = project["name"]
    src = ctx.repo / project["dir"]
    original_tag = f"e2e/{name}:as-written"
    previous: dict[str, dict] = {}
    for label, unsafe in VARIANTS:
        ws = workspace.copy_project(src, ctx.work / f"{name}-{len(previous)}")
        applied = [] if unsafe is None else ctx.dlint.fix(ws / "Dockerfile", ws, unsafe)
        text = (ws / "Dockerfile").read_text()
        same = next((l for l, r in previous.items() if r["text"] == text), None)
        row = {"project": name, "manager": project["manager"], "variant": label, "fixes": [c for c, _ in applied], "text": text}
        previous[label] = row
        if same:
            prior = previous[same]
            row.update({k: prior[k] for k in ("cold", "source", "manifest", "image") if k in prior})
            row["same_as"] = same
            ctx.out.table.append(row)
            continue
        ctx.log(f"  {name}: {label}: cold build")
        ctx.engine.prune_build_cache()
        tag = f"e2e/{name}:{len(previous) - 1}"
        cold = measured_build(ctx, ws, tag, "cold")
        if not cold.ok:
            if unsafe is None:
                ctx.out.hard.append(f"{name}: the project as written does not build: {cold.result.failure_report(name)}")
                return
            expect_failure(ctx, name, label, f"the fixed file does not build: {cold.result.failure_report(name + ' ' + label)}")
            ctx.out.table.append(row)
            continue
        row["cold"] = (cold.bytes, cold.seconds)
        row["image"] = image_size(ctx.engine, tag)
        if unsafe is None:
            ctx.engine.docker("tag", tag, original_tag)
        else:
            sizes = ("Dockerfile", len(previous["as written"]["text"].encode()), len(text.encode()))
            compare_images(ctx, name, label, original_tag, tag, applied, sizes)
        # A source change: what re-runs and what downloads.
        changed = workspace.source_change(ws, project["source"], 1)
        plan = ctx.dlint.cache_plan(ws / "Dockerfile", ws, changed)
        m = measured_build(ctx, ws, tag, "source change")
        if not m.ok:
            ctx.out.hard.append(f"{name} [{label}] after a source change: {m.result.failure_report(name)}")
            ctx.out.table.append(row)
            continue
        row["source"] = (m.bytes, m.seconds)
        check_cache_plan(ctx, name, label, "source change", plan, m.result)
        # A manifest change.
        changed, edits_dockerfile = workspace.manifest_change(ws, ctx.repo, project["manifest"])
        plan = None if edits_dockerfile else ctx.dlint.cache_plan(ws / "Dockerfile", ws, changed)
        m = measured_build(ctx, ws, tag, "manifest change")
        if not m.ok:
            ctx.out.hard.append(f"{name} [{label}] after a manifest change: {m.result.failure_report(name)}")
            ctx.out.table.append(row)
            continue
        row["manifest"] = (m.bytes, m.seconds)
        check_cache_plan(ctx, name, label, "manifest change", plan, m.result)
        ctx.out.table.append(row)
    goals(ctx, name, [r for r in ctx.out.table if r["project"] == name])


def goals(ctx: Ctx, name: str, rows: list[dict]) -> None:
    """The issue's goal: after the fixes a source change downloads nothing."""
    for row in rows:
        if row["variant"] == "dlint fix --unsafe-fixes" and "source" in row and row["source"][0] > 0:
            ctx.out.soft.append(
                f"{name}: after `dlint fix --unsafe-fixes` a source change still downloads {mb(row['source'][0])} (target: 0)"
            )


# --- fix equivalence on every other fixture ----------------------------------------------------


def discover(repo: Path, skip_dirs: set[Path]) -> list[tuple[str, Path, Path]]:
    """(label, Dockerfile, build context) for every Dockerfile under fixtures/ outside the table."""
    found = []
    for f in sorted((repo / "fixtures").rglob("*")):
        if not f.is_file() or f.suffix in (".snap", ".dockerignore", ".e2e-skip", ".e2e-context"):
            continue
        if not (f.name == "Dockerfile" or f.name.endswith(".Dockerfile") or f.name.startswith("Dockerfile.")):
            continue
        if any(f.is_relative_to(d) for d in skip_dirs):
            continue
        rel = f.relative_to(repo)
        if rel.parts[1] == "rules":
            ctx_dir = f.parent / "context"
            context = ctx_dir if ctx_dir.is_dir() else f.parent
        else:
            context = f.parent
        # `<name>.e2e-context` names the build context relative to the file's folder, where it is
        # not that folder (a compose file building `docker/api.Dockerfile` with the project's root).
        named = f.with_name(f.name + ".e2e-context")
        if named.is_file():
            context = (f.parent / named.read_text().strip()).resolve()
        found.append((str(rel), f, context))
    return found


def select(found: list[tuple[str, Path, Path]], patterns: str | None) -> list[tuple[str, Path, Path]]:
    """The fixtures matching `patterns` (comma-separated globs over their labels), in the
    patterns' order; all of them when there are none."""
    if not patterns:
        return found
    chosen, seen = [], set()
    for pattern in patterns.split(","):
        for item in found:
            if item[0] not in seen and fnmatch.fnmatchcase(item[0], pattern.strip()):
                seen.add(item[0])
                chosen.append(item)
    return chosen


def opt_out(f: Path, context: Path) -> str | None:
    for marker in (f.with_name(f.name + ".e2e-skip"), context / ".e2e-skip"):
        if marker.exists():
            return marker.read_text().strip() or "(no reason given)"
    return None


def equivalence_fixture(ctx: Ctx, label: str, dockerfile: Path, context: Path, local_bases: set[str]) -> None:
    text = dockerfile.read_text(errors="replace")
    reason = opt_out(dockerfile, context)
    syntax = workspace.syntax_directive(text)
    # A reference BuildKit cannot parse is not a missing base: the file is refused, and a fix
    # that makes it buildable is still checked (see fixed_builds_where_original_failed).
    missing = [b for b in workspace.bases_of(text) if b not in local_bases and workspace.valid_reference(b)]
    if reason:
        why = f"opted out: {reason}"
    elif syntax and not workspace.BUILTIN_STANDS_IN.match(syntax):
        why = f"`# syntax={syntax}` needs that frontend image from a registry"
    elif missing:
        why = f"no local base for {', '.join(sorted(set(missing)))}"
    else:
        why = None
    # Only files dlint changes are fix examples.
    ws_root = ctx.work / "eq" / re.sub(r"[^A-Za-z0-9_.-]", "_", label)
    ws = workspace.copy_project(context, ws_root / "original")
    variants = []
    previous = text
    for i, (vlabel, unsafe) in enumerate(VARIANTS[1:], start=1):
        # Each variant gets its own copy of the context: a fix may also write there (DC007's
        # .dockerignore), and the original must be built from the untouched one.
        vctx = workspace.copy_project(context, ws_root / f"fixed-{i}")
        fixed = ws_root / f"{i}.Dockerfile"
        fixed.write_text(text)
        # A Dockerfile-specific ignore file (`<name>.dockerignore` beside it) goes with the copy,
        # for BuildKit and for dlint alike.
        own_ignore = dockerfile.with_name(dockerfile.name + ".dockerignore")
        if own_ignore.is_file():
            shutil.copyfile(own_ignore, fixed.with_name(fixed.name + ".dockerignore"))
        applied = ctx.dlint.fix(fixed, vctx, unsafe)
        new = fixed.read_text()
        if new != previous or any(p.name == ".dockerignore" for p in vctx.iterdir() if not (ws / p.name).exists()):
            variants.append((vlabel, fixed, vctx, applied))
            previous = new
    if not variants:
        return
    # The rules whose fixes a skipped fixture would have proven: the report says why they are not.
    rules = sorted({r for *_, applied in variants for r in rules_of(applied)})
    if why:
        ctx.out.equivalence.append({"fixture": label, "variant": "-", "skipped": why, "rules": rules})
        ctx.log(f"  {label}: skipped, {why}")
        return
    # Files that name docker/dockerfile:1 are built with the engine's own frontend (no registry).
    as_built = (lambda f, n: workspace.builtin_frontend_copy(f, ws_root / f"{n}.builtin.Dockerfile")) if syntax else (lambda f, n: f)
    ctx.log(f"  {label}: building the original" + (f" (`# syntax={syntax}`: with the engine's built-in frontend)" if syntax else ""))
    tag0 = f"e2e/eq:{len(ctx.out.equivalence)}-0"
    orig = build(ctx.engine, ws, as_built(dockerfile, 0), tag0)
    if not orig.ok:
        failed = [s.name for s in orig.steps if s.error]
        where = failed[0] if failed else "before any step"
        why = f"the original does not build here ({where}: {orig.error_line()})"
        failure = f"fails at `{failed[0]}`" if failed else "is refused by BuildKit"
        if fixed_builds_where_original_failed(ctx, label, variants, as_built, f"the original {failure} ({orig.error_line()})"):
            return
        ctx.out.equivalence.append({"fixture": label, "variant": "-", "skipped": why, "rules": rules})
        ctx.log(f"  {label}: skipped, {why}")
        return
    for n, (vlabel, fixed, vctx, applied) in enumerate(variants, start=1):
        ctx.log(f"  {label}: building after {vlabel}")
        tag = f"e2e/eq:{len(ctx.out.equivalence)}-{vlabel.count('-') + 1}"
        res = build(ctx.engine, vctx, as_built(fixed, n), tag)
        if not res.ok:
            expect_failure(ctx, label, vlabel, f"the fixed file does not build: {res.failure_report(label + ' ' + vlabel)}")
            ctx.out.equivalence.append({"fixture": label, "variant": vlabel, "tree": [], "config": ["does not build"], "announced": [],
                                        "rules": rules_of(applied)})
            ctx.log(f"  {label} [{vlabel}]: DOES NOT BUILD")
            continue
        sizes = (dockerfile.name, dockerfile.stat().st_size, fixed.stat().st_size)
        compare_images(ctx, label, vlabel, tag0, tag, applied, sizes)


def fixed_builds_where_original_failed(ctx: Ctx, label: str, variants: list, as_built, failure: str) -> bool:
    """The original did not build: BuildKit refused it before any step (a parse or definition
    error), or a step failed (`yum install` without `-y` aborts at its prompt). There is no image
    to compare with, but a fix that makes the file buildable can still be checked: it must build.
    Records the variants that do; returns whether any did (else the fixture is not built)."""
    rows = []
    for n, (vlabel, fixed, vctx, applied) in enumerate(variants, start=1):
        ctx.log(f"  {label}: {failure}; building after {vlabel}")
        res = build(ctx.engine, vctx, as_built(fixed, n), f"e2e/eq:{len(ctx.out.equivalence)}-refused-{n}")
        if res.ok:
            rows.append({"fixture": label, "variant": vlabel, "skipped": failure, "fixed_builds": True, "rules": rules_of(applied)})
            ctx.log(f"  {label} [{vlabel}]: builds, where the original did not")
    ctx.out.equivalence.extend(rows)
    return bool(rows)


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 50_000 else f"{n / 1e3:.0f} kB" if n else "0 B"


def elapsed(start: float) -> str:
    return f"{time.monotonic() - start:.0f} s"
