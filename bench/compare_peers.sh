#!/usr/bin/env bash
# STDP Studio side by side with the compiled and tensor peers a researcher would use for the same
# rule: Brian2's generated C++ (cpp_standalone, Debian's python3-brian) and PyTorch on one CPU
# thread, TorchScript and eager (Debian's python3-torch). Each peer is a faithful implementation
# of paper-mnist (bench/peers/*.py; the authors' constants, docs/model.md) and is first checked
# to agree with the core step by step, then all are timed on the same digits, interleaved.
#
#   bench/compare_peers.sh BUILD_DIR [IMAGES] [ROUNDS]
#
# Defaults: the first 20 built-in digits, 3 rounds. BUILD_DIR needs stdp-cli and the Python
# module (targets stdp-cli, stdp_studio). Environment:
#   CHECK_IMAGES  digits of the agreement check (default 2)
#   CHECK_ONLY=1  the agreement check alone (ctest test_peers)
#   PEERS         which peers (default "brian2 torch-script torch-eager")
#   OURS_EPOCHS   passes of ours over the digits per round (default 50: about a second)
#
# 1. Agreement. The core trains on CHECK_IMAGES digits through the module stdp_studio, recording
#    each step's input spikes and winners; its final W and theta must be those `stdp-cli train`
#    saves, bit for bit. Every peer then runs the same steps from the same W0 on exactly those
#    spikes, following the core's winners while it records its own decisions. They agree when
#    (bench/peers/core_run.py, which states the tolerances and why): the peer's own winners are
#    the core's on every step except where a softmax value lies within 1e-4 (relative) of theta
#    (at most 0.1 % of the steps); final theta within 1e-6 relative; W within 1e-4 absolute.
#    Any disagreement fails the script (exit 1).
# 2. Speed. The core exports the IMAGES digits' spikes once; the peers train on them (so they do
#    not pay for encoding, which ours does). Rounds alternate the implementations, each pinned to
#    the same core (taskset). Three figures per implementation, medians of the rounds:
#    - own clock: the CPU time of the training alone, start-up, imports, loading and compiling
#      excluded (where a researcher amortises them): Brian2's own clock of the network run
#      (std::clock in its generated network.cpp, read from DIR/results/last_run_info.txt; its
#      code generation and compilation, about a minute, are paid once before the rounds: the
#      figure is printed), PyTorch's process_time around the step loop (TorchScript compiled and
#      warmed up first), ours process_time around TrainingSession.train in the module (the CLI's
#      code, checked above to give the CLI's bits; the CLI's own wall clock is printed too);
#    - whole process, wall clock: Brian2's compiled binary (which loads the spike file), the
#      Python interpreter with its imports for PyTorch, `stdp-cli train` for ours (start-up,
#      digits, encoding, saving; OURS_EPOCHS passes);
#    - whole process, CPU time (user + system): the same processes; on a machine shared with
#      other work the steadiest figure.
#    Ratios = ours / peer.
# The script ends with a Markdown table to paste into the README and bench/RESULTS.md, and a
# machine-readable line per peer: "RATIO peer ours_img_s peer_img_s ratio".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(cd "${1:?usage: compare_peers.sh BUILD_DIR [IMAGES] [ROUNDS]}" && pwd)
images=${2:-20}
rounds=${3:-3}
check_images=${CHECK_IMAGES:-2}
epochs=${OURS_EPOCHS:-50}
read -r -a peers <<< "${PEERS:-brian2 torch-script torch-eager}"
cli=$build/app/cli/stdp-cli
idx=$root/resources/data/mnist-builtin-images-idx-ubyte.gz
python=/usr/bin/python3  # Debian's interpreter has numpy, torch and brian2; a pyenv one may not
export PYTHONPATH=$build/app/python${PYTHONPATH:+:$PYTHONPATH}
cpus=$(getconf _NPROCESSORS_ONLN)  # before OMP_NUM_THREADS=1, which nproc would obey
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
peer_dir=$here/peers

[[ -x $cli ]] || { echo "no $cli: build the stdp-cli target first" >&2; exit 1; }
"$python" -c 'import stdp_studio' 2> /dev/null ||
    { echo "no module stdp_studio in $build/app/python: build the stdp_studio target" >&2; exit 1; }
