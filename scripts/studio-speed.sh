#!/bin/bash
# The studio with every view live against headless training, on the same images: interleaved
# rounds of `stdp-cli train` and `stdp-studio --screenshot ... --stats`, medians of the ratio.
#   scripts/studio-speed.sh [BUILD_DIR] [ROUNDS] [IMAGES]
#   LOADED=1 scripts/studio-speed.sh ...   # keeps core 1 busy meanwhile (the studio may use both)
# Prints the CPU, the load average of each round, each round's figures and the medians.
set -euo pipefail
build=${1:-build}
rounds=${2:-5}
images=${3:-1700}
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${busy:-}" ] && kill "$busy" 2>/dev/null || true' EXIT
busy=""
if [ "${LOADED:-0}" = 1 ]; then
    taskset -c 1 sh -c 'while :; do :; done' &
    busy=$!
fi
grep -m1 "model name" /proc/cpuinfo
echo "cores: $(nproc); loaded: ${LOADED:-0}; $rounds rounds of $images built-in digits"
for r in $(seq 1 "$rounds"); do
    echo "== round $r, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$build/app/cli/stdp-cli" train --data builtin:mnist --images "$images" --out "$work/h" --json |
        python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["seconds"]["train"]; print("headless: %.1f images/s" % (d["images_seen"]/s))'
    QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/cfg" \
        "$build/app/studio/stdp-studio" --screenshot "$work/s.png" --run-images "$images" --stats 2>/dev/null |
        grep -v '^/'
done | tee "$work/log"
python3 - "$work/log" <<'PY'
import re, statistics, sys
head, ratios = None, []
for line in open(sys.argv[1]):
    if line.startswith("headless:"):
        head = float(line.split()[1])
    elif line.startswith("learning:") and head:
        studio = float(re.search(r"= ([\d.]+) images/s", line).group(1))
        ratios.append(studio / head)
if ratios:
    print("studio / headless per round: " + ", ".join(f"{100 * r:.0f} %" for r in ratios))
    print(f"median {100 * statistics.median(ratios):.0f} %")
PY
