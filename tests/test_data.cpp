// Tests of the data layer: IDX and .npy files, the built-in MNIST digits, data SPECs, image folders
// and whitening.

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <numeric>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

#include "Dataset.h"
#include "IdxReader.h"
#include "NpyIO.h"
#include "Settings.h"

namespace fs = std::filesystem;
using stdp::UserError;

namespace {

// A fresh directory per test, removed afterwards.
class TempDir {
  public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() / ("stdp_test_data_" + std::to_string(::getpid()) + "_" +
                                             info->test_suite_name() + "_" + info->name());
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

std::vector<std::uint8_t> readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::vector<std::uint8_t> gzipBytes(const std::vector<std::uint8_t>& in) {
    constexpr int kGzipWindowBits = 16 + MAX_WBITS;
    constexpr int kMemLevel = 8;
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemLevel,
                           Z_DEFAULT_STRATEGY),
              Z_OK);
    std::vector<std::uint8_t> out(deflateBound(&zs, static_cast<uLong>(in.size())));
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// Runs `fn`, expects a UserError whose message contains every one of `parts`.
void expectUserError(const std::function<void()>& fn, const std::vector<std::string>& parts) {
    try {
        fn();
        ADD_FAILURE() << "no UserError thrown (expected one mentioning '" << parts.front() << "')";
    } catch (const UserError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find('\n'), std::string::npos) << "message is not one line: " << what;
        for (const auto& p : parts)
            EXPECT_NE(what.find(p), std::string::npos) << "'" << p << "' not in: " << what;
    }
}

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

