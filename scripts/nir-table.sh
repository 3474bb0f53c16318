#!/usr/bin/env bash
# The README's NIR table: trains each preset (digits: 1,000 built-in images; photographs: the six
# built-in ones), exports it as NIR and prints what the fixed threshold changes in protocol A
# (digits: 50 images the training did not see; photographs: builtin:natural-eval).
#   scripts/nir-table.sh [OUT_DIR]   (default /tmp/stdp-nir-table)
set -euo pipefail
cli=$(cd "$(dirname "$0")/.." && pwd)/build/app/cli/stdp-cli
out=${1:-/tmp/stdp-nir-table}
mkdir -p "$out"
cd "$out"
for p in paper-mnist ngc-mnist improved-mnist; do
  $cli train --preset $p --data builtin:mnist --images 1000 --out t-$p >/dev/null 2>&1
  echo "== $p"; $cli export --model t-$p --nir t-$p.nir --eval-images 50
done
for p in paper-natural improved-natural; do
  $cli train --preset $p --data builtin:natural --out t-$p >/dev/null 2>&1
  echo "== $p"; $cli export --model t-$p --nir t-$p.nir
done
