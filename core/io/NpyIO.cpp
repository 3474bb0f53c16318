#include "io/NpyIO.h"

#include "foundation/FileBytes.h"

#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>

#include "foundation/Settings.h"

namespace stdp {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLength = sizeof(kMagic) - 1;
constexpr std::size_t kVersionBytes = 2;
constexpr std::size_t kHeaderLength1 = 2;  // version 1.0: uint16 header length
constexpr std::size_t kHeaderLength2 = 4;  // versions 2.0 and 3.0: uint32 header length
constexpr std::size_t kAlignment = 64;
constexpr std::size_t kMaxHeaderLength1 = std::numeric_limits<std::uint16_t>::max();
constexpr std::size_t kFloat32Bytes = 4;
constexpr std::size_t kFloat64Bytes = 8;
constexpr unsigned kByteBits = 8;
// numpy writes a dict holding one tuple (depth 2); deeper nesting is hostile, and the parser
// recurses once per level, so the depth bounds its stack.
constexpr int kMaxNesting = 8;
// numpy itself refuses headers over 10,000 bytes by default; ours are far below this.
constexpr std::size_t kMaxHeaderLength = std::size_t{1} << 20;

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
    throw UserError(name + ": " + problem);
}

std::uint64_t readLittleEndian(const std::uint8_t* p, std::size_t bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i)
        v |= std::uint64_t{p[i]} << (kByteBits * i);
    return v;
}

// The header is a Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False,
// 'shape': (3, 4), }. This parses the subset of Python literals numpy writes there.
struct HeaderValue {
    enum class Kind { String, Bool, Int, Tuple, Other } kind = Kind::Other;
    std::string text;
    bool flag = false;
    std::uint64_t number = 0;
    std::vector<HeaderValue> items;
};

class HeaderParser {
  public:
    HeaderParser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

    std::vector<std::pair<std::string, HeaderValue>> parseDict() {
        const Nesting nesting(*this);
        std::vector<std::pair<std::string, HeaderValue>> dict;
        expect('{');
        for (;;) {
            skipSpace();
            if (peek() == '}')
                break;
            HeaderValue key = parseValue();
            if (key.kind != HeaderValue::Kind::String)
                bad("dictionary key is not a string");
            expect(':');
            dict.emplace_back(key.text, parseValue());
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != '}')
                bad("expected ',' or '}'");
        }
        ++pos_;
        return dict;
    }

  private:
    // One level of dict or sequence; refuses to go deeper than kMaxNesting.
    class Nesting {
      public:
        explicit Nesting(HeaderParser& p) : p_(p) {
            if (++p_.depth_ > kMaxNesting)
                p_.bad("nested deeper than " + std::to_string(kMaxNesting) + " levels");
        }
        ~Nesting() { --p_.depth_; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

      private:
        HeaderParser& p_;
    };

    [[noreturn]] void bad(const std::string& what) const {
        fail(name_,
             "malformed .npy header (" + what + " at character " + std::to_string(pos_) + ")");
    }

    void skipSpace() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
            ++pos_;
    }

    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

    void expect(char c) {
        skipSpace();
        if (peek() != c)
            bad(std::string("expected '") + c + "'");
        ++pos_;
    }

    HeaderValue parseValue() {
        skipSpace();
        const char c = peek();
        if (c == '\'' || c == '"')
            return parseString();
        if (c == '(' || c == '[')
            return parseSequence(c == '(' ? ')' : ']');
        if (c == '{') {
            // Nested dicts only occur in structured dtypes, which are rejected later anyway.
            HeaderValue v;
            parseDict();
            return v;
        }
        if (std::isdigit(static_cast<unsigned char>(c)))
            return parseInt();
        if (std::isalpha(static_cast<unsigned char>(c)))
            return parseWord();
        bad("unexpected character");
    }

    HeaderValue parseString() {
        const char quote = s_[pos_++];
        HeaderValue v;
        v.kind = HeaderValue::Kind::String;
        while (pos_ < s_.size() && s_[pos_] != quote) {
            if (s_[pos_] == '\\' && pos_ + 1 < s_.size())
                ++pos_;
            v.text += s_[pos_++];
        }
        if (pos_ >= s_.size())
            bad("unterminated string");
        ++pos_;
        return v;
    }

    HeaderValue parseSequence(char close) {
        const Nesting nesting(*this);
        ++pos_;
        HeaderValue v;
        v.kind = close == ')' ? HeaderValue::Kind::Tuple : HeaderValue::Kind::Other;
        for (;;) {
            skipSpace();
            if (peek() == close)
                break;
            v.items.push_back(parseValue());
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != close)
                bad(std::string("expected ',' or '") + close + "'");
        }
        ++pos_;
        return v;
    }

    HeaderValue parseInt() {
        constexpr std::uint64_t kBase = 10;
        HeaderValue v;
        v.kind = HeaderValue::Kind::Int;
        while (std::isdigit(static_cast<unsigned char>(peek()))) {
            const auto digit = static_cast<std::uint64_t>(s_[pos_++] - '0');
            if (v.number > (std::numeric_limits<std::uint64_t>::max() - digit) / kBase)
                bad("number too large");
            v.number = v.number * kBase + digit;
        }
        // numpy on some platforms wrote shapes as Python 2 longs, e.g. (3L, 4L).
        if (peek() == 'L')
            ++pos_;
        return v;
    }

    HeaderValue parseWord() {
        std::string word;
        while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')
            word += s_[pos_++];
        HeaderValue v;
        if (word == "True" || word == "False") {
            v.kind = HeaderValue::Kind::Bool;
            v.flag = word == "True";
        }
        return v;
    }

    std::string_view s_;
    const std::string& name_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

