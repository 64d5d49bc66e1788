"""Local base images: a debootstrapped Debian root per toolchain, imported under the tags fixtures use.

No image registry is reachable, so `python:3.11-slim` and friends are made here. The contents are
Debian's own packages (Python 3.11, Node.js 18 with npm 9, Go 1.19 on bookworm): the tags are the
names fixtures are written against, not a promise of those upstream versions. Each image is set up
to fetch packages only from the harness's counting indexes on 127.0.0.1 (see `indexes.py`).

The rpm bases (`fedora`, `centos`, `opensuse/leap`) are one stand-in: a Debian root with Debian's
dnf 4, zypper and rpm, installing from the harness's repository of stand-in packages (see
`prepare.rpm`), with `yum` a wrapper that runs dnf on yum's own configuration file
(/etc/yum.conf, cache in /var/cache/yum) as CentOS 7's yum 3 would. What they prove is how the
package managers take a fixed command line (flags, configuration edits, cache directories), not
what the distributions' packages contain.

`ubuntu` is Ubuntu's own minbase (noble), debootstrapped from the mirror debootstrap itself
names for Ubuntu and checked with Ubuntu's archive keys from Debian 13's `ubuntu-keyring` (in the
engine's root); its apt goes through the counting proxy too.

Two are not a Debian root: `alpine` is a stand-in made of Debian's static BusyBox alone (the shell
and tools Alpine also takes from BusyBox; no apk, no C library), and uv's image holds only the uv
binaries of uv's own static wheel. uv's python image is the python base with those binaries added.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .engine import Engine, HarnessError, need
from .ports import APT_PORT, GOPROXY_PORT, NPM_PORT, PIP_PORT, RPM_PORT

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# Like the official Debian images: apt deletes downloaded .debs after every install unless told
# otherwise (DC004/DC005's fixes deal with exactly this file).
DOCKER_CLEAN = """\
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
"""

# As in the official slim images: no documentation, manuals or translations.
DPKG_EXCLUDES = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
"""


@dataclass(frozen=True)
class Base:
    name: str
    packages: tuple[str, ...]
    tags: tuple[str, ...]
    env: tuple[str, ...]
    setup: str = ""  # shell run in the chroot after the packages are installed
    # How the root filesystem is made: "debian" (debootstrap plus `packages`), "busybox" (only the
    # BusyBox binary of the package `busybox-static`), "uv" (only uv's binaries, as in uv's image)
    # or "uv-on-python" (the python base plus uv). Kept out of repr so that the recipe keys, and
    # the cached root filesystems, of the Debian bases stay what they were.
    kind: str = field(default="debian", repr=False)
    # The image's config besides PATH, `env` and the label (Dockerfile instructions for `docker import`).
    config: tuple[str, ...] = field(default=('CMD ["bash"]',), repr=False)


# The stand-in repository on the harness's rpm server, for dnf (and the yum wrapper) and zypper.
RPM_SETUP = f"""\
mkdir -p /etc/yum.repos.d /etc/zypp/repos.d
printf '[e2e]\\nname=e2e stand-in packages\\nbaseurl=http://127.0.0.1:{RPM_PORT}/\\nenabled=1\\ngpgcheck=0\\n' > /etc/yum.repos.d/e2e.repo
printf '[e2e]\\nname=e2e stand-in packages\\nbaseurl=http://127.0.0.1:{RPM_PORT}/\\ntype=rpm-md\\nenabled=1\\nautorefresh=1\\ngpgcheck=0\\nkeeppackages=0\\n' > /etc/zypp/repos.d/e2e.repo
printf '[main]\\ncachedir=/var/cache/yum\\nkeepcache=0\\ngpgcheck=0\\nreposdir=/etc/yum.repos.d\\n' > /etc/yum.conf
printf '#!/bin/sh\\nexec dnf --config /etc/yum.conf "$@"\\n' > /usr/bin/yum
chmod 0755 /usr/bin/yum
"""

# uv's own image under its minor-version tag carries that minor's binaries; ours come from uv's
# static (musl) wheel of this version.
UV_VERSION = "0.5.11"
UV_TAG = "0.5"

