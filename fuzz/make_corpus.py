#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (deterministic, tiny).

    /usr/bin/python3 fuzz/make_corpus.py [--cli build/app/cli/stdp-cli]

Standard library only. With --cli, the fuzz_bundle seeds are real bundles trained by that
stdp-cli (one image, a few units), encoded in fuzz_bundle's input format (see fuzz_bundle.cpp);
without it the fuzz_bundle seeds are left as they are. Crash reproducers saved next to the seeds
(crash-*, see fuzz/README.md) are never touched.
"""
import argparse
import gzip
import os
import struct
import subprocess
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
BUNDLE_SEPARATOR = b"\n--stdp-fuzz-next-file--\n"  # = kSeparator in fuzz_bundle.cpp


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def gz(data):
    # mtime=0: the same bytes on every run.
    return gzip.compress(data, compresslevel=9, mtime=0)


# --- IDX -------------------------------------------------------------------------------------
def idx(dims, payload, type_code=0x08):
    head = struct.pack(">BBBB", 0, 0, type_code, len(dims)) + b"".join(struct.pack(">I", d) for d in dims)
    return head + payload


def make_idx():
    images = idx([3, 5, 5], bytes((i * 37) % 256 for i in range(75)))
    labels = idx([3], bytes([7, 2, 1]))
    write("fuzz_idx", "images-3x5x5.idx", images)
    write("fuzz_idx", "images-3x5x5.idx.gz", gz(images))
    write("fuzz_idx", "labels-3.idx", labels)
    write("fuzz_idx", "labels-3.idx.gz", gz(labels))
    write("fuzz_idx", "truncated-data.idx", images[:40])
    write("fuzz_idx", "truncated-header.idx", images[:9])
    write("fuzz_idx", "truncated.idx.gz", gz(images)[:30])
    write("fuzz_idx", "float-type.idx", idx([2, 2], struct.pack(">4f", 0, 1, 2, 3), 0x0D))
    write("fuzz_idx", "zero-dims.idx", idx([0, 28, 28], b""))
    write("fuzz_idx", "garbage.bin", b"\x1f\x8bnot really gzip at all")


# --- NPY -------------------------------------------------------------------------------------
def npy(descr, fortran, shape, payload, version=(1, 0)):
    shape_text = "(" + "".join(f"{d}, " if len(shape) == 1 else f"{d}, " for d in shape).rstrip(", ")
    shape_text += ",)" if len(shape) == 1 else ")"
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape_text)
    length_size = 2 if version[0] == 1 else 4
    unpadded = 6 + 2 + length_size + len(header) + 1
    header += " " * ((64 - unpadded % 64) % 64) + "\n"
    length = struct.pack("<H" if length_size == 2 else "<I", len(header))
    return b"\x93NUMPY" + bytes(version) + length + header.encode("latin1") + payload


def make_npy():
    f4 = struct.pack("<6f", 0.0, 0.25, 0.5, 0.75, 1.0, 0.125)
    write("fuzz_npy", "f4-2x3-c.npy", npy("<f4", False, [2, 3], f4))
    write("fuzz_npy", "f8-3x2-fortran.npy", npy("<f8", True, [3, 2], struct.pack("<6d", 0, 1, 2, 3, 4, 5)))
    write("fuzz_npy", "f4-1-v2.npy", npy("<f4", False, [1], struct.pack("<f", 0.5), (2, 0)))
    write("fuzz_npy", "f4-scalar-v3.npy", npy("<f4", False, [], struct.pack("<f", 0.5), (3, 0)))
    write("fuzz_npy", "f4-nan.npy", npy("<f4", False, [2], struct.pack("<2f", 0.0, float("nan"))))
    write("fuzz_npy", "f4-big-endian.npy", npy(">f4", False, [2], struct.pack(">2f", 0.0, 1.0)))
    write("fuzz_npy", "i4-unsupported.npy", npy("<i4", False, [2], struct.pack("<2i", 0, 1)))
    write("fuzz_npy", "truncated-data.npy", npy("<f4", False, [2, 3], f4)[:-5])
    write("fuzz_npy", "huge-shape.npy", npy("<f4", False, [4294967296, 4294967296], f4))


# --- settings lines --------------------------------------------------------------------------
def make_settings():
    write("fuzz_settings", "paper-mnist.txt", b"""patch_size=5
