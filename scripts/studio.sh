#!/usr/bin/env bash
# One command from a fresh machine: install packages, build, start the studio on the built-in
# MNIST digits. Without a display it trains 50 images under a virtual one and saves a screenshot.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
build=${STDP_BUILD_DIR:-$root/build}
studio="$build/app/studio/stdp-studio"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$studio" "$@"
fi
shot="$build/studio-screenshot.png"
echo "No display: training 50 built-in digits under Xvfb; screenshot -> $shot" >&2
exec xvfb-run -a -s "-screen 0 1600x1000x24" "$studio" --screenshot "$shot" --run-images 50 "$@"
