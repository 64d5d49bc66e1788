#!/usr/bin/env python3
"""Latency of `dlint server`: from a `didChange` to the `publishDiagnostics` for it.

Starts the server (target/release/dlint by default), opens a 300-line Dockerfile generated
here (stages, apt/pip/npm installs with continuations, COPY, ENV, LABEL), then sends edits one
at a time: each changes one character of a RUN line through an incremental range edit and waits
for that version's diagnostics. Prints the median, 95th percentile and maximum in ms.

    python3 bench/lsp_latency.py [--binary PATH] [--edits N] [--lines N]

Standard library only. Run on an otherwise idle machine for numbers worth comparing.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def dockerfile(lines):
    """A realistic multi-stage Dockerfile of exactly `lines` lines."""
    out = []
    stage = 0
    while len(out) < lines:
        stage += 1
        out += [
            f"FROM python:3.12-slim AS stage{stage}",
            "ENV PYTHONDONTWRITEBYTECODE=1 \\",
            "    PYTHONUNBUFFERED=1",
            f'LABEL org.opencontainers.image.title="service {stage}" version="1.{stage}"',
            "WORKDIR /app",
            "RUN apt-get update && \\",
            "    apt-get install -y --no-install-recommends curl ca-certificates git && \\",
            "    rm -rf /var/lib/apt/lists/*",
            "COPY requirements.txt .",
            "RUN pip install --no-cache-dir -r requirements.txt",
            "COPY package.json package-lock.json ./",
            "RUN npm ci && npm cache clean --force",
            "COPY . .",
            "RUN python -m compileall -q /app && \\",
            f"    echo 'built stage {stage}' > /app/STAGE",
            "USER 1000:1000",
            'HEALTHCHECK --interval=30s CMD curl -f http://localhost:8000/ || exit 1',
            "EXPOSE 8000",
            'CMD ["python", "-m", "app"]',
            "",
        ]
    return "\n".join(out[:lines]) + "\n"


class Server:
    def __init__(self, binary, cwd):
        self.proc = subprocess.Popen(
            [binary, "server"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, version):
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and \
                    message["params"].get("version") == version:
                return message["params"]["diagnostics"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/dlint")
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--lines", type=int, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as project:
        for name, text in [("requirements.txt", "flask\n"), ("package.json", "{}\n"),
                           ("package-lock.json", "{}\n"), ("app.py", "print()\n")]:
            with open(os.path.join(project, name), "w") as f:
                f.write(text)
        path = os.path.join(project, "Dockerfile")
        uri = "file://" + path
        text = dockerfile(args.lines)
        server = Server(os.path.abspath(args.binary), project)
        server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        server.notify("initialized", {})
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
        findings = len(server.diagnostics_for(1))

        lines = text.split("\n")
        run_lines = [i for i, l in enumerate(lines) if l.startswith("RUN python -m compileall")]
        samples = []
        for n in range(args.edits):
            line = run_lines[n % len(run_lines)]
            column = len("RUN python -m compileall -")
            letter = "q" if n % 2 else "v"
            version = n + 2
            start = time.perf_counter()
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {
                    "start": {"line": line, "character": column},
                    "end": {"line": line, "character": column + 1}}, "text": letter}]})
            server.diagnostics_for(version)
            samples.append((time.perf_counter() - start) * 1000)
        server.request("shutdown", None)
        server.notify("exit", None)
        server.proc.wait()

    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{args.lines}-line Dockerfile, {findings} findings, {args.edits} edits: "
          f"median {statistics.median(samples):.2f} ms, p95 {p95:.2f} ms, max {samples[-1]:.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
