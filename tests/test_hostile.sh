#!/usr/bin/env bash
# Hostile and unlucky input through the real stdp-cli. Every case must end with exit status 1
# (never a signal, never 0, never the internal-error code), exactly one line on stderr naming the
# file or setting, within bounded memory and time, and with nothing written.
# Usage: test_hostile.sh STDP_CLI SOURCE_DIR
set -u
cli=$1
src=$2
# shellcheck source=cli_test_lib.sh
. "$(dirname "$0")/cli_test_lib.sh"

# Bounds of every case. The memory bound is on the address space (ulimit -v), which a memory bomb
# exceeds at once; sanitizer builds reserve terabytes of address space, so they run without it
# (their own stages check memory errors instead).
time_limit=120
memory_kib=$((1536 * 1024))
sanitized=0
if nm -C "$cli" 2>/dev/null | grep -q -E "__asan_init|__tsan_init"; then sanitized=1; fi

/usr/bin/python3 "$src/tests/hostile/make_files.py" "$work" || { echo "cannot make the files"; exit 1; }
h=$work
out=$work/out

# run_capped COMMAND...: runs with the bounds; sets rc and err (stderr).
run_capped() {
    err=$( (if [ $sanitized -eq 0 ]; then ulimit -v $memory_kib; fi
            exec timeout -s KILL $time_limit "$@") 2>&1 >/dev/null)
    rc=$?
}

# refused "case" "fragment" COMMAND...: exit 1, one stderr line containing fragment, no $out.
refused() {
    local what=$1 fragment=$2
    shift 2
    rm -rf "$out"
    run_capped "$@"
    if [ $rc -ne 1 ]; then fail "$what: exit $rc (want 1): $err"; return; fi
    if [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then fail "$what: not one line: $err"; return; fi
    case "$err" in *"$fragment"*) ;; *) fail "$what: '$err' lacks '$fragment'"; return ;; esac
    if printf '%s' "$err" | LC_ALL=C grep -q "[[:cntrl:]]" || ! printf '%s' "$err" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then
        fail "$what: control characters or ill-formed UTF-8 on the terminal: $(printf '%s' "$err" | od -c | head -3)"; return
    fi
    if [ -e "$out" ] || ls -a "$work" | grep -q '^\.tmp-'; then fail "$what: wrote something"; return; fi
    ok
}

train=("$cli" train --set units=4 --out "$out")
# A small good bundle to damage.
"$cli" train --data builtin:mnist --images 2 --set units=4 --out "$work/good" 2>/dev/null || fail "setup"
bundle_copy() { rm -rf "$work/b"; cp -r "$work/good" "$work/b"; }

# --- 2. recursion: a .npy header nested 40,000 deep
refused "deep npy import" "deep.npy" "$cli" import --weights "$h/deep.npy" --out "$out"
bundle_copy; cp "$h/deep.npy" "$work/b/weights.npy"
refused "deep npy in a bundle (eval)" "weights.npy" "$cli" eval --model "$work/b" --data builtin:mnist --images 1
refused "deep npy in a bundle (export)" "weights.npy" "$cli" export --model "$work/b" --filters "$work/f.png"

# --- 3. unbounded reads: devices, symlinks to them, FIFOs
refused "idx:/dev/zero" "/dev/zero" "${train[@]}" --data idx:/dev/zero
bundle_copy; rm "$work/b/weights.npy"; ln -s /dev/zero "$work/b/weights.npy"
refused "weights.npy -> /dev/zero" "weights.npy" "$cli" eval --model "$work/b" --data builtin:mnist --images 1
mkfifo "$work/fifo-images-idx3-ubyte"
refused "FIFO as IDX" "fifo-images-idx3-ubyte" "${train[@]}" --data "idx:$work/fifo-images-idx3-ubyte"
bundle_copy; rm "$work/b/model.json"; mkfifo "$work/b/model.json"
refused "FIFO as model.json" "model.json" "$cli" eval --model "$work/b" --data builtin:mnist --images 1
refused "FIFO as .npy" "fifo-images-idx3-ubyte" "$cli" import --weights "$work/fifo-images-idx3-ubyte" --out "$out"
refused "folder as .npy" "is a directory" "$cli" import --weights "$work" --out "$out"