for p in "${peers[@]}"; do
    case $p in
        brian2)
            "$python" -c 'import brian2' 2> /dev/null ||
                { echo "SKIP: no brian2 for $python (scripts/install-deps.sh installs python3-brian)" >&2; exit 77; }
            command -v g++ > /dev/null ||
                { echo "SKIP: Brian2's cpp_standalone needs g++" >&2; exit 77; } ;;
        torch-script | torch-eager)
            "$python" -c 'import torch' 2> /dev/null ||
                { echo "SKIP: no torch for $python (scripts/install-deps.sh installs python3-torch)" >&2; exit 77; } ;;
        *) echo "unknown peer '$p' (brian2, torch-script, torch-eager)" >&2; exit 2 ;;
    esac
done

# All run on the same core (the last one), so none migrates or gets a quieter core.
pin=()
if command -v taskset > /dev/null; then
    pin=(taskset -c "$((cpus - 1))")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A field of a JSON line.
field() { "$python" -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
# Brian2 prints its own warnings; the result is the last line.
brian2() { "$python" -W ignore "$peer_dir/brian2_stdp.py" "$@" 2> "$tmp/brian2.log" | tail -1; }

# Trains ours on the first $1 digits into $2 (a bundle), one pass.
ours_bundle() {
    "$cli" train --data "idx:$idx" --images "$1" --preset paper-mnist --out "$2" 2> "$tmp/ours.log" ||
        { cat "$tmp/ours.log" >&2; exit 1; }
}

# --- 1. Agreement ---
echo "agreement on the first $check_images digits (every step, the same spikes and W0):"
ours_bundle "$check_images" "$tmp/check-model"
"$python" "$peer_dir/core_run.py" export "$idx" "$check_images" "$tmp/check.npz" \
    --bundle "$tmp/check-model"
failed=0
for p in "${peers[@]}"; do
    case $p in
        brian2) brian2 "$tmp/check.npz" --build-dir "$tmp/brian2-check" --check "$tmp/$p.npz" \
            > /dev/null || { cat "$tmp/brian2.log" >&2; exit 1; } ;;
        torch-*) "$python" "$peer_dir/torch_stdp.py" "$tmp/check.npz" --mode "${p#torch-}" \
            --check "$tmp/$p.npz" > /dev/null ;;
    esac
    "$python" "$peer_dir/core_run.py" check "$tmp/check.npz" "$tmp/$p.npz" "$p" || failed=1
done
if ((failed)); then
    echo "FAILED: a peer does not agree with STDP Studio" >&2
    exit 1
fi
if [[ ${CHECK_ONLY:-0} == 1 ]]; then
    exit 0
fi

# --- 2. Speed ---
ours_bundle "$images" "$tmp/model"
"$python" "$peer_dir/core_run.py" export "$idx" "$images" "$tmp/run.npz" --bundle "$tmp/model"
steps=$("$python" -c 'import numpy, sys; print(numpy.load(sys.argv[1])["inputs"].shape[0])' "$tmp/run.npz")
for p in "${peers[@]}"; do
    if [[ $p == brian2 ]]; then
        start=$EPOCHREALTIME
        line=$(brian2 "$tmp/run.npz" --build-dir "$tmp/brian2") || { cat "$tmp/brian2.log" >&2; exit 1; }
        end=$EPOCHREALTIME
        brian2_build=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
        echo "brian2: code generation, compilation and a first run: $brian2_build s" \
            "(once; not in the rounds)"
    fi
done