double mean(const std::vector<float>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

double stddev(const std::vector<float>& v) {
    const double m = mean(v);
    double s = 0.0;
    for (float x : v)
        s += (x - m) * (x - m);
    return std::sqrt(s / double(v.size()));
}

stdp::Image noiseImage(int rows, int cols, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    stdp::Image img;
    img.rows = rows;
    img.cols = cols;
    img.pixels.resize(static_cast<std::size_t>(rows) * cols);
    for (auto& p : img.pixels)
        p = u(rng);
    return img;
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

// ---------------------------------------------------------------- built-in MNIST

TEST(BuiltinMnist, SizeShapeLabelsAndRange) {
    const stdp::ImageSet set = stdp::builtinMnist();
    ASSERT_EQ(set.size(), 2000u);
    EXPECT_EQ(stdp::builtinMnistSize(), 2000u);
    EXPECT_EQ(set.source, "builtin:mnist");
    EXPECT_FALSE(set.signed_values);
    ASSERT_EQ(set.labels.size(), 2000u);
    std::vector<int> per_class(10, 0);
    for (int l : set.labels) {
        ASSERT_GE(l, 0);
        ASSERT_LE(l, 9);
        ++per_class[std::size_t(l)];
    }
    for (int c : per_class)
        EXPECT_EQ(c, 200);
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(set.labels[std::size_t(i)], i);
    float lo = 1.0f;
    float hi = 0.0f;
    for (const auto& img : set.images) {
        ASSERT_EQ(img.rows, 28);
        ASSERT_EQ(img.cols, 28);
        ASSERT_EQ(img.pixels.size(), 784u);
        for (float p : img.pixels) {
            lo = std::min(lo, p);
            hi = std::max(hi, p);
        }
    }
    EXPECT_EQ(lo, 0.0f);
    EXPECT_EQ(hi, 1.0f);
    // A digit has ink but is mostly background.
    const double ink = mean(set.images[0].pixels);
    EXPECT_GT(ink, 0.02);
    EXPECT_LT(ink, 0.5);
}

TEST(BuiltinMnist, SpecSelectsSubsets) {
    const stdp::DataSettings data;  // whiten = true by default: must not touch MNIST
    const auto set = stdp::loadDataSpec("builtin:mnist", data, 13, 25);
    ASSERT_EQ(set.size(), 25u);
    EXPECT_EQ(set.source, "builtin:mnist");
    EXPECT_FALSE(set.signed_values);
    EXPECT_EQ(set.labels.front(), 3);
    const auto all = stdp::builtinMnist();
    EXPECT_EQ(set.images[0].pixels, all.images[13].pixels);
    const auto tail = stdp::loadDataSpec("builtin:mnist", data, 1990);
    EXPECT_EQ(tail.size(), 10u);
    const auto everything = stdp::loadDataSpec("builtin:mnist", data);
    EXPECT_EQ(everything.size(), 2000u);
}

// ---------------------------------------------------------------- data SPECs

TEST(DataSpec, Errors) {
    const stdp::DataSettings data;
    expectUserError([&] { stdp::loadDataSpec("mnist", data); },
                    {"mnist", "builtin:mnist", "idx:PATH", "images:DIR"});
    expectUserError([&] { stdp::loadDataSpec("builtin:cifar", data); }, {"builtin:cifar"});
    expectUserError([&] { stdp::loadDataSpec("idx:/nonexistent/t10k-images-idx3-ubyte", data); },
                    {"/nonexistent/t10k-images-idx3-ubyte", "not found"});
    expectUserError([&] { stdp::loadDataSpec("images:/nonexistent/folder", data); },
                    {"/nonexistent/folder"});
    expectUserError([&] { stdp::loadDataSpec("idx:", data); }, {"idx:"});
    expectUserError([&] { stdp::loadDataSpec("builtin:mnist", data, 2000); },
                    {"builtin:mnist has only 2000 images"});
}

TEST(DataSpec, IdxWithSiblingLabels) {
    TempDir dir;
    stdp::IdxArray images;
    images.dims = {4, 2, 3};
    images.data.resize(24);
    for (std::size_t i = 0; i < 24; ++i)
        images.data[i] = static_cast<std::uint8_t>(i * 10);
    stdp::IdxArray labels;
    labels.dims = {4};
    labels.data = {9, 8, 7, 6};
    stdp::writeIdx(dir.file("train-images-idx3-ubyte"), images);
    // The label file gzipped, as Fashion-MNIST ships it (detected by content, not by name).
    stdp::writeIdx(dir.file("labels.tmp"), labels);
    writeBytes(dir.file("train-labels-idx1-ubyte"), gzipBytes(readBytes(dir.file("labels.tmp"))));

    const stdp::DataSettings data;
    const std::string spec = "idx:" + dir.file("train-images-idx3-ubyte");
    const auto set = stdp::loadDataSpec(spec, data, 1, 2);
    EXPECT_EQ(set.source, spec);
    EXPECT_FALSE(set.signed_values);
    ASSERT_EQ(set.size(), 2u);
    EXPECT_EQ(set.images[0].rows, 2);
    EXPECT_EQ(set.images[0].cols, 3);
    EXPECT_FLOAT_EQ(set.images[0].pixels[0], 60.0f / 255.0f);
    EXPECT_FLOAT_EQ(set.images[1].at(1, 2), 170.0f / 255.0f);  // image 2, pixel 5
    EXPECT_EQ(set.labels, (std::vector<int>{8, 7}));
    expectUserError([&] { stdp::loadDataSpec(spec, data, 4); }, {"has only 4 images"});

    // Without a sibling label file the set simply has no labels.
    stdp::writeIdx(dir.file("other-images.idx"), images);
    const auto unlabeled = stdp::loadDataSpec("idx:" + dir.file("other-images.idx"), data);
    EXPECT_EQ(unlabeled.size(), 4u);
    EXPECT_TRUE(unlabeled.labels.empty());

    // A label file of the wrong length is an error naming it.
    labels.dims = {3};
    labels.data = {1, 2, 3};
    stdp::writeIdx(dir.file("train-labels-idx1-ubyte"), labels);
    expectUserError([&] { stdp::loadDataSpec(spec, data); }, {"train-labels-idx1-ubyte"});

    // Labels are not images.
    expectUserError([&] { stdp::loadDataSpec("idx:" + dir.file("train-labels-idx1-ubyte"), data); },
                    {"3 dimensions"});
}

// ---------------------------------------------------------------- whitening

TEST(Whitening, ZeroMeanUnitVariance) {
    const auto img = noiseImage(40, 56, 7);
    const auto w = stdp::whitenImage(img, 0.4);
    EXPECT_EQ(w.rows, 40);
    EXPECT_EQ(w.cols, 56);
    EXPECT_NEAR(mean(w.pixels), 0.0, 1e-3);
    EXPECT_NEAR(stddev(w.pixels), 1.0, 1e-3);
    // Also on a real digit (odd image sizes handled too: 27 x 25 crop).
    const auto digit = stdp::builtinMnist().images[5];
    stdp::Image crop;
    crop.rows = 27;
    crop.cols = 25;
    for (int r = 0; r < crop.rows; ++r)
        for (int c = 0; c < crop.cols; ++c)
            crop.pixels.push_back(digit.at(r, c));
    const auto wd = stdp::whitenImage(crop, 0.4);
    EXPECT_NEAR(mean(wd.pixels), 0.0, 1e-3);
    EXPECT_NEAR(stddev(wd.pixels), 1.0, 1e-3);
    // A constant image has nothing to whiten.
    stdp::Image flat;
    flat.rows = flat.cols = 8;
    flat.pixels.assign(64, 0.5f);
    const auto wf = stdp::whitenImage(flat, 0.4);
    for (float p : wf.pixels)
        EXPECT_EQ(p, 0.0f);
}

TEST(Whitening, SpectrumFollowsFilter) {
    constexpr int kSize = 64;
    constexpr double kF0 = 0.4;
    constexpr int kBins = 8;  // radial bins of width 0.5 / kBins up to Nyquist
    std::vector<double> power(kBins, 0.0);
    std::vector<int> counts(kBins, 0);
    for (unsigned seed = 1; seed <= 8; ++seed) {
        const auto w = stdp::whitenImage(noiseImage(kSize, kSize, seed), kF0);
        cv::Mat m(kSize, kSize, CV_64F);
        for (int r = 0; r < kSize; ++r)
            for (int c = 0; c < kSize; ++c)
                m.at<double>(r, c) = w.at(r, c);
        cv::Mat spec;
        cv::dft(m, spec, cv::DFT_COMPLEX_OUTPUT);
        for (int u = 0; u < kSize; ++u)
            for (int v = 0; v < kSize; ++v) {
                const double fy = double(u < kSize / 2 ? u : u - kSize) / kSize;
                const double fx = double(v < kSize / 2 ? v : v - kSize) / kSize;
                const double f = std::hypot(fx, fy);
                const int bin = static_cast<int>(f / 0.5 * kBins);
                if (bin >= kBins)
                    continue;
                const auto z = spec.at<cv::Vec2d>(u, v);
                power[std::size_t(bin)] += z[0] * z[0] + z[1] * z[1];
                ++counts[std::size_t(bin)];
            }
    }
    std::vector<double> measured(kBins);
    std::vector<double> expected(kBins);
    for (int b = 0; b < kBins; ++b) {
        measured[std::size_t(b)] = power[std::size_t(b)] / counts[std::size_t(b)];
        const double f = (b + 0.5) * 0.5 / kBins;
        const double r = f * std::exp(-std::pow(f / kF0, 4.0));
        expected[std::size_t(b)] = r * r;
    }
    // Low frequencies are suppressed, mid frequencies pass.
    EXPECT_LT(measured[0] * 5.0, measured[3]);
    // Shape: measured / expected is roughly constant across bins (white input).
    const double ratio_mid = measured[4] / expected[4];
    for (int b = 1; b < kBins; ++b) {
        const double ratio = measured[std::size_t(b)] / expected[std::size_t(b)] / ratio_mid;
        EXPECT_GT(ratio, 0.5) << "bin " << b;
        EXPECT_LT(ratio, 2.0) << "bin " << b;
    }
}

// ---------------------------------------------------------------- image folders

TEST(ImageFolder, LoadsSortedGrayscale) {
    TempDir dir;
    cv::Mat a(3, 4, CV_8UC1, cv::Scalar(0));
    a.at<std::uint8_t>(1, 2) = 255;
    cv::Mat b(5, 2, CV_8UC3, cv::Scalar(51, 51, 51));  // colour file becomes gray
    cv::Mat c(2, 2, CV_16UC1, cv::Scalar(65535));
    c.at<std::uint16_t>(0, 0) = 0;
    ASSERT_TRUE(cv::imwrite(dir.file("b_second.png"), b));
    ASSERT_TRUE(cv::imwrite(dir.file("a_first.PNG"), a));
    ASSERT_TRUE(cv::imwrite(dir.file("c_third.png"), c));
    writeText(dir.file("notes.txt"), "not an image");
    fs::create_directory(dir.path() / "sub.png");  // a folder, not a file: ignored

    stdp::DataSettings data;
    data.whiten = false;
    const std::string spec = "images:" + dir.path().string();
    const auto set = stdp::loadDataSpec(spec, data);
    ASSERT_EQ(set.size(), 3u);
    EXPECT_EQ(set.source, spec);
    EXPECT_FALSE(set.signed_values);
    EXPECT_TRUE(set.labels.empty());
    EXPECT_EQ(set.images[0].rows, 3);
    EXPECT_EQ(set.images[0].cols, 4);
    EXPECT_FLOAT_EQ(set.images[0].at(1, 2), 1.0f);
    EXPECT_FLOAT_EQ(set.images[0].at(0, 0), 0.0f);
    EXPECT_EQ(set.images[1].rows, 5);
    EXPECT_NEAR(set.images[1].at(4, 1), 0.2f, 1e-6);
    EXPECT_FLOAT_EQ(set.images[2].at(0, 0), 0.0f);
    EXPECT_FLOAT_EQ(set.images[2].at(1, 1), 1.0f);

    const auto second = stdp::loadDataSpec(spec, data, 1, 1);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second.images[0].rows, 5);
    expectUserError([&] { stdp::loadDataSpec(spec, data, 3); }, {"has only 3 images"});
}

TEST(ImageFolder, WhitenedValuesAreSignedAndClipped) {
    TempDir dir;
    cv::Mat noise(32, 32, CV_8UC1);
    cv::randu(noise, 0, 256);
    ASSERT_TRUE(cv::imwrite(dir.file("n.png"), noise));
    stdp::DataSettings data;
    data.whiten = true;
    data.onoff_scale = 1.0;  // small scale so that clipping happens
    const auto set = stdp::loadDataSpec("images:" + dir.path().string(), data);
    ASSERT_EQ(set.size(), 1u);
    EXPECT_TRUE(set.signed_values);
    const auto& p = set.images[0].pixels;
    EXPECT_EQ(*std::max_element(p.begin(), p.end()), 1.0f);
    EXPECT_EQ(*std::min_element(p.begin(), p.end()), -1.0f);
}

TEST(ImageFolder, Errors) {
    TempDir dir;
    stdp::DataSettings data;
    expectUserError([&] { stdp::loadDataSpec("images:" + dir.path().string(), data); },
                    {dir.path().string(), "no images"});
    ASSERT_TRUE(cv::imwrite(dir.file("good.png"), cv::Mat(4, 4, CV_8UC1, cv::Scalar(9))));
    writeText(dir.file("broken.png"), "\x89PNG\r\n\x1a\n but then garbage");
    expectUserError([&] { stdp::loadDataSpec("images:" + dir.path().string(), data); },
                    {"broken.png", "cannot read image"});
    expectUserError([&] { stdp::loadDataSpec("images:" + dir.file("good.png"), data); },
                    {"good.png", "not a folder"});
}

// ---------------------------------------------------------------- Fashion-MNIST (if installed)

TEST(FashionMnist, RealFilesIfInstalled) {
    const fs::path dir = "/usr/share/datasets/fashion-mnist";
    const fs::path train = dir / "train-images-idx3-ubyte.gz";
    const fs::path test = dir / "t10k-images-idx3-ubyte.gz";
    if (!fs::exists(train) || !fs::exists(test))
        GTEST_SKIP() << "Fashion-MNIST not installed in " << dir;
    const stdp::DataSettings data;
    const auto t10k = stdp::loadDataSpec("idx:" + test.string(), data);
    EXPECT_EQ(t10k.size(), 10000u);
    EXPECT_EQ(t10k.labels.size(), 10000u);
    EXPECT_EQ(t10k.images[0].rows, 28);
    EXPECT_EQ(t10k.images[0].cols, 28);
    const auto images = stdp::readIdx(train.string());
    EXPECT_EQ(images.dims, (std::vector<std::uint32_t>{60000, 28, 28}));
    const auto subset = stdp::loadDataSpec("idx:" + test.string(), data, 9990);
    EXPECT_EQ(subset.size(), 10u);
    EXPECT_EQ(subset.labels, std::vector<int>(t10k.labels.end() - 10, t10k.labels.end()));
}
