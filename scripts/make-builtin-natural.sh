#!/usr/bin/env bash
# Regenerates resources/data/natural/*.png, the photographs behind the data SPECs builtin:natural
# and builtin:natural-eval (see resources/data/NATURAL-IMAGES.md), from scikit-image's sample data
# in Debian's python3-skimage package, WITHOUT installing it (it pulls in 74 dependencies): the
# .deb is downloaded with `apt-get download` and unpacked with `dpkg -x` into a temporary folder.
# Each photograph becomes an 8-bit grey PNG at its own resolution (scripts/make-builtin-natural.cpp,
# built here with the project's OpenCV). Needs apt-get, dpkg, a C++ compiler and libopencv-dev.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="$here/../resources/data/natural"

# Order = the order of the built-in set (and of the list in core/data/CMakeLists.txt). The first six
# are builtin:natural (training; this order gave the most Gabor-like fields), the last two
# builtin:natural-eval (held out). Only CC0 / public-domain photographs of natural scenes and
# textures; the licence of each is in NATURAL-IMAGES.md.
sources=(astronaut.png brick.png coffee.png grass.png gravel.png rocket.jpg camera.png chelsea.png)

command -v apt-get >/dev/null || { echo "error: apt-get not found (Debian/Ubuntu needed)" >&2; exit 1; }
command -v dpkg >/dev/null || { echo "error: dpkg not found" >&2; exit 1; }
cxx="${CXX:-c++}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The _apt user must be able to write where apt-get download puts the file.
chmod 777 "$work"
if ! (cd "$work" && apt-get download python3-skimage >"$work/apt.log" 2>&1); then
    cat "$work/apt.log" >&2
    echo "error: 'apt-get download python3-skimage' failed (run apt-get update?)" >&2
    exit 1
fi
deb="$(ls "$work"/python3-skimage_*.deb | head -n 1)"
dpkg -x "$deb" "$work/root"
data_dir="$(find "$work/root" -type d -path '*/skimage/data' | head -n 1)"
[[ -n "$data_dir" ]] || { echo "error: no skimage/data folder in $(basename "$deb")" >&2; exit 1; }

"$cxx" -std=c++17 -O2 -I/usr/include/opencv4 "$here/make-builtin-natural.cpp" -o "$work/grey" \
    -lopencv_imgcodecs -lopencv_core

mkdir -p "$out_dir"
rm -f "$out_dir"/*.png
i=0
for f in "${sources[@]}"; do
    i=$((i + 1))
    [[ -s "$data_dir/$f" ]] || { echo "error: $f missing from $(basename "$deb")" >&2; exit 1; }
    # libpng's warning about the sRGB profile of some sources is harmless; other messages show.
    "$work/grey" "$data_dir/$f" "$out_dir/$(printf '%02d' "$i")-${f%.*}.png" \
        2> >(grep -v 'iCCP: known incorrect sRGB profile' >&2)
done
echo "from $(basename "$deb")"
ls -l "$out_dir"