declare -A rate process cpu
add() { rate[$1]+="$2 "; process[$1]+="$3 "; cpu[$1]+="$4 "; }
wall() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.3f", n / (b - a) }'; }
# CPU seconds (user + system) of this shell's finished children: on a machine shared with other
# work the steadier figure. Not called in a pipe or $(...), where it would see a subshell's.
cpu_now() {
    times > "$tmp/times"
    REPLY=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
                           printf "%.3f", t }' "$tmp/times")
}
echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
    for p in "${peers[@]}"; do
        cpu_now
        cpu_start=$REPLY
        start=$EPOCHREALTIME
        case $p in
            brian2)
                (cd "$tmp/brian2" && "${pin[@]}" ./main > /dev/null)
                end=$EPOCHREALTIME
                cpu_now
                line=$(brian2 --results "$tmp/brian2") ;;
            torch-*)
                "${pin[@]}" "$python" "$peer_dir/torch_stdp.py" "$tmp/run.npz" --mode "${p#torch-}" \
                    > "$tmp/line"
                end=$EPOCHREALTIME
                cpu_now
                line=$(< "$tmp/line") ;;
        esac
        per_cpu=$(awk -v n="$images" -v a="$cpu_start" -v b="$REPLY" 'BEGIN { printf "%.3f", n / (b - a) }')
        own=$(field "$line" images_per_s)
        add "$p" "$own" "$(wall "$images" "$start" "$end")" "$per_cpu"
        printf 'round %d  %-13s %4d images  %10.3f images/s  (whole process %.3f, per CPU second %.3f; theta %.6f, %d output spikes)\n' \
            "$r" "$p" "$images" "$own" "$(wall "$images" "$start" "$end")" "$per_cpu" \
            "$(field "$line" theta)" "$(field "$line" spikes)"
    done
    # Ours: its own clock (CPU time around TrainingSession.train in the module: the CLI's code,
    # the same bits), then the whole `stdp-cli train` process.
    line=$("${pin[@]}" "$python" "$peer_dir/core_run.py" time "$idx" "$images" "$epochs")
    own=$(field "$line" images_per_s)
    rm -rf "$tmp/model"
    cpu_now
    cpu_start=$REPLY
    start=$EPOCHREALTIME
    "${pin[@]}" "$cli" train --data "idx:$idx" --images "$images" --preset paper-mnist \
        --set epochs="$epochs" --out "$tmp/model" 2> "$tmp/ours.log"
    end=$EPOCHREALTIME
    cpu_now
    per_cpu=$(awk -v n="$((images * epochs))" -v a="$cpu_start" -v b="$REPLY" 'BEGIN { printf "%.3f", n / (b - a) }')
    # The CLI's own (wall) clock: "..., in S s (R images/s); saved ..."
    cli_rate=$(grep -o 'in [0-9.]* s ([0-9.]* images/s)' "$tmp/ours.log" | tail -1 | grep -o '([0-9.]*' | tr -d '(')
    [[ -n $cli_rate ]] || { echo "no training time in the CLI's output:" >&2; cat "$tmp/ours.log" >&2; exit 1; }
    add ours "$own" "$(wall "$((images * epochs))" "$start" "$end")" "$per_cpu"
    printf 'round %d  %-13s %4d images x %d epochs  %10.3f images/s  (whole process %.3f, per CPU second %.3f; the CLI'"'"'s wall clock %.1f; %s)\n' \
        "$r" ours "$images" "$epochs" "$own" "$(wall "$((images * epochs))" "$start" "$end")" \
        "$per_cpu" "$cli_rate" "$(grep -o 'theta = [0-9.]*' "$tmp/ours.log" | tail -1)"
done
echo "machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() {
    printf '%s\n' $1 | sort -g |
        awk '{ v[NR] = $1 }
             END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
ours=$(median "${rate[ours]}")
ours_process=$(median "${process[ours]}")
ours_cpu=$(median "${cpu[ours]}")
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
torch_version=$("$python" -c 'import torch; print(torch.__version__)' 2> /dev/null || echo -)
brian2_version=$("$python" -c 'import brian2; print(brian2.__version__)' 2> /dev/null || echo -)

echo
echo "Paper-mnist training on the first $images built-in digits ($steps steps), $rounds interleaved" \
    "rounds on one core of $cpu ($cpus CPUs), medians; agreement checked on $check_images digits" \
    "first. Command: \`bench/compare_peers.sh build $images $rounds\` ($(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo '?'))."
echo
echo "| implementation | images/s, own clock (CPU time) | STDP Studio is | images/s, whole process (wall) | STDP Studio is | images/s, whole process (CPU time) | STDP Studio is |"
echo "|---|---|---|---|---|---|---|"
printf '| STDP Studio (%d passes; own clock: the module, whole process: `stdp-cli train`) | %.1f | | %.1f | | %.1f | |\n' "$epochs" "$ours" \
    "$ours_process" "$ours_cpu"
for p in "${peers[@]}"; do
    own=$(median "${rate[$p]}")
    whole=$(median "${process[$p]}")
    per_cpu=$(median "${cpu[$p]}")
    case $p in
        brian2) name="Brian2 $brian2_version cpp_standalone (build ${brian2_build} s, once)" ;;
        torch-script) name="PyTorch $torch_version TorchScript, 1 thread" ;;
        torch-eager) name="PyTorch $torch_version eager, 1 thread" ;;
    esac
    printf '| %s | %.2f | **%sx** | %.2f | %sx | %.2f | %sx |\n' "$name" "$own" "$(ratio "$ours" "$own")" \
        "$whole" "$(ratio "$ours_process" "$whole")" "$per_cpu" "$(ratio "$ours_cpu" "$per_cpu")"
done
echo
for p in "${peers[@]}"; do
    own=$(median "${rate[$p]}")
    echo "RATIO $p $ours $own $(ratio "$ours" "$own")"
done
