#!/usr/bin/env bash
# Sweeps end to end through the real stdp-cli and GNU parallel: the grid as a manifest, the Slurm
# script, running it, resuming it after an interruption, and collecting the results.
# Usage: test_sweep.sh STDP_CLI
set -u
cli=$1
# shellcheck source=cli_test_lib.sh
. "$(dirname "$0")/cli_test_lib.sh"
command -v parallel >/dev/null || { echo "FAIL: GNU parallel is missing (scripts/install-deps.sh)"; exit 1; }

# A 2 x 2 grid over two seeds on two built-in digits: 8 tiny runs.
grid=(--data builtin:mnist --images 2 --set units=4,8 --set mu=0.001,0.002 --seeds 1,2
      --eval-data builtin:mnist --eval-offset 1900 --eval-images 2)
s=$work/s
"$cli" sweep "${grid[@]}" --out "$s" --slurm "$s/job.sh" >/dev/null 2>&1 && ok || fail "sweep"
[ "$(wc -l < "$s/manifest.txt")" -eq 8 ] && ok || fail "manifest has $(wc -l < "$s/manifest.txt") lines, want 8"
[ -z "$(ls -A "$s/runs")" ] && ok || fail "sweep ran something without --run"
# every line a complete command with its own folder and its own seed
[ "$(grep -o -- '--out [^ ]*' "$s/manifest.txt" | sort -u | wc -l)" -eq 8 ] && ok || fail "output folders not distinct"
grep -q -- "--set units=8 --set mu=0.002 --seed 2 " "$s/manifest.txt" && ok || fail "a grid point is missing"
[ "$(grep -c -- "--skip-existing" "$s/manifest.txt")" -eq 8 ] && ok || fail "runs do not skip finished bundles"
# writing the same sweep again is harmless; another grid over the same runs is refused
"$cli" sweep "${grid[@]}" --out "$s" >/dev/null 2>&1 && ok || fail "the same sweep again"
err=$("$cli" sweep "${grid[@]}" --set lambda=0.1 --out "$s" 2>&1 >/dev/null)
[ $? -eq 1 ] && case "$err" in *"exists with other runs"*) ok ;; *) fail "other grid: $err" ;; esac || fail "other grid accepted"

# the Slurm script: one array task per manifest line, each running its own line
sh=$s/job.sh
[ -x "$sh" ] && ok || fail "job.sh not executable"
grep -qx "#SBATCH --array=1-8" "$sh" && ok || fail "array range"
grep -qx "#SBATCH --cpus-per-task=1" "$sh" && ok || fail "cpus per task"
grep -q "sed -n \"\${SLURM_ARRAY_TASK_ID}p\" $s/manifest.txt" "$sh" && ok || fail "task does not pick its line"
bash -n "$sh" && ok || fail "job.sh is not valid bash"
# what task 3 runs is manifest line 3, run through the script itself with a stand-in for Slurm
mkdir -p "$work/fake"
SLURM_ARRAY_TASK_ID=3 bash "$sh" >/dev/null 2>&1 && ok || fail "job.sh task 3"
run3=$(sed -n 3p "$s/manifest.txt" | grep -o -- '--out [^ ]*' | cut -d' ' -f2)
[ -s "$run3/model.json" ] && ok || fail "task 3 did not write its bundle"

