"""A private Docker Engine on its own socket and data root, and builds on it.

The engine is Debian 13's docker.io (Docker 26.1, BuildKit 0.13), run from a root filesystem of
its own: Debian 12's docker.io is Docker 20.10, whose BuildKit (0.8) is years behind what users
run and cannot parse heredocs, so examples written for today's BuildKit could not be built. The
root is debootstrapped once from the machine's mirror and cached; dockerd runs in a private mount
namespace whose root is pivoted to it, with /proc, /sys, /dev, the data root and the socket's
folder mounted in. Debian 12's client talks to it (the API is compatible; the newer client needs
buildx, which Debian 12 does not package).

The engine is started with the vfs storage driver (works on any filesystem, no kernel overlay
needed) and no networking of its own: builds use `--network host`, which is how they reach the
local package indexes on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

# The engine's Debian release and what its root holds; the root is remade when these change.
ENGINE_SUITE = "trixie"
# ubuntu-keyring: Ubuntu's archive keys as Debian 13 packages them (Debian 12 does not), with
# which the ubuntu base's debootstrap checks what it downloads.
ENGINE_PACKAGES = ("docker.io", "ca-certificates", "ubuntu-keyring")
DOCKERD = "/usr/sbin/dockerd"  # inside the engine's root
# Debian 12's client: it speaks BuildKit through the engine. The newer `docker` usually first on
# PATH has no buildx and falls back to the legacy builder, so it is never used here.
DOCKER = "/usr/bin/docker"


class HarnessError(Exception):
    """A fault of the harness or its environment (not a proof failing): always exits non-zero."""


@dataclass
class Engine:
    cache: Path
    run_dir: Path = field(default_factory=lambda: Path("/run/dlint-e2e"))
    proc: subprocess.Popen | None = None
    # The engine's root filesystem, set by `prepare`.
    root: Path | None = None

    @property
    def data_root(self) -> Path:
        return self.cache / "engine" / "data"

    @property
    def socket(self) -> Path:
        return self.run_dir / "docker.sock"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DOCKER_HOST"] = f"unix://{self.socket}"
        env["DOCKER_BUILDKIT"] = "1"
        env.pop("DOCKER_CONTEXT", None)
        env["DOCKER_CONFIG"] = str(self.run_dir / "client-config")
        return env

    def prepare(self, mirror: str, log) -> None:
        """The engine's root filesystem: debootstrapped from `mirror` once, then reused."""
        need("debootstrap", "debootstrap")
        key = hashlib.sha256(repr((ENGINE_SUITE, ENGINE_PACKAGES)).encode()).hexdigest()[:12]
        self.root = self.cache / "engine" / f"root-{ENGINE_SUITE}-{key}"
        if (self.root / ".complete").exists():
            return
        log(f"debootstrap {ENGINE_SUITE} with {', '.join(ENGINE_PACKAGES)}: the engine's root filesystem")
        partial = self.root.with_name(self.root.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        res = subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(ENGINE_PACKAGES)}", ENGINE_SUITE, str(partial), mirror],
            capture_output=True, text=True,
        )
        if res.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            raise HarnessError(f"debootstrap of the engine's root ({ENGINE_SUITE}) failed:\n{tail_text(res.stdout + res.stderr, 20)}")
        (partial / ".complete").touch()
        partial.rename(self.root)

    def start(self) -> None:
        if not os.access(DOCKER, os.X_OK):
            raise HarnessError(f"{DOCKER} not found: install Debian's client with `apt-get install -y docker.io`")
        if os.geteuid() != 0:
            raise HarnessError("the engine needs root: run the harness as root (e.g. `sudo e2e/run`)")
        if self.root is None or not os.access(self.root / DOCKERD.lstrip("/"), os.X_OK):
            raise HarnessError("the engine's root filesystem is not prepared (Engine.prepare)")
        for tool in ("unshare", "pivot_root"):
            need(tool, "util-linux")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "client-config").mkdir(exist_ok=True)
        pidfile = self.run_dir / "dockerd.pid"
        if pidfile.exists():
            old = pidfile.read_text().strip()
            if old.isdigit() and Path(f"/proc/{old}").exists():
                raise HarnessError(
                    f"another harness engine is running (pid {old}, {pidfile}); stop it first"
                )
            pidfile.unlink()
        if self.socket.exists():
            self.socket.unlink()
        data_root = self.data_root
        data_root.mkdir(parents=True, exist_ok=True)
        for d in ("proc", "sys", "dev", "var/lib/docker", ".host", str(self.run_dir).lstrip("/")):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        if Path("/etc/resolv.conf").exists():
            shutil.copyfile("/etc/resolv.conf", self.root / "etc/resolv.conf")
        self.log_path = self.cache / "dockerd.log"
        log = open(self.log_path, "w")
        dockerd = [
            DOCKERD,
            "--data-root", "/var/lib/docker",
            "--exec-root", str(self.run_dir / "exec"),
            "--pidfile", str(pidfile),
            "--storage-driver", "vfs",
            "--iptables=false",
            "--ip-masq=false",
            "--bridge=none",
            "-H", f"unix://{self.socket}",
        ]
        # unshare execs the shell, which execs dockerd: the child is dockerd itself, and its mounts
        # go away with its namespace when it stops.
        cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-ec", PIVOT_AND_EXEC, "sh",
               str(self.root), str(data_root), str(self.run_dir), *dockerd]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError(
                    f"dockerd exited with status {self.proc.returncode} while starting; "
                    f"the end of its log ({self.log_path}):\n{tail(self.log_path, 30)}"
                )
            if self.socket.exists():
                ok = subprocess.run([DOCKER, "version"], env=self.env(), capture_output=True, text=True)
                if ok.returncode == 0:
                    return
            time.sleep(0.5)
        self.stop()
        raise HarnessError(
            f"dockerd did not answer on {self.socket} within 60 s; the end of its log:\n"
            f"{tail(self.log_path, 30)}"
        )

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def docker(self, *args: str, check: bool = True, capture: bool = True, **kw) -> subprocess.CompletedProcess:
        res = subprocess.run([DOCKER, *args], env=self.env(), capture_output=capture, text=True, **kw)
        if check and res.returncode != 0:
            raise HarnessError(f"docker {' '.join(args[:3])} ... failed: {res.stderr.strip()[-2000:]}")
        return res

    def prune_build_cache(self) -> None:
        """Forget every cached step and cache mount: the next build is cold."""
        self.docker("builder", "prune", "--all", "--force")

    def image_exists(self, ref: str) -> bool:
        return self.docker("image", "inspect", ref, check=False).returncode == 0


