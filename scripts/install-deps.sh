#!/usr/bin/env bash
# Installs every Debian package STDP Studio needs to build, test and run headless.
# Idempotent: skips apt entirely when everything is already present.
#
#   scripts/install-deps.sh        # build, test, run
#   scripts/install-deps.sh --ci   # also the CI-only tools: clang with the sanitizer and libFuzzer
#                                  # run-times, llvm-symbolizer for readable sanitizer stacks
set -euo pipefail

ci=0
for arg in "$@"; do
  case "$arg" in
    --ci) ci=1 ;;
    *) echo "usage: $0 [--ci]" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev
  libeigen3-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  libgtest-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev zlib1g-dev libpng-dev
  fonts-dejavu-core
  libhdf5-dev pybind11-dev python3-dev
  dataset-fashion-mnist python3-numpy python3-h5py
  python3-torch python3-brian  # the peers of bench/compare_peers.sh (TorchScript, Brian2)
  parallel hyperfine
  xvfb xauth
)
if [ "$ci" -eq 1 ]; then
  # .ci/run's sanitizer and fuzz stages (scripts/ci-*.sh): clang-14 builds ASan/TSan several times
  # faster than GCC here; libclang-rt-14-dev has the sanitizer and libFuzzer run-times; llvm-14
  # has llvm-symbolizer.
  packages+=(clang-14 libclang-rt-14-dev llvm-14)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
