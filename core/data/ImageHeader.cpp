#include "data/ImageHeader.h"

#include <array>
#include <cstring>
#include <limits>

#include "foundation/Settings.h"

namespace stdp {

namespace {

constexpr unsigned kByteBits = 8;

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
    throw UserError(name + ": cannot read image (" + problem + ")");
}

// Bounds-checked reads of the header bytes: any read past the end is a truncated header.
class HeaderBytes {
  public:
    HeaderBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                const char* format)
        : p_(bytes), size_(size), name_(name), format_(format) {}

    std::size_t size() const { return size_; }
    std::uint8_t byte(std::uint64_t at) const {
        need(at, 1);
        return p_[at];
    }
    std::uint64_t big(std::uint64_t at, unsigned n) const {
        need(at, n);
        std::uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i)
            v = (v << kByteBits) | p_[at + i];
        return v;
    }
    std::uint64_t little(std::uint64_t at, unsigned n) const {
        need(at, n);
        std::uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i)
            v |= std::uint64_t{p_[at + i]} << (kByteBits * i);
        return v;
    }
    std::uint64_t read(std::uint64_t at, unsigned n, bool big_endian) const {
        return big_endian ? big(at, n) : little(at, n);
    }
    [[noreturn]] void bad(const std::string& what) const {
        fail(name_, std::string("corrupt ") + format_ + " header: " + what);
    }

  private:
    void need(std::uint64_t at, std::uint64_t n) const {
        if (at > size_ || n > size_ - at)
            fail(name_, std::string("truncated ") + format_ + " header");
    }

    const std::uint8_t* p_;
    std::size_t size_;
    const std::string& name_;
    const char* format_;
};

bool startsWith(const std::uint8_t* bytes, std::size_t size, std::string_view magic) {
    return size >= magic.size() && std::memcmp(bytes, magic.data(), magic.size()) == 0;
}

ImageHeader checked(const HeaderBytes& h, const char* format, std::uint64_t width,
                    std::uint64_t height) {
    if (width == 0 || height == 0)
        h.bad("zero width or height");
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint32_t>::max();
    if (width > kMax || height > kMax)
        h.bad("dimension too large");
    return {format, static_cast<std::uint32_t>(width), static_cast<std::uint32_t>(height)};
}

ImageHeader png(const HeaderBytes& h) {
    // Signature (8), then the IHDR chunk: length (4), "IHDR", width, height (big-endian).
    constexpr std::uint64_t kChunkType = 12;
    constexpr std::uint64_t kWidth = 16;
    constexpr std::uint64_t kHeight = 20;
    if (h.big(kChunkType, 4) != 0x49484452)  // "IHDR"
        h.bad("the first chunk is not IHDR");
    return checked(h, "PNG", h.big(kWidth, 4), h.big(kHeight, 4));
}

ImageHeader jpeg(const HeaderBytes& h) {
    constexpr std::uint8_t kMarker = 0xff;
    constexpr std::uint8_t kTem = 0x01;
    constexpr std::uint8_t kRst0 = 0xd0;
    constexpr std::uint8_t kRst7 = 0xd7;
    constexpr std::uint8_t kSoi = 0xd8;
    constexpr std::uint8_t kEoi = 0xd9;
    constexpr std::uint8_t kSos = 0xda;
    constexpr std::uint8_t kSof0 = 0xc0;
    constexpr std::uint8_t kSof15 = 0xcf;
    constexpr std::uint8_t kDht = 0xc4;
    constexpr std::uint8_t kJpg = 0xc8;
    constexpr std::uint8_t kDac = 0xcc;
    std::uint64_t at = 2;  // after SOI
    for (;;) {
        if (h.byte(at) != kMarker)
            h.bad("expected a marker at byte " + std::to_string(at));
        while (h.byte(at) == kMarker)  // fill bytes
            ++at;
        const std::uint8_t m = h.byte(at);
        ++at;
        if (m == kSoi || m == kTem || (m >= kRst0 && m <= kRst7))
            continue;
        if (m == kEoi || m == kSos)
            h.bad("no frame header before the image data");
        const std::uint64_t length = h.big(at, 2);
        if (length < 2)
            h.bad("segment length below 2");
        if (m >= kSof0 && m <= kSof15 && m != kDht && m != kJpg && m != kDac) {
            // Frame header: length (2), precision (1), height (2), width (2).
            return checked(h, "JPEG", h.big(at + 5, 2), h.big(at + 3, 2));
        }
        at += length;
    }
}