# Run by `sh -ec` with the engine's root, the data root, the socket's folder, then dockerd's
# command line. pivot_root (not chroot): dockerd remounts "/" and needs it to be a mount point.
PIVOT_AND_EXEC = """
root=$1 data=$2 run=$3; shift 3
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount --bind "$data" "$root/var/lib/docker"
mount --bind "$run" "$root$run"
cd "$root"
pivot_root . .host
umount -l /.host
exec "$@"
"""


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    log: str
    tag: str
    steps: list["Step"]

    def error_line(self) -> str:
        """BuildKit's own reason, shortened: the last `failed to solve`/`error` line of the log."""
        lines = [l.strip() for l in self.log.splitlines()]
        found = [l for l in lines if l.startswith(("failed to solve", "error:", "ERROR:", "Error response"))]
        line = found[-1] if found else (lines[-1] if lines else "no output")
        return line if len(line) <= 160 else line[:157] + "..."

    def failure_report(self, what: str) -> str:
        failed = [s for s in self.steps if s.error]
        where = f"step {failed[0].name}" if failed else "before any step ran"
        return f"build of {what} failed at {where}; the end of BuildKit's log:\n{tail_text(self.log, 25)}"


@dataclass
class Step:
    vertex: str  # "#7"
    name: str  # "[3/5] RUN pip install ..."
    cached: bool = False
    done: bool = False
    error: bool = False


STEP_LINE = re.compile(r"^#(\d+) (\[[^\]]*\] .*)$")


def parse_progress(log: str) -> list[Step]:
    """The numbered steps of a `--progress plain` log, each marked CACHED, DONE or ERROR."""
    steps: dict[str, Step] = {}
    order: list[str] = []
    for line in log.splitlines():
        m = STEP_LINE.match(line)
        if m and m.group(1) not in steps:
            steps[m.group(1)] = Step(vertex=m.group(1), name=m.group(2))
            order.append(m.group(1))
            continue
        head, _, rest = line.partition(" ")
        num = head[1:] if head.startswith("#") else None
        if num in steps:
            if rest == "CACHED":
                steps[num].cached = True
            elif rest.startswith("DONE"):
                steps[num].done = True
            elif rest.startswith("ERROR"):
                steps[num].error = True
    return [steps[n] for n in order]


def build(engine: Engine, context: Path, dockerfile: Path, tag: str, timeout: int = 1800) -> BuildResult:
    start = time.monotonic()
    res = subprocess.run(
        [DOCKER, "build", "--network", "host", "--progress", "plain", "-f", str(dockerfile), "-t", tag, str(context)],
        env=engine.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.monotonic() - start
    log = res.stdout + res.stderr
    return BuildResult(res.returncode == 0, seconds, log, tag, parse_progress(log))


def image_config(engine: Engine, tag: str) -> dict:
    out = engine.docker("image", "inspect", tag).stdout
    return json.loads(out)[0]["Config"]


def image_size(engine: Engine, tag: str) -> int:
    out = engine.docker("image", "inspect", "--format", "{{.Size}}", tag).stdout
    return int(out.strip())


def tail(path: Path, lines: int) -> str:
    try:
        return tail_text(path.read_text(errors="replace"), lines)
    except OSError as e:
        return f"(cannot read {path}: {e})"


def tail_text(text: str, lines: int) -> str:
    return "\n".join("    " + l for l in text.splitlines()[-lines:])


def need(tool: str, package: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise HarnessError(f"`{tool}` not found: install it with `apt-get install -y {package}`")
    return found