# interrupted: GNU parallel ran the first runs only, then the whole sweep is resumed
head -n 2 "$s/manifest.txt" | parallel --jobs 2 --joblog "$s/joblog" --resume >/dev/null 2>&1 && ok || fail "first part"
first=$(sed -n 1p "$s/manifest.txt" | grep -o -- '--out [^ ]*' | cut -d' ' -f2)
before=$(md5sum < "$first/model.json")
parallel --jobs 2 --joblog "$s/joblog" --resume < "$s/manifest.txt" >/dev/null 2>&1 && ok || fail "resume"
[ "$(md5sum < "$first/model.json")" = "$before" ] && ok || fail "a finished run ran again"
# the joblog has each of the 8 runs once, all succeeded (run 3 skipped its finished bundle)
[ "$(awk 'NR > 1 && $7 == 0' "$s/joblog" | wc -l)" -eq 8 ] && ok || fail "joblog: $(cat "$s/joblog")"
complete=$(ls "$s"/runs/*/model.json | wc -l)
[ "$complete" -eq 8 ] && ok || fail "$complete of 8 bundles"
# a run killed mid-save leaves only a temporary folder, never a bundle collect would read
mkdir -p "$s/runs/.tmp-9-999999999"

# collect: one row per run, one column per setting, provenance field and metric
"$cli" collect "$s/runs" --csv "$work/all.csv" --jsonl "$work/all.jsonl" 2>/dev/null && ok || fail "collect"
/usr/bin/python3 - "$work/all.csv" "$work/all.jsonl" "$s/manifest.txt" <<'PY' && ok || fail "collected table"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
lines = [json.loads(l) for l in open(sys.argv[2])]
assert len(rows) == 8 and len(lines) == 8, (len(rows), len(lines))
grid = sorted((r["units"], r["mu"], r["seed"]) for r in rows)
assert grid == sorted((u, m, s) for u in ("4", "8") for m in ("0.001", "0.002") for s in ("1", "2")), grid
for r, j in zip(rows, lines):
    assert list(r) == list(j), "CSV and JSON Lines columns differ"
    assert r["run"] == j["run"] and float(r["metric_rmse"]) == j["metric_rmse"] > 0
    assert r["data_spec"] == "builtin:mnist" and r["data_images"] == "2" and r["eval_offset"] == "1900"
    assert r["git_commit"] and r["created"] and r["command_line"] in open(sys.argv[3]).read()
    assert j["units"] in (4, 8) and isinstance(j["mu"], float)
PY
# RFC 4180: a folder name with a comma, a quote and a line break comes back exactly
odd="$work/odd, \"quoted\"
name"
mkdir -p "$work/o"
"$cli" train --data builtin:mnist --images 1 --set units=4 --out "$work/o/$(basename "$odd")" >/dev/null 2>&1 && ok || fail "train odd name"
"$cli" train --data builtin:mnist --images 1 --set units=4 --out "$work/o/plain" >/dev/null 2>&1
"$cli" collect "$work/o" > "$work/o.csv" 2>/dev/null && ok || fail "collect to stdout"
/usr/bin/python3 - "$work/o.csv" "$work/o/$(basename "$odd")" <<'PY' && ok || fail "RFC 4180 quoting"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert sorted(r["run"] for r in rows)[0] == sys.argv[2], [r["run"] for r in rows]
assert open(sys.argv[1], newline="").read().count("\r\n") == 3
PY

# --run: a small sweep here, within the CPUs allowed, skipping finished runs when run again
l=$work/l
"$cli" sweep --data builtin:mnist --images 1 --set units=4 --seed-count 3 --curves --out "$l" --run >/dev/null 2>&1 && ok || fail "sweep --run"
[ "$(ls "$l"/runs/*/model.json | wc -l)" -eq 3 ] && ok || fail "sweep --run: not 3 bundles"
[ "$(ls "$l"/logs/*.csv | wc -l)" -eq 3 ] && ok || fail "sweep --curves: not 3 learning curves"
before=$(md5sum "$l"/runs/*/model.json)
"$cli" sweep --data builtin:mnist --images 1 --set units=4 --seed-count 3 --curves --out "$l" --run --jobs 8 >/dev/null 2>&1 && ok || fail "sweep --run again"
[ "$(md5sum "$l"/runs/*/model.json)" = "$before" ] && ok || fail "sweep --run redid finished runs"
grep -q "skipped" "$l"/logs/1.log && ok || fail "run 1 not reported skipped"

# bad grids: exit 1, one line naming the problem, nothing written
expect_refused() {
    local what=$1 fragment=$2
    shift 2
    rm -rf "$work/x"
    local err
    err=$("$@" 2>&1 >/dev/null)
    local rc=$?
    if [ $rc -ne 1 ]; then fail "$what: exit $rc: $err"; return; fi
    if [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then fail "$what: not one line: $err"; return; fi
    case "$err" in *"$fragment"*) ;; *) fail "$what: '$err' lacks '$fragment'"; return ;; esac
    [ ! -e "$work/x" ] && ok || fail "$what: wrote $work/x"
}
expect_refused "bad value" "setting 'mu'" "$cli" sweep --data builtin:mnist --set mu=0.001,nan --out "$work/x"
expect_refused "unknown key" "unknown setting 'muu'" "$cli" sweep --data builtin:mnist --set muu=1,2 --out "$work/x"
expect_refused "empty item" "empty item" "$cli" sweep --data builtin:mnist --set mu=0.001,,0.002 --out "$work/x"
expect_refused "bad seed" "--seeds" "$cli" sweep --data builtin:mnist --seeds 1,-2 --out "$work/x"
expect_refused "no bundles" "no model bundles" "$cli" collect "$work/fake"

finish
