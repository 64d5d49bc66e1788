"""Two images compared: their file trees (from `docker export`) and the config fields a fix must keep.

A listing entry is (path, type, mode, size, link target). Not compared:
- modification times (every build writes new ones);
- package-manager cache directories, root's and other users' (a cache mount is meant to take
  them out of the image);
- files that differ between any two builds of the same Dockerfile (VOLATILE): apt and dpkg logs,
  debconf's and ld.so's caches, the files Docker itself writes into a container.
"""

from __future__ import annotations

import re
import subprocess
import tarfile
from pathlib import PurePosixPath

from .engine import DOCKER, Engine

CACHE_DIRS = (
    "root/.cache",  # pip, uv, go-build, poetry ...
    "root/.npm",
    "root/.local/share/pnpm",  # pnpm's store
    "go/pkg/mod",
    "root/go/pkg/mod",
    "var/cache/apt",
    "var/cache/dnf",  # dnf 4 (Fedora, and the rpm stand-in)
    "var/cache/libdnf5",
    "var/cache/yum",
    "var/cache/zypp",
    "var/lib/apt/lists",
    "tmp",
)
# Root's caches sit in the same place under another user's home (`USER app`: /home/app/.cache/pip).
HOME_CACHES = tuple(c.removeprefix("root/") for c in CACHE_DIRS if c.startswith("root/"))

VOLATILE = (
    ".dockerenv",
    "etc/hostname",
    "etc/hosts",
    "etc/resolv.conf",
    "etc/mtab",
    "var/log",
    "var/cache/debconf",
    "var/cache/ldconfig",
    "etc/ld.so.cache",
    "var/lib/dpkg/status-old",
    "var/lib/dpkg/lock",
    "var/lib/dpkg/lock-frontend",
    "var/lib/dpkg/triggers/Lock",
    # libzypp's HTTP cookie jar: written by a zypper that downloaded, so not by one whose cache
    # mount already held everything.
    "var/lib/YaST2",
)

CONFIG_FIELDS = ("Cmd", "Entrypoint", "Env", "User", "WorkingDir", "ExposedPorts", "Labels")
# How a fix description names a config field in words, where not by the field's own name.
FIELD_WORDS = {"WorkingDir": ("workingdir", "working directory")}


def under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p + "/") for p in prefixes)


