#!/usr/bin/env bash
# Holds a live crier (with its sandbox) to its own OpenAPI document: schemathesis
# generates requests for every operation and fails on any 5xx, undocumented
# status, wrong content type or response that does not match its schema.
# Usage: scripts/schemathesis.sh [path/to/crier]   (needs python3; installs schemathesis in a venv)
set -euo pipefail
BIN="${1:-${CARGO_TARGET_DIR:-target}/debug/crier}"
VENV="${SCHEMATHESIS_VENV:-${CARGO_TARGET_DIR:-target}/schemathesis-venv}"
if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==4.32.5"
fi
DIR="$(mktemp -d)"
# Hundreds of requests on one profile within minutes: past the API's own limit (then every answer would be 429).
CRIER_LIMITS__PER_KEY=1000000 CRIER_LIMITS__PER_PROFILE=1000000 \
  "$BIN" serve --sandbox --listen 127.0.0.1:0 --data-dir "$DIR" >"$DIR/stdout" 2>"$DIR/stderr" &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 300); do
  grep -q '^crier API key:' "$DIR/stdout" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$DIR/stderr" >&2; exit 1; }
  sleep 0.1
done
URL="$(sed -n 's/^crier listening on //p' "$DIR/stdout")"
KEY="$(cat "$DIR/sandbox-api-key")"
export NO_PROXY=127.0.0.1,localhost
"$VENV/bin/st" run "$URL/api/openapi.json" \
  --header "Authorization: Bearer $KEY" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples 25 --generation-deterministic --request-timeout 30
