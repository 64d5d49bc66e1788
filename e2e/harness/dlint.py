"""Running dlint on a workspace copy."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .engine import HarnessError

FIXED_LINE = re.compile(r"^\s+([A-Z]{2}\d{3,4}) (.*)$")
# ShellCheck's findings carry ShellCheck's own codes (SC2086) but are one dlint rule, `SC`.
SHELLCHECK_CODE = re.compile(r"^SC\d+$")


def rule_of(code: str) -> str:
    """The dlint rule a fix's code belongs to."""
    return "SC" if SHELLCHECK_CODE.match(code) else code


def rules_of(applied: list[tuple[str, str]]) -> list[str]:
    return sorted({rule_of(code) for code, _ in applied})


@dataclass
class Dlint:
    binary: Path

    def fix(self, dockerfile: Path, context: Path, unsafe: bool) -> list[tuple[str, str]]:
        """Apply fixes in place; returns the (code, description) of each fix applied."""
        cmd = [str(self.binary), "fix", "--show-fixes", "--isolated", "--context", str(context), str(dockerfile)]
        if unsafe:
            cmd.insert(2, "--unsafe-fixes")
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode not in (0, 1):
            raise HarnessError(f"dlint fix failed on {dockerfile} (exit {res.returncode}): {res.stderr.strip()[-1500:]}")
        applied = []
        in_block = False
        for line in (res.stdout + res.stderr).splitlines():
            if line.startswith("Fixed in "):
                in_block = True
                continue
            m = FIXED_LINE.match(line)
            if in_block and m:
                applied.append((m.group(1), m.group(2)))
            elif not line.startswith(" "):
                in_block = False
        return applied

    def fixable_rules(self) -> list[str]:
        """Every rule that offers a fix, from `dlint rules`."""
        res = subprocess.run([str(self.binary), "rules", "--output-format", "json"], capture_output=True, text=True)
        if res.returncode != 0:
            raise HarnessError(f"dlint rules failed (exit {res.returncode}): {res.stderr.strip()[-1500:]}")
        return [r["code"] for r in json.loads(res.stdout) if r["fixable"]]

    def cache_plan(self, dockerfile: Path, context: Path, changed: list[str]) -> dict:
        cmd = [str(self.binary), "cache", str(dockerfile), "--context", str(context), "--output-format", "json"]
        for c in changed:
            cmd += ["--changed", c]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            raise HarnessError(f"dlint cache failed on {dockerfile} (exit {res.returncode}): {res.stderr.strip()[-1500:]}")
        return json.loads(res.stdout)