struct Header {
    std::size_t item_bytes = 0;
    bool fortran = false;
    std::vector<std::size_t> shape;
};

Header interpretHeader(std::string_view text, const std::string& name) {
    const auto dict = HeaderParser(text, name).parseDict();
    const HeaderValue* descr = nullptr;
    const HeaderValue* fortran = nullptr;
    const HeaderValue* shape = nullptr;
    for (const auto& [key, value] : dict) {
        if (key == "descr")
            descr = &value;
        if (key == "fortran_order")
            fortran = &value;
        if (key == "shape")
            shape = &value;
    }
    if (!descr || !fortran || !shape)
        fail(name, "malformed .npy header (needs 'descr', 'fortran_order' and 'shape')");

    Header h;
    if (descr->kind != HeaderValue::Kind::String)
        fail(name, "unsupported dtype (structured arrays are not supported; need '<f4' or '<f8')");
    if (descr->text == "<f4") {
        h.item_bytes = kFloat32Bytes;
    } else if (descr->text == "<f8") {
        h.item_bytes = kFloat64Bytes;
    } else {
        const bool big_endian = !descr->text.empty() && descr->text[0] == '>';
        fail(name, "unsupported dtype '" + descr->text + "'" + (big_endian ? " (big-endian)" : "") +
                       "; only little-endian float32 '<f4' and float64 '<f8' are supported");
    }
    if (fortran->kind != HeaderValue::Kind::Bool)
        fail(name, "malformed .npy header ('fortran_order' is not True or False)");
    h.fortran = fortran->flag;
    if (shape->kind != HeaderValue::Kind::Tuple)
        fail(name, "malformed .npy header ('shape' is not a tuple)");
    for (const auto& d : shape->items) {
        if (d.kind != HeaderValue::Kind::Int)
            fail(name, "malformed .npy header ('shape' holds a non-integer)");
        if (d.number > std::numeric_limits<std::size_t>::max())
            fail(name, "array dimension too large");
        h.shape.push_back(static_cast<std::size_t>(d.number));
    }
    return h;
}

// Element count with an overflow check; also bounded so that count * 8 bytes fits.
std::size_t elementCount(const std::vector<std::size_t>& shape, const std::string& name) {
    const std::size_t limit = std::numeric_limits<std::size_t>::max() / kFloat64Bytes;
    std::size_t n = 1;
    for (auto d : shape) {
        if (d != 0 && n > limit / d)
            fail(name, "array shape too large");
        n *= d;
    }
    return n;
}