# --- 5. model.json numbers and types
edit_json() {  # edit_json PYTHON-EXPRESSION-ON-m
    bundle_copy
    /usr/bin/python3 - "$work/b/model.json" "$1" <<'PY'
import json, sys
p, expr = sys.argv[1], sys.argv[2]
m = json.load(open(p))
exec(expr)
open(p, "w").write(json.dumps(m))
PY
}
# One case a line: what | a Python statement on the parsed model.json m | the key named.
while IFS='|' read -r what expr fragment; do
    edit_json "$expr"
    refused "$what" "$fragment" "$cli" eval --model "$work/b" --data builtin:mnist --images 1
done <<'CASES'
version 1e300|m["version"] = 1e300|'version'
version -1|m["version"] = -1|'version'
images_seen 1e300|m["images_seen"] = 1e300|'images_seen'
metrics patches 1e300|m["metrics"] = dict(rmse=0.1, nmse=0.1, treves_rolls=0.5, active_per_patch=1, dead_fraction=0, silent_fraction=0, patches=1e300, units=4)|'patches'
metrics units 1e300|m["metrics"] = dict(rmse=0.1, nmse=0.1, treves_rolls=0.5, active_per_patch=1, dead_fraction=0, silent_fraction=0, patches=10, units=1e300)|'units'
missing setting|del m["settings"]["mu"]|setting 'mu' is missing
number as a string|m["settings"]["mu"] = "0.001"|settings.mu
fractional units|m["settings"]["units"] = 4.5|settings.units
negative seed|m["settings"]["seed"] = -3|'seed'
bool as a number|m["settings"]["learn"] = 1|settings.learn
model.json not an object|m = [m]|format
escape sequence in a choice|m["settings"]["learning_rule"] = "\x1b[2J\nrule"|learning_rule
CASES
# A flipped byte that makes model.json ill-formed UTF-8 is not echoed raw.
bundle_copy
/usr/bin/python3 - "$work/b/model.json" <<'PY'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
open(p, "wb").write(b.replace(b'"settings"', b'"settings\xa2"', 1))
PY
refused "ill-formed UTF-8 in model.json" "not valid JSON" "$cli" eval --model "$work/b" --data builtin:mnist --images 1
refused "newline in --set" "setting 'learning_rule'" "${train[@]}" --data builtin:mnist --images 1 --set "learning_rule=$(printf 'a\nb')"
# 1. weights outside [0, 1] written by someone else are refused, not clipped silently.
bundle_copy
/usr/bin/python3 - "$work/b/weights.npy" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[-4:] = struct.pack("<f", 1.0000025)
open(p, "wb").write(b)
PY
refused "weight above 1" "weights.npy" "$cli" eval --model "$work/b" --data builtin:mnist --images 1

# --- 6. memory bombs
# A valid IDX at the 4 GiB limit: five images are read in bounded memory...
rm -rf "$out"
run_capped "${train[@]}" --data "idx:$h/bomb-images-idx3-ubyte.gz" --images 5
if [ $rc -eq 0 ] && [ -s "$out/weights.npy" ]; then ok; else fail "4 GiB IDX, --images 5: exit $rc: $err"; fi
# ...and all of it is refused before any is inflated.
refused "4 GiB IDX, all images" "bomb-images-idx3-ubyte.gz" "${train[@]}" --data "idx:$h/bomb-images-idx3-ubyte.gz"
refused "gzip longer than its header says" "trailing bytes" "${train[@]}" --data "idx:$h/overflow.gz"
mkdir -p "$work/huge"; cp "$h/huge.png" "$work/huge/"
refused "30000 x 30000 PNG" "huge.png" "${train[@]}" --preset paper-natural --data "images:$work/huge"
refused "eval_patches_per_image 1e7" "eval_patches_per_image" "${train[@]}" --data builtin:mnist --set eval_patches_per_image=10000000

