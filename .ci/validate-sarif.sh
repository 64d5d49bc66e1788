#!/usr/bin/env bash
# Validate SARIF files with Microsoft's SARIF multitool (the validator GitHub code scanning's
# rules come from). Usage: ci/validate-sarif.sh FILE.sarif [FILE...]
#
# Installs @microsoft/sarif-multitool from the npm registry into a temporary prefix (needs
# node and npm). Exits non-zero when a file has errors (warnings and notes are printed but do
# not fail). If the npm registry cannot be reached it says so and exits 0, so offline
# machines are not blocked by a check they cannot run.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 FILE.sarif [FILE...]" >&2
    exit 2
fi
for f in "$@"; do
    if [ ! -r "$f" ]; then
        echo "validate-sarif: cannot read $f" >&2
        exit 2
    fi
done
if ! command -v npm >/dev/null 2>&1; then
    echo "validate-sarif: npm is not installed; install node and npm to validate SARIF" >&2
    exit 2
fi

PACKAGE="@microsoft/sarif-multitool"
VERSION="${SARIF_MULTITOOL_VERSION:-5.7.0}"

if ! npm ping >/dev/null 2>&1; then
    echo "validate-sarif: NOTICE: the npm registry cannot be reached; SARIF not validated"
    exit 0
fi

prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
npm install --silent --no-audit --no-fund --prefix "$prefix" "$PACKAGE@$VERSION" >/dev/null

# The package resolves to a self-contained .NET executable for this platform. Run it directly:
# its node launcher passes arguments through a shell, which mangles `;` and spaces.
tool="$(node -e 'console.log(require(process.argv[1]))' "$prefix/node_modules/$PACKAGE")"
if [ ! -x "$tool" ]; then
    echo "validate-sarif: $PACKAGE has no validator for this platform ($tool)" >&2
    exit 2
fi

status=0
for f in "$@"; do
    report="$prefix/$(basename "$f").validation.sarif"
    echo "validate-sarif: $f"
    # Print errors, warnings and notes. The validator exits 0 even when it finds errors, so
    # the verdict is the count of error-level results in its own SARIF report.
    set +e
    "$tool" validate "$f" --output "$report" --log ForceOverwrite --level "Error;Warning;Note"
    rc=$?
    set -e
    if [ ! -s "$report" ]; then
        echo "validate-sarif: the validator wrote no report (exit $rc)" >&2
        status=1
        continue
    fi
    errors="$(node -e '
        const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        let n = 0;
        for (const run of log.runs || []) {
            for (const r of run.results || []) if ((r.level || "warning") === "error") n++;
            for (const i of (run.invocations || [])) {
                for (const n2 of (i.toolExecutionNotifications || [])) if (n2.level === "error") n++;
                for (const n2 of (i.toolConfigurationNotifications || [])) if (n2.level === "error") n++;
            }
        }
        console.log(n);' "$report")"
    if [ "$rc" -ne 0 ] || [ "$errors" -ne 0 ]; then
        echo "validate-sarif: $f: $errors error(s) (validator exit $rc)" >&2
        status=1
    else
        echo "validate-sarif: $f: no errors"
    fi
done
exit "$status"
