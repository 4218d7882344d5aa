#!/usr/bin/env bash
# The README's test command: installs what the build needs (scripts/setup.sh), then
# `cargo test --workspace --locked ARGS`. With CRIER_TEST_DATABASE_URL set, the suite runs on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
exec cargo test --workspace --locked "$@"
