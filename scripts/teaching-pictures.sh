#!/usr/bin/env bash
# Remakes the pictures of docs/teaching.md with the studio's own --screenshot mode (offscreen).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
studio=${STDP_STUDIO:-$root/build/app/studio/stdp-studio}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
cd "$root"
"$studio" --screenshot docs/teaching-1-input.png --run-images 3 --view step
"$studio" --screenshot docs/teaching-2-compete.png --run-images 40 --view step
"$studio" --screenshot docs/teaching-3-fields.png --run-images 300 --view step