PIP_ENV = (
    f"PIP_INDEX_URL=http://127.0.0.1:{PIP_PORT}/simple/",
    f"PIP_TRUSTED_HOST=127.0.0.1:{PIP_PORT}",
    f"UV_INDEX_URL=http://127.0.0.1:{PIP_PORT}/simple/",
    "LANG=C.UTF-8",
)


def tags(image: str, versions: tuple[str, ...], variants: tuple[str, ...]) -> tuple[str, ...]:
    """`image:version+variant` for each pair, then the bare and `latest` names. Only Debian-based
    variants: an `-alpine` tag would hide what differs there (BusyBox sh, no bash, musl)."""
    return tuple(f"{image}:{v}{x}" for v in versions for x in variants) + (image, f"{image}:latest")


BASES = (
    Base(
        "debian",
        (),
        ("debian:bookworm-slim", "debian:bookworm", "debian:12", "debian:12-slim", "debian", "debian:12.8", "debian:latest"),
        (),
    ),
    Base(
        "python",
        ("python3", "python3-pip", "python3-venv", "python-is-python3"),
        tags("python", ("3.9", "3.10", "3.11", "3.12", "3.13", "3"), ("", "-slim", "-bookworm", "-slim-bookworm")),
        PIP_ENV,
        # The official python images have no PEP 668 marker: `pip install` as root just works.
        setup="rm -f /usr/lib/python3*/EXTERNALLY-MANAGED",
    ),
    Base(
        "node",
        ("nodejs", "npm", "yarnpkg"),
        tags("node", ("18", "20", "22", "lts"), ("", "-slim", "-bookworm", "-bookworm-slim")),
        (
            f"NPM_CONFIG_REGISTRY=http://127.0.0.1:{NPM_PORT}/",
            f"YARN_REGISTRY=http://127.0.0.1:{NPM_PORT}/",
            "NPM_CONFIG_UPDATE_NOTIFIER=false",
            "NPM_CONFIG_FUND=false",
            "NPM_CONFIG_AUDIT=false",
        ),
        # As in the official node images: yarn 1 on PATH as `yarn`, and a user `node` (1000:1000).
        setup="ln -s /usr/bin/yarnpkg /usr/local/bin/yarn && groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/bash node",
    ),
    Base(
        "golang",
        ("golang-go", "ca-certificates"),
        tags("golang", ("1.21", "1.22", "1.23", "1"), ("", "-bookworm")),
        ("GOPATH=/go", f"GOPROXY=http://127.0.0.1:{GOPROXY_PORT}", "GOSUMDB=off", "GOTOOLCHAIN=local"),
        # As in the official golang images: GOPATH writable by any user (a `USER 1000` build
        # downloads modules into it).
        setup="mkdir -p /go/bin /go/src && chmod -R 1777 /go",
    ),
    Base(
        "nginx",
        ("nginx",),
        tags("nginx", ("1", "1.25", "1.26", "1.27", "stable", "mainline"), ("", "-bookworm")),
        (),
        # The official image's command and port (`docker import` cannot set its STOPSIGNAL);
        # Debian's nginx also has /usr/share/nginx/html.
        config=('CMD ["nginx", "-g", "daemon off;"]', "EXPOSE 80"),
    ),
    Base(
        "ubuntu",
        (),
        ("ubuntu:24.04", "ubuntu:noble", "ubuntu", "ubuntu:latest"),
        (),
        kind="ubuntu",
        config=('CMD ["/bin/bash"]',),
    ),
    Base(
        "rpm",
        ("dnf", "zypper", "rpm"),
        ("fedora:39", "fedora:40", "fedora", "fedora:latest", "centos:7", "centos",
         "opensuse/leap:15.5", "opensuse/leap:15.6", "opensuse/leap"),
        (),
        setup=RPM_SETUP,
    ),
    Base(
        "busybox",
        ("busybox-static",),
        tags("alpine", ("3", "3.18", "3.19", "3.20", "3.21"), ("",)) + ("busybox", "busybox:latest"),
        (),
        kind="busybox",
        config=('CMD ["/bin/sh"]',),
    ),
    Base("uv", (), (f"ghcr.io/astral-sh/uv:{UV_TAG}",), (), kind="uv", config=('ENTRYPOINT ["/uv"]',)),
    Base(
        "uv-python",
        (),
        ("ghcr.io/astral-sh/uv:python3.12-bookworm-slim",),
        PIP_ENV,
        kind="uv-on-python",
        config=('CMD ["bash"]',),
    ),
)


