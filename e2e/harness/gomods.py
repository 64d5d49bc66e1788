"""The Go module proxy's store, made from `e2e/gomodules/<module>@<version>/` source folders.

Layout (the GOPROXY protocol): `<module>/@v/list`, `<version>.info`, `.mod` and `.zip`, where
the zip holds every file under the prefix `<module>@<version>/`. `go_sum_lines` gives the
`go.sum` lines Go computes for them (its "h1:" directory hash), so fixtures can be checked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path


def modules(src: Path) -> list[tuple[str, str, Path]]:
    found = []
    for d in sorted(src.rglob("*@v*")):
        if d.is_dir():
            module, _, version = str(d.relative_to(src)).rpartition("@")
            found.append((module, version, d))
    return found


def files_of(d: Path) -> list[Path]:
    return sorted(p for p in d.rglob("*") if p.is_file())


def h1(named: list[tuple[str, bytes]]) -> str:
    summary = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(named))
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


def go_sum_lines(src: Path) -> dict[str, list[str]]:
    """module@version -> its two go.sum lines."""
    out = {}
    for module, version, d in modules(src):
        prefix = f"{module}@{version}/"
        tree = h1([(prefix + str(p.relative_to(d)), p.read_bytes()) for p in files_of(d)])
        mod = h1([("go.mod", (d / "go.mod").read_bytes())])
        out[f"{module}@{version}"] = [f"{module} {version} {tree}", f"{module} {version}/go.mod {mod}"]
    return out


def build_store(src: Path, store: Path) -> None:
    by_module: dict[str, list[str]] = {}
    for module, version, d in modules(src):
        v = store / module / "@v"
        v.mkdir(parents=True, exist_ok=True)
        by_module.setdefault(module, []).append(version)
        (v / f"{version}.info").write_text(json.dumps({"Version": version, "Time": "2024-01-01T00:00:00Z"}))
        (v / f"{version}.mod").write_bytes((d / "go.mod").read_bytes())
        with zipfile.ZipFile(v / f"{version}.zip", "w", zipfile.ZIP_DEFLATED) as z:
            for p in files_of(d):
                info = zipfile.ZipInfo(f"{module}@{version}/{p.relative_to(d)}", (2024, 1, 1, 0, 0, 0))
                z.writestr(info, p.read_bytes())
    for module, versions in by_module.items():
        (store / module / "@v" / "list").write_text("".join(v + "\n" for v in versions))


if __name__ == "__main__":
    import sys

    for lines in go_sum_lines(Path(sys.argv[1])).values():
        print("\n".join(lines))
