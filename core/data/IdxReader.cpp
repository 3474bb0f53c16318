#include "data/IdxReader.h"

#include "foundation/FileBytes.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>

#include "foundation/Settings.h"

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
constexpr std::size_t kScratchBytes = std::size_t{1} << 16;
// A gzip file is read whole before inflating, so its size is bounded too (Fashion-MNIST's
// largest file is 26 MiB).
constexpr std::uint64_t kMaxCompressedBytes = std::uint64_t{1} << 30;

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

// The IDX bytes, front to back, from memory, a file or a gzip stream.
class ByteStream {
  public:
    virtual ~ByteStream() = default;
    // Up to n bytes into dst; fewer only at the end of the data.
    virtual std::size_t read(std::uint8_t* dst, std::size_t n) = 0;
    // Passes over n bytes (or to the end); returns how many there were.
    virtual std::uint64_t skip(std::uint64_t n) {
        std::array<std::uint8_t, kScratchBytes> scratch{};
        std::uint64_t done = 0;
        while (done < n) {
            const auto want =
                static_cast<std::size_t>(std::min<std::uint64_t>(n - done, kScratchBytes));
            const std::size_t got = read(scratch.data(), want);
            done += got;
            if (got < want)
                break;
        }
        return done;
    }
};

class MemoryStream final : public ByteStream {
  public:
    MemoryStream(const std::uint8_t* bytes, std::size_t size) : bytes_(bytes), size_(size) {}
    std::size_t read(std::uint8_t* dst, std::size_t n) override {
        const std::size_t k = std::min(n, size_ - at_);
        std::copy_n(bytes_ + at_, k, dst);
        at_ += k;
        return k;
    }
    std::uint64_t skip(std::uint64_t n) override {
        const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - at_));
        at_ += k;
        return k;
    }

  private:
    const std::uint8_t* bytes_;
    std::size_t size_;
    std::size_t at_ = 0;
};

class FileStream final : public ByteStream {
  public:
    explicit FileStream(const detail::RegularFile& file) : file_(file) {}
    std::size_t read(std::uint8_t* dst, std::size_t n) override {
        const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(n, file_.size() - at_));
        file_.readAt(at_, dst, k);
        at_ += k;
        return k;
    }
    std::uint64_t skip(std::uint64_t n) override {
        const std::uint64_t k = std::min(n, file_.size() - at_);
        at_ += k;
        return k;
    }

  private:
    const detail::RegularFile& file_;
    std::uint64_t at_ = 0;
};

// Inflates on demand, so that memory holds only what the caller asks for, whatever the
// compressed data claim. Several concatenated members are allowed, as gzip(1) produces them.
class GzipStream final : public ByteStream {
  public:
    GzipStream(const std::uint8_t* bytes, std::size_t size, const std::string& name)
        : bytes_(bytes), size_(size), name_(name) {
        if (inflateInit2(&zs_, kGzipWindowBits) != Z_OK)
            fail(name, "cannot initialise zlib");
    }
    ~GzipStream() override { inflateEnd(&zs_); }
    GzipStream(const GzipStream&) = delete;
    GzipStream& operator=(const GzipStream&) = delete;

