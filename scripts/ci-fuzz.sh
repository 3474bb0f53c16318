#!/usr/bin/env bash
# CI stage: builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) and runs each for a bounded
# time on a copy of its seed corpus (the repository is not modified), two at a time. Any crash,
# sanitizer report, leak, timeout (> 10 s on one input) or out-of-memory (> 2 GiB) fails the stage;
# the input that caused it is kept in the build folder's fuzz-out/<target>/ (see fuzz/README.md:
# it then becomes a corpus file and so a regression test).
#
#   scripts/ci-fuzz.sh [TARGET...]   # default: every target; STDP_FUZZ_SECONDS per target (60)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --ci
source "$root/scripts/ci-env.sh"
build=${STDP_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${STDP_FUZZ_SECONDS:-60}

all_targets=(fuzz_idx fuzz_npy fuzz_bundle fuzz_settings fuzz_image_header)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

stdp_ci_configure "$build" -DSTDP_FUZZ=ON -DSTDP_BUILD_STUDIO=OFF -DSTDP_BUILD_TESTS=OFF
# Only the targets fuzz/CMakeLists.txt defines (it skips those whose core API is not there yet).
mapfile -t known < <(cmake --build "$build" --target help | sed -n 's/^\(fuzz_[a-z_]*\): .*/\1/p')
run=()
for t in "${targets[@]}"; do
  if printf '%s\n' "${known[@]}" | grep -qx "$t"; then
    run+=("$t")
  else
    echo "ci-fuzz: $t is not defined by fuzz/CMakeLists.txt, skipped" >&2
  fi
done
[ ${#run[@]} -gt 0 ] || { echo "ci-fuzz: no fuzz target to run" >&2; exit 1; }
cmake --build "$build" -j "$stdp_ci_jobs" --target "${run[@]}"

export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
out="$build/fuzz-out"

fuzz_one() {  # fuzz_one TARGET: runs it, log in $out/TARGET/log.txt
  local t="$1" dir="$out/$1"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$root/fuzz/corpus/$t/"* "$dir/corpus/"
  local dict=()
  [ -f "$root/fuzz/${t#fuzz_}.dict" ] && dict=("-dict=$root/fuzz/${t#fuzz_}.dict")
  # TMPDIR: fuzz_bundle writes its per-process folder there.
  TMPDIR="$dir" "$build/fuzz/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "${dict[@]}" "$dir/corpus" \
    >"$dir/log.txt" 2>&1
}

pids=()
names=()
status=0
report() {  # report INDEX: waits for that fuzzer and prints its result
  local t="${names[$1]}" rc=0
  wait "${pids[$1]}" || rc=$?
  local stats
  stats=$(grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$out/$t/log.txt" |
    sed 's/^stat:://' | tr '\n' ' ')
  if [ "$rc" -eq 0 ]; then
    echo "ci-fuzz: $t: ok, ${seconds} s, $stats"
  else
    status=1
    echo "ci-fuzz: $t: FAILED (exit $rc); artifacts: $(ls "$out/$t/artifacts" | tr '\n' ' ')"
    echo "----- $out/$t/log.txt (last 80 lines)"
    tail -n 80 "$out/$t/log.txt"
    echo "-----"
  fi
}
# Two fuzzers at a time (one per core), each with its own corpus copy and folder; all run for
# the same time, so they are collected in start order.
next=0
for t in "${run[@]}"; do
  while [ $((${#pids[@]} - next)) -ge "$stdp_ci_jobs" ]; do report $next; next=$((next + 1)); done
  echo "ci-fuzz: running $t for ${seconds} s"
  fuzz_one "$t" &
  pids+=($!)
  names+=("$t")
done
while [ $next -lt ${#pids[@]} ]; do report $next; next=$((next + 1)); done
exit $status
