# shellcheck shell=bash disable=SC2034,SC2154
# Sourced by scripts/ci-*.sh (not run by itself): the compiler and flags of the CI sanitizer and
# fuzz builds.
#
# clang-14, not GCC: GCC 12 with ASan needs tens of minutes for the template-heavy step file on two
# cores; clang builds the same sanitizers several times faster, and its UBSan also checks
# float-to-int overflow. Debug builds at -O1: assert() and Eigen's assertions stay on (no NDEBUG),
# _GLIBCXX_ASSERTIONS adds libstdc++'s bounds and precondition checks (operator[], front(), ...;
# no ABI change), and -O1 keeps the sanitized tests several times faster than -O0.
stdp_ci_cxx=${STDP_CI_CXX:-clang++-14}
stdp_ci_debug_flags="-g -O1 -D_GLIBCXX_ASSERTIONS"
stdp_ci_jobs=${STDP_CI_JOBS:-$(nproc)}
# llvm-symbolizer (package llvm-14) turns sanitizer stacks into function names and lines; the
# run-times look for it on PATH.
export PATH="$PATH:/usr/lib/llvm-14/bin"

# stdp_ci_configure BUILD_DIR CMAKE_ARGS...: a clang Debug build with the flags above.
stdp_ci_configure() {
  local build="$1"
  shift
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$stdp_ci_cxx" \
    -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=$stdp_ci_debug_flags" \
    -DSTDP_BUILD_BENCH=OFF "$@" >/dev/null
}
