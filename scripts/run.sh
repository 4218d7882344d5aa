#!/usr/bin/env bash
# The README's run command: installs what the build needs (scripts/setup.sh), then `cargo run --release -- ARGS`.
# Example: scripts/run.sh serve --sandbox --data-dir ./data
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
exec cargo run --release --locked -p crier -- "$@"
