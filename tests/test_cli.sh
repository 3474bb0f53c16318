#!/usr/bin/env bash
# Drives the real stdp-cli: the documented contract, and clear one-line errors on bad input.
set -u
cli=$1
src=$2
# shellcheck source=cli_test_lib.sh
. "$(dirname "$0")/cli_test_lib.sh"

# expect_error "description" "fragment of the message" command...
expect_error() {
    local what=$1 fragment=$2
    shift 2
    local out
    out=$("$@" 2>&1 >/dev/null)
    local rc=$?
    if [ $rc -eq 0 ]; then fail "$what: exit 0"; return; fi
    if [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ]; then fail "$what: not one line: $out"; return; fi
    case "$out" in *"$fragment"*) ok ;; *) fail "$what: '$out' lacks '$fragment'" ;; esac
}

"$cli" --help >/dev/null && ok || fail "--help"
for c in train eval import baseline export presets; do
    "$cli" $c --help >/dev/null && ok || fail "$c --help"
done

"$cli" presets | grep -q paper-mnist && ok || fail "presets list"
"$cli" presets paper-mnist | grep -E "^mu +0.0005 +authors' code" >/dev/null && ok || fail "presets paper-mnist mu"
"$cli" presets ngc-mnist | grep -E "^lambda +0.01 +ngc-learn" >/dev/null && ok || fail "presets ngc lambda"
# Numbers as a user writes them: 40, not 4e+01.
"$cli" presets coop-mnist | grep -E "^hurdle +40 +ours" >/dev/null && ok || fail "presets coop-mnist hurdle 40"

# train -> eval -> export -> import round trip on a few built-in digits
"$cli" train --data builtin:mnist --images 5 --seed 3 --out "$work/m" 2>/dev/null && ok || fail "train"
for f in model.json weights.npy thresholds.npy filters.png; do
    [ -s "$work/m/$f" ] && ok || fail "bundle lacks $f"
done
json=$("$cli" eval --model "$work/m" --data builtin:mnist --offset 1900 --images 5 --json 2>/dev/null)
for k in rmse nmse activity treves_rolls active_per_patch dead_fraction silent_fraction patches units theta; do
    case "$json" in *"\"$k\""*) ok ;; *) fail "eval --json lacks $k: $json" ;; esac
done
[ "$(printf '%s\n' "$json" | wc -l)" -eq 1 ] && ok || fail "eval --json is not one line"
"$cli" export --model "$work/m" --filters "$work/f.png" --scale 4 --neurons "$work/n" && ok || fail "export"
[ "$(head -c 8 "$work/f.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && ok || fail "export is not PNG"
[ -s "$work/n/neuron-0031.png" ] && ok || fail "per-neuron export"
"$cli" import --weights "$work/m/weights.npy" --out "$work/imported" 2>/dev/null && ok || fail "import"
"$cli" baseline --method kmeans --units 8 --data builtin:mnist --images 3 --json | grep -q '"rmse"' && ok || fail "baseline"

# the built-in photographs: a natural preset with no folder (train, held-out eval, baseline)
"$cli" train --preset paper-natural --data builtin:natural --images 2 --set patches_per_image=100 \
    --set units=8 --eval-data builtin:natural-eval --out "$work/nat" >/dev/null 2>&1 && ok || fail "train builtin:natural"
grep -q '"builtin:natural"' "$work/nat/model.json" && ok || fail "model.json lacks builtin:natural"
json=$("$cli" eval --model "$work/nat" --data builtin:natural-eval --images 1 --json 2>/dev/null)
case "$json" in *'"patches":500'*) ok ;; *) fail "eval builtin:natural-eval: $json" ;; esac
"$cli" baseline --method kmeans --units 8 --preset paper-natural --data builtin:natural-eval \
    --train-data builtin:natural --train-images 1 --json | grep -q '"rmse"' && ok || fail "baseline builtin:natural"
# baseline without --preset: photographs get 16x16 ON/OFF patches (256 values), digits 5x5
json=$("$cli" baseline --method pca --units 8 --data builtin:natural-eval --images 1 \
    --train-data builtin:natural --train-images 1 --json 2>/dev/null)
case "$json" in *'"patches":500'*) ok ;; *) fail "baseline builtin:natural without --preset: $json" ;; esac
expect_error "5x5 patches of photographs" "ON/OFF" \
    "$cli" baseline --method kmeans --units 8 --preset paper-mnist --data builtin:natural-eval
expect_error "past the held-out photographs" "builtin:natural-eval has only 2 images" \
    "$cli" eval --model "$work/nat" --data builtin:natural-eval --offset 2
expect_error "unknown built-in set" "builtin:natural-eval" "$cli" train --data builtin:nature --out "$work/x"

# determinism through the CLI
"$cli" train --data builtin:mnist --images 3 --seed 9 --out "$work/a" 2>/dev/null
"$cli" train --data builtin:mnist --images 3 --seed 9 --out "$work/b" 2>/dev/null
cmp -s "$work/a/weights.npy" "$work/b/weights.npy" && ok || fail "same seed, different weights"

