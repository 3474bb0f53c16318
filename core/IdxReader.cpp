#include "IdxReader.h"

#include "FileBytes.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "Settings.h"

namespace stdp {

namespace {

constexpr std::uint8_t kTypeUnsignedByte = 0x08;
constexpr std::size_t kMagicBytes = 4;
constexpr std::size_t kDimBytes = 4;
constexpr std::size_t kMinDims = 1;
constexpr std::size_t kMaxDims = 4;
// Guards against absurd headers (and decompression bombs): MNIST-sized sets are ~50 MB.
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 32;
constexpr std::uint8_t kGzipMagic0 = 0x1f;
constexpr std::uint8_t kGzipMagic1 = 0x8b;
// zlib: 16 + MAX_WBITS selects the gzip wrapper.
constexpr int kGzipWindowBits = 16 + MAX_WBITS;
constexpr std::size_t kMinInflateBuffer = std::size_t{1} << 16;
// Deflate cannot expand data by more than about 1032:1; caps a lying size trailer.
constexpr std::size_t kMaxDeflateRatio = 1032;
constexpr std::size_t kGzipTrailerBytes = 8;

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
    throw UserError(name + ": " + problem);
}

std::string hexByte(std::uint8_t b) {
    static constexpr char kDigits[] = "0123456789abcdef";
    constexpr unsigned kNibbleBits = 4;
    constexpr unsigned kNibbleMask = 0xf;
    return std::string("0x") + kDigits[(b >> kNibbleBits) & kNibbleMask] + kDigits[b & kNibbleMask];
}

bool isGzip(const std::uint8_t* bytes, std::size_t size) {
    return size >= 2 && bytes[0] == kGzipMagic0 && bytes[1] == kGzipMagic1;
}

// The gzip trailer holds the uncompressed size (mod 2^32) of the last member: a good first guess.
std::size_t initialInflateBuffer(const std::uint8_t* bytes, std::size_t size) {
    constexpr unsigned kByteBits = 8;
    if (size < kGzipTrailerBytes)
        return kMinInflateBuffer;
    std::size_t isize = 0;
    for (std::size_t i = 0; i < kDimBytes; ++i)
        isize |= std::size_t{bytes[size - kDimBytes + i]} << (kByteBits * i);
    // One spare byte lets inflate report the end of the stream without growing the buffer.
    return std::clamp(isize + 1, kMinInflateBuffer,
                      std::max(kMinInflateBuffer, kMaxDeflateRatio * size));
}

// Inflates a gzip stream (several concatenated members allowed, as gzip(1) produces them).
std::vector<std::uint8_t> gunzip(const std::uint8_t* bytes, std::size_t size,
                                 const std::string& name) {
    z_stream zs{};
    if (inflateInit2(&zs, kGzipWindowBits) != Z_OK)
        fail(name, "cannot initialise zlib");
    struct Guard {
        z_stream* s;
        ~Guard() { inflateEnd(s); }
    } guard{&zs};

    const std::size_t max_out = kMaxElements + kMaxDims * kDimBytes + kMagicBytes;
    std::vector<std::uint8_t> out(std::min(max_out, initialInflateBuffer(bytes, size)));
    std::size_t produced = 0;
    std::size_t consumed = 0;
    const std::size_t chunk_limit = std::numeric_limits<uInt>::max();
    for (;;) {
        if (produced == out.size()) {
            if (out.size() >= max_out)
                fail(name, "decompressed data too large for an IDX file");
            out.resize(std::min(max_out, out.size() * 2));
        }
        const std::size_t in_chunk = std::min(size - consumed, chunk_limit);
        const std::size_t out_chunk = std::min(out.size() - produced, chunk_limit);
        // zlib's API takes a non-const pointer but does not write through next_in.
        zs.next_in = const_cast<Bytef*>(bytes + consumed);
        zs.avail_in = static_cast<uInt>(in_chunk);
        zs.next_out = out.data() + produced;
        zs.avail_out = static_cast<uInt>(out_chunk);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        consumed += in_chunk - zs.avail_in;
        produced += out_chunk - zs.avail_out;
        if (rc == Z_STREAM_END) {
            // Another gzip member may follow; anything else after the stream is garbage.
            if (consumed == size)
                break;
            if (!isGzip(bytes + consumed, size - consumed))
                fail(name, "unexpected bytes after the end of the gzip stream");
            if (inflateReset(&zs) != Z_OK)
                fail(name, "cannot reset zlib");
            continue;
        }
        if (rc == Z_BUF_ERROR && consumed == size)
            fail(name, "truncated gzip data");
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            fail(name,
                 std::string("corrupt gzip data (zlib: ") + (zs.msg ? zs.msg : "error") + ")");
        if (consumed == size && zs.avail_out != 0 && rc == Z_OK) {
            // All input used, output room left, stream not finished: the file is cut short.
            fail(name, "truncated gzip data");
        }
    }
    out.resize(produced);
    return out;
}

std::uint32_t readBigEndian32(const std::uint8_t* p) {
    constexpr unsigned kByteBits = 8;
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < kDimBytes; ++i)
        v = (v << kByteBits) | p[i];
    return v;
}