def host_mirror() -> tuple[str, str]:
    """The Debian mirror and release of this machine, read from its apt sources."""
    codename = ""
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("VERSION_CODENAME="):
            codename = line.split("=", 1)[1].strip().strip('"')
    if not codename:
        raise HarnessError("cannot tell the Debian release from /etc/os-release (VERSION_CODENAME)")
    uris: list[str] = []
    paths = [Path("/etc/apt/sources.list")]
    d = Path("/etc/apt/sources.list.d")
    if d.is_dir():
        paths += sorted(d.iterdir())
    for p in paths:
        if not p.is_file():
            continue
        text = p.read_text(errors="replace")
        if p.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(
                    (k.strip().lower(), v.strip())
                    for k, _, v in (l.partition(":") for l in stanza.splitlines() if l and not l.startswith("#"))
                )
                if "deb" in fields.get("types", "").split() and codename in fields.get("suites", "").split():
                    uris += fields.get("uris", "").split()
        elif p.suffix == ".list" or p.name == "sources.list":
            for l in text.splitlines():
                parts = l.split("#", 1)[0].split()
                if parts[:1] == ["deb"]:
                    rest = [x for x in parts[1:] if not x.startswith("[")]
                    if len(rest) >= 2 and rest[1] == codename:
                        uris.append(rest[0])
    uris = [u for u in uris if u.startswith("http") and "security" not in u]
    if not uris:
        raise HarnessError(f"no Debian mirror for {codename} found in the machine's apt sources")
    return uris[0].rstrip("/"), codename


# Bump when the way a root filesystem is made changes (cached tarballs are keyed by it).
RECIPE_VERSION = 2


def recipe_key(base: Base, codename: str) -> str:
    # The tags are not part of the recipe: a new tag name must not make the root filesystem again.
    text = repr((replace(base, tags=()), codename, DOCKER_CLEAN, DPKG_EXCLUDES, RECIPE_VERSION))
    if base.kind != "debian":
        text += repr((base.kind, UV_VERSION, STANDIN_FILES))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def ensure_bases(engine: Engine, cache: Path, log, needed: set[str] | None = None) -> None:
    """Every base (or only those with a tag in `needed`) imported and tagged; root filesystems
    are cached as tarballs under `cache`. A run that needs one base makes only that one: on a
    fresh machine each toolchain's root filesystem costs minutes."""
    mirror, codename = host_mirror()
    todo = []
    for base in BASES:
        if needed is not None and not needed.intersection(base.tags):
            continue
        key = recipe_key(base, codename)
        # The image is imported again when its config changes; the root filesystem is kept.
        config = hashlib.sha256(repr((base.env, base.config)).encode()).hexdigest()[:8]
        label = f"dlint-e2e-base={base.name}-{key}-{config}"
        have = engine.docker("image", "ls", "-q", "--filter", f"label={label}").stdout.split()
        if not (have and all(engine.image_exists(t) for t in base.tags)):
            todo.append((base, label, rootfs_tarball(cache, base, codename)))
    missing = [(b, t) for b, _, t in todo if not t.exists()]
    # The bases that start from a Debian root (the python base under uv's python image).
    chrooted = [(b, t) for b, t in missing if b.kind in ("debian", "busybox", "ubuntu")]
    python = next(b for b in BASES if b.name == "python")
    if any(b.kind == "uv-on-python" for b, _ in missing):
        tar_of_python = rootfs_tarball(cache, python, codename)
        if not tar_of_python.exists() and all(b != python for b, _ in chrooted):
            chrooted.append((python, tar_of_python))
    if chrooted:
        log(f"debootstrap {codename} (minimal) from the host's mirror, then {', '.join(b.name for b, _ in chrooted)} in parallel")
        minbase(mirror, codename, cache)
        # Downloads and dpkg runs overlap well even on 2 cores: the work is mostly waiting.
        with ThreadPoolExecutor(max_workers=len(chrooted)) as pool:
            keyring = engine.root / UBUNTU_KEYRING if engine.root else None
            for f in [pool.submit(make_rootfs, b, mirror, codename, cache, t, keyring) for b, t in chrooted]:
                f.result()
    for b, t in missing:
        if b.kind == "uv":
            log(f"{b.name}: uv {UV_VERSION} from its static wheel")
            make_uv_rootfs(cache, t, prefix="")
        elif b.kind == "uv-on-python":
            log(f"{b.name}: the python base plus uv {UV_VERSION}")
            make_uv_rootfs(cache, t, prefix="usr/local/bin/", under=rootfs_tarball(cache, python, codename))
    for base, label, tarball in todo:
        log(f"importing {tarball.name} as {', '.join(base.tags)}")
        changes = [f"ENV PATH={('/go/bin:/usr/lib/go/bin:' if base.name == 'golang' else '') + PATH}"]
        changes += [f"ENV {e}" for e in base.env]
        changes += [f"LABEL {label}", *base.config]
        args = ["import"]
        for c in changes:
            args += ["--change", c]
        image = engine.docker(*args, str(tarball), base.tags[0]).stdout.strip()
        for t in base.tags[1:]:
            engine.docker("tag", image, t)
    if todo:
        engine.docker("image", "prune", "--force")  # the previous bases, now untagged


