#!/usr/bin/env bash
# Run every fuzz target, one after another (to spare the CPU), for SECONDS each (default 600).
# Crashes are kept in fuzz/artifacts/<target>/ and the run goes on (-fork=1 -ignore_crashes=1).
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse shell lint_fix)
export RUSTC_BOOTSTRAP=1   # cargo fuzz passes nightly-only flags; this lets stable rustc take them
[ -d corpus/parse ] || ./seed.sh
mkdir -p logs
for t in "${targets[@]}"; do
  echo "== $t for ${seconds}s (log: fuzz/logs/$t.log)"
  cargo fuzz run "$t" "corpus/$t" -- -fork=1 -ignore_crashes=1 \
    -max_total_time="$seconds" -timeout=10 -max_len=65536 -rss_limit_mb=2048 \
    > "logs/$t.log" 2>&1 || true
  grep -E "^(#|INFO: fuzzed|INFO: exiting).*" "logs/$t.log" | tail -2 || true
  ls "artifacts/$t" 2>/dev/null | sed "s|^|  artifact: artifacts/$t/|" || true
done
