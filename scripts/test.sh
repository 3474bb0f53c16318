#!/usr/bin/env bash
# One command from a fresh machine: install packages, build, run every test (core, cli, gui).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
build=${STDP_BUILD_DIR:-$root/build}
cd "$build"
ctest --output-on-failure -j "$(nproc)"
