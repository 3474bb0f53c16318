#include "data/ImageFolder.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string_view>
#include <system_error>

#include "data/ImageHeader.h"
#include "data/PngDecoder.h"
#include "foundation/FileBytes.h"

namespace stdp {

namespace {

constexpr std::array<std::string_view, 7> kImageExtensions = {".png",  ".jpg", ".jpeg", ".tif",
                                                              ".tiff", ".bmp", ".pgm"};
constexpr double kMax8Bit = 255.0;
constexpr double kMax16Bit = 65535.0;
// Exponent of the low-pass roll-off of the Olshausen-Field filter.
constexpr double kRollOffPower = 4.0;
// Below this standard deviation an image is treated as constant (nothing to whiten).
constexpr double kMinStdDev = 1e-12;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isImageFile(const std::filesystem::path& p) {
    const std::string ext = lower(p.extension().string());
    return std::find(kImageExtensions.begin(), kImageExtensions.end(), ext) !=
           kImageExtensions.end();
}

// Signed frequency of DFT bin k of n in cycles/pixel, in [-0.5, 0.5).
double binFrequency(int k, int n) {
    const int half = (n + 1) / 2;
    return double(k < half ? k : k - n) / double(n);
}

}  // namespace

namespace detail {

std::vector<std::filesystem::path> listImageFiles(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw UserError(dir + ": image folder not found");
    if (!fs::is_directory(dir, ec))
        throw UserError(dir + ": not a folder");
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec) && isImageFile(it->path()))
            files.push_back(it->path());
    }
    if (ec)
        throw UserError(dir + ": cannot list folder (" + ec.message() + ")");
    if (files.empty())
        throw UserError(dir +
                        ": no images in folder (looked for .png, .jpg, .jpeg, .tif, .tiff, .bmp, "
                        ".pgm)");
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    return files;
}

Image readGrayImage(const std::filesystem::path& file) {
    const std::string name = file.string();
    const std::vector<std::uint8_t> bytes =
        readFileBytes(name, "an image file", kMaxImageFileBytes);
    return decodeGrayImage(bytes.data(), bytes.size(), name);
}

Image decodeGrayImage(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
    // The header first: an image too large to decode is refused before its pixels take memory.
    const ImageHeader header = readImageHeader(bytes, size, name);
    const std::uint64_t pixels = std::uint64_t{header.width} * header.height;
    if (pixels > kMaxImagePixels)
        throw UserError(name + ": " + std::to_string(header.width) + " x " +
                        std::to_string(header.height) + " pixels is more than an image may have (" +
                        std::to_string(kMaxImagePixels) + " pixels, e.g. 8192 x 4096)");
    cv::Mat m;
    if (header.format == "PNG") {
        m = decodePngGray(bytes, size, name);
    } else {
        try {
            // ANYDEPTH keeps 16-bit files at full precision instead of truncating them to 8 bits.
            const cv::Mat encoded(1, static_cast<int>(size), CV_8UC1,
                                  const_cast<std::uint8_t*>(bytes));
            m = cv::imdecode(encoded, cv::IMREAD_GRAYSCALE | cv::IMREAD_ANYDEPTH);
        } catch (const cv::Exception& e) {
            throw UserError(name + ": cannot read image (" + e.msg + ")");
        }
    }
    if (m.empty())
        throw UserError(name + ": cannot read image (unsupported or corrupt " + header.format +
                        " file)");
    if (static_cast<std::uint32_t>(m.cols) != header.width ||
        static_cast<std::uint32_t>(m.rows) != header.height)
        throw UserError(name + ": corrupt " + header.format + " file (the header says " +
                        std::to_string(header.width) + " x " + std::to_string(header.height) +
                        ", the pixels are " + std::to_string(m.cols) + " x " +
                        std::to_string(m.rows) + ")");

    cv::Mat f;
    switch (m.depth()) {
        case CV_8U:
            m.convertTo(f, CV_32F, 1.0 / kMax8Bit);
            break;
        case CV_16U:
            m.convertTo(f, CV_32F, 1.0 / kMax16Bit);
            break;
        default: {
            // Float or signed files have no natural full scale: stretch their range to [0, 1].
            double lo = 0.0;
            double hi = 0.0;
            cv::minMaxLoc(m, &lo, &hi);
            const double scale = hi > lo ? 1.0 / (hi - lo) : 0.0;
            m.convertTo(f, CV_32F, scale, -lo * scale);
            break;
        }
    }
    Image image;
    image.rows = f.rows;
    image.cols = f.cols;
    image.pixels.resize(static_cast<std::size_t>(f.rows) * f.cols);
    for (int r = 0; r < f.rows; ++r) {
        const float* row = f.ptr<float>(r);
        std::copy(row, row + f.cols, image.pixels.begin() + std::ptrdiff_t(r) * f.cols);
    }
    return image;
}

}  // namespace detail

Image whitenImage(const Image& image, double f0) {
    if (!(f0 > 0.0))
        throw UserError("whitening cut-off f0 must be > 0 (got " + std::to_string(f0) + ")");
    Image out;
    out.rows = image.rows;
    out.cols = image.cols;
    out.pixels.assign(image.pixels.size(), 0.0f);
    if (image.pixels.empty())
        return out;

    cv::Mat x(image.rows, image.cols, CV_64F);
    for (int r = 0; r < image.rows; ++r)
        for (int c = 0; c < image.cols; ++c)
            x.at<double>(r, c) = double(image.at(r, c));
    x -= cv::mean(x)[0];

    cv::Mat spectrum;
    cv::dft(x, spectrum, cv::DFT_COMPLEX_OUTPUT);
    for (int u = 0; u < spectrum.rows; ++u) {
        const double fy = binFrequency(u, spectrum.rows);
        for (int v = 0; v < spectrum.cols; ++v) {
            const double fx = binFrequency(v, spectrum.cols);
            const double f = std::hypot(fx, fy);
            // R(f) depends on |f| only, so the filtered spectrum stays Hermitian (real image).
            const double gain = f * std::exp(-std::pow(f / f0, kRollOffPower));
            spectrum.at<cv::Vec2d>(u, v) *= gain;
        }
    }
    cv::Mat y;
    cv::dft(spectrum, y, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);

    cv::Scalar mean;
    cv::Scalar stddev;
    cv::meanStdDev(y, mean, stddev);
    if (stddev[0] < kMinStdDev)
        return out;  // constant image: no structure left
    y = (y - mean[0]) / stddev[0];
    for (int r = 0; r < y.rows; ++r)
        for (int c = 0; c < y.cols; ++c)
            out.pixels[static_cast<std::size_t>(r) * y.cols + c] =
                static_cast<float>(y.at<double>(r, c));
    return out;
}

}  // namespace stdp