def rootfs_tarball(cache: Path, base: Base, codename: str) -> Path:
    return cache / "rootfs" / f"{base.name}-{codename}-{recipe_key(base, codename)}.tar"


def minbase(mirror: str, codename: str, cache: Path) -> Path:
    tarball = cache / "rootfs" / f"minbase-{codename}.tar"
    if tarball.exists():
        return tarball
    need("debootstrap", "debootstrap")
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    with scratch_dir(cache) as tmp:
        root = tmp / "root"
        run(["debootstrap", "--variant=minbase", f"--cache-dir={debs}", codename, str(root), mirror], "debootstrap")
        tar(root, tarball)
    return tarball


# Ubuntu's base: its suite, the proxy's route to its mirror, and its keys (a file of the engine's
# root, where Debian 13's ubuntu-keyring put it).
UBUNTU_SUITE = "noble"
UBUNTU_KEYRING = "usr/share/keyrings/ubuntu-archive-keyring.gpg"


def ubuntu_minbase(keyring: Path | None, cache: Path) -> tuple[Path, str]:
    """debootstrap --variant=minbase of Ubuntu's UBUNTU_SUITE from debootstrap's own default
    mirror for Ubuntu, and that mirror (kept beside the tarball, for the apt proxy)."""
    tarball = cache / "rootfs" / f"minbase-{UBUNTU_SUITE}.tar"
    mirror_file = ubuntu_mirror_file(cache)
    if tarball.exists() and mirror_file.exists():
        return tarball, mirror_file.read_text().strip()
    need("debootstrap", "debootstrap")
    if keyring is None or not keyring.is_file():
        raise HarnessError(f"Ubuntu's archive keys are not at {keyring} (the engine's root installs ubuntu-keyring)")
    debs = cache / "debs" / "ubuntu-minbase"
    debs.mkdir(parents=True, exist_ok=True)
    with scratch_dir(cache) as tmp:
        # Debian 12's debootstrap predates noble, which is made as every Ubuntu release since
        # gutsy is: a copy of its scripts with noble's added.
        scripts = tmp / "debootstrap"
        shutil.copytree("/usr/share/debootstrap", scripts, symlinks=True)
        if not (scripts / "scripts" / UBUNTU_SUITE).exists():
            (scripts / "scripts" / UBUNTU_SUITE).symlink_to("gutsy")
        root = tmp / "root"
        run(["debootstrap", "--variant=minbase", f"--keyring={keyring}", f"--cache-dir={debs}", UBUNTU_SUITE, str(root)],
            f"debootstrap {UBUNTU_SUITE}", env={**os.environ, "DEBOOTSTRAP_DIR": str(scripts)})
        line = (root / "etc/apt/sources.list").read_text().split()
        if len(line) < 2 or not line[1].startswith("http"):
            raise HarnessError(f"debootstrap of {UBUNTU_SUITE} left no mirror in its sources.list")
        tar(root, tarball)
        mirror_file.write_text(line[1].rstrip("/") + "\n")
    return tarball, line[1].rstrip("/")


