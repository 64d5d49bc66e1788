"""Working copies of fixtures, and the changes the rebuild proof makes to them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

COMMENT = {".py": "#", ".sh": "#", ".txt": "#", ".js": "//", ".go": "//", ".ts": "//"}
FROM_LINE = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE | re.MULTILINE)


def copy_project(src: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, symlinks=True)
    return dest


def source_change(ws: Path, file: str, n: int) -> list[str]:
    p = ws / file
    mark = COMMENT.get(p.suffix, "#")
    with open(p, "a") as f:
        f.write(f"\n{mark} e2e source change {n}\n")
    return [file]


def manifest_change(ws: Path, repo: Path, spec: dict) -> tuple[list[str], bool]:
    """Apply the change; returns the changed paths and whether the Dockerfile itself was edited."""
    if "overlay" in spec:
        src = repo / spec["overlay"]
        changed = []
        for f in sorted(src.rglob("*")):
            if f.is_file():
                rel = f.relative_to(src)
                (ws / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(f, ws / rel)
                changed.append(str(rel))
        return changed, "Dockerfile" in changed
    if "append" in spec:
        file, text = spec["append"]
        with open(ws / file, "a") as f:
            f.write(text)
        return [file], file == "Dockerfile"
    if "replace" in spec:
        file, old, new = spec["replace"]
        p = ws / file
        text = p.read_text()
        if old not in text:
            raise ValueError(f"manifest change: {old!r} not found in {file}")
        p.write_text(text.replace(old, new, 1))
        return [file], file == "Dockerfile"
    raise ValueError(f"unknown manifest change {spec}")


def bases_of(dockerfile_text: str) -> list[str]:
    """The images the build pulls: what stages start from and what `COPY --from` or
    `RUN --mount=from=` name, stage names and numbers excluded. Docker Hub's long spelling
    (`docker.io/library/python:3.12`) is given short, as local tags are."""
    stages, images = set(), []
    for m in FROM_LINE.finditer(dockerfile_text):
        image = m.group(1)
        if image.lower() not in stages and image.lower() != "scratch":
            images.append(image)
        if m.group(2):
            stages.add(m.group(2).lower())
    for m in FROM_FLAG.finditer(dockerfile_text):
        source = m.group(1).strip("'\"")
        if source.lower() not in stages and not source.isdigit():
            images.append(source)
    defaults = global_arg_defaults(dockerfile_text)
    images = [VARIABLE.sub(lambda m: defaults.get(m.group(1) or m.group(2), ""), i) for i in images]
    return [re.sub(r"^docker\.io/(library/)?", "", i) for i in images]


VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")
GLOBAL_ARG = re.compile(r"^\s*ARG\s+(\w+)(?:=(\S*))?", re.IGNORECASE)


def global_arg_defaults(dockerfile_text: str) -> dict[str, str]:
    """The defaults of the ARGs declared before the first FROM: what a FROM line's variables
    become when no `--build-arg` is given (an undeclared one is empty)."""
    defaults = {}
    for line in dockerfile_text.splitlines():
        if FROM_LINE.match(line):
            break
        m = GLOBAL_ARG.match(line)
        if m:
            defaults[m.group(1)] = (m.group(2) or "").strip("'\"")
    return defaults


def valid_reference(image: str) -> bool:
    """Whether BuildKit could pull `image` at all: `debian:` (an empty variable after the colon)
    is refused before any step, so it is not a missing base but a refused file."""
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[0-9a-f]{64})?", image))


FROM_FLAG = re.compile(r"(?:^\s*COPY\s[^\n]*?--from=|--mount=\S*?\bfrom=)([^\s,]+)", re.IGNORECASE | re.MULTILINE)


def syntax_directive(dockerfile_text: str) -> str | None:
    lines = dockerfile_text.splitlines()
    i = syntax_line(lines)
    return None if i is None else SYNTAX_LINE.match(lines[i]).group(1)


SYNTAX_LINE = re.compile(r"^#\s*syntax\s*=\s*(\S+)", re.IGNORECASE)


def syntax_line(lines: list[str]) -> int | None:
    """The index of the `# syntax=` line among the comments that open the file."""
    for i, line in enumerate(lines):
        if SYNTAX_LINE.match(line):
            return i
        if not line.startswith("#"):
            return None
    return None

# The engine's built-in Dockerfile frontend stands in for these: the same 1.x syntax, at the
# engine's version. A file that needs newer syntax (heredocs on Docker 20.10) fails to build,
# and the harness reports it as not built.
BUILTIN_STANDS_IN = re.compile(r"^(docker\.io/)?docker/dockerfile:1(\.\d+){0,2}$")


def builtin_frontend_copy(dockerfile: Path, dest: Path) -> Path:
    """A copy of `dockerfile` (and its own `.dockerignore`) whose `# syntax=` line is a bare `#`,
    so the engine's built-in frontend parses it: no frontend image has to be pulled."""
    lines = dockerfile.read_text().splitlines(keepends=True)
    i = syntax_line(lines)
    if i is not None:
        lines[i] = "#" + ("\n" if lines[i].endswith("\n") else "")
    dest.write_text("".join(lines))
    own_ignore = dockerfile.with_name(dockerfile.name + ".dockerignore")
    if own_ignore.is_file():
        shutil.copyfile(own_ignore, dest.with_name(dest.name + ".dockerignore"))
    return dest
