#!/usr/bin/env python3
"""Compare dlint's ShellCheck findings with hadolint's on the corpus.

A hadolint finding (file, RUN line, SC code) is matched when dlint reports the same code
inside the same instruction. hadolint reports at most one ShellCheck finding per RUN (the last
one ShellCheck gives) at the RUN's first line; dlint reports every finding at its own line, so
dlint-only findings are expected and are counted, not judged. Files hadolint cannot parse
(DL1000: heredocs it does not read, mostly) are left out of the comparison; their findings are
dlint's extras.

    python3 bench/shellcheck_compare.py --dlint target/release/dlint \
        --hadolint /path/to/venv/bin/hadolint [--corpus ../shared/corpus] [--json out.json]

Prints the counts and the codes most often unmatched; exits 0. The hadolint run is cached in
bench/.cache/hadolint-sc.json (delete it to re-run).
"""
import argparse
import collections
import json
import os
import subprocess
import sys


# The shells dlint hands to ShellCheck (by SHELL's program); RUNs under others (PowerShell,
# cmd, zsh) are left alone by design, while hadolint runs ShellCheck on all but `pwsh`.
CHECKED_SHELLS = {"sh", "bash", "dash", "ash", "busybox", "ksh", "mksh", "ksh93"}


def shell_name(program):
    base = program.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base[:-4] if base.endswith(".exe") else base


def instruction_ranges(corpus):
    """path -> [(start_line, end_line)] from BuildKit's parse of the corpus, and the set of
    (path, start_line) of RUNs under a shell dlint does not check."""
    ranges, unchecked = {}, set()
    with open(os.path.join(corpus, "buildkit.jsonl")) as f:
        for line in f:
            rec = json.loads(line)
            if not rec.get("ok"):
                continue
            path = rec["path"]
            ranges[path] = [(i["start_line"], i["end_line"]) for i in rec["instructions"]]
            shell, by_stage = "sh", {}
            for i in rec["instructions"]:
                cmd, value = i["cmd"], i["value"]
                if cmd == "FROM":
                    shell = by_stage.get(value[0].lower(), "sh") if value else "sh"
                    if len(value) >= 3 and value[1].lower() == "as":
                        by_stage[value[2].lower()] = shell
                        current = value[2].lower()
                    else:
                        current = None
                elif cmd == "SHELL" and i["json"] and value:
                    shell = shell_name(value[0])
                    if current:
                        by_stage[current] = shell
                elif (cmd == "RUN" or i.get("sub_cmd") == "RUN") and shell not in CHECKED_SHELLS:
                    unchecked.add((path, i["start_line"]))
    return ranges, unchecked


def start_of(ranges, line):
    for start, end in ranges:
        if start <= line <= end:
            return start
    return None


def run_hadolint(hadolint, files_dir, paths, cache):
    if os.path.exists(cache):
        with open(cache) as f:
            return json.load(f)
    out = []
    for i in range(0, len(paths), 100):
        chunk = paths[i:i + 100]
        proc = subprocess.run([hadolint, "--no-fail", "-f", "json", *chunk], cwd=files_dir,
                              capture_output=True, text=True)
        out.extend(json.loads(proc.stdout or "[]"))
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w") as f:
        json.dump(out, f)
    return out


def run_dlint(dlint, files_dir, paths):
    out = []
    for i in range(0, len(paths), 500):
        chunk = paths[i:i + 500]
        proc = subprocess.run([dlint, "check", "--isolated", "--select", "SC", "--exit-zero",
                               "--output-format", "json-lines", *chunk], cwd=files_dir,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"dlint failed: {proc.stderr}")
        out.extend(json.loads(l) for l in proc.stdout.splitlines() if l.strip())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dlint", required=True)
    ap.add_argument("--hadolint", required=True)
    ap.add_argument("--corpus", default=os.environ.get("DLINT_CORPUS", "../shared/corpus"))
    ap.add_argument("--json", help="write the counts here too")
    ap.add_argument("--cache", default="bench/.cache/hadolint-sc.json")
    args = ap.parse_args()
    files_dir = os.path.join(args.corpus, "files")
    ranges, unchecked = instruction_ranges(args.corpus)
    paths = sorted(ranges)
    dlint_bin = os.path.abspath(args.dlint)

    hado = run_hadolint(os.path.abspath(args.hadolint), files_dir, paths, os.path.abspath(args.cache))
    unparsed = {d["file"] for d in hado if d["code"] == "DL1000"}
    compared = [p for p in paths if p not in unparsed]
    wanted = set(compared)
    hado_all = {(d["file"], d["line"], d["code"]) for d in hado
                if d["code"].startswith("SC") and d["file"] in wanted}
    # hadolint's findings in PowerShell, cmd and zsh stages: dlint runs no ShellCheck there.
    not_shell = {k for k in hado_all if (k[0], k[1]) in unchecked}
    hado_keys = hado_all - not_shell

    dl = run_dlint(dlint_bin, files_dir, paths)
    dl_keys = set()
    extras_unparsed = 0
    for d in dl:
        path = d.get("filename") or d.get("file") or d.get("path")
        line = d.get("line") or d.get("location", {}).get("row") or d.get("start", {}).get("line")
        code = d["code"]
        if not code.startswith("SC"):
            continue
        if path not in wanted:
            extras_unparsed += 1
            continue
        start = start_of(ranges.get(path, []), line)
        if start is not None:
            dl_keys.add((path, start, code))

    matched = hado_keys & dl_keys
    hado_only = hado_keys - dl_keys
    # dlint reports every finding; a RUN where hadolint reported one code and dlint several
    # counts the others here.
    dl_only = dl_keys - hado_keys
    ratio = len(matched) / len(hado_keys) if hado_keys else 1.0
    result = {
        "files_compared": len(compared),
        "files_hadolint_cannot_parse": len(unparsed),
        "hadolint_findings": len(hado_all),
        "hadolint_findings_in_non_posix_shell_stages": len(not_shell),
        "hadolint_findings_compared": len(hado_keys),
        "matched": len(matched),
        "hadolint_only": len(hado_only),
        "dlint_only": len(dl_only),
        "dlint_findings_in_files_hadolint_cannot_parse": extras_unparsed,
        "match_ratio": round(ratio, 4),
        "match_ratio_counting_non_posix_stages": round(len(matched) / len(hado_all), 4) if hado_all else 1.0,
    }
    print(json.dumps(result, indent=2))
    print("hadolint-only by code:", collections.Counter(c for _, _, c in hado_only).most_common(15))
    print("dlint-only by code:", collections.Counter(c for _, _, c in dl_only).most_common(15))
    for key in sorted(hado_only)[:40]:
        print("  hadolint-only:", *key)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