def ubuntu_mirror_file(cache: Path) -> Path:
    """Where the mirror Ubuntu's minbase came from is kept, beside its tarball."""
    return cache / "rootfs" / f"minbase-{UBUNTU_SUITE}.mirror"


def distro_mirrors(cache: Path) -> dict[str, str]:
    """The apt proxy's routes besides Debian's: Ubuntu's mirror, once its base was made."""
    f = ubuntu_mirror_file(cache)
    return {"ubuntu": f.read_text().strip()} if f.exists() else {}


def make_rootfs(base: Base, mirror: str, codename: str, cache: Path, out: Path, ubuntu_keyring: Path | None = None) -> None:
    route = "debian"
    if base.kind == "ubuntu":
        start, mirror = ubuntu_minbase(ubuntu_keyring, cache)
        codename, route = UBUNTU_SUITE, "ubuntu"
    else:
        start = minbase(mirror, codename, cache)
    with scratch_dir(cache) as tmp:
        root = tmp / "root"
        root.mkdir()
        run(["tar", "--numeric-owner", "-xf", str(start), "-C", str(root)], "unpack minbase")
        sources = root / "etc/apt/sources.list"
        sources.write_text(f"deb {mirror} {codename} main\n")
        for f in (root / "etc/apt/sources.list.d").glob("*"):
            f.unlink()
        shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
        # dpkg's fsyncs make a chroot install several times slower; the result is a tarball anyway.
        unsafe_io = root / "etc/dpkg/dpkg.cfg.d/e2e-unsafe-io"
        unsafe_io.write_text("force-unsafe-io\n")
        # No service may start in the chroot (nginx's postinst would try); removed again below.
        no_services = root / "usr/sbin/policy-rc.d"
        no_services.write_text("#!/bin/sh\nexit 101\n")
        no_services.chmod(0o755)
        (root / "etc/dpkg/dpkg.cfg.d/excludes").write_text(DPKG_EXCLUDES)
        for d in ("usr/share/man", "usr/share/info", "usr/share/locale"):
            shutil.rmtree(root / d, ignore_errors=True)
            (root / d).mkdir()
        for doc in (root / "usr/share/doc").glob("*"):
            for f in doc.rglob("*"):
                if f.is_file() and f.name != "copyright":
                    f.unlink()
        if base.packages:
            archives = cache / "debs" / base.name
            archives.mkdir(parents=True, exist_ok=True)
            mounts = [(root / "proc", ["-t", "proc", "proc"]), (root / "var/cache/apt/archives", ["--bind", str(archives)])]
            done: list[Path] = []
            try:
                for target, how in mounts:
                    target.mkdir(parents=True, exist_ok=True)
                    run(["mount", *how, str(target)], f"mount {target}")
                    done.append(target)
                env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": PATH, "LANG": "C.UTF-8"}
                run(["chroot", str(root), "apt-get", "update"], "apt-get update in the chroot", env=env)
                run(
                    ["chroot", str(root), "apt-get", "install", "-y", "--no-install-recommends", *base.packages],
                    f"apt-get install {' '.join(base.packages)}",
                    env=env,
                )
                if base.setup:
                    run(["chroot", str(root), "sh", "-c", base.setup], "base setup", env=env)
            finally:
                for target in reversed(done):
                    subprocess.run(["umount", "-l", str(target)])
        if base.kind == "busybox":
            standin = tmp / "standin"
            make_busybox_root(root / "bin/busybox", standin)
            tar(standin, out)
            return
        unsafe_io.unlink()
        no_services.unlink()
        # What the image keeps: no package lists, the clean-up hook, and apt pointed at the local
        # counting proxy (which forwards to the mirror this machine uses).
        shutil.rmtree(root / "var/lib/apt/lists", ignore_errors=True)
        (root / "var/lib/apt/lists/partial").mkdir(parents=True)
        sources.write_text(f"deb http://127.0.0.1:{APT_PORT}/{route} {codename} main\n")
        (root / "etc/apt/apt.conf.d/docker-clean").write_text(DOCKER_CLEAN)
        (root / "etc/resolv.conf").write_text("")
        tar(root, out)