ImageHeader tiff(const HeaderBytes& h) {
    constexpr std::uint64_t kClassic = 42;
    constexpr std::uint64_t kBig = 43;
    constexpr std::uint64_t kTagWidth = 256;
    constexpr std::uint64_t kTagHeight = 257;
    constexpr std::uint64_t kTypeShort = 3;
    constexpr std::uint64_t kTypeLong = 4;
    constexpr std::uint64_t kTypeLong8 = 16;
    const bool be = h.byte(0) == 'M';
    const std::uint64_t version = h.read(2, 2, be);
    if (version != kClassic && version != kBig)
        h.bad("unknown version " + std::to_string(version));
    const bool big = version == kBig;
    // Classic: IFD offset at 4 (4 bytes), 2-byte entry count, 12-byte entries with a 4-byte value.
    // BigTIFF: offset size 8 at 4, IFD offset at 8, 8-byte count, 20-byte entries, 8-byte value.
    const std::uint64_t ifd = big ? h.read(8, 8, be) : h.read(4, 4, be);
    const unsigned count_bytes = big ? 8 : 2;
    const std::uint64_t entry_bytes = big ? 20 : 12;
    const std::uint64_t value_at = big ? 12 : 8;
    const std::uint64_t entries = h.read(ifd, count_bytes, be);
    if (entries > h.size() / entry_bytes)
        h.bad("more directory entries than the file holds");
    std::uint64_t width = 0;
    std::uint64_t height = 0;
    for (std::uint64_t e = 0; e < entries; ++e) {
        const std::uint64_t at = ifd + count_bytes + e * entry_bytes;
        const std::uint64_t tag = h.read(at, 2, be);
        if (tag != kTagWidth && tag != kTagHeight)
            continue;
        const std::uint64_t type = h.read(at + 2, 2, be);
        std::uint64_t v = 0;
        if (type == kTypeShort)
            v = h.read(at + value_at, 2, be);
        else if (type == kTypeLong)
            v = h.read(at + value_at, 4, be);
        else if (type == kTypeLong8 && big)
            v = h.read(at + value_at, 8, be);
        else
            h.bad("image size tag of type " + std::to_string(type));
        (tag == kTagWidth ? width : height) = v;
    }
    if (width == 0 && height == 0)
        h.bad("no image width and length in the first directory");
    return checked(h, "TIFF", width, height);
}

ImageHeader bmp(const HeaderBytes& h) {
    constexpr std::uint64_t kInfoSize = 14;
    constexpr std::uint64_t kCoreHeader = 12;
    constexpr std::uint64_t kWidth = 18;
    const std::uint64_t info = h.little(kInfoSize, 4);
    if (info == kCoreHeader)
        return checked(h, "BMP", h.little(kWidth, 2), h.little(kWidth + 2, 2));
    const auto width = static_cast<std::int32_t>(static_cast<std::uint32_t>(h.little(kWidth, 4)));
    const auto height =
        static_cast<std::int32_t>(static_cast<std::uint32_t>(h.little(kWidth + 4, 4)));
    if (width <= 0 || height == std::numeric_limits<std::int32_t>::min())
        h.bad("invalid width or height");
    // A negative height marks a top-down bitmap.
    const std::int64_t rows = height < 0 ? -std::int64_t{height} : std::int64_t{height};
    return checked(h, "BMP", static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(rows));
}

ImageHeader pnm(const HeaderBytes& h) {
    constexpr int kMaxDigits = 10;
    std::uint64_t at = 2;
    const auto number = [&]() -> std::uint64_t {
        // Whitespace and comments (from '#' to the end of the line) separate the fields.
        for (;;) {
            const std::uint8_t c = h.byte(at);
            if (c == '#') {
                while (h.byte(at) != '\n' && h.byte(at) != '\r')
                    ++at;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
                ++at;
            } else {
                break;
            }
        }
        std::uint64_t v = 0;
        int digits = 0;
        while (h.byte(at) >= '0' && h.byte(at) <= '9') {
            if (++digits > kMaxDigits)
                h.bad("number too long");
            v = v * 10 + static_cast<std::uint64_t>(h.byte(at) - '0');
            ++at;
        }
        if (digits == 0)
            h.bad("expected a number at byte " + std::to_string(at));
        return v;
    };
    const std::uint64_t width = number();
    const std::uint64_t height = number();
    return checked(h, "PNM", width, height);
}

}  // namespace

ImageHeader readImageHeader(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
    constexpr std::string_view kPng = "\x89PNG\r\n\x1a\n";
    if (startsWith(bytes, size, kPng))
        return png(HeaderBytes(bytes, size, name, "PNG"));
    if (startsWith(bytes, size, "\xff\xd8"))
        return jpeg(HeaderBytes(bytes, size, name, "JPEG"));
    if (startsWith(bytes, size, "II") || startsWith(bytes, size, "MM"))
        return tiff(HeaderBytes(bytes, size, name, "TIFF"));
    if (startsWith(bytes, size, "BM"))
        return bmp(HeaderBytes(bytes, size, name, "BMP"));
    if (size >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '6')
        return pnm(HeaderBytes(bytes, size, name, "PNM"));
    fail(name, "not a PNG, JPEG, TIFF, BMP or PGM file");
}

}  // namespace stdp
