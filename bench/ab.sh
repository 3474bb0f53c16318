#!/usr/bin/env bash
# A/B of training speed between two revisions, interleaved on one pinned core, so that a change
# of a few per cent shows through the noise of a shared machine (single runs vary by +-5 % here).
#
#   bench/ab.sh REV_A REV_B [ROUNDS] [FILTER]
#
# REV: any git revision, "." for the work tree as it is, or the path of a bench_training program
# already built (to race two builds of one tree, e.g. with other flags). Each revision is built (Release, benchmarks
# only) in $AB_DIR/<name> (default /tmp/stdp-ab-$USER-<this checkout's folder name>, so that users
# and checkouts on one machine keep their builds apart), through ccache when it is installed, then
# bench_training runs FILTER (default paper-mnist, K = 32) once per round for A, then for B, ROUNDS
# times (default 8), pinned to the last core. Prints every rate, the medians of images/s and the
# median of the rounds' ratios.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rev_a=${1:?usage: ab.sh REV_A REV_B [ROUNDS] [FILTER]}
rev_b=${2:?usage: ab.sh REV_A REV_B [ROUNDS] [FILTER]}
rounds=${3:-8}
filter=${4:-PaperMnist/K:32/}
dir=${AB_DIR:-/tmp/stdp-ab-${USER:-$(id -un)}-$(basename "$root")}
core=$(($(nproc) - 1))
mkdir -p "$dir"

# Sources of a revision: the work tree itself, or a detached worktree of the commit.
sources() {
    if [[ $1 == . ]]; then
        echo "$root"
        return
    fi
    local commit tree
    commit=$(git -C "$root" rev-parse --verify "$1^{commit}")
    tree=$dir/src-${commit:0:12}
    [[ -d $tree ]] || git -C "$root" worktree add --detach "$tree" "$commit" > /dev/null
    echo "$tree"
}

launcher=()
if command -v ccache > /dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

build() {
    local src=$1 out=$2
    cmake -S "$src" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTDP_BUILD_STUDIO=OFF -DSTDP_BUILD_PYTHON=OFF \
        -DSTDP_BUILD_TESTS=OFF -DSTDP_BUILD_BENCH=ON "${launcher[@]}" > "$out.cmake.log"
    cmake --build "$out" --target bench_training > "$out.build.log"
}

# Build folders named by commit, so that a symbolic name (HEAD) that moved is rebuilt.
build_name() {
    if [[ $1 == . || -f $1 ]]; then
        echo "$2-worktree"
    else
        echo "$2-$(git -C "$root" rev-parse --short=12 "$1^{commit}")"
    fi
}
name_a=$(build_name "$rev_a" a)
name_b=$(build_name "$rev_b" b)
# A revision's program: built here, or given.
program_a=$rev_a
program_b=$rev_b
if [[ ! -f $rev_a ]]; then
    echo "building $rev_a in $dir"
    build "$(sources "$rev_a")" "$dir/$name_a"
    program_a=$dir/$name_a/bench/bench_training
fi
if [[ ! -f $rev_b ]]; then
    echo "building $rev_b in $dir"
    build "$(sources "$rev_b")" "$dir/$name_b"
    program_b=$dir/$name_b/bench/bench_training
fi

rate() {
    taskset -c "$core" "$1" --benchmark_filter="$filter" \
        --benchmark_repetitions=1 2> /dev/null |
        grep -o 'images/s=[0-9.k]*' | head -1 | sed 's/images\/s=//; s/k$/e3/' |
        awk '{ printf "%.1f", $1 }'
}

a=()
b=()
for ((r = 1; r <= rounds; r++)); do
    a+=("$(rate "$program_a")")
    b+=("$(rate "$program_b")")
    echo "round $r: A ${a[-1]}  B ${b[-1]} images/s"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ma=$(median "${a[@]}")
mb=$(median "${b[@]}")
awk -v a="$ma" -v b="$mb" -v ra="$rev_a" -v rb="$rev_b" \
    'BEGIN { printf "median: A (%s) %.1f, B (%s) %.1f images/s: B/A = %.3f\n", ra, a, rb, b, b / a }'
# Round by round: on a shared machine the host's clock moves between rounds more than a change
# of a few per cent, and a pair run back to back shares most of it.
ratios=()
for ((r = 0; r < rounds; r++)); do
    ratios+=("$(awk -v x="${a[r]}" -v y="${b[r]}" 'BEGIN { print y / x }')")
done
ahead=$(printf '%s\n' "${ratios[@]}" | awk '$1 > 1 { n++ } END { print n + 0 }')
printf 'median of the round ratios B/A = %.3f; B ahead in %d of %d rounds\n' \
    "$(median "${ratios[@]}")" "$ahead" "$rounds"
