#!/bin/sh
# Print the first bytes of a URL.
exec curl -fsS "${1:-http://127.0.0.1/}" | head -c 200