# The files of the BusyBox stand-in besides BusyBox and its applet links.
STANDIN_FILES = (
    ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"),
    ("etc/group", "root:x:0:root\nnogroup:x:65534:\n"),
    ("etc/hosts", "127.0.0.1 localhost\n"),
)


def make_busybox_root(busybox: Path, root: Path) -> None:
    """A root of BusyBox alone: the binary, a link per applet (`busybox --install -s`), the
    usual directories and a passwd/group with root."""
    for d in ("bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "etc", "root", "home", "tmp", "var/tmp", "proc", "sys", "dev", "run"):
        (root / d).mkdir(parents=True, exist_ok=True)
    (root / "tmp").chmod(0o1777)
    (root / "var/tmp").chmod(0o1777)
    (root / "root").chmod(0o700)
    shutil.copy2(busybox, root / "bin/busybox")
    for rel, text in STANDIN_FILES:
        (root / rel).write_text(text)
    run(["chroot", str(root), "/bin/busybox", "--install", "-s"], "busybox --install -s")


def uv_wheel(cache: Path) -> Path:
    """uv's static (musl) wheel of UV_VERSION, downloaded once into the cache."""
    dest = cache / "uv"
    found = sorted(dest.glob(f"uv-{UV_VERSION}-*musllinux*x86_64*.whl"))
    if found:
        return found[0]
    dest.mkdir(parents=True, exist_ok=True)
    run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", str(dest),
         "--platform", "musllinux_1_1_x86_64", "--python-version", "3.11", f"uv=={UV_VERSION}"],
        f"pip download uv=={UV_VERSION} (musllinux)",
    )
    found = sorted(dest.glob(f"uv-{UV_VERSION}-*musllinux*x86_64*.whl"))
    if not found:
        raise HarnessError(f"pip download left no musllinux wheel of uv {UV_VERSION} in {dest}")
    return found[0]


def make_uv_rootfs(cache: Path, out: Path, prefix: str, under: Path | None = None) -> None:
    """`uv` and `uvx` at `prefix` (mode 0755), alone or added to the root filesystem `under`."""
    wheel = uv_wheel(cache)
    with scratch_dir(cache) as tmp, zipfile.ZipFile(wheel) as z:
        files = []
        for name in ("uv", "uvx"):
            member = f"uv-{UV_VERSION}.data/scripts/{name}"
            target = tmp / "root" / prefix / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(member))
            target.chmod(0o755)
            files.append(f"./{prefix}{name}")
        part = tmp / "out.tar"
        if under is not None:
            shutil.copyfile(under, part)
            run(["tar", "--numeric-owner", "--owner=0", "--group=0", "-rf", str(part), "-C", str(tmp / "root"), *files], "add uv")
        else:
            run(["tar", "--numeric-owner", "--owner=0", "--group=0", "-cf", str(part), "-C", str(tmp / "root"), *files], "tar uv")
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, out)


@contextmanager
def scratch_dir(parent: Path):
    """A temporary directory, removed with `rm -rf` (much faster than shutil on a root filesystem)."""
    tmp = Path(tempfile.mkdtemp(dir=parent))
    try:
        yield tmp
    finally:
        subprocess.run(["rm", "-rf", "--one-file-system", str(tmp)])


def tar(root: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_suffix(".part")
    run(["tar", "--numeric-owner", "-cf", str(part), "-C", str(root), "."], f"tar {out.name}")
    os.replace(part, out)


def run(cmd: list[str], what: str, env: dict | None = None) -> None:
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        out = (res.stdout + res.stderr).strip().splitlines()[-25:]
        raise HarnessError(f"{what} failed (exit {res.returncode}):\n    " + "\n    ".join(out))
