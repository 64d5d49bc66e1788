#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seeds: the project's fixtures and regression inputs, and the
# shared Dockerfile corpus ($DLINT_CORPUS, default ../../shared/corpus from the repository root).
# The shared corpus is copied at run time only; it is never committed.
set -euo pipefail
cd "$(dirname "$0")"
root=..
shared="${DLINT_CORPUS:-$root/../../shared/corpus}"
[ -d "$shared" ] || shared="$root/../shared/corpus"

for target in parse lint_fix shell; do mkdir -p "corpus/$target"; done

copy_dockerfiles() { # dir
  find "$1" -type f -size -200k -print0 | while IFS= read -r -d '' f; do
    name=$(printf '%s' "$f" | sha1sum | cut -c1-16)
    cp "$f" "corpus/parse/$name"
    cp "$f" "corpus/lint_fix/$name"
  done
}

copy_dockerfiles "$root/fixtures"
[ -d "$root/tests/regressions" ] && copy_dockerfiles "$root/tests/regressions"
if [ -d "$shared/files" ]; then
  copy_dockerfiles "$shared/files"
  # Shell seeds: every RUN command line and heredoc body BuildKit saw in the corpus.
  python3 - "$shared/buildkit.jsonl" corpus/shell <<'PY'
import hashlib, json, sys
src, out = sys.argv[1], sys.argv[2]
seen = set()
for line in open(src, encoding="utf-8"):
    rec = json.loads(line)
    for inst in rec.get("instructions") or []:
        if inst["cmd"] != "RUN":
            continue
        texts = [] if inst["json"] else list(inst["value"])
        texts += [h["content"] for h in inst.get("heredocs") or []]
        for t in texts:
            if not t or t in seen:
                continue
            seen.add(t)
            name = hashlib.sha1(t.encode()).hexdigest()[:16]
            with open(f"{out}/{name}", "w", encoding="utf-8") as f:
                f.write(t)
PY
else
  echo "note: shared corpus not found at $shared; seeding from fixtures only" >&2
fi
for target in parse lint_fix shell; do
  echo "corpus/$target: $(ls "corpus/$target" | wc -l) seeds"
done