# --- 7. numbers that wrap or lie
refused "--images -1" "--images" "${train[@]}" --data builtin:mnist --images -1
refused "--images 0" "--images" "${train[@]}" --data builtin:mnist --images 0
refused "--seed -1" "--seed" "${train[@]}" --data builtin:mnist --images 1 --seed -1
refused "--seed 2^64" "--seed" "${train[@]}" --data builtin:mnist --images 1 --seed 18446744073709551616
refused "--offset -1" "--offset" "${train[@]}" --data builtin:mnist --images 1 --offset -1
refused "--images 0x10" "--images" "${train[@]}" --data builtin:mnist --images 0x10
refused "mu=0x10" "setting 'mu'" "${train[@]}" --data builtin:mnist --images 1 --set mu=0x10
refused "mu=' 1'" "setting 'mu'" "${train[@]}" --data builtin:mnist --images 1 --set "mu= 1"
refused "mu=inf" "setting 'mu'" "${train[@]}" --data builtin:mnist --images 1 --set mu=inf
refused "units=' 4'" "setting 'units'" "${train[@]}" --data builtin:mnist --images 1 --set "units= 4"
refused "steps=+4" "setting 'steps'" "${train[@]}" --data builtin:mnist --images 1 --set "steps=+4"
refused "eval --images 0" "--images" "$cli" eval --model "$work/good" --data builtin:mnist --images 0
refused "--eval-images 0" "--eval-images" "${train[@]}" --data builtin:mnist --images 1 --eval-data builtin:mnist --eval-images 0
refused "nothing to learn" "nothing to learn" "${train[@]}" --data "idx:$h/blank-images-idx3-ubyte"
refused "nothing to evaluate" "nothing to evaluate" "$cli" eval --model "$work/good" --data "idx:$h/blank-images-idx3-ubyte"
refused "baseline --units -4" "--units" "$cli" baseline --method kmeans --units -4 --data builtin:mnist --images 1
refused "export --scale 0" "--scale" "$cli" export --model "$work/good" --filters "$work/f.png" --scale 0
refused "report --natural without train/" "--natural" "$cli" report --quick --natural "$work/no-such" --out "$out"
refused "report --authors not a folder" "--authors" "$cli" report --quick --authors "$work/good/model.json" --out "$out"

# --- 8. leftovers and vague exits
refused "--out ''" "empty" "$cli" train --data builtin:mnist --images 1 --out ""
touch "$work/a-file"
refused "uncreatable --neurons" "a-file/n" "$cli" export --model "$work/good" --filters "$work/f.png" --neurons "$work/a-file/n"
rm -f "$work/f.png"
refused "export into a missing folder" "/no/such/dir/f.png" "$cli" export --model "$work/good" --filters "/no/such/dir/f.png"
refused "out under a file" "a-file" "$cli" train --data builtin:mnist --images 1 --out "$work/a-file/m"
# A save killed half-way leaves .tmp-NAME-PID; the next save of NAME removes it once PID is gone.
sleep 0 & dead=$!; wait $dead
mkdir -p "$work/.tmp-kept-$dead/sub" "$work/.tmp-kept-$$"
"$cli" train --data builtin:mnist --images 1 --set units=4 --out "$work/kept" 2>/dev/null
if [ ! -e "$work/.tmp-kept-$dead" ] && [ -e "$work/.tmp-kept-$$" ] && [ -s "$work/kept/model.json" ]; then ok
else fail "abandoned temporary folder not cleaned (or a live one removed)"; fi
rm -rf "$work/.tmp-kept-$$"
# libpng's own warnings (a broken colour profile) never reach the user.
mkdir -p "$work/iccp"; cp "$h/iccp.png" "$work/iccp/"
rm -rf "$out"
run_capped "${train[@]}" --preset paper-natural --data "images:$work/iccp" --set patches_per_image=10
if [ $rc -eq 0 ] && ! printf '%s' "$err" | grep -qi "libpng\|iCCP"; then ok; else fail "iCCP PNG: exit $rc: $err"; fi
# A full disk: one line saying so, the old bundle intact, no temporary folder left.
disk=$work/disk
mkdir -p "$disk"
if unshare -m true 2>/dev/null; then
    result=$(unshare -m bash -c '
        mount -t tmpfs -o size=96k tmpfs "$1" || exit 3
        "$2" train --data builtin:mnist --images 1 --set units=4 --out "$1/m" 2>/dev/null || exit 4
        before=$(md5sum < "$1/m/weights.npy")
        cat /dev/zero > "$1/filler" 2>/dev/null
        err=$("$2" train --data builtin:mnist --images 1 --set units=32 --seed 5 --out "$1/m" 2>&1 >/dev/null)
        rc=$?
        after=$(md5sum < "$1/m/weights.npy")
        left=$(ls -a "$1" | grep -c "^\.tmp-")
        echo "$rc|$(printf "%s\n" "$err" | wc -l)|$err|$([ "$before" = "$after" ] && echo same)|$left"
    ' _ "$disk" "$cli")
    case "$result" in
        *".tmp-"*) fail "disk full names the temporary folder: $result" ;;
        "1|1|"*"disk full"*"|same|0") ok ;;
        *) fail "disk full: $result" ;;
    esac
else
    echo "skip: disk full (no mount namespace here)"
fi

finish
