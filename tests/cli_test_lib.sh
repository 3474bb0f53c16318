# Sourced by the shell tests of stdp-cli: a scratch folder removed on exit, and pass/fail counts.
# Each test ends with `finish`, which prints the counts and fails when anything failed.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
finish() {
    echo "$passes passed, $failures failed"
    [ "$failures" -eq 0 ]
}
