#!/usr/bin/env bash
# Builds the benchmarks (Release) and runs every suite, the memory probe, the NumPy comparison, the
# Brian2 and PyTorch comparison (when Debian's python3-brian and python3-torch are installed) and
# an instruction-count profile, then writes bench/RESULTS.md (figures, machine, commands).
#
#   bench/run.sh [BUILD_DIR]          (default: build-bench next to this repository's sources)
#
# Environment: STDP_SRC = source tree to build (default: this repository), JOBS (default 2),
# REPS = benchmark repetitions (default 3; medians are reported), QUICK=1 skips callgrind.
# Timings on a shared 2-core machine are noisy: run when `uptime` shows a low load; the load is
# recorded in the report.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=${STDP_SRC:-$(dirname "$here")}
build=${1:-$src/build-bench}
jobs=${JOBS:-2}
reps=${REPS:-3}
out=$build/bench-results
results=$here/RESULTS.md
mkdir -p "$out"

echo "== build ($src -> $build, Release)"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTDP_BUILD_STUDIO=OFF -DSTDP_BUILD_PYTHON=ON \
    -DSTDP_BUILD_TESTS=OFF -DSTDP_BUILD_BENCH=ON > "$out/cmake.log"
# stdp_studio: compare_peers.sh records the core's run through the Python module.
cmake --build "$build" -j "$jobs" --target bench_all stdp_studio > "$out/build.log"

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load before: $(load)" | tee "$out/load.txt"

common=(--benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true
        --benchmark_counters_tabular=true --benchmark_out_format=json)
for suite in bench_training bench_scaling bench_eval; do
    echo "== $suite"
    "$build/bench/$suite" "${common[@]}" --benchmark_out="$out/$suite.json" | tee "$out/$suite.txt"
    echo "load after $suite: $(load)" | tee -a "$out/load.txt"
done

echo "== peak memory"
{
    "$build/bench/bench_memory" mnist 32 200
    "$build/bench/bench_memory" mnist 1024 5
    "$build/bench/bench_memory" natural 256 2
} | tee "$out/memory.txt"

echo "== NumPy comparison"
"$here/compare_numpy.sh" "$build" 20 20 3 | tee "$out/compare.txt"

echo "== Brian2 and PyTorch comparison"
rm -f "$out/peers.txt"
rc=0
"$here/compare_peers.sh" "$build" 20 3 > "$out/peers.out" || rc=$?
cat "$out/peers.out"
if ((rc == 0)); then
    mv "$out/peers.out" "$out/peers.txt"
elif ((rc != 77)); then  # 77: brian2 or torch not installed, the section is left out
    exit "$rc"
fi

if [[ ${QUICK:-0} != 1 ]] && command -v valgrind > /dev/null; then
    # No hardware counters in this VM (perf stat: <not supported>), so instructions come from
    # callgrind, counted inside TrainingSession::trainImages only (no start-up, no data loading).
    echo "== callgrind (instructions per step, paper-mnist, 20 images)"
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
        --toggle-collect='stdp::TrainingSession::trainImages*' \
        "$build/bench/bench_memory" mnist 32 20 2> "$out/callgrind.log" |
        tee "$out/callgrind-run.txt"
    callgrind_annotate "$out/callgrind.out" > "$out/callgrind.txt" 2> /dev/null
fi
if command -v perf > /dev/null; then
    # Sampling on the software clock works without hardware counters.
    echo "== perf record (cpu-clock, paper-mnist, 200 images)"
    perf record -q -e cpu-clock -F 4000 -o "$out/perf.data" \
        "$build/bench/bench_memory" mnist 32 200 > /dev/null 2>&1 || true
    perf report -i "$out/perf.data" --no-children --stdio --sort symbol 2> /dev/null |
        grep -E '^ +[0-9.]+%' | sed -E 's/[[:space:]-]+$//' | head -16 > "$out/perf.txt" || true
fi

echo "== report"
python3 "$here/report.py" "$out" "$build" > "$results"
echo "wrote $results"
