#include "io/FilterMosaic.h"

#include "foundation/FileBytes.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "data/PngDecoder.h"
#include "model/FieldGrey.h"

namespace stdp {

namespace {

constexpr unsigned char kBorderGrey = 40;

void paintField(const float* v, int p, GreyRange range, int scale, cv::Mat& out, int x0, int y0) {
    for (int r = 0; r < p; ++r) {
        for (int c = 0; c < p; ++c) {
            const int g = greyLevel(v[r * p + c], range);
            cv::rectangle(out, cv::Rect(x0 + c * scale, y0 + r * scale, scale, scale),
                          cv::Scalar(g), cv::FILLED);
        }
    }
}

}  // namespace

cv::Mat renderMosaic(const WeightMatrix& weights, int patch_size, bool onoff,
                     const MosaicOptions& options) {
    const Eigen::MatrixXf f = pixelFilters(weights, patch_size, onoff);
    const int units = static_cast<int>(f.cols());
    const int cols = options.columns > 0
                         ? options.columns
                         : std::max(1, static_cast<int>(std::ceil(std::sqrt(double(units)))));
    const int rows = (units + cols - 1) / cols;
    const int cell = patch_size * options.scale;
    const int b = options.border;
    cv::Mat out(rows * (cell + b) + b, cols * (cell + b) + b, CV_8UC1, cv::Scalar(kBorderGrey));
    GreyRange shared{0.0f, 1.0f};
    if (onoff)
        shared = valueRange({f.data(), static_cast<std::size_t>(f.size())}, true);
    std::vector<float> v;
    for (int j = 0; j < units; ++j) {
        fieldValues(weights, j, patch_size, onoff, v);
        const GreyRange range =
            options.contrast == MosaicContrast::Shared ? shared : valueRange(v, onoff);
        paintField(v.data(), patch_size, range, options.scale, out, b + (j % cols) * (cell + b),
                   b + (j / cols) * (cell + b));
    }
    return out;
}

cv::Mat renderField(const WeightMatrix& weights, int j, int patch_size, bool onoff, int scale,
                    MosaicContrast contrast) {
    std::vector<float> v;
    fieldValues(weights, j, patch_size, onoff, v);
    const GreyRange range = contrast == MosaicContrast::Shared
                                ? (onoff ? valueRange(v, true) : GreyRange{0.0f, 1.0f})
                                : valueRange(v, onoff);
    cv::Mat out(patch_size * scale, patch_size * scale, CV_8UC1, cv::Scalar(kMidGrey));
    paintField(v.data(), patch_size, range, scale, out, 0, 0);
    return out;
}

std::string neuronPngName(int j) {
    char name[32];
    std::snprintf(name, sizeof name, "neuron-%04d.png", j);
    return name;
}

void writeNeuronPngs(const std::string& dir, const WeightMatrix& weights, int patch_size,
                     bool onoff, int scale, MosaicContrast contrast) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir, ec))
        throw UserError(dir + ": cannot create the folder (" +
                        (ec ? ec.message() : std::string("a file has that name")) + ")");
    for (int j = 0; j < static_cast<int>(weights.cols()); ++j)
        writePngAtomic((std::filesystem::path(dir) / neuronPngName(j)).string(),
                       renderField(weights, j, patch_size, onoff, scale, contrast));
}

void writePngAtomic(const std::string& path, const cv::Mat& image) {
    const std::vector<std::uint8_t> bytes = detail::encodePng(image, path);
    detail::writeFileAtomic(path, bytes.data(), bytes.size());
}

}  // namespace stdp
