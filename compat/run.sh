#!/usr/bin/env bash
# Runs Ayrshare's official, unmodified SDKs against a fresh crier in sandbox mode:
#   PyPI social-post-api 1.3.0, npm social-media-api 1.3.0, npm social-post-api 1.1.1 (legacy).
#
#   compat/run.sh [path/to/crier]     (default: ${CARGO_TARGET_DIR:-target}/debug/crier)
#
# Exits non-zero if any suite failed. Everything stays on loopback.
# COMPAT_SUITES="python node-current node-legacy" selects suites (default: all three).
set -euo pipefail

COMPAT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$COMPAT_DIR/.." && pwd)"

# --- the binary ---------------------------------------------------------------------------------
BIN="${1:-${CARGO_TARGET_DIR:-target}/debug/crier}"
if [[ "$BIN" != /* ]]; then
  if [[ -x "$PWD/$BIN" ]]; then
    BIN="$PWD/$BIN"
  elif [[ -z "${1:-}" && -x "$REPO_DIR/$BIN" ]]; then
    BIN="$REPO_DIR/$BIN"
  fi
fi
if [[ ! -x "$BIN" ]]; then
  echo "compat: crier binary not found or not executable: $BIN" >&2
  echo "        build it (cargo build -p crier) or pass its path: compat/run.sh path/to/crier" >&2
  exit 2
fi

export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

# crier's automatic retries back off from engine.retry_base_ms (default 2000 ms: the retryPost
# tests would wait ~35 s each for crier to give up). A shorter base keeps the same behaviour
# (same attempts, same 910 at the end) in a few seconds; override to test the defaults.
export CRIER_ENGINE__RETRY_BASE_MS="${CRIER_ENGINE__RETRY_BASE_MS:-200}"
# Webhook deliveries retried on Svix's schedule (5 s, 5 min, …) would outlast the suites: the
# webhook tests run it compressed (same attempts, same headers, same webhook-id).
export CRIER_WEBHOOKS__RETRY_SCHEDULE_SECS="${CRIER_WEBHOOKS__RETRY_SCHEDULE_SECS:-[0.3, 0.3, 0.3]}"
# The suites share one profile; crier's own limit (300 requests per 5 min) must not throttle them
# (the Node SDK would wait out each Retry-After).
export CRIER_LIMITS__PER_KEY="${CRIER_LIMITS__PER_KEY:-1000000}"
export CRIER_LIMITS__PER_PROFILE="${CRIER_LIMITS__PER_PROFILE:-1000000}"

# --- start crier --------------------------------------------------------------------------------
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/crier-compat.XXXXXX")"
OUT="$DATA_DIR/crier.stdout"
ERR="$DATA_DIR/crier.stderr"
CRIER_PID=""

cleanup() {
  local rc=$?
  if [[ -n "$CRIER_PID" ]] && kill -0 "$CRIER_PID" 2>/dev/null; then
    kill -TERM "$CRIER_PID" 2>/dev/null || true
    # Bounded: crier drains in-flight deliveries (shutdown_grace_secs), then a hard stop.
    for _ in $(seq 1 150); do
      kill -0 "$CRIER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$CRIER_PID" 2>/dev/null || true
    wait "$CRIER_PID" 2>/dev/null || true
  fi
  if [[ $rc -ne 0 && -s "$ERR" ]]; then
    echo "--- crier stderr (last 40 lines) ---" >&2
    tail -n 40 "$ERR" >&2 || true
  fi
  rm -rf "$DATA_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$DATA_DIR/data"
# Started from the temp dir so that no crier.toml of the caller's directory is picked up.
(cd "$DATA_DIR" && exec "$BIN" serve --sandbox --listen 127.0.0.1:0 --data-dir "$DATA_DIR/data") >"$OUT" 2>"$ERR" &
CRIER_PID=$!

# Wait (bounded, ~30 s) for the four lines crier prints once it is serving:
#   crier listening on <url> / crier sandbox on <url> (...) / crier API key: <key> / X posts need ...
CRIER_URL="" CRIER_SANDBOX_URL="" CRIER_API_KEY="" CRIER_X_KEY="" CRIER_X_SECRET=""
for _ in $(seq 1 300); do
  if ! kill -0 "$CRIER_PID" 2>/dev/null; then
    echo "compat: crier exited before it was ready" >&2
    cat "$OUT" "$ERR" >&2 || true
    exit 1
  fi
  if grep -q '^X posts need the sandbox app' "$OUT" 2>/dev/null; then
    CRIER_URL="$(sed -n 's#^crier listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$#\1#p' "$OUT" | head -n1)"
    CRIER_SANDBOX_URL="$(sed -n 's#^crier sandbox on \(http://[^ ]*\) .*#\1#p' "$OUT" | head -n1)"
    CRIER_API_KEY="$(sed -n 's#^crier API key: \([^ ]*\)$#\1#p' "$OUT" | head -n1)"
    CRIER_X_KEY="$(sed -n 's#^X posts need.*X-Twitter-OAuth1-Api-Key: \([^ ]*\) / .*#\1#p' "$OUT" | head -n1)"
    CRIER_X_SECRET="$(sed -n 's#^X posts need.*X-Twitter-OAuth1-Api-Secret: \([^ ]*\)$#\1#p' "$OUT" | head -n1)"
    break
  fi
  sleep 0.1
done
if [[ -z "$CRIER_URL" || -z "$CRIER_SANDBOX_URL" || -z "$CRIER_X_KEY" || -z "$CRIER_X_SECRET" ]]; then
  echo "compat: crier did not print its addresses within 30 s; stdout was:" >&2
  cat "$OUT" >&2 || true
  exit 1
fi
if [[ -z "$CRIER_API_KEY" && -s "$DATA_DIR/data/sandbox-api-key" ]]; then
  CRIER_API_KEY="$(tr -d '[:space:]' <"$DATA_DIR/data/sandbox-api-key")"
fi
if [[ -z "$CRIER_API_KEY" ]]; then
  echo "compat: no API key printed nor in $DATA_DIR/data/sandbox-api-key" >&2
  exit 1
fi
export CRIER_URL CRIER_SANDBOX_URL CRIER_API_KEY CRIER_X_KEY CRIER_X_SECRET
echo "compat: crier $CRIER_URL (sandbox $CRIER_SANDBOX_URL), pid $CRIER_PID"

# --- install the SDKs (once) --------------------------------------------------------------------
VENV="$COMPAT_DIR/.venv"
REQS="$COMPAT_DIR/python/requirements.txt"
if [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
fi
if ! cmp -s "$REQS" "$VENV/.requirements.installed" 2>/dev/null; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS"
  cp "$REQS" "$VENV/.requirements.installed"
fi
if [[ ! -d "$COMPAT_DIR/node/node_modules/social-media-api" || ! -d "$COMPAT_DIR/node/node_modules/social-post-api" \
   || "$COMPAT_DIR/node/package-lock.json" -nt "$COMPAT_DIR/node/node_modules/.package-lock.json" ]]; then
  (cd "$COMPAT_DIR/node" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- run the suites (one after the other: they share crier and the sandbox's faults) ------------
SUITES="${COMPAT_SUITES:-python node-current node-legacy}"
declare -a FAILED=()
run_suite() {
  local name="$1"; shift
  echo
  echo "=== $name ==="
  if "$@"; then
    echo "=== $name: passed ==="
  else
    echo "=== $name: FAILED ===" >&2
    FAILED+=("$name")
  fi
}

for suite in $SUITES; do
  case "$suite" in
    python)
      run_suite "python: PyPI social-post-api 1.3.0" \
        bash -c 'cd "$1/python" && exec timeout 1200 "$2/bin/python" -m pytest -v' _ "$COMPAT_DIR" "$VENV"
      ;;
    node-current)
      run_suite "node: npm social-media-api 1.3.0" \
        bash -c 'cd "$1/node" && exec timeout 1200 node --require ./redirect.cjs --test --test-concurrency=1 --test-reporter=spec test/social-media-api.test.mjs test/holds.test.mjs test/text-length.test.mjs test/shapes.test.mjs' _ "$COMPAT_DIR"
      ;;
    node-legacy)
      run_suite "node: npm social-post-api 1.1.1 (legacy)" \
        bash -c 'cd "$1/node" && exec timeout 1200 node --require ./redirect.cjs --test --test-reporter=spec test/social-post-api.test.cjs' _ "$COMPAT_DIR"
      ;;
    *)
      echo "compat: unknown suite $suite (python, node-current, node-legacy)" >&2
      FAILED+=("$suite")
      ;;
  esac
done

echo
if ((${#FAILED[@]})); then
  echo "compat: FAILED: ${FAILED[*]}" >&2
  exit 1
fi
echo "compat: all suites passed"