units=32
onoff=false
theta_mode=global
theta0=0.15
init_low=0
init_high=1
seed=1
steps=40
trace_tau=0
tau_m=0
reset=true
refractory=0
temperature=1
mu=0.0005
mu_d_ratio=0.75
lambda=0
epsilon=0
w_clip_min=0
theta_adapt=true
rho=5e-05
theta_floor=0
learn=true
distance_bias=0
mu_decay=0
sampling=all
patches_per_image=1000
eval_patches_per_image=500
skip_empty=true
epochs=1
whiten=true
whiten_f0=0.4
onoff_scale=3
""")
    write("fuzz_settings", "natural.txt",
          b"patch_size=16\nonoff=true\nunits=64\ntheta0=0.25\ntheta_mode=per_neuron\nsampling=random\n")
    write("fuzz_settings", "cooperative.txt",
          b"spike_quantum=5\nhurdle=40\nrecruit_hurdle=80\ntarget_rate=0.005\ntheta_mode=per_neuron\n"
          b"learning_rule=residual\nresidual_decay=1\n")
    write("fuzz_settings", "recruit-without-amplitude.txt",
          b"spike_quantum=0\nrecruit_hurdle=80\n")
    write("fuzz_settings", "bad-values.txt",
          b"units=-1\nmu=nan\ntemperature=0\nsteps=1e99\nseed=-5\nreset=maybe\nnokey\n=3\nunknown=1\n"
          b"init_low=0.9\ninit_high=0.1\n")


# --- image headers ---------------------------------------------------------------------------
def png(width, height):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + bytes((x * 40 + y * 20) % 256 for x in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def tiff(width, height, little=True):
    e = "<" if little else ">"
    pixels = bytes(width * height)
    entries = [  # tag, type (3 = SHORT, 4 = LONG), count, value
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
        (273, 4, 1, 0), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, len(pixels))]
    ifd_offset = 8
    data_offset = ifd_offset + 2 + 12 * len(entries) + 4
    out = (b"II" if little else b"MM") + struct.pack(e + "HI", 42, ifd_offset)
    out += struct.pack(e + "H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 273:
            value = data_offset
        if kind == 3:
            out += struct.pack(e + "HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack(e + "HHII", tag, kind, count, value)
    return out + struct.pack(e + "I", 0) + pixels


def bmp(width, height, top_down=False):
    row = (width * 3 + 3) // 4 * 4
    pixels = b"".join(bytes((x * 50) % 256 for x in range(width * 3)) + bytes(row - width * 3)
                      for _ in range(height))
    info = struct.pack("<IiiHHIIiiII", 40, width, -height if top_down else height, 1, 24, 0,
                       len(pixels), 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 14 + len(info)) + info + pixels


# An 8x8 grey baseline JPEG (netpbm: pnmtojpeg -quality 50 -optimize of a flat 8x8 PGM).
JPEG_8X8 = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a1816"
    "16183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c6567"
    "63ffc0000b080008000801011100ffc40014000100000000000000000000000000000000ffc4001410010000"
    "0000000000000000000000000000ffda0008010100003f003fffd9")


def make_image_header():
    write("fuzz_image_header", "gray-3x2.png", png(3, 2))
    write("fuzz_image_header", "gray-8x8.jpg", JPEG_8X8)
    write("fuzz_image_header", "gray-3x2-le.tif", tiff(3, 2, True))
    write("fuzz_image_header", "gray-2x3-be.tif", tiff(2, 3, False))
    write("fuzz_image_header", "rgb-3x2.bmp", bmp(3, 2))
    write("fuzz_image_header", "rgb-2x2-topdown.bmp", bmp(2, 2, True))
    write("fuzz_image_header", "gray-3x2.pgm", b"P5\n# comment\n3 2\n255\n" + bytes(range(0, 60, 10)))
    write("fuzz_image_header", "gray-2x2-ascii.pgm", b"P2\n2 2\n15\n0 5\n10 15\n")
    write("fuzz_image_header", "truncated.png", png(3, 2)[:20])
    write("fuzz_image_header", "garbage.bin", b"GIF89a not one of ours")


# --- bundles ---------------------------------------------------------------------------------
def make_bundle(cli):
    runs = {
        "global-p3-k4": ["--set", "units=4", "--set", "patch_size=3"],
        "perneuron-onoff-p2-k3": ["--set", "units=3", "--set", "patch_size=2",
                                  "--set", "theta_mode=per_neuron", "--set", "onoff=true"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in runs.items():
            out = os.path.join(tmp, name)
            subprocess.run([cli, "train", "--data", "builtin:mnist", "--images", "1", "--out", out] + extra,
                           check=True, stdout=subprocess.DEVNULL)
            parts = []
            for f in ("model.json", "weights.npy", "thresholds.npy"):
                with open(os.path.join(out, f), "rb") as fh:
                    parts.append(fh.read())
            write("fuzz_bundle", name + ".bundle", BUNDLE_SEPARATOR.join(parts))
            if name.startswith("global"):
                write("fuzz_bundle", "model-json-only.bundle", parts[0])
                write("fuzz_bundle", "wrong-shape.bundle",
                      BUNDLE_SEPARATOR.join([parts[0], parts[2], parts[2]]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", help="stdp-cli to train the fuzz_bundle seeds with")
    args = parser.parse_args()
    make_idx()
    make_npy()
    make_settings()
    make_image_header()
    if args.cli:
        make_bundle(args.cli)


if __name__ == "__main__":
    main()
