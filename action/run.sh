#!/usr/bin/env bash
# The action's lint step: `dlint check --output-format github` (annotations), and with
# INPUT_SARIF=true a SARIF report first. Writes `exit-code` and `sarif-file` to GITHUB_OUTPUT
# and exits with dlint's code, so findings fail the job; the SARIF upload runs regardless.
set -uo pipefail

: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a args <<< "${INPUT_ARGS:-}"
[ "${#paths[@]}" -gt 0 ] || paths=(.)

if [ "${INPUT_SARIF:-false}" = "true" ]; then
    sarif="${INPUT_SARIF_FILE:-dlint.sarif}"
    zero=(--exit-zero)
    for a in "${args[@]}"; do [ "$a" = "--exit-zero" ] && zero=(); done
    # Findings do not stop the report; a failure of the run (exit 2) does.
    if ! dlint check --output-format sarif --output-file "$sarif" "${zero[@]}" "${args[@]}" "${paths[@]}"; then
        echo "exit-code=2" >> "$GITHUB_OUTPUT"
        exit 2
    fi
    echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
fi

code=0
dlint check --output-format github "${args[@]}" "${paths[@]}" || code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
exit "$code"