double decodeElement(const std::uint8_t* p, std::size_t item_bytes) {
    const std::uint64_t bits = readLittleEndian(p, item_bytes);
    if (item_bytes == kFloat32Bytes)
        return double(std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
    return std::bit_cast<double>(bits);
}

// Column-major (first index fastest) to row-major; the odometer walks the Fortran order.
std::vector<double> fortranToC(const std::vector<double>& f,
                               const std::vector<std::size_t>& shape) {
    std::vector<double> c(f.size());
    const std::size_t ndim = shape.size();
    std::vector<std::size_t> c_stride(ndim, 1);
    for (std::size_t k = ndim; k-- > 1;)
        c_stride[k - 1] = c_stride[k] * shape[k];
    std::vector<std::size_t> index(ndim, 0);
    std::size_t offset = 0;
    for (double value : f) {
        c[offset] = value;
        for (std::size_t k = 0; k < ndim; ++k) {
            ++index[k];
            offset += c_stride[k];
            if (index[k] < shape[k])
                break;
            offset -= index[k] * c_stride[k];
            index[k] = 0;
        }
    }
    return c;
}

std::string shapeTuple(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    // A one-element tuple needs the trailing comma in Python.
    if (shape.size() == 1)
        s += ",";
    return s + ")";
}

void appendLittleEndian(std::string& out, std::uint64_t v, std::size_t bytes) {
    constexpr std::uint64_t kByteMask = 0xff;
    for (std::size_t i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((v >> (kByteBits * i)) & kByteMask));
}

template <typename T>
void writeNpyImpl(const std::string& path, const std::vector<std::size_t>& shape, const T* data,
                  NpyDtype dtype) {
    const std::size_t n = elementCount(shape, path);
    const bool f32 = dtype == NpyDtype::Float32;
    std::string dict = std::string("{'descr': '") + (f32 ? "<f4" : "<f8") +
                       "', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";

    // Pad with spaces and a final newline so that the data start on a 64-byte boundary.
    const auto padded = [&](std::size_t length_bytes) {
        const std::size_t fixed = kMagicLength + kVersionBytes + length_bytes;
        const std::size_t unpadded = fixed + dict.size() + 1;
        return dict.size() + 1 + (kAlignment - unpadded % kAlignment) % kAlignment;
    };
    std::size_t header_len = padded(kHeaderLength1);
    const bool version2 = header_len > kMaxHeaderLength1;
    if (version2)
        header_len = padded(kHeaderLength2);

    std::string out(kMagic, kMagicLength);
    out.push_back(static_cast<char>(version2 ? 2 : 1));
    out.push_back('\0');
    appendLittleEndian(out, header_len, version2 ? kHeaderLength2 : kHeaderLength1);
    out += dict;
    out.append(header_len - dict.size() - 1, ' ');
    out.push_back('\n');

    const std::size_t item = f32 ? kFloat32Bytes : kFloat64Bytes;
    out.reserve(out.size() + n * item);
    for (std::size_t i = 0; i < n; ++i) {
        if (f32)
            appendLittleEndian(out, std::bit_cast<std::uint32_t>(static_cast<float>(data[i])),
                               item);
        else
            appendLittleEndian(out, std::bit_cast<std::uint64_t>(static_cast<double>(data[i])),
                               item);
    }

    detail::writeFileBytes(path, out.data(), out.size());
}

}  // namespace

NpyArray readNpy(const std::string& path) {
    const std::vector<std::uint8_t> bytes =
        detail::readFileBytes(path, "a .npy file", kMaxNpyFileBytes);
    return readNpyBytes(bytes.data(), bytes.size(), path);
}

NpyArray readNpyBytes(const std::uint8_t* bytes, std::size_t size, const std::string& path) {
    if (size < kMagicLength + kVersionBytes || std::memcmp(bytes, kMagic, kMagicLength) != 0)
        fail(path, "not a .npy file (bad magic bytes)");
    const std::uint8_t major = bytes[kMagicLength];
    constexpr std::uint8_t kMaxMajor = 3;
    if (major < 1 || major > kMaxMajor)
        fail(path, "unsupported .npy format version " + std::to_string(major) + "." +
                       std::to_string(bytes[kMagicLength + 1]));
    const std::size_t length_bytes = major == 1 ? kHeaderLength1 : kHeaderLength2;
    const std::size_t header_start = kMagicLength + kVersionBytes + length_bytes;
    if (size < header_start)
        fail(path, "truncated .npy header");
    const auto header_len = static_cast<std::size_t>(
        readLittleEndian(&bytes[kMagicLength + kVersionBytes], length_bytes));
    if (header_len > kMaxHeaderLength)
        fail(path, "malformed .npy header (" + std::to_string(header_len) +
                       " bytes long; at most " + std::to_string(kMaxHeaderLength) + ")");
    if (size - header_start < header_len)
        fail(path, "truncated .npy header");

    const std::string_view header_text(reinterpret_cast<const char*>(&bytes[header_start]),
                                       header_len);
    const Header h = interpretHeader(header_text, path);
    const std::size_t n = elementCount(h.shape, path);
    const std::size_t data_start = header_start + header_len;
    const std::size_t expected = n * h.item_bytes;
    const std::size_t got = size - data_start;
    if (got < expected)
        fail(path, "truncated .npy data (expected " + std::to_string(expected) + " bytes, got " +
                       std::to_string(got) + ")");
    if (got > expected)
        fail(path, std::to_string(got - expected) + " trailing bytes after the .npy data (shape " +
                       shapeTuple(h.shape) + ")");

    NpyArray array;
    array.shape = h.shape;
    array.data.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double v = decodeElement(&bytes[data_start + i * h.item_bytes], h.item_bytes);
        if (!std::isfinite(v))
            fail(path,
                 "contains NaN or infinite values (first at element " + std::to_string(i) + ")");
        array.data[i] = v;
    }
    if (h.fortran && h.shape.size() > 1)
        array.data = fortranToC(array.data, h.shape);
    return array;
}

void writeNpy(const std::string& path, const std::vector<std::size_t>& shape, const double* data,
              NpyDtype dtype) {
    writeNpyImpl(path, shape, data, dtype);
}

void writeNpy(const std::string& path, const std::vector<std::size_t>& shape, const float* data,
              NpyDtype dtype) {
    writeNpyImpl(path, shape, data, dtype);
}

}  // namespace stdp
