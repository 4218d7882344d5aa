#!/usr/bin/env bash
# Installs the system packages crier needs, only those missing, from Debian's archive.
# Usage: scripts/setup.sh [GROUP...]   (default: build)
#   build       C toolchain, cmake, nasm, libde265 and dav1d headers (the media converter's libheif build)
#   postgres    a PostgreSQL server (the multi-node store's tests)
#   sdk         Node.js, npm and Python's venv (the official-SDK compatibility suite)
#   prometheus  Debian's Prometheus server (the metrics scrape test)
#   browser     Debian's Chromium and chromedriver (the linking page's browser tests)
# scripts/run.sh and scripts/test.sh call it; so does .ci/run. Needs root or sudo when something is missing.
set -euo pipefail

missing=()
need() { missing+=("$@"); }
has() { command -v "$1" >/dev/null 2>&1; }

for group in "${@:-build}"; do
  case "$group" in
    build)
      has cc && has make || need build-essential
      has pkg-config || need pkg-config
      [ -e /etc/ssl/certs/ca-certificates.crt ] || need ca-certificates
      # libheif is built from vendored source (cmake, C++) and links Debian's HEVC and AV1 decoders.
      # Not libheif-dev, libx265-dev or libaom-dev: the vendored build would pick them up and fail to link.
      has cmake || need cmake
      has g++ || need g++
      has nasm || need nasm
      pkg-config --exists libde265 2>/dev/null || need libde265-dev
      pkg-config --exists dav1d 2>/dev/null || need libdav1d-dev
      ;;
    postgres) ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need postgresql ;;
    sdk)
      has node && has npm || need nodejs npm
      python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need python3-venv
      ;;
    prometheus) [ -x /usr/bin/prometheus ] || need prometheus ;;
    browser)
      [ -x /usr/bin/chromium ] || need chromium
      [ -x /usr/bin/chromedriver ] || need chromium-driver
      ;;
    *) echo "setup.sh: unknown group '$group' (build, postgres, sdk, prometheus, browser)" >&2; exit 2 ;;
  esac
done

[ ${#missing[@]} -eq 0 ] && exit 0
# CRIER_SETUP_DRY_RUN=1: name what is missing, install nothing (tests/readme_commands.rs).
if [ -n "${CRIER_SETUP_DRY_RUN:-}" ]; then
  echo "setup.sh: would install ${missing[*]}"
  exit 0
fi
echo "setup.sh: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif has sudo; then
  sudo=(sudo)
else
  echo "setup.sh: need root to run: apt-get install ${missing[*]}" >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
