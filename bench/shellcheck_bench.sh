#!/usr/bin/env bash
# ShellCheck mode against hadolint on the same corpus files, and dlint without ShellCheck.
#
#   bench/shellcheck_bench.sh DLINT HADOLINT [REPS]     (DLINT_CORPUS: the corpus, as run.sh)
#
# Each line: wall seconds, user+sys CPU seconds (CPU time is the fairer number on a shared
# machine: it does not count time spent waiting for a core). JSON output to /dev/null.
set -euo pipefail
dlint=$(realpath "$1"); hadolint=$(realpath "$2"); reps=${3:-1}
corpus="${DLINT_CORPUS:-../shared/corpus}"
cd "$corpus/files"
list=$(mktemp); find . -type f | sed 's|^\./||' | sort > "$list"
echo "files: $(wc -l < "$list"); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
empty=$(mktemp -d)
measure() {  # name, command...
  local name=$1; shift
  for _ in $(seq "$reps"); do
    /usr/bin/time -f "$name wall=%e cpu_user=%U cpu_sys=%S" "$@" > /dev/null 2>> "$list.time" || true
    tail -n1 "$list.time"
  done
}
measure "dlint --ignore SC (ShellCheck off)" xargs -a "$list" "$dlint" check --isolated --exit-zero --ignore SC --output-format json
measure "dlint, shellcheck not on PATH" env PATH="$empty" /usr/bin/xargs -a "$list" "$dlint" check --isolated --exit-zero --output-format json
measure "dlint with ShellCheck (default)" xargs -a "$list" "$dlint" check --isolated --exit-zero --output-format json
measure "hadolint (ShellCheck built in)" xargs -a "$list" "$hadolint" --no-fail -f json
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$list" "$list.time" "$empty"
