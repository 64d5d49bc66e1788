#!/usr/bin/env bash
# The action's install step: dlint into a virtual environment under RUNNER_TEMP, put on the
# PATH of the later steps (GITHUB_PATH).
# INPUT_VERSION: a dockerfile-dlint version from PyPI; empty installs the action's own source.
set -euo pipefail

python="${DLINT_PYTHON:-python3}"
venv="${RUNNER_TEMP:?RUNNER_TEMP is not set}/dlint-venv"
if [ -n "${INPUT_VERSION:-}" ]; then
    spec="dockerfile-dlint==${INPUT_VERSION}"
else
    spec="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec"
echo "$venv/bin" >> "${GITHUB_PATH:?GITHUB_PATH is not set}"
"$venv/bin/dlint" --version