void appendBigEndian32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    constexpr unsigned kByteBits = 8;
    constexpr std::uint32_t kByteMask = 0xff;
    for (std::size_t i = kDimBytes; i-- > 0;)
        out.push_back(static_cast<std::uint8_t>((v >> (kByteBits * i)) & kByteMask));
}

IdxArray parseIdx(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
    if (size < kMagicBytes)
        fail(name, "truncated IDX header (file too short)");
    if (bytes[0] != 0 || bytes[1] != 0)
        fail(name, "not an IDX file (bad magic bytes " + hexByte(bytes[0]) + " " +
                       hexByte(bytes[1]) + ", expected 0x00 0x00)");
    const std::uint8_t type = bytes[2];
    if (type != kTypeUnsignedByte)
        fail(name, "unsupported IDX data type " + hexByte(type) +
                       " (only unsigned bytes, 0x08, are supported)");
    const std::size_t ndims = bytes[3];
    if (ndims < kMinDims || ndims > kMaxDims)
        fail(name, "unsupported number of IDX dimensions " + std::to_string(ndims) +
                       " (expected 1 to 4)");
    const std::size_t header = kMagicBytes + ndims * kDimBytes;
    if (size < header)
        fail(name, "truncated IDX header (file too short for the dimensions)");

    IdxArray array;
    array.type = type;
    std::uint64_t expected = 1;
    for (std::size_t i = 0; i < ndims; ++i) {
        const std::uint32_t d = readBigEndian32(bytes + kMagicBytes + i * kDimBytes);
        if (d == 0)
            fail(name, "IDX dimension " + std::to_string(i + 1) + " is zero");
        // Both factors are <= 2^32, so the product cannot overflow 64 bits before the check.
        expected *= d;
        if (expected > kMaxElements)
            fail(name, "IDX dimensions too large (more than " + std::to_string(kMaxElements) +
                           " elements)");
        array.dims.push_back(d);
    }
    const std::uint64_t got = size - header;
    if (got < expected)
        fail(name, "truncated IDX data (expected " + std::to_string(expected) + " bytes, got " +
                       std::to_string(got) + ")");
    if (got > expected)
        fail(name, std::to_string(got - expected) +
                       " trailing bytes after the IDX data (expected " + std::to_string(expected) +
                       " bytes, got " + std::to_string(got) + ")");
    array.data.assign(bytes + header, bytes + size);
    return array;
}

}  // namespace

IdxArray readIdxBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
    if (isGzip(bytes, size)) {
        const std::vector<std::uint8_t> raw = gunzip(bytes, size, name);
        return parseIdx(raw.data(), raw.size(), name);
    }
    return parseIdx(bytes, size, name);
}

IdxArray readIdx(const std::string& path) {
    const std::vector<std::uint8_t> bytes = detail::readFileBytes(path, "an IDX file");
    return readIdxBytes(bytes.data(), bytes.size(), path);
}

void writeIdx(const std::string& path, const IdxArray& array) {
    if (array.type != kTypeUnsignedByte)
        fail(path, "cannot write IDX data type " + hexByte(array.type) + " (only 0x08)");
    if (array.dims.size() < kMinDims || array.dims.size() > kMaxDims)
        fail(path, "cannot write IDX with " + std::to_string(array.dims.size()) +
                       " dimensions (expected 1 to 4)");
    std::uint64_t expected = 1;
    for (auto d : array.dims)
        expected *= d;
    if (expected != array.data.size())
        fail(path, "IDX data size " + std::to_string(array.data.size()) +
                       " does not match the dimensions (" + std::to_string(expected) + ")");

    std::vector<std::uint8_t> header = {0, 0, array.type,
                                        static_cast<std::uint8_t>(array.dims.size())};
    for (auto d : array.dims)
        appendBigEndian32(header, d);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        fail(path, "cannot open file for writing");
    out.write(reinterpret_cast<const char*>(header.data()),
              static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char*>(array.data.data()),
              static_cast<std::streamsize>(array.data.size()));
    out.close();
    if (!out)
        fail(path, "write error");
}

}  // namespace stdp