# --config: a bundle starts the same run as its preset and settings; an experiment file with live
# changes replays to the same bits each time, and its changes matter
"$cli" train --config "$work/a" --images 3 --data builtin:mnist --out "$work/c" 2>/dev/null && ok || fail "train --config BUNDLE"
cmp -s "$work/a/weights.npy" "$work/c/weights.npy" && ok || fail "--config BUNDLE differs from its preset run"
"$cli" train --config "$work/a/model.json" --data builtin:mnist --images 3 --out "$work/c2" 2>/dev/null && ok || fail "train --config model.json"
python3 - "$work/a/model.json" "$work/exp.json" "$work/exp0.json" <<'PY'
import json, sys
settings = json.load(open(sys.argv[1]))["settings"]
exp = {"format": "stdp-studio-experiment", "version": 1, "preset": "paper-mnist",
       "settings": settings, "data": {"spec": "builtin:mnist", "offset": 0, "images": 3},
       "steps": 30001, "changes": [{"step": 2000, "images": 0, "setting": "mu", "value": "0.004"},
                                   {"step": 9000, "images": 0, "setting": "temperature", "value": "0.6"}]}
json.dump(exp, open(sys.argv[2], "w"), indent=1)
exp["changes"] = []
json.dump(exp, open(sys.argv[3], "w"), indent=1)
PY
"$cli" train --config "$work/exp.json" --out "$work/e1" 2>/dev/null && ok || fail "train --config experiment"
"$cli" train --config "$work/exp.json" --out "$work/e2" 2>/dev/null && ok || fail "train --config experiment (again)"
cmp -s "$work/e1/weights.npy" "$work/e2/weights.npy" && ok || fail "experiment replays differ"
"$cli" train --config "$work/exp0.json" --out "$work/e0" 2>/dev/null && ok || fail "train --config experiment without changes"
cmp -s "$work/e1/weights.npy" "$work/e0/weights.npy" && fail "the live changes changed nothing" || ok
expect_error "config missing" "nope.json" "$cli" train --config "$work/nope.json" --out "$work/x"
"$cli" train --config "$work/exp.json" --preset paper-mnist --out "$work/x" 2>&1 | grep -q "excludes" && ok || fail "--config with --preset accepted"
expect_error "no data" "--data is required" "$cli" train --out "$work/x"
sed 's/"value": "0.004"/"value": "7"/' "$work/exp.json" > "$work/bad-exp.json"
expect_error "bad live change" "change 1" "$cli" train --config "$work/bad-exp.json" --out "$work/x"
[ ! -e "$work/x" ] && ok || fail "a refused config wrote a bundle"

# provenance, train --json, the learning curve
"$cli" train --data builtin:mnist --offset 7 --images 4 --seed 3 --eval-data builtin:mnist \
    --eval-offset 1900 --eval-images 2 --log "$work/curve.csv" --log-every 2 --json \
    --out "$work/p" > "$work/p.json" 2>/dev/null && ok || fail "train --json --log"
