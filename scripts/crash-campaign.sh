#!/usr/bin/env bash
# Crash campaign: `crier sandbox` in its own process keeps the ledger; an ordinary `crier serve`
# (config file, API key and linked accounts made with the CLI, SQLite) is SIGKILLed at random
# moments while posts arrive and restarted on the same data dir, with faults sprayed on the
# networks' publish endpoints (late landings, dropped answers and requests, 5xx, 429). At the end
# every post must be settled, and crier's account of each delivery must agree with the ledger:
# no duplicates, nothing lost, no wrong state. Prints its seed and one summary line
#   crash campaign: posts=1000 networks=4 kills=50 duplicates=0 lost=0 wrong=0 (...)
# and exits non-zero when a count is not 0 (the work dir with crier's logs and findings.json is
# then kept). All traffic is on 127.0.0.1.
# Several nodes: --postgres ADMIN_URL creates a fresh database for the run (dropped at the end
# unless the work dir is kept) and --nodes N runs N `crier serve` on it, on different ports; posts
# are spread over the nodes, each kill picks one, and a killed node's leased jobs are taken over
# when engine.lease_secs (5 s here) runs out.
#
# Usage: scripts/crash-campaign.sh [--bin path/to/crier] [--posts N] [--networks N] [--kills N]
#                                  [--seed N] [--postgres URL [--nodes N]]
#                                  [more: scripts/crash_campaign.py --help]
# Defaults: 1000 posts x 4 networks (bluesky, linkedin, facebook, pinterest), 50 kills, a random
# seed, one node on SQLite. Without --bin it runs `cargo build -p crier` and uses
# $CARGO_TARGET_DIR/debug/crier. Needs python3 (standard library only).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --bin=*) BIN="${1#--bin=}"; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; echo; exec python3 scripts/crash_campaign.py --help ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

if [ -z "$BIN" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
  cargo build --locked -p crier
  BIN="$CARGO_TARGET_DIR/debug/crier"
fi
[ -x "$BIN" ] || { echo "crash-campaign: no crier binary at $BIN" >&2; exit 2; }

# exec: signals reach the helper, which kills the sandbox and crier it started on its way out.
exec python3 scripts/crash_campaign.py --bin "$BIN" ${ARGS[@]+"${ARGS[@]}"}
