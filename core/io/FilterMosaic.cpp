#include "io/FilterMosaic.h"

#include "foundation/FileBytes.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "analysis/Evaluator.h"

namespace stdp {

namespace {

constexpr float kMidGrey = 127.5f;
constexpr unsigned char kBorderGrey = 40;

struct Range {
    float lo;
    float hi;
};

// Signed fields are shown symmetric around 0 so that 0 is always mid-grey.
Range fieldRange(const float* v, int n, bool symmetric) {
    float lo = *std::min_element(v, v + n);
    float hi = *std::max_element(v, v + n);
    if (symmetric) {
        const float m = std::max(std::abs(lo), std::abs(hi));
        return {-m, m};
    }
    return {lo, hi};
}

void paintField(const float* v, int p, Range range, int scale, cv::Mat& out, int x0, int y0) {
    const float span = range.hi - range.lo;
    for (int r = 0; r < p; ++r) {
        for (int c = 0; c < p; ++c) {
            const float t = span > 0.0f ? (v[r * p + c] - range.lo) / span : 0.5f;
            const auto g =
                static_cast<unsigned char>(std::lround(std::clamp(t, 0.0f, 1.0f) * 255.0f));
            cv::rectangle(out, cv::Rect(x0 + c * scale, y0 + r * scale, scale, scale),
                          cv::Scalar(g), cv::FILLED);
        }
    }
}

}  // namespace

cv::Mat fieldImage(const WeightMatrix& weights, int j, int patch_size, bool onoff) {
    const Eigen::MatrixXf f = pixelFilters(weights, patch_size, onoff);
    cv::Mat out(patch_size, patch_size, CV_32F);
    for (int k = 0; k < patch_size * patch_size; ++k)
        out.at<float>(k / patch_size, k % patch_size) = f(k, j);
    return out;
}

cv::Mat renderMosaic(const WeightMatrix& weights, int patch_size, bool onoff,
                     const MosaicOptions& options) {
    const Eigen::MatrixXf f = pixelFilters(weights, patch_size, onoff);
    const int units = static_cast<int>(f.cols());
    const int pixels = patch_size * patch_size;
    const int cols = options.columns > 0
                         ? options.columns
                         : std::max(1, static_cast<int>(std::ceil(std::sqrt(double(units)))));
    const int rows = (units + cols - 1) / cols;
    const int cell = patch_size * options.scale;
    const int b = options.border;
    cv::Mat out(rows * (cell + b) + b, cols * (cell + b) + b, CV_8UC1, cv::Scalar(kBorderGrey));
    Range shared{0.0f, 1.0f};
    if (onoff)
        shared = fieldRange(f.data(), static_cast<int>(f.size()), true);
    std::vector<float> v(pixels);
    for (int j = 0; j < units; ++j) {
        for (int k = 0; k < pixels; ++k)
            v[k] = f(k, j);
        const Range range = options.contrast == MosaicContrast::Shared
                                ? shared
                                : fieldRange(v.data(), pixels, onoff);
        paintField(v.data(), patch_size, range, options.scale, out, b + (j % cols) * (cell + b),
                   b + (j / cols) * (cell + b));
    }
    return out;
}

cv::Mat renderField(const WeightMatrix& weights, int j, int patch_size, bool onoff, int scale,
                    MosaicContrast contrast) {
    const cv::Mat f = fieldImage(weights, j, patch_size, onoff);
    const int pixels = patch_size * patch_size;
    const auto* v = reinterpret_cast<const float*>(f.data);
    const Range range = contrast == MosaicContrast::Shared
                            ? (onoff ? fieldRange(v, pixels, true) : Range{0.0f, 1.0f})
                            : fieldRange(v, pixels, onoff);
    cv::Mat out(patch_size * scale, patch_size * scale, CV_8UC1, cv::Scalar(kMidGrey));
    paintField(v, patch_size, range, scale, out, 0, 0);
    return out;
}

void writePngAtomic(const std::string& path, const cv::Mat& image) {
    std::vector<unsigned char> bytes;
    if (!cv::imencode(".png", image, bytes))
        throw UserError(path + ": could not encode the PNG image");
    detail::writeFileAtomic(path, bytes.data(), bytes.size());
}

}  // namespace stdp