/usr/bin/python3 - "$work/p/model.json" "$work/p.json" "$work/curve.csv" <<'PY2' && ok || fail "provenance, --json or --log"
import csv, json, sys
m = json.load(open(sys.argv[1]))
p = m["provenance"]
assert p["data"] == {"spec": "builtin:mnist", "offset": 7, "images": 4, "count": 4}, p["data"]
assert p["eval"] == {"spec": "builtin:mnist", "offset": 1900, "images": 2, "count": 2}, p["eval"]
assert p["epochs"] == 1 and p["program"] == "stdp-cli" and p["version"], p
assert p["build_type"] and p["created"].endswith("Z") and p["working_directory"], p
assert p["command_line"][1:4] == ["train", "--data", "builtin:mnist"], p["command_line"]
assert "--eval-offset" in p["command_line"], p["command_line"]
lines = open(sys.argv[2]).read().splitlines()
assert len(lines) == 1, lines
j = json.loads(lines[0])
assert j["images_seen"] == 4 and j["metrics"]["rmse"] == m["metrics"]["rmse"], j
assert set(j["seconds"]) == {"load", "train", "eval", "save", "total"}, j
rows = list(csv.DictReader(open(sys.argv[3])))
assert [int(r["images"]) for r in rows] == [0, 2, 4], rows
assert all(0 < float(r["theta"]) <= 1 and float(r["val_rmse"]) > 0 for r in rows), rows
assert rows[0]["spikes_per_step"] == "" and float(rows[-1]["spikes_per_step"]) > 0, rows
assert abs(float(rows[-1]["val_rmse"]) - m["metrics"]["rmse"]) < 1e-6, (rows[-1], m["metrics"])
PY2
# the bundle reruns on the images it recorded; --set overrides --config
"$cli" train --config "$work/p" --out "$work/p2" 2>/dev/null && ok || fail "train --config with provenance"
cmp -s "$work/p/weights.npy" "$work/p2/weights.npy" && ok || fail "--config BUNDLE did not rerun its images"
"$cli" train --config "$work/p" --set mu=0.002 --out "$work/p3" 2>/dev/null && ok || fail "--config --set"
grep -q '"mu": 0.002' "$work/p3/model.json" && ok || fail "--set did not override --config"
# a bundle written before provenance was recorded still loads
/usr/bin/python3 - "$work/p/model.json" <<'PY2'
import json, sys
m = json.load(open(sys.argv[1])); del m["provenance"]; open(sys.argv[1], "w").write(json.dumps(m))
PY2
"$cli" eval --model "$work/p" --data builtin:mnist --images 1 --json >/dev/null 2>&1 && ok || fail "bundle without provenance"
sed -i 's/"images_seen"/"provenance": {"data": 3}, "images_seen"/' "$work/p/model.json"
expect_error "bad provenance" "provenance.data" "$cli" eval --model "$work/p" --data builtin:mnist --images 1
# --skip-existing leaves a complete bundle alone
before=$(md5sum < "$work/p2/weights.npy")
out=$("$cli" train --data builtin:mnist --images 2 --seed 99 --skip-existing --json --out "$work/p2" 2>/dev/null)
case "$out" in *'"skipped":true'*) ok ;; *) fail "--skip-existing: $out" ;; esac
[ "$(md5sum < "$work/p2/weights.npy")" = "$before" ] && ok || fail "--skip-existing overwrote"
# --threads: results never depend on it
a=$("$cli" eval --model "$work/m" --data builtin:mnist --images 4 --json --threads 1 2>/dev/null)
b=$("$cli" eval --model "$work/m" --data builtin:mnist --images 4 --json --threads 3 2>/dev/null)
[ -n "$a" ] && [ "$a" = "$b" ] && ok || fail "eval --threads changed the result: $a / $b"
for c in train eval baseline report; do
    "$cli" $c --help | grep -q -- "--threads" && ok || fail "$c lacks --threads"
done
n=$(taskset -c 0 "$cli" train --data builtin:mnist --images 1 --threads 8 --json --out "$work/t1" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["threads"])')
[ "$n" = 1 ] && ok || fail "pinned to one CPU, train used $n threads"

# exit status: 0 success, 1 bad input, 2 usage, 70 internal error (documented in --help)
"$cli" --help | grep -q "70 internal error" && ok || fail "--help lacks the exit statuses"
expect_status() {  # expect_status WANT description command...
    local want=$1 what=$2
    shift 2
    local err
    err=$("$@" 2>&1 >/dev/null)
    local rc=$?
    [ $rc -eq "$want" ] || { fail "$what: exit $rc (want $want): $err"; return; }
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && ok || fail "$what: not one line: $err"
}
expect_status 2 "unknown option" "$cli" train --data builtin:mnist --bogus --out "$work/x"
expect_status 2 "missing --out" "$cli" train --data builtin:mnist
expect_status 2 "no subcommand" "$cli"
expect_status 2 "unknown subcommand" "$cli" trian
expect_status 2 "option without its value" "$cli" eval --model
expect_status 1 "bad data" "$cli" train --data foo:bar --out "$work/x"
expect_status 0 "--version" "$cli" --version

# bad input: non-zero exit, one line naming the problem, nothing written
expect_error "unknown preset" "unknown preset 'nope'" "$cli" train --data builtin:mnist --preset nope --out "$work/x"
expect_error "unknown key" "unknown setting 'muu'" "$cli" train --data builtin:mnist --set muu=1 --out "$work/x"
expect_error "NaN" "setting 'mu'" "$cli" train --data builtin:mnist --set mu=nan --out "$work/x"
expect_error "theta range" "setting 'theta0'" "$cli" train --data builtin:mnist --set theta0=1.5 --out "$work/x"
expect_error "negative rate" "setting 'rho'" "$cli" train --data builtin:mnist --set rho=-1 --out "$work/x"
expect_error "missing idx" "no-such-file" "$cli" train --data idx:"$work/no-such-file" --out "$work/x"
expect_error "bad scheme" "builtin:mnist" "$cli" train --data foo:bar --out "$work/x"
printf 'garbage' > "$work/bad.idx"
expect_error "corrupt idx" "bad.idx" "$cli" train --data idx:"$work/bad.idx" --out "$work/x"
expect_error "missing model" "nothing" "$cli" eval --model "$work/nothing" --data builtin:mnist
head -c 100 "$work/m/weights.npy" > "$work/trunc.npy"
expect_error "truncated npy" "trunc.npy" "$cli" import --weights "$work/trunc.npy" --out "$work/x"
expect_error "wrong shape" "needs D = 36" "$cli" import --weights "$work/m/weights.npy" --set patch_size=6 --out "$work/x"
[ ! -e "$work/x" ] && ok || fail "a failed command left $work/x behind"

finish
