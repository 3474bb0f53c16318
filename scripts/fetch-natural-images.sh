#!/usr/bin/env bash
# Fetches natural photographs for the natural-image experiment from Debian's
# python3-skimage package WITHOUT installing it (the package pulls in 74 dependencies; we only
# need a few image files): `apt-get download` the .deb, `dpkg -x` it into a temporary folder and
# copy the chosen images. No conversion: stdp-cli reads PNG/JPEG as grayscale itself.
#
#   scripts/fetch-natural-images.sh DEST
#
# The program embeds CC0 / public-domain photographs of its own (builtin:natural, see
# resources/data/NATURAL-IMAGES.md); this folder is for `stdp-cli report --natural DIR`.
#
# Writes DEST/train and DEST/eval (disjoint sets of images) and DEST/README.md. Idempotent: when
# every file is already there, nothing is downloaded.
set -euo pipefail

if [[ $# -ne 1 || "$1" == -* ]]; then
    echo "usage: $0 DEST" >&2
    exit 2
fi
dest="$1"

# Natural scenes and textures only: no text, charts, synthetic or microscopy images.
# Training: textures (grass, gravel, brick) and scenes; evaluation: two different photographs, so
# the evaluation measures generalisation to unseen images, never a re-run on training pixels.
train_files=(grass.png gravel.png brick.png camera.png coffee.png rocket.jpg astronaut.png
    motorcycle_left.png)
eval_files=(chelsea.png coins.png)

all_present() {
    local f
    for f in "${train_files[@]}"; do [[ -s "$dest/train/$f" ]] || return 1; done
    for f in "${eval_files[@]}"; do [[ -s "$dest/eval/$f" ]] || return 1; done
    [[ -s "$dest/README.md" ]]
}

if all_present; then
    echo "natural images already in $dest"
    exit 0
fi

command -v apt-get >/dev/null || { echo "error: apt-get not found (Debian/Ubuntu needed)" >&2; exit 1; }
command -v dpkg >/dev/null || { echo "error: dpkg not found" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# apt-get download writes into the current folder; the _apt user must be able to write it, so make
# it world-writable (otherwise apt falls back to an unsandboxed download with a warning).
chmod 777 "$work"
if ! (cd "$work" && apt-get download python3-skimage >"$work/apt.log" 2>&1); then
    cat "$work/apt.log" >&2
    echo "error: 'apt-get download python3-skimage' failed. Is the package index current" \
        "(sudo apt-get update) and the network reachable?" >&2
    exit 1
fi
deb="$(ls "$work"/python3-skimage_*.deb 2>/dev/null | head -n 1)"
[[ -n "$deb" ]] || { echo "error: apt-get download produced no python3-skimage .deb" >&2; exit 1; }
dpkg -x "$deb" "$work/root"
data_dir="$(find "$work/root" -type d -path '*/skimage/data' | head -n 1)"
[[ -n "$data_dir" ]] || { echo "error: no skimage/data folder in $(basename "$deb")" >&2; exit 1; }

copy_set() {  # copy_set SUBDIR FILE...
    local sub="$1" f
    shift
    mkdir -p "$dest/$sub"
    for f in "$@"; do
        [[ -s "$data_dir/$f" ]] || { echo "error: $f missing from $(basename "$deb")" >&2; exit 1; }
        cp "$data_dir/$f" "$dest/$sub/$f.tmp"
        mv "$dest/$sub/$f.tmp" "$dest/$sub/$f"
    done
}
copy_set train "${train_files[@]}"
copy_set eval "${eval_files[@]}"

cat >"$dest/README.md.tmp" <<EOF
# Natural images for STDP Studio's natural-image experiment

Source: Debian package \`$(basename "$deb")\` (scikit-image sample data, \`skimage/data/\`; see
scikit-image's \`skimage/data/README.txt\` and Debian's copyright file for each image's licence:
most are public domain / CC0, astronaut and rocket are NASA/SpaceX public-domain photographs).
Fetched by \`scripts/fetch-natural-images.sh\`; the files are copied unchanged (the loader reads
colour files as grayscale and whitens them).

Chosen: photographs of natural scenes and textures. Left out: text (text.png, page.png), charts
and synthetic images (checkerboards, logo, phantom), microscopy/medical/astronomy images (cell,
ihc, retina, hubble_deep_field) and tiny test files.

- \`train/\` (${#train_files[@]} images): ${train_files[*]}
- \`eval/\` (${#eval_files[@]} images): ${eval_files[*]}

The two sets are disjoint: no evaluation image is a training image.
EOF
mv "$dest/README.md.tmp" "$dest/README.md"
echo "natural images: ${#train_files[@]} training, ${#eval_files[@]} evaluation images in $dest"