    std::size_t read(std::uint8_t* dst, std::size_t n) override {
        constexpr std::size_t kChunkLimit = std::numeric_limits<uInt>::max();
        std::size_t produced = 0;
        while (produced < n && !ended_) {
            const std::size_t in_chunk = std::min(size_ - consumed_, kChunkLimit);
            const std::size_t out_chunk = std::min(n - produced, kChunkLimit);
            // zlib's API takes a non-const pointer but does not write through next_in.
            zs_.next_in = const_cast<Bytef*>(bytes_ + consumed_);
            zs_.avail_in = static_cast<uInt>(in_chunk);
            zs_.next_out = dst + produced;
            zs_.avail_out = static_cast<uInt>(out_chunk);
            const int rc = inflate(&zs_, Z_NO_FLUSH);
            consumed_ += in_chunk - zs_.avail_in;
            produced += out_chunk - zs_.avail_out;
            if (rc == Z_STREAM_END) {
                // Another gzip member may follow; anything else after the stream is garbage.
                if (consumed_ == size_) {
                    ended_ = true;
                } else if (!isGzip(bytes_ + consumed_, size_ - consumed_)) {
                    fail(name_, "unexpected bytes after the end of the gzip stream");
                } else if (inflateReset(&zs_) != Z_OK) {
                    fail(name_, "cannot reset zlib");
                }
                continue;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                fail(name_, std::string("corrupt gzip data (zlib: ") +
                                (zs_.msg ? zs_.msg : "error") + ")");
            // All input used, room left for output, the stream not finished: cut short.
            if (consumed_ == size_ && produced < n)
                fail(name_, "truncated gzip data");
        }
        return produced;
    }

  private:
    const std::uint8_t* bytes_;
    std::size_t size_;
    const std::string& name_;
    z_stream zs_{};
    std::size_t consumed_ = 0;
    bool ended_ = false;
};

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

// Reads the header and the selected items. `known_size`: the total size when the source has one
// (plain data), so truncation and trailing bytes are found before anything else is read.
IdxArray parseIdx(ByteStream& in, std::optional<std::uint64_t> known_size, const std::string& name,
                  const IdxItems& items) {
    std::array<std::uint8_t, kMagicBytes + kMaxDims * kDimBytes> head{};
    if (in.read(head.data(), kMagicBytes) < kMagicBytes)
        fail(name, "truncated IDX header (file too short)");
    if (head[0] != 0 || head[1] != 0)
        fail(name, "not an IDX file (bad magic bytes " + hexByte(head[0]) + " " + hexByte(head[1]) +
                       ", expected 0x00 0x00)");
    const std::uint8_t type = head[2];
    if (type != kTypeUnsignedByte)
        fail(name, "unsupported IDX data type " + hexByte(type) +
                       " (only unsigned bytes, 0x08, are supported)");
    const std::size_t ndims = head[3];
    if (ndims < kMinDims || ndims > kMaxDims)
        fail(name, "unsupported number of IDX dimensions " + std::to_string(ndims) +
                       " (expected 1 to 4)");
    if (in.read(head.data() + kMagicBytes, ndims * kDimBytes) < ndims * kDimBytes)
        fail(name, "truncated IDX header (file too short for the dimensions)");
    const std::size_t header = kMagicBytes + ndims * kDimBytes;

    IdxArray array;
    array.type = type;
    std::uint64_t expected = 1;
    for (std::size_t i = 0; i < ndims; ++i) {
        const std::uint32_t d = readBigEndian32(head.data() + kMagicBytes + i * kDimBytes);
        if (d == 0)
            fail(name, "IDX dimension " + std::to_string(i + 1) + " is zero");
        // Both factors are <= 2^32, so the product cannot overflow 64 bits before the check.
        expected *= d;
        if (expected > kMaxElements)
            fail(name, "IDX dimensions too large (more than " + std::to_string(kMaxElements) +
                           " elements)");
        array.dims.push_back(d);
    }
    if (known_size) {
        const std::uint64_t got = *known_size - header;
        if (got < expected)
            fail(name, "truncated IDX data (expected " + std::to_string(expected) + " bytes, got " +
                           std::to_string(got) + ")");
        if (got > expected)
            fail(name, std::to_string(got - expected) +
                           " trailing bytes after the IDX data (expected " +
                           std::to_string(expected) + " bytes, got " + std::to_string(got) + ")");
    }

    const std::uint64_t total_items = array.dims[0];
    const std::uint64_t item_bytes = expected / total_items;
    const std::uint64_t first = std::min<std::uint64_t>(items.first, total_items);
    const std::uint64_t count =
        std::min<std::uint64_t>(items.count.value_or(total_items), total_items - first);
    const std::uint64_t wanted = count * item_bytes;
    if (wanted > items.max_bytes)
        fail(name, "the selected " + std::to_string(count) + " items need " +
                       detail::byteSize(wanted) + ", more than the " +
                       detail::byteSize(items.max_bytes) +
                       " loaded at once (select fewer, e.g. with --images)");
    const std::uint64_t skipped = in.skip(first * item_bytes);
    array.first = static_cast<std::size_t>(first);
    std::size_t got = 0;
    if (skipped == first * item_bytes) {
        if (known_size) {
            // The size is known and checked: the bytes are there.
            array.data.resize(static_cast<std::size_t>(wanted));
            got = in.read(array.data.data(), array.data.size());
        } else {
            // A stream may end anywhere: memory grows with what it really delivers (doubling),
            // not with what 34 bytes of header can claim.
            std::size_t capacity = std::min<std::size_t>(wanted, kScratchBytes);
            for (;;) {
                array.data.resize(capacity);
                const std::size_t n = in.read(array.data.data() + got, capacity - got);
                got += n;
                if (got < capacity || capacity == wanted)
                    break;
                capacity = static_cast<std::size_t>(std::min<std::uint64_t>(wanted, 2 * capacity));
            }
            array.data.resize(got);
        }
    }
    if (skipped + got < (first * item_bytes) + wanted)
        fail(name, "truncated IDX data (expected " + std::to_string(expected) + " bytes, got " +
                       std::to_string(skipped + got) + ")");
    // A stream whose size was not known: when the selection reaches the end, so must the data.
    if (!known_size && first + count == total_items) {
        std::uint8_t extra = 0;
        if (in.read(&extra, 1) != 0)
            fail(name, "trailing bytes after the IDX data (expected " + std::to_string(expected) +
                           " bytes)");
    }
    return array;
}

}  // namespace

IdxArray readIdxBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                      const IdxItems& items) {
    if (isGzip(bytes, size)) {
        GzipStream in(bytes, size, name);
        return parseIdx(in, std::nullopt, name, items);
    }
    MemoryStream in(bytes, size);
    return parseIdx(in, size, name, items);
}

IdxArray readIdx(const std::string& path, const IdxItems& items) {
    const detail::RegularFile file(path, "an IDX file");
    std::array<std::uint8_t, 2> magic{};
    if (file.size() >= magic.size())
        file.readAt(0, magic.data(), magic.size());
    if (isGzip(magic.data(), file.size() >= magic.size() ? magic.size() : 0)) {
        const std::vector<std::uint8_t> compressed = file.readAll(kMaxCompressedBytes);
        GzipStream in(compressed.data(), compressed.size(), path);
        return parseIdx(in, std::nullopt, path, items);
    }
    // Plain files are read by offset: only the selected items' bytes.
    FileStream in(file);
    return parseIdx(in, file.size(), path, items);
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
    header.insert(header.end(), array.data.begin(), array.data.end());
    detail::writeFileBytes(path, header.data(), header.size());
}

}  // namespace stdp
