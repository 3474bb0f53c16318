#!/bin/bash
# The studio with every view live against headless training, on the same images: interleaved
# rounds of `stdp-cli train` and `stdp-studio --screenshot ... --stats`, medians of the ratio.
#   scripts/studio-speed.sh [BUILD_DIR] [ROUNDS] [IMAGES]
#   LOADED=1 scripts/studio-speed.sh ...   # keeps core 1 busy meanwhile (the studio may use both)
# Prints the CPU, the load average of each round, each round's figures and the medians: of the
# wall-clock rates, and, for a shared machine, of the rates per CPU second (the studio's
# simulation thread, and its whole process, against the whole stdp-cli process).
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
    # The CPU time of the whole stdp-cli process (user + system, start-up and saving included).
    python3 - "$build/app/cli/stdp-cli" "$images" "$work/h" <<'PY'
import json, resource, subprocess, sys
cli, images, out = sys.argv[1:]
run = subprocess.run([cli, "train", "--data", "builtin:mnist", "--images", images, "--out", out, "--json"],
                     check=True, capture_output=True, text=True)
d = json.loads(run.stdout[run.stdout.index("{"):run.stdout.rindex("}") + 1])
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print("headless: %.1f images/s; %.1f images per CPU second"
      % (d["images_seen"] / d["seconds"]["train"], d["images_seen"] / (use.ru_utime + use.ru_stime)))
PY
    QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/cfg" \
        "$build/app/studio/stdp-studio" --screenshot "$work/s.png" --run-images "$images" --stats 2>/dev/null |
        grep -v '^/'
done | tee "$work/log"
python3 - "$work/log" <<'PY'
import re, statistics, sys
head, head_cpu, studio, ratios, sim_ratios, proc_ratios = None, None, None, [], [], []
for line in open(sys.argv[1]):
    if line.startswith("headless:"):
        head = float(line.split()[1])
        head_cpu = float(re.search(r"([\d.]+) images per CPU second", line).group(1))
    elif line.startswith("learning:") and head:
        studio = float(re.search(r"= ([\d.]+) images/s", line).group(1))
        ratios.append(studio / head)
    elif line.startswith("cpu during the run") and studio:
        # Images per CPU second of the simulation thread alone, and of the whole studio process.
        sim = float(re.search(r"simulation ([\d.]+)", line).group(1))
        proc = float(re.search(r"process ([\d.]+)", line).group(1))
        sim_ratios.append(studio / sim / head_cpu)
        proc_ratios.append(studio / proc / head_cpu)
        studio = None
def show(name, rs):
    if rs:
        print(f"{name}: " + ", ".join(f"{100 * r:.0f} %" for r in rs)
              + f"; median {100 * statistics.median(rs):.0f} %")
show("studio / headless per round, wall clock", ratios)
show("per CPU second of the simulation thread / of headless", sim_ratios)
show("per CPU second of the whole studio process / of headless", proc_ratios)
PY