def in_home(path: str) -> str | None:
    """The part of `path` below a user's home (`home/app/.npm` -> `.npm`)."""
    parts = path.split("/", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "home" else None


def in_cache(path: str) -> bool:
    rest = in_home(path)
    return under(path, CACHE_DIRS) or (rest is not None and under(rest, HOME_CACHES))


def ancestor_of_cache(path: str) -> bool:
    rest = in_home(path)
    return any(c.startswith(path + "/") for c in CACHE_DIRS) or (
        rest is not None and any(c.startswith(rest + "/") for c in HOME_CACHES)
    )


def listing(engine: Engine, image: str) -> dict[str, tuple]:
    cid = engine.docker("create", image, "true").stdout.strip()
    try:
        proc = subprocess.Popen([DOCKER, "export", cid], env=engine.env(), stdout=subprocess.PIPE)
        out = {}
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for m in tar:
                path = str(PurePosixPath(m.name.lstrip("./"))) if m.name not in (".", "./") else ""
                if not path or in_cache(path) or under(path, VOLATILE):
                    continue
                kind = "d" if m.isdir() else "l" if m.issym() else "h" if m.islnk() else "f" if m.isfile() else "o"
                size = m.size if kind == "f" else 0
                out[path] = (kind, oct(m.mode), size, m.linkname if kind in "lh" else "", m.uid, m.gid)
        proc.wait()
        return out
    finally:
        engine.docker("rm", cid, check=False)


# State the installed packages share, which a fix that installs fewer packages changes: the
# records of what is installed, the system users and groups their scripts add (openssh-client's
# `_ssh`), and which program an alternative points to (`pager`: less, or else more).
PACKAGE_STATE = (
    "var/lib/dpkg/status", "var/lib/dpkg/status-old", "var/lib/apt/extended_states",
    "etc/passwd", "etc/group", "etc/shadow", "etc/gshadow",
    "etc/alternatives", "var/lib/dpkg/alternatives",
)


def tree_differences(a: dict[str, tuple], b: dict[str, tuple], descriptions: list[str], limit: int = 12,
                     dockerfile: tuple[str, int, int] | None = None) -> tuple[list[str], list[str]]:
    """(differences no fix description announces, differences one names by path).

    `dockerfile` is (file name, size before, size after): a build that copies its whole context
    copies the Dockerfile too, and that copy changes with every fix whatever the fix does.
    """
    text = " ".join(descriptions)
    # A fix that says packages are no longer installed (apt's --no-install-recommends) cannot
    # name their files: it announces files that are gone, and changes to the state packages
    # share (PACKAGE_STATE), not other files that changed or appeared.
    removes_packages = "no longer installed" in text
    # Absolute paths a description names, as whole words: a named directory announces what
    # lies below it (DC007: "the image no longer gets /app/__pycache__").
    # A trailing `/` only says it is a directory (DL3021: "into the directory `/app/`").
    named = {m.rstrip(".,;:)").rstrip("/") for m in re.findall(r"/[^\s,;()`'\"]+", text)} - {""}

    def is_named(path: str) -> bool:
        parts = path.split("/")
        return any("/" + "/".join(parts[:i]) in named for i in range(1, len(parts) + 1))

    diffs, announced = [], []
    for path in sorted(set(a) | set(b)):
        x, y = a.get(path), b.get(path)
        if x == y:
            continue
        # A directory that only leads to a cache directory (a mount target's parent) is not content.
        if (x is None or x[0] == "d") and (y is None or y[0] == "d") and ancestor_of_cache(path):
            continue
        if x is None:
            d = f"only after the fix: /{path} {fmt(y)}"
        elif y is None:
            d = f"only before the fix: /{path} {fmt(x)}"
        else:
            d = f"/{path}: {fmt(x)} -> {fmt(y)}"
        own_copy = (dockerfile is not None and x is not None and y is not None and x[0] == y[0] == "f"
                    and PurePosixPath(path).name == dockerfile[0] and (x[2], y[2]) == dockerfile[1:])
        if own_copy:
            d += " (the Dockerfile itself, copied into the image by the build)"
        gone = removes_packages and (y is None or under(path, PACKAGE_STATE))
        (announced if own_copy or gone or is_named(path) or f"/{path}" in text else diffs).append(d)
    if len(diffs) > limit:
        diffs = diffs[:limit] + [f"... and {len(diffs) - limit} more"]
    return diffs, announced


def fmt(e: tuple) -> str:
    kind, mode, size, link, uid, gid = e
    return f"({kind} {mode} {size}B{' -> ' + link if link else ''} {uid}:{gid})"


def config_differences(a: dict, b: dict, descriptions: list[str]) -> tuple[list[str], list[str]]:
    """(differences no fix description announces, differences a description announces)."""
    bad, announced = [], []
    text = " ".join(descriptions)
    for field in CONFIG_FIELDS:
        x, y = a.get(field), b.get(field)
        if field == "Env":
            xs = dict(e.split("=", 1) for e in x or [])
            ys = dict(e.split("=", 1) for e in y or [])
            for k in sorted(set(xs) | set(ys)):
                if xs.get(k) != ys.get(k):
                    d = f"Env {k}: {xs.get(k)!r} -> {ys.get(k)!r}"
                    (announced if k in text and "environment" in text else bad).append(d)
        elif field == "Labels":
            # Label by label: a fix announces the key it writes or removes (DL4000: "LABEL
            # org.opencontainers.image.authors").
            xs, ys = x or {}, y or {}
            for k in sorted(set(xs) | set(ys)):
                if xs.get(k) != ys.get(k):
                    d = f"Label {k}: {xs.get(k)!r} -> {ys.get(k)!r}"
                    (announced if re.search(rf"(?<![\w.-]){re.escape(k)}(?![\w.-])", text) else bad).append(d)
        elif (x or None) != (y or None):
            d = f"{field}: {x!r} -> {y!r}"
            (announced if any(name in text.lower() for name in FIELD_WORDS.get(field, (field.lower(),))) else bad).append(d)
    return bad, announced
