#!/usr/bin/python3
"""Writes the hostile and unlucky files of tests/test_hostile.sh into a folder.

Every file is made here, small, from the standard library: nothing big is kept in the repository.
Usage: make_files.py DIR
"""
import json
import os
import struct
import sys
import zlib

out = sys.argv[1]


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def idx_header(dims):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims)


def gzip_member(chunks, total_size, crc):
    """A gzip file from raw-deflate chunks (each ending on a full flush) and its trailer."""
    head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return head + b"".join(chunks) + struct.pack("<II", crc & 0xFFFFFFFF, total_size & 0xFFFFFFFF)


def deflate_block(data, final=False):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def zero_bomb(header, zero_bytes, block=1 << 20):
    """header + zero_bytes zeros, gzipped by repeating one self-contained deflate block."""
    assert zero_bytes % block == 0
    zeros = bytes(block)
    crc = zlib.crc32(header)
    reps = zero_bytes // block
    for _ in range(reps):
        crc = zlib.crc32(zeros, crc)
    chunks = [deflate_block(header), deflate_block(zeros) * reps, deflate_block(b"", final=True)]
    return gzip_member([b"".join(chunks)], len(header) + zero_bytes, crc)


# 2. A .npy header nested 40,000 brackets deep (83 KB).
depth = 40000
header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(" * depth + ")" * depth + ", }"
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
write("deep.npy", b"\x93NUMPY\x02\x00" + struct.pack("<I", len(header)) + header.encode())

# 6. A valid IDX at the 4 GiB limit (65536 images of 256 x 256) in ~4 MB of gzip. Its first 16
# images have contrast (blank images teach nothing, and training on them alone is refused).
lead = bytes((i * 7) % 256 for i in range(1 << 20))
write("bomb-images-idx3-ubyte.gz", zero_bomb(idx_header([65536, 256, 256]) + lead, (1 << 32) - len(lead)))
# 6. A gzip that inflates past the size its IDX header announces: 1 image, then 64 MiB more.
small = idx_header([1, 28, 28]) + bytes(784)
write("overflow.gz", zero_bomb(small, 64 << 20))
# 6. A PNG whose header says 30000 x 30000 (the pixels never need to be read).
def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)
idat = zlib.compress(bytes(30001) * 16)
write("huge.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) +
      png_chunk(b"IEND", b""))
# 8. A small valid grey PNG with a broken colour profile (libpng warns "iCCP: ...").
w, h = 32, 32
rows = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(w)) for y in range(h))
iccp = b"bad profile\x00\x00" + zlib.compress(b"not an ICC profile at all" * 4)
write("iccp.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
      png_chunk(b"iCCP", iccp) + png_chunk(b"IDAT", zlib.compress(rows)) + png_chunk(b"IEND", b""))
# 7. Blank digits: nothing to evaluate.
write("blank-images-idx3-ubyte", idx_header([3, 28, 28]) + bytes(3 * 784))
