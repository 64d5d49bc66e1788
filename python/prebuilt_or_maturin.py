"""PEP 517 build backend: maturin, or a prebuilt wheel of exactly this version.

pre-commit installs a `language: python` hook repository with `pip install .`, which would
compile dlint: minutes, and a Rust toolchain. When a wheel of this distribution, of the version
in Cargo.toml, for this platform, lies in a local directory of PIP_FIND_LINKS (where a release
pipeline or CI put it), that wheel is the build's result. Otherwise maturin compiles.
DLINT_BUILD_FROM_SOURCE=1 always compiles.

maturin is not a static build requirement: it is asked for (get_requires_for_build_*) only when
it will compile, so installing a prebuilt wheel downloads nothing but `packaging`.
"""

import os
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

DISTRIBUTION = "dockerfile_dlint"
ROOT = Path(__file__).resolve().parent.parent
MATURIN = "maturin>=1.5,<2"


def _maturin():
    import maturin

    return maturin


def _version():
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    package = text.split("[package]", 1)[1].split("\n[", 1)[0]
    return re.search(r'^version\s*=\s*"([^"]+)"', package, re.M).group(1)


def _find_links_dirs():
    for entry in os.environ.get("PIP_FIND_LINKS", "").split():
        if entry.startswith("file:"):
            entry = unquote(urlparse(entry).path)
        elif "://" in entry:
            continue
        if os.path.isdir(entry):
            yield Path(entry)


def _prebuilt():
    """The path of a matching wheel, or None."""
    if os.environ.get("DLINT_BUILD_FROM_SOURCE") == "1":
        return None
    from packaging.tags import sys_tags
    from packaging.utils import canonicalize_version, parse_wheel_filename

    supported = set(sys_tags())
    version = canonicalize_version(_version())
    for directory in _find_links_dirs():
        for wheel in sorted(directory.glob(DISTRIBUTION + "-*.whl")):
            try:
                _, wheel_version, _, tags = parse_wheel_filename(wheel.name)
            except ValueError:
                continue
            if canonicalize_version(wheel_version) == version and tags & supported:
                return wheel
    return None


def get_requires_for_build_wheel(config_settings=None):
    if _prebuilt():
        return []
    # maturin's own extra requirements are asked for once it is installed (in build_wheel's
    # environment pip has put it in); it needs none when cargo is on the PATH.
    return [MATURIN]


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    wheel = _prebuilt()
    if not wheel:
        return _maturin().prepare_metadata_for_build_wheel(metadata_directory, config_settings)
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if n.split("/")[0].endswith(".dist-info")]
        archive.extractall(metadata_directory, members=names)
    return names[0].split("/")[0]


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel = _prebuilt()
    if not wheel:
        return _maturin().build_wheel(wheel_directory, config_settings, metadata_directory)
    shutil.copy(wheel, Path(wheel_directory) / wheel.name)
    return wheel.name


# Source distributions and editable installs are maturin's alone.
def get_requires_for_build_sdist(config_settings=None):
    return [MATURIN]


def build_sdist(sdist_directory, config_settings=None):
    return _maturin().build_sdist(sdist_directory, config_settings)


def get_requires_for_build_editable(config_settings=None):
    return [MATURIN]


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    return _maturin().prepare_metadata_for_build_editable(metadata_directory, config_settings)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _maturin().build_editable(wheel_directory, config_settings, metadata_directory)
