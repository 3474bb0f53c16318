#!/usr/bin/env bash
# `cmake --install` puts the programs, desktop entry, icons and documents in their FHS places, and
# the installed stdp-cli runs and trains from there; CPack's Debian package holds the same files
# and depends on the libraries the programs link (dpkg-shlibdeps), and its stdp-cli runs from an
# unpacked scratch root.
#
#   test_install.sh BUILD_DIR STUDIO(ON|OFF) [PYTHON(ON|OFF)]
set -euo pipefail
build=$1
studio=$2
python=${3:-OFF}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" > "$scratch/install.log"
expect=(bin/stdp-cli share/doc/stdp-studio/LICENSE share/doc/stdp-studio/CREDITS.md
        share/doc/stdp-studio/README.md share/doc/stdp-studio/docs/studio.md)
if [ "$studio" = ON ]; then
  expect+=(bin/stdp-studio share/applications/stdp-studio.desktop
           share/icons/hicolor/scalable/apps/stdp-studio.svg
           share/icons/hicolor/48x48/apps/stdp-studio.png
           share/icons/hicolor/256x256/apps/stdp-studio.png)
fi
for f in "${expect[@]}"; do
  [ -f "$prefix/$f" ] || fail "cmake --install did not install $f"
done
if [ "$studio" = ON ]; then
  grep -q '^Exec=stdp-studio' "$prefix/share/applications/stdp-studio.desktop" \
    || fail "desktop entry does not start stdp-studio"
  grep -q '^Icon=stdp-studio$' "$prefix/share/applications/stdp-studio.desktop" \
    || fail "desktop entry does not name the installed icon"
fi

# The installed program runs from its new place, without the build tree.
[ -n "$("$prefix/bin/stdp-cli" --version)" ] || fail "installed stdp-cli --version printed nothing"
"$prefix/bin/stdp-cli" train --preset paper-mnist --data builtin:mnist --images 2 \
  --out "$scratch/model" > "$scratch/train.log" 2>&1 || { cat "$scratch/train.log"; fail "installed stdp-cli could not train"; }
[ -f "$scratch/model/model.json" ] && [ -f "$scratch/model/weights.npy" ] \
  || fail "installed stdp-cli wrote no bundle"

# The Python module in Debian's place for modules of its python3, importable from there.
if [ "$python" = ON ]; then
  ls "$prefix"/lib/python3/dist-packages/stdp_studio*.so > /dev/null 2>&1 \
    || fail "cmake --install did not install the Python module"
  version=$(cd "$scratch" && PYTHONPATH="$prefix/lib/python3/dist-packages" /usr/bin/python3 -c \
    'import stdp_studio; print(stdp_studio.__version__)') || fail "the installed module does not import"
  [ -n "$version" ] || fail "the installed module has no version"
fi

# Image formats other than PNG through the codec plugin, found beside the installed program; the
# bash completion and the man page in their places.
for plugin in libstdp_imgcodecs.so libstdp_nir_hdf5.so; do
  [ -n "$(find "$prefix" -name "$plugin")" ] || fail "cmake --install did not install $plugin"
done
[ -f "$prefix/share/bash-completion/completions/stdp-cli" ] || fail "no bash completion installed"
[ -f "$prefix/share/man/man1/stdp-cli.1" ] || fail "no man page installed"
mkdir -p "$scratch/pgm"
{ printf 'P5\n64 64\n255\n'; head -c 4096 /dev/urandom; } > "$scratch/pgm/noise.pgm"
"$prefix/bin/stdp-cli" train --preset paper-natural --data "images:$scratch/pgm" --set units=4 \
  --set patches_per_image=10 --out "$scratch/pgm-model" > "$scratch/pgm.log" 2>&1 \
  || { cat "$scratch/pgm.log"; fail "installed stdp-cli could not read a PGM through the plugin"; }

# The Debian package.
command -v dpkg-deb > /dev/null || { echo "dpkg-deb missing: package not checked"; exit 0; }
(cd "$build" && cpack -G DEB -B "$scratch/deb" > "$scratch/cpack.log" 2>&1) \
  || { cat "$scratch/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(ls "$scratch"/deb/*.deb)
info=$(dpkg-deb -I "$deb")
grep -q '^ Package: stdp-studio' <<< "$info" || fail "package name"
depends=$(sed -n 's/^ Depends: //p' <<< "$info")
for lib in libc6 libstdc++6 libopencv-core libopencv-imgcodecs libpng16; do
  grep -q "$lib" <<< "$depends" || fail "Depends lacks $lib: $depends"
done
if [ "$studio" = ON ]; then
  for lib in libqt6widgets6 libqt6charts6; do
    grep -q "$lib" <<< "$depends" || fail "Depends lacks $lib: $depends"
  done
fi
dpkg-deb -c "$deb" > "$scratch/contents"  # not into grep -q: an early exit breaks the pipe
grep -q './usr/bin/stdp-cli$' "$scratch/contents" || fail "package lacks /usr/bin/stdp-cli"
grep -q './usr/share/applications/stdp-studio.desktop$' "$scratch/contents" || [ "$studio" != ON ] \
  || fail "package lacks the desktop entry"
dpkg-deb -x "$deb" "$scratch/root"
[ -n "$("$scratch/root/usr/bin/stdp-cli" --version)" ] || fail "packaged stdp-cli does not run"
echo "install and package: ok"
