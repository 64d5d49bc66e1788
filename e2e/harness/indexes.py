"""Package indexes on 127.0.0.1 that count the bytes they serve.

- pip/uv: a PEP 503 simple index over a folder of wheels. File responses carry the same
  `Cache-Control` as the public index: pip keeps an HTTP download in its cache only when the
  response says it may (and, over plain http, only from a `trusted-host`).
- npm: a registry serving packuments and tarballs fetched once from the public registry.
- Go: a module proxy (GOPROXY protocol) over modules made from source folders in the repository.
- apt: a pass-through proxy to the machine's Debian mirror, counting what it forwards.

Every server counts body bytes sent; `Counters.snapshot()` and a difference give what one build
downloaded.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import threading
import urllib.request
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from .ports import APT_PORT, GOPROXY_PORT, NPM_PORT, PIP_PORT, RPM_PORT

IMMUTABLE = "max-age=365000000, immutable"


class Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        # Bytes served per index kind, whichever kinds the servers report.
        self.bytes: defaultdict[str, int] = defaultdict(int)
        self.misses: list[str] = []

    def add(self, kind: str, n: int) -> None:
        with self.lock:
            self.bytes[kind] += n

    def miss(self, kind: str, path: str) -> None:
        with self.lock:
            self.misses.append(f"{kind}: {path}")

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return dict(self.bytes)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class Handler(BaseHTTPRequestHandler):
    kind = ""
    counters: Counters

    def log_message(self, *args) -> None:  # quiet: the harness reports what matters
        pass

    def send_body(self, body: bytes, ctype: str, cache: str | None = None, head: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if cache:
            self.send_header("Cache-Control", cache)
        self.end_headers()
        if not head:
            self.wfile.write(body)
            self.counters.add(self.kind, len(body))

    def not_found(self, record: bool = True) -> None:
        """404; `record` lists the path among the run's unanswered requests."""
        if record:
            self.counters.miss(self.kind, self.path)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self.handle_get(head=True)

    def do_GET(self) -> None:
        self.handle_get(head=False)


class PipHandler(Handler):
    kind = "pip"
    wheels: Path

    def handle_get(self, head: bool) -> None:
        path = unquote(self.path.split("?", 1)[0])
        parts = [p for p in path.split("/") if p]
        if parts == ["simple"]:
            names = sorted({normalize(f.name.split("-", 1)[0]) for f in self.wheels.glob("*.whl")})
            links = "".join(f'<a href="/simple/{n}/">{n}</a>\n' for n in names)
            return self.send_body(f"<!DOCTYPE html><html><body>\n{links}</body></html>".encode(), "text/html", "max-age=600", head)
        if len(parts) == 2 and parts[0] == "simple":
            want = normalize(parts[1])
            files = sorted(f for f in self.wheels.glob("*.whl") if normalize(f.name.split("-", 1)[0]) == want)
            if not files:
                return self.not_found()
            links = "".join(
                f'<a href="/files/{html.escape(f.name)}#sha256={sha256(f)}">{html.escape(f.name)}</a>\n' for f in files
            )
            return self.send_body(f"<!DOCTYPE html><html><body>\n{links}</body></html>".encode(), "text/html", "max-age=600", head)
        if len(parts) == 2 and parts[0] == "files":
            f = self.wheels / parts[1]
            if f.is_file() and "/" not in parts[1]:
                return self.send_body(f.read_bytes(), "application/octet-stream", IMMUTABLE, head)
        return self.not_found()


_sha_cache: dict[Path, str] = {}


def sha256(f: Path) -> str:
    if f not in _sha_cache:
        _sha_cache[f] = hashlib.sha256(f.read_bytes()).hexdigest()
    return _sha_cache[f]


