#!/usr/bin/env bash
# CI stage: ThreadSanitizer, clang Debug build of the core tests, the CLI and its test, the
# controller test (the worker threads behind the studio) and the result queue's (their results'
# hand-off to the GUI thread); runs those tests.
#
# The other GUI tests are left out: they are about widgets on the GUI thread, and Qt itself is not
# built with TSan, so reports from inside its event loop are noise. Suppressions, each with its
# reason: tests/tsan.supp.
#
#   scripts/ci-tsan.sh   # build in build-tsan/ (STDP_TSAN_BUILD_DIR), then ctest
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --ci
source "$root/scripts/ci-env.sh"
build=${STDP_TSAN_BUILD_DIR:-$root/build-tsan}

stdp_ci_configure "$build" -DSTDP_TSAN=ON -DSTDP_FUZZ_REPLAY=OFF
# The core tests are whatever tests/CMakeLists.txt labels "core" (test name = target name), except
# test_alloc: it replaces the global operator new to count allocations, which TSan's static
# run-time also defines (the link fails), and it runs on one thread, so TSan has nothing to check.
mapfile -t core_tests < <(ctest --test-dir "$build" -N -L '^core$' | sed -n 's/^ *Test *#[0-9]*: *//p' |
  grep -vx test_alloc)
[ ${#core_tests[@]} -gt 0 ] || { echo "ci-tsan: no core tests found" >&2; exit 1; }
# test_layers is a CMake script (cmake/CheckLayers.cmake), not a program: nothing to build for it.
targets=()
for t in "${core_tests[@]}"; do
  [ "$t" = test_layers ] || targets+=("$t")
done
cmake --build "$build" -j "$stdp_ci_jobs" --target "${targets[@]}" stdp-cli test_controller \
  test_hand_off_queue
cd "$build"
# TSan looks for races between threads. The end-to-end science margins below train on one thread
# for minutes (about 860 CPU-s of this stage under TSan, on the critical path); their margins are
# checked by the test and asan stages, and the threads they use (evaluation) are checked here by
# Determinism.EvaluationDoesNotDependOnThreads, with both read-outs. GTEST_FILTER reaches every
# GoogleTest program ctest starts; the QtTest programs (test_controller, test_hand_off_queue) ignore
# it.
export GTEST_FILTER="-CoopNatural.*:CoopMnist.*:CoopMnistSparse.*:Improved.BeatsThePaperAndKMeansWithoutDeadNeurons:BundleTest.EveryPresetTrainsLongAndLoadsAgain:EndToEnd.TrainingLowersReconstructionError"
regex="^($(IFS='|'; echo "${core_tests[*]}")|test_cli|test_controller|test_hand_off_queue)\$"
# Qt is not built with TSan: reports from inside it (tests/tsan.supp) could vary from run to run.
# Since our hand-offs cross in HandOffQueue and SnapshotMailbox, 8 of 8 runs of test_controller
# were clean (2026-12-03); a test still gets up to three runs, and every report is printed in the
# log for the next look.
ctest --output-on-failure -j "$stdp_ci_jobs" -R "$regex" --repeat until-pass:3
