#!/usr/bin/env bash
# Times our CLI and the NumPy formulation (bench/numpy_stdp.py) of the same paper-mnist training
# rule on the same built-in digits, in one run, interleaved (numpy, ours, numpy, ours, ...) so
# that the ratio holds however loaded the machine is.
#
#   bench/compare_numpy.sh BUILD_DIR [OURS_IMAGES] [NUMPY_IMAGES] [ROUNDS]
#
# Defaults: both train on the first 20 built-in digits (NumPy is two orders of magnitude
# slower), 2 rounds. Rates are per image presented. OURS_EPOCHS (default 50) repeats ours over
# the same digits so that its timing covers about a second of training.
# Both are timed by their own clock around the training loop (start-up, imports, data loading
# and saving excluded), pinned to the same core: that is the ratio. Ours is also timed as a whole process (start-up,
# loading the digits, saving the bundle included), and that ratio is printed too.
# The last line is machine-readable: "RATIO ours_img_s numpy_img_s ratio" (own clocks).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:?usage: compare_numpy.sh BUILD_DIR [OURS_IMAGES] [NUMPY_IMAGES] [ROUNDS]}
ours_images=${2:-20}
numpy_images=${3:-20}
rounds=${4:-2}
epochs=${OURS_EPOCHS:-50}
cli=$build/app/cli/stdp-cli
# The built-in digits as a gzipped IDX file; both readers gunzip it by its magic bytes.
idx=$root/resources/data/mnist-builtin-images-idx-ubyte.gz
python=/usr/bin/python3  # Debian's interpreter has python3-numpy; the pyenv one on PATH has not

[[ -x $cli ]] || { echo "no $cli: build the stdp-cli target first" >&2; exit 1; }
if ! "$python" -c 'import numpy' 2> /dev/null; then
    echo "$python has no numpy (scripts/install-deps.sh installs python3-numpy)" >&2
    exit 1
fi

# Both run on the same core (the last one), so neither migrates nor gets a quieter core.
pin=()
if command -v taskset > /dev/null; then
    pin=(taskset -c "$(($(nproc) - 1))")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One field of the NumPy script's JSON line.
field() {
    "$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
        "$tmp/numpy.json" "$1"
}

ours_rates=()
ours_process_rates=()
numpy_rates=()
echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
    # NumPy: its JSON line carries its own training time and dynamics (theta, spikes per step).
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "${pin[@]}" "$python" "$here/numpy_stdp.py" "$idx" \
        --images "$numpy_images" > "$tmp/numpy.json"
    np_rate=$(field images_per_s)
    numpy_rates+=("$np_rate")
    printf 'round %d  numpy: %4d images  %9.3f images/s  (theta %.6f, %.4f output spikes/step)\n' \
        "$r" "$numpy_images" "$np_rate" "$(field theta)" "$(field spikes_per_step)"

    rm -rf "$tmp/model"
    start=$EPOCHREALTIME
    "${pin[@]}" "$cli" train --data "idx:$idx" --images "$ours_images" --preset paper-mnist \
        --set epochs="$epochs" --out "$tmp/model" 2> "$tmp/ours.log"
    end=$EPOCHREALTIME
    process_rate=$(awk -v n="$((ours_images * epochs))" -v a="$start" -v b="$end" \
        'BEGIN { printf "%.3f", n / (b - a) }')
    ours_process_rates+=("$process_rate")
    # The CLI's own clock: "..., in S s (R images/s); saved ..."
    ours_rate=$(grep -o 'in [0-9.]* s ([0-9.]* images/s)' "$tmp/ours.log" | tail -1 |
        grep -o '([0-9.]*' | tr -d '(')
    [[ -n $ours_rate ]] || { echo "no training time in the CLI's output:" >&2; cat "$tmp/ours.log" >&2; exit 1; }
    ours_rates+=("$ours_rate")
    summary=$(grep -o 'trained on.*theta = [0-9.]*' "$tmp/ours.log" | tail -1)
    printf 'round %d  ours:  %4d images x %d epochs  %9.3f images/s  (whole process %.3f; %s)\n' \
        "$r" "$ours_images" "$epochs" "$ours_rate" "$process_rate" "$summary"
done
echo "machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() {
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 }
             END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ours_med=$(median "${ours_rates[@]}")
process_med=$(median "${ours_process_rates[@]}")
numpy_med=$(median "${numpy_rates[@]}")
ratio=$(awk -v a="$ours_med" -v b="$numpy_med" 'BEGIN { printf "%.1f", a / b }')
process_ratio=$(awk -v a="$process_med" -v b="$numpy_med" 'BEGIN { printf "%.1f", a / b }')
echo "median: ours $ours_med images/s, numpy $numpy_med images/s, ratio ${ratio}x" \
    "(ours as a whole process: $process_med images/s, ${process_ratio}x)"
echo "RATIO $ours_med $numpy_med $ratio"