class NpmHandler(Handler):
    kind = "npm"
    store: Path

    def handle_get(self, head: bool) -> None:
        path = unquote(self.path.split("?", 1)[0]).lstrip("/")
        if "/-/" in path:
            name, _, file = path.partition("/-/")
            f = self.store / name / file
            if "/" not in file and f.is_file():
                return self.send_body(f.read_bytes(), "application/octet-stream", IMMUTABLE, head)
            return self.not_found()
        doc = self.store / path / "packument.json"
        if doc.is_file():
            host = f"http://127.0.0.1:{NPM_PORT}"
            body = doc.read_text().replace("@@REGISTRY@@", host).encode()
            return self.send_body(body, "application/json", "max-age=300", head)
        return self.not_found()


class StaticHandler(Handler):
    """The files of a folder: the Go proxy's (<module path>/@v/{list,<v>.info,<v>.mod,<v>.zip})
    and the rpm stand-in repository's (packages and repodata/)."""

    store: Path
    # Files clients ask for first and do without, which the report need not list as misses:
    # zypper's probes for a signature, its key and SUSE installation media.
    optional = ("repodata/repomd.xml.asc", "repodata/repomd.xml.key", "media.1/media")

    def handle_get(self, head: bool) -> None:
        path = unquote(self.path.split("?", 1)[0]).lstrip("/")
        f = self.store / path
        if ".." not in path.split("/") and f.is_file():
            return self.send_body(f.read_bytes(), CONTENT_TYPES.get(f.suffix, "application/octet-stream"), None, head)
        return self.not_found(record=path not in self.optional)


CONTENT_TYPES = {".zip": "application/zip", ".info": "application/json", ".mod": "text/plain", "": "text/plain",
                 ".xml": "text/xml", ".gz": "application/gzip", ".rpm": "application/x-rpm"}


class AptHandler(Handler):
    kind = "apt"
    mirrors: dict[str, str]  # route (`debian`, `ubuntu`) -> mirror

    def handle_get(self, head: bool) -> None:
        path = self.path.split("?", 1)[0]
        route, _, rest = path.lstrip("/").partition("/")
        if route not in self.mirrors:
            return self.not_found()
        url = f"{self.mirrors[route]}/{rest}"
        try:
            req = urllib.request.Request(url, method="HEAD" if head else "GET")
            with urllib.request.urlopen(req, timeout=120) as up:
                self.send_response(200)
                for h in ("Content-Type", "Content-Length", "Last-Modified"):
                    if up.headers.get(h):
                        self.send_header(h, up.headers[h])
                self.end_headers()
                if not head:
                    while chunk := up.read(1 << 16):
                        self.wfile.write(chunk)
                        self.counters.add(self.kind, len(chunk))
        except urllib.error.HTTPError as e:
            self.send_response(e.code)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            self.not_found()


class Indexes:
    """The five servers, each on its own thread."""

    def __init__(self, wheels: Path, npm_store: Path, go_store: Path, rpm_repo: Path, mirror: str) -> None:
        self.counters = Counters()
        # The apt proxy's routes: Debian's mirror, and others as their bases are made.
        self.mirrors = {"debian": mirror.rstrip("/")}
        self.servers: list[ThreadingHTTPServer] = []
        specs = [
            (PIP_PORT, PipHandler, {"wheels": wheels}),
            (NPM_PORT, NpmHandler, {"store": npm_store}),
            (GOPROXY_PORT, StaticHandler, {"kind": "go", "store": go_store}),
            (RPM_PORT, StaticHandler, {"kind": "rpm", "store": rpm_repo}),
            (APT_PORT, AptHandler, {"mirrors": self.mirrors}),
        ]
        for port, base, attrs in specs:
            handler = type(base.__name__, (base,), {"counters": self.counters, **attrs})
            self.servers.append(ThreadingHTTPServer(("127.0.0.1", port), handler))

    def start(self) -> None:
        for s in self.servers:
            threading.Thread(target=s.serve_forever, daemon=True).start()

    def stop(self) -> None:
        for s in self.servers:
            s.shutdown()
            s.server_close()


def fetch(url: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    with urllib.request.urlopen(url, timeout=120) as r, open(part, "wb") as out:
        shutil.copyfileobj(r, out)
    part.replace(dest)
