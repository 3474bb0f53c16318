#!/usr/bin/env bash
# The bash completion and the man page keep up with the program: every subcommand and option that
# `stdp-cli --help` lists is completed (asked of the completion function itself) and described in
# the man page's section of that subcommand; and the man page renders.
# Usage: test_cli_docs.sh STDP_CLI SOURCE_DIR
set -u
cli=$1
src=$2
completion=$src/app/cli/share/stdp-cli.bash
manpage=$src/app/cli/share/stdp-cli.1
# shellcheck source=cli_test_lib.sh
. "$(dirname "$0")/cli_test_lib.sh"

# The completion asks the program for preset names and setting keys, as it would on PATH.
PATH=$(cd "$(dirname "$cli")" && pwd):$PATH
# shellcheck source=/dev/null
. "$completion" || { echo "FAIL: cannot source $completion"; exit 1; }
complete_words() {  # complete_words WORD...: what the completion offers for the last word
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMPREPLY=()
    _stdp_cli
    printf '%s\n' "${COMPREPLY[@]}"
}
# The man page with roff's escaped hyphens plain, one section per subcommand.
man_section() {
    sed 's/\\-/-/g' "$manpage" | awk -v s=".SS $1" '$0 == s {on = 1; next} /^\.S[HS]/ {on = 0} on'
}

subcommands=$("$cli" --help | awk '/^Subcommands:/ {on = 1; next} on && !NF {exit} on {print $1}')
[ "$(printf '%s\n' "$subcommands" | wc -l)" -ge 9 ] && ok || fail "--help lists too few subcommands: $subcommands"
offered=$(complete_words stdp-cli "")
for sub in $subcommands; do
    printf '%s\n' "$offered" | grep -qx "$sub" && ok || fail "completion lacks subcommand $sub"
    section=$(man_section "$sub")
    [ -n "$section" ] && ok || fail "man page has no section for $sub"
    options=$("$cli" "$sub" --help | grep -oE '^  (-h,)?--[a-z-]+' | sed 's/ *-h,//; s/ //g')
    completed=$(complete_words stdp-cli "$sub" --)
    for opt in $options; do
        printf '%s\n' "$completed" | grep -qx -- "$opt" && ok || fail "completion of $sub lacks $opt"
        [ "$opt" = --help ] && continue
        printf '%s\n' "$section" | grep -qE -- "${opt}([^a-z-]|\$)" && ok || fail "man page section $sub lacks $opt"
    done
done
grep -q "^\.B 70$" "$manpage" && ok || fail "man page lacks the exit statuses"
# values: presets and setting keys come from the program itself
complete_words stdp-cli train --preset paper- | grep -qx paper-mnist && ok || fail "preset names"
complete_words stdp-cli train --set m | grep -qx "mu=" && ok || fail "setting keys"
if command -v groff >/dev/null; then
    warnings=$(groff -man -Tutf8 -ww -z "$manpage" 2>&1)
    [ -z "$warnings" ] && ok || fail "man page: $warnings"
fi

finish
