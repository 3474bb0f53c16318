#!/usr/bin/env bash
# CI stage: AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer), clang Debug build of
# everything (core, CLI, studio, GUI tests, fuzz replays) with assertions on; the whole ctest suite.
# A sanitizer report fails its test: UBSan aborts (-fno-sanitize-recover=all), ASan/LSan exit
# non-zero. Run-time options: STDP_TEST_ENVIRONMENT in CMakeLists.txt.
#
#   scripts/ci-asan.sh   # build in build-asan/ (STDP_ASAN_BUILD_DIR), then ctest
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --ci
source "$root/scripts/ci-env.sh"
build=${STDP_ASAN_BUILD_DIR:-$root/build-asan}

stdp_ci_configure "$build" -DSTDP_SANITIZE=ON
cmake --build "$build" -j "$stdp_ci_jobs"
cd "$build"
ctest --output-on-failure -j "$stdp_ci_jobs"
