#!/usr/bin/env bash
# Renders resources/icons/stdp-studio.svg to the PNG sizes the desktop and the window use. The
# PNGs are committed (the build needs no SVG renderer); rerun after changing the SVG. Needs
# ImageMagick (convert).
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
for size in 16 32 48 64 128 256; do
    convert -background none -density 384 stdp-studio.svg -resize "${size}x${size}" -strip \
        "stdp-studio-$size.png"
done
