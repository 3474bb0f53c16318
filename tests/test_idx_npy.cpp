// Tests of the binary readers and writers: IDX (plain and gzipped) and .npy files.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "TestFiles.h"
#include "data/IdxReader.h"
#include "foundation/Settings.h"
#include "io/NpyIO.h"

namespace fs = std::filesystem;
using stdp::UserError;
using namespace stdp::testing;

namespace {

stdp::IdxArray sampleIdx() {
    constexpr std::uint32_t kN = 3;
    constexpr std::uint32_t kRows = 4;
    constexpr std::uint32_t kCols = 5;
    stdp::IdxArray a;
    a.dims = {kN, kRows, kCols};
    a.data.resize(kN * kRows * kCols);
    std::iota(a.data.begin(), a.data.end(), std::uint8_t{7});
    return a;
}

// A plain IDX byte stream with a free header, for malformed-file tests.
std::vector<std::uint8_t> idxBytes(std::uint8_t type, const std::vector<std::uint32_t>& dims,
                                   std::size_t data_bytes) {
    std::vector<std::uint8_t> b = {0, 0, type, static_cast<std::uint8_t>(dims.size())};
    for (auto d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            b.push_back(static_cast<std::uint8_t>((d >> shift) & 0xffu));
    b.resize(b.size() + data_bytes, 0x2a);
    return b;
}

// Hand-written .npy with the given header dict (padded as numpy does) and raw data.
std::vector<std::uint8_t> npyBytes(const std::string& dict, const std::vector<std::uint8_t>& data,
                                   std::uint8_t major = 1) {
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    std::string header = dict;
    const std::size_t fixed = 6 + 2 + length_bytes;
    while ((fixed + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::vector<std::uint8_t> b = {0x93, 'N', 'U', 'M', 'P', 'Y', major, 0};
    for (std::size_t i = 0; i < length_bytes; ++i)
        b.push_back(static_cast<std::uint8_t>((header.size() >> (8 * i)) & 0xffu));
    b.insert(b.end(), header.begin(), header.end());
    b.insert(b.end(), data.begin(), data.end());
    return b;
}

template <typename T>
std::vector<std::uint8_t> rawBytes(const std::vector<T>& values) {
    std::vector<std::uint8_t> b(values.size() * sizeof(T));
    std::memcpy(b.data(), values.data(), b.size());
    return b;
}

}  // namespace

// ---------------------------------------------------------------- IDX

TEST(Idx, PlainRoundTrip) {
    TempDir dir;
    const auto a = sampleIdx();
    stdp::writeIdx(dir.file("a.idx"), a);
    const auto b = stdp::readIdx(dir.file("a.idx"));
    EXPECT_EQ(b.type, 0x08);
    EXPECT_EQ(b.dims, a.dims);
    EXPECT_EQ(b.data, a.data);
    // Header: magic 00 00 08 03, then big-endian dimensions.
    const auto bytes = readBytes(dir.file("a.idx"));
    ASSERT_EQ(bytes.size(), 16u + a.data.size());
    EXPECT_EQ(bytes[3], 3);
    EXPECT_EQ(bytes[7], 3);
    EXPECT_EQ(bytes[11], 4);
    EXPECT_EQ(bytes[15], 5);
}

TEST(Idx, GzipRoundTripDetectedByMagic) {
    TempDir dir;
    const auto a = sampleIdx();
    stdp::writeIdx(dir.file("a.idx"), a);
    // No .gz suffix on purpose: detection is by magic bytes.
    writeBytes(dir.file("compressed.bin"), gzipBytes(readBytes(dir.file("a.idx"))));
    const auto b = stdp::readIdx(dir.file("compressed.bin"));
    EXPECT_EQ(b.dims, a.dims);
    EXPECT_EQ(b.data, a.data);
}

TEST(Idx, LargeGzipAndFromMemory) {
    stdp::IdxArray a;
    a.dims = {1000, 28, 28};
    a.data.resize(1000 * 28 * 28);
    std::mt19937 rng(3);
    for (auto& v : a.data)
        v = static_cast<std::uint8_t>(rng() % 4);
    TempDir dir;
    stdp::writeIdx(dir.file("big.idx"), a);
    const auto gz = gzipBytes(readBytes(dir.file("big.idx")));
    const auto b = stdp::readIdxBytes(gz.data(), gz.size(), "memory");
    EXPECT_EQ(b.dims, a.dims);
    EXPECT_EQ(b.data, a.data);
}

TEST(Idx, TruncatedData) {
    TempDir dir;
    writeBytes(dir.file("train-images.idx"), idxBytes(0x08, {10, 28, 28}, 1000));
    expectUserError([&] { stdp::readIdx(dir.file("train-images.idx")); },
                    {"train-images.idx", "truncated IDX data", "expected 7840 bytes, got 1000"});
}

TEST(Idx, TruncatedGzip) {
    TempDir dir;
    auto gz = gzipBytes(idxBytes(0x08, {100, 28, 28}, 100 * 28 * 28));
    gz.resize(gz.size() / 2);
    writeBytes(dir.file("cut.gz"), gz);
    expectUserError([&] { stdp::readIdx(dir.file("cut.gz")); }, {"cut.gz", "truncated"});
}

TEST(Idx, CorruptGzip) {
    TempDir dir;
    auto gz = gzipBytes(idxBytes(0x08, {100, 28, 28}, 100 * 28 * 28));
    for (std::size_t i = 10; i < 40 && i < gz.size(); ++i)
        gz[i] ^= 0x5a;
    writeBytes(dir.file("bad.gz"), gz);
    expectUserError([&] { stdp::readIdx(dir.file("bad.gz")); }, {"bad.gz"});
}

TEST(Idx, TruncatedHeader) {
    TempDir dir;
    auto b = idxBytes(0x08, {10, 28, 28}, 0);
    b.resize(9);
    writeBytes(dir.file("h.idx"), b);
    expectUserError([&] { stdp::readIdx(dir.file("h.idx")); }, {"h.idx", "truncated IDX header"});
}

TEST(Idx, BadMagic) {
    TempDir dir;
    auto b = idxBytes(0x08, {4}, 4);
    b[0] = 0x12;
    writeBytes(dir.file("magic.idx"), b);
    expectUserError([&] { stdp::readIdx(dir.file("magic.idx")); }, {"magic.idx", "magic"});
}

TEST(Idx, WrongType) {
    TempDir dir;
    writeBytes(dir.file("float.idx"), idxBytes(0x0D, {4}, 16));
    expectUserError([&] { stdp::readIdx(dir.file("float.idx")); },
                    {"float.idx", "unsupported IDX data type 0x0d"});
}

TEST(Idx, TrailingBytes) {
    TempDir dir;
    writeBytes(dir.file("long.idx"), idxBytes(0x08, {2, 3}, 6 + 5));
    expectUserError([&] { stdp::readIdx(dir.file("long.idx")); }, {"long.idx", "5 trailing bytes"});
}

TEST(Idx, BadDimensions) {
    TempDir dir;
    writeBytes(dir.file("zero.idx"), idxBytes(0x08, {5, 0}, 0));
    expectUserError([&] { stdp::readIdx(dir.file("zero.idx")); }, {"zero.idx", "zero"});
    writeBytes(dir.file("five.idx"), idxBytes(0x08, {1, 1, 1, 1, 1}, 1));
    expectUserError([&] { stdp::readIdx(dir.file("five.idx")); }, {"five.idx", "dimensions 5"});
    writeBytes(dir.file("none.idx"), idxBytes(0x08, {}, 1));
    expectUserError([&] { stdp::readIdx(dir.file("none.idx")); }, {"none.idx", "dimensions 0"});
    // 2^32-1 cubed would overflow a naive 64-bit product.
    writeBytes(dir.file("huge.idx"), idxBytes(0x08, {0xffffffffu, 0xffffffffu, 0xffffffffu}, 8));
    expectUserError([&] { stdp::readIdx(dir.file("huge.idx")); }, {"huge.idx", "too large"});
}

TEST(Idx, MissingFile) {
    expectUserError([] { stdp::readIdx("/nonexistent/dir/x-images-idx3-ubyte.gz"); },
                    {"x-images-idx3-ubyte.gz", "not found"});
}

// ---------------------------------------------------------------- NPY

TEST(Npy, RoundTripFloat32) {
    TempDir dir;
    const std::vector<std::size_t> shape = {2, 3, 4};
    std::vector<float> values(24);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = 0.25f * float(i) - 2.0f;
    stdp::writeNpy(dir.file("a.npy"), shape, values.data(), stdp::NpyDtype::Float32);
    const auto bytes = readBytes(dir.file("a.npy"));
    EXPECT_EQ((bytes.size() - values.size() * 4) % 64, 0u);  // data start 64-byte aligned
    const auto a = stdp::readNpy(dir.file("a.npy"));
    EXPECT_EQ(a.shape, shape);
    ASSERT_EQ(a.data.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        EXPECT_EQ(a.data[i], double(values[i]));
}

TEST(Npy, RoundTripFloat64AndHeaderLayout) {
    TempDir dir;
    const std::vector<std::size_t> shape = {5};
    const std::vector<double> values = {1.0 / 3.0, -2.5, 1e-300, 7.0, 0.0};
    stdp::writeNpy(dir.file("b.npy"), shape, values.data(), stdp::NpyDtype::Float64);
    const auto bytes = readBytes(dir.file("b.npy"));
    ASSERT_GE(bytes.size(), 10u);
    EXPECT_EQ(bytes[6], 1);  // version 1.0
    EXPECT_EQ(bytes[7], 0);
    const std::size_t header_len = bytes[8] | (std::size_t{bytes[9]} << 8);
    EXPECT_EQ((10 + header_len) % 64, 0u);
    const std::string header(bytes.begin() + 10, bytes.begin() + 10 + std::ptrdiff_t(header_len));
    EXPECT_NE(header.find("'descr': '<f8'"), std::string::npos) << header;
    EXPECT_NE(header.find("'shape': (5,)"), std::string::npos) << header;
    EXPECT_EQ(header.back(), '\n');
    EXPECT_EQ(bytes.size(), 10 + header_len + values.size() * 8);
    const auto a = stdp::readNpy(dir.file("b.npy"));
    EXPECT_EQ(a.shape, shape);
    EXPECT_EQ(a.data, values);  // bit-exact for float64
}

TEST(Npy, DoubleWrittenAsFloat32AndScalar) {
    TempDir dir;
    const std::vector<double> values = {0.1, 0.2};
    stdp::writeNpy(dir.file("c.npy"), {2, 1}, values.data(), stdp::NpyDtype::Float32);
    const auto a = stdp::readNpy(dir.file("c.npy"));
    EXPECT_EQ(a.shape, (std::vector<std::size_t>{2, 1}));
    EXPECT_EQ(a.data[0], double(0.1f));
    EXPECT_EQ(a.data[1], double(0.2f));
    const double scalar = 4.5;
    stdp::writeNpy(dir.file("s.npy"), {}, &scalar, stdp::NpyDtype::Float64);
    const auto s = stdp::readNpy(dir.file("s.npy"));
    EXPECT_TRUE(s.shape.empty());
    ASSERT_EQ(s.data.size(), 1u);
    EXPECT_EQ(s.data[0], 4.5);
}

TEST(Npy, FortranOrderIsConvertedToC) {
    TempDir dir;
    // The 2x3 matrix [[1 2 3] [4 5 6]] stored column by column.
    const std::vector<double> fortran = {1, 4, 2, 5, 3, 6};
    writeBytes(
        dir.file("f.npy"),
        npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", rawBytes(fortran)));
    const auto a = stdp::readNpy(dir.file("f.npy"));
    EXPECT_EQ(a.shape, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(a.data, (std::vector<double>{1, 2, 3, 4, 5, 6}));

    // 3-d: element (i, j, k) of shape (2, 3, 4) has value 100 i + 10 j + k.
    std::vector<float> f3;
    for (int k = 0; k < 4; ++k)
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < 2; ++i)
                f3.push_back(float(100 * i + 10 * j + k));
    writeBytes(dir.file("f3.npy"),
               npyBytes("{\"shape\": (2, 3, 4), \"fortran_order\": True, \"descr\": \"<f4\"}",
                        rawBytes(f3)));
    const auto b = stdp::readNpy(dir.file("f3.npy"));
    ASSERT_EQ(b.data.size(), 24u);
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 4; ++k)
                EXPECT_EQ(b.data[std::size_t(i * 12 + j * 4 + k)], 100 * i + 10 * j + k);
}

TEST(Npy, Version2Header) {
    TempDir dir;
    const std::vector<float> v = {1.5f, 2.5f};
    writeBytes(
        dir.file("v2.npy"),
        npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", rawBytes(v), 2));
    const auto a = stdp::readNpy(dir.file("v2.npy"));
    EXPECT_EQ(a.data, (std::vector<double>{1.5, 2.5}));
}

TEST(Npy, BadMagic) {
    TempDir dir;
    writeText(dir.file("x.npy"), "PK\x03\x04 this is a zip, not npy");
    expectUserError([&] { stdp::readNpy(dir.file("x.npy")); }, {"x.npy", "magic"});
}

TEST(Npy, Truncated) {
    TempDir dir;
    const std::vector<double> v = {1, 2, 3, 4};
    auto b = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", rawBytes(v));
    b.resize(b.size() - 5);
    writeBytes(dir.file("t.npy"), b);
    expectUserError([&] { stdp::readNpy(dir.file("t.npy")); }, {"t.npy", "truncated"});
    b.resize(20);  // cut inside the header
    writeBytes(dir.file("th.npy"), b);
    expectUserError([&] { stdp::readNpy(dir.file("th.npy")); }, {"th.npy", "truncated"});
    // Trailing data beyond the shape is an error too.
    auto longer =
        npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", rawBytes(v));
    writeBytes(dir.file("l.npy"), longer);
    expectUserError([&] { stdp::readNpy(dir.file("l.npy")); }, {"l.npy", "trailing"});
}

TEST(Npy, UnsupportedDtypes) {
    TempDir dir;
    const std::vector<std::int32_t> ints = {1, 2};
    writeBytes(
        dir.file("i.npy"),
        npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", rawBytes(ints)));
    expectUserError([&] { stdp::readNpy(dir.file("i.npy")); }, {"i.npy", "'<i4'"});
    const std::vector<double> d = {1, 2};
    writeBytes(dir.file("be.npy"),
               npyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", rawBytes(d)));
    expectUserError([&] { stdp::readNpy(dir.file("be.npy")); }, {"be.npy", "'>f8'", "big-endian"});
    writeBytes(dir.file("rec.npy"),
               npyBytes("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }",
                        rawBytes(d)));
    expectUserError([&] { stdp::readNpy(dir.file("rec.npy")); }, {"rec.npy", "dtype"});
    writeBytes(dir.file("nokey.npy"), npyBytes("{'descr': '<f8', 'shape': (2,), }", rawBytes(d)));
    expectUserError([&] { stdp::readNpy(dir.file("nokey.npy")); }, {"nokey.npy", "header"});
    writeBytes(dir.file("junk.npy"), npyBytes("{'descr': '<f8', 'shape': (2,", rawBytes(d)));
    expectUserError([&] { stdp::readNpy(dir.file("junk.npy")); }, {"junk.npy", "header"});
}

TEST(Npy, RejectsNanAndInf) {
    TempDir dir;
    const std::vector<double> v = {1.0, std::numeric_limits<double>::quiet_NaN(), 3.0};
    writeBytes(dir.file("nan.npy"),
               npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", rawBytes(v)));
    expectUserError([&] { stdp::readNpy(dir.file("nan.npy")); }, {"nan.npy", "NaN"});
    const std::vector<float> f = {std::numeric_limits<float>::infinity()};
    writeBytes(dir.file("inf.npy"),
               npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", rawBytes(f)));
    expectUserError([&] { stdp::readNpy(dir.file("inf.npy")); }, {"inf.npy", "infinite"});
}

TEST(Npy, MissingFile) {
    expectUserError([] { stdp::readNpy("/nonexistent/weights.npy"); }, {"weights.npy"});
}

// ---------------------------------------------------------------- hostile and unlucky files

namespace {

// `header` then `zeros` zero bytes, gzipped by repeating one self-contained deflate block: a
// file of a few MB that inflates to gigabytes.
std::vector<std::uint8_t> zeroBomb(const std::vector<std::uint8_t>& header, std::uint64_t zeros) {
    constexpr std::size_t kBlock = std::size_t{1} << 20;
    const auto deflateBlock = [](const std::vector<std::uint8_t>& in, int flush) {
        z_stream zs{};
        EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
        std::vector<std::uint8_t> out(deflateBound(&zs, in.size()) + 64);
        zs.next_in = const_cast<Bytef*>(in.data());
        zs.avail_in = static_cast<uInt>(in.size());
        zs.next_out = out.data();
        zs.avail_out = static_cast<uInt>(out.size());
        deflate(&zs, flush);
        out.resize(out.size() - zs.avail_out);
        deflateEnd(&zs);
        return out;
    };
    std::vector<std::uint8_t> gz = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    const auto append = [&](const std::vector<std::uint8_t>& b) {
        gz.insert(gz.end(), b.begin(), b.end());
    };
    append(deflateBlock(header, Z_FULL_FLUSH));
    const auto block = deflateBlock(std::vector<std::uint8_t>(kBlock), Z_FULL_FLUSH);
    for (std::uint64_t k = 0; k < zeros / kBlock; ++k)
        append(block);
    append(deflateBlock({}, Z_FINISH));
    // The CRC is never reached by a reader that stops early; a full read checks it.
    uLong crc = crc32(0, header.data(), static_cast<uInt>(header.size()));
    const std::vector<std::uint8_t> z(kBlock);
    for (std::uint64_t k = 0; k < zeros / kBlock; ++k)
        crc = crc32(crc, z.data(), static_cast<uInt>(kBlock));
    const std::uint64_t total = header.size() + zeros;
    for (std::uint64_t v : {std::uint64_t{crc}, total})
        for (int i = 0; i < 4; ++i)
            gz.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xffu));
    return gz;
}

long peakKiB() {
    struct rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

TEST(Idx, OnlyTheSelectedItemsAreRead) {
    TempDir dir;
    const auto a = sampleIdx();  // 3 items of 4 x 5
    stdp::writeIdx(dir.file("a.idx"), a);
    writeBytes(dir.file("a.gz"), gzipBytes(readBytes(dir.file("a.idx"))));
    for (const char* name : {"a.idx", "a.gz"}) {
        const auto b = stdp::readIdx(dir.file(name), {1, 1});
        EXPECT_EQ(b.dims, a.dims) << name;
        EXPECT_EQ(b.first, 1u) << name;
        EXPECT_EQ(b.data, std::vector<std::uint8_t>(a.data.begin() + 20, a.data.begin() + 40));
        const auto tail = stdp::readIdx(dir.file(name), {2, 100});  // fewer if the file ends
        EXPECT_EQ(tail.data.size(), 20u) << name;
        EXPECT_TRUE(stdp::readIdx(dir.file(name), {5, 1}).data.empty()) << name;
    }
    expectUserError(
        [&] {
            stdp::readIdx(dir.file("a.idx"), {0, std::nullopt, 59});
        },
        {"a.idx", "more than the 59 bytes"});
}

TEST(Idx, GzipBombInflatesOnlyWhatIsAsked) {
    // A valid IDX at the 4 GiB limit, 65536 images of 256 x 256, in ~4 MB.
    const auto gz = zeroBomb(idxBytes(0x08, {65536, 256, 256}, 0), std::uint64_t{1} << 32);
    ASSERT_LT(gz.size(), 8u << 20);
    const long before = peakKiB();
    const auto five = stdp::readIdxBytes(gz.data(), gz.size(), "bomb", {0, 5});
    EXPECT_EQ(five.data.size(), 5u * 65536u);
    expectUserError([&] { stdp::readIdxBytes(gz.data(), gz.size(), "bomb"); },
                    {"bomb", "loaded at once"});
    EXPECT_LT(peakKiB() - before, 64 * 1024) << "KiB of peak memory taken by the bomb";
}

TEST(Idx, GzipLongerThanItsHeaderSays) {
    const auto gz = zeroBomb(idxBytes(0x08, {1, 28, 28}, 784), std::uint64_t{64} << 20);
    const long before = peakKiB();
    expectUserError([&] { stdp::readIdxBytes(gz.data(), gz.size(), "long.gz"); },
                    {"long.gz", "trailing bytes"});
    EXPECT_LT(peakKiB() - before, 16 * 1024);
}

TEST(Files, OnlyRegularFilesAreRead) {
    TempDir dir;
    ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0600), 0);
    fs::create_symlink("/dev/zero", dir.file("zero.npy"));
    // A FIFO with no writer would block a reader forever; a device never ends.
    expectUserError([&] { stdp::readIdx(dir.file("fifo")); }, {"fifo", "pipe"});
    expectUserError([&] { stdp::readNpy(dir.file("fifo")); }, {"fifo", "pipe"});
    expectUserError([&] { stdp::readIdx("/dev/zero"); }, {"/dev/zero", "device"});
    expectUserError([&] { stdp::readNpy(dir.file("zero.npy")); }, {"zero.npy", "device"});
    expectUserError([&] { stdp::readNpy(dir.path().string()); }, {"is a directory"});
}

TEST(Npy, DeepNestingIsRefusedWithoutRecursion) {
    const std::string deep(40000, '(');
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + deep +
                             std::string(40000, ')') + ", }";
    const auto bytes = npyBytes(dict, {}, 2);
    expectUserError([&] { stdp::readNpyBytes(bytes.data(), bytes.size(), "deep.npy"); },
                    {"deep.npy", "nested deeper than"});
    // numpy's own depth (a dict holding a tuple) still reads.
    const auto ok = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }",
                             rawBytes(std::vector<float>{0.5f}));
    EXPECT_EQ(stdp::readNpyBytes(ok.data(), ok.size(), "ok.npy").data.at(0), 0.5);
}

TEST(Idx, ShortGzipClaimingMuchTakesLittle) {
    // 34 bytes of gzip whose IDX header announces 720 MiB (a fuzzer's find): memory follows the
    // data that really arrive, not the header's claim.
    const auto header = idxBytes(0x08, {45, 4096, 4096}, 0);
    const auto gz = gzipBytes(header);
    const long before = peakKiB();
    expectUserError([&] { stdp::readIdxBytes(gz.data(), gz.size(), "claim.gz"); },
                    {"claim.gz", "truncated"});
    EXPECT_LT(peakKiB() - before, 16 * 1024);
}
