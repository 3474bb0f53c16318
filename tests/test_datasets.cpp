// Tests of the data sets: the built-in MNIST digits, data SPECs, whitening, image folders and
// Fashion-MNIST when installed.

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <numeric>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

#include "TestFiles.h"
#include "data/Dataset.h"
#include "data/IdxReader.h"
#include "data/ImageHeader.h"
#include "foundation/Settings.h"

namespace fs = std::filesystem;
using stdp::UserError;
using namespace stdp::testing;

namespace {

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

// ---------------------------------------------------------------- image headers

struct HeaderCase {
    const char* extension;
    const char* format;
    int depth;
};

class ImageHeaderFormats : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(ImageHeaderFormats, DimensionsFromTheHeaderAlone) {
    const HeaderCase& c = GetParam();
    const cv::Mat image(37, 61, c.depth, cv::Scalar(100));
    std::vector<std::uint8_t> bytes;
    ASSERT_TRUE(cv::imencode(c.extension, image, bytes)) << c.extension;
    const stdp::ImageHeader h = stdp::readImageHeader(bytes.data(), bytes.size(), "x");
    EXPECT_EQ(h.format, c.format);
    EXPECT_EQ(h.width, 61u);
    EXPECT_EQ(h.height, 37u);
    // Any cut inside the header is a one-line error, never a read past the end.
    for (std::size_t n = 0; n < std::min<std::size_t>(bytes.size(), 24); ++n) {
        try {
            stdp::readImageHeader(bytes.data(), n, "cut");
        } catch (const stdp::UserError& e) {
            EXPECT_NE(std::string(e.what()).find("cut: cannot read image"), std::string::npos)
                << e.what();
        }
    }
    // And the whole file decodes to the same size through the data loader.
    TempDir dir;
    writeBytes(dir.file(std::string("a") + c.extension), bytes);
    stdp::DataSettings data;
    data.whiten = false;
    const stdp::ImageSet set = stdp::loadDataSpec("images:" + dir.path().string(), data);
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(set.images[0].cols, 61);
    EXPECT_EQ(set.images[0].rows, 37);
    EXPECT_NEAR(set.images[0].at(5, 5), c.depth == CV_16U ? 100.0 / 65535.0 : 100.0 / 255.0, 0.02);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, ImageHeaderFormats,
    ::testing::Values(HeaderCase{".png", "PNG", CV_8U}, HeaderCase{".png", "PNG", CV_16U},
                      HeaderCase{".jpg", "JPEG", CV_8U}, HeaderCase{".bmp", "BMP", CV_8U},
                      HeaderCase{".pgm", "PNM", CV_8U}, HeaderCase{".tif", "TIFF", CV_8U},
                      HeaderCase{".tif", "TIFF", CV_16U}));

TEST(ImageHeader, RefusesWhatIsNotAnImageAndTooLargeImages) {
    const std::string garbage = "GIF89a not one of ours";
    expectUserError(
        [&] {
            stdp::readImageHeader(reinterpret_cast<const std::uint8_t*>(garbage.data()),
                                  garbage.size(), "g.gif");
        },
        {"g.gif", "not a PNG, JPEG, TIFF, BMP or PGM"});
    // A PGM header claiming 30000 x 30000 pixels: refused by the loader from the header alone.
    TempDir dir;
    writeText(dir.file("huge.pgm"), "P5\n# a comment\n30000 30000\n255\n");
    stdp::DataSettings data;
    expectUserError([&] { stdp::loadDataSpec("images:" + dir.path().string(), data); },
                    {"huge.pgm", "30000 x 30000", "more than an image may have"});
}

TEST(ImageFolder, ColourPngBecomesGreyWithOpenCvWeights) {
    // The PNG reader is ours (libpng with our own warning handler): colour must become the
    // same grey levels as OpenCV's IMREAD_GRAYSCALE gave before.
    cv::Mat colour(8, 8, CV_8UC3);
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
            colour.at<cv::Vec3b>(r, c) = cv::Vec3b(static_cast<std::uint8_t>(30 * r),
                                                   static_cast<std::uint8_t>(25 * c), 200);
    TempDir dir;
    ASSERT_TRUE(cv::imwrite(dir.file("c.png"), colour));
    const cv::Mat expected = cv::imread(dir.file("c.png"), cv::IMREAD_GRAYSCALE);
    stdp::DataSettings data;
    data.whiten = false;
    const stdp::ImageSet set = stdp::loadDataSpec("images:" + dir.path().string(), data);
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
            EXPECT_NEAR(set.images[0].at(r, c) * 255.0, expected.at<std::uint8_t>(r, c), 1.01)
                << r << "," << c;
}
