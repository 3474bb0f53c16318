#include "model/FieldGrey.h"

#include <algorithm>
#include <cmath>

namespace stdp {

namespace {
constexpr float kWhite = 255.0f;
}

void fieldValues(const WeightMatrix& weights, int j, int patch_size, bool onoff,
                 std::vector<float>& out) {
    const int pixels = patch_size * patch_size;
    out.resize(static_cast<std::size_t>(pixels));
    for (int k = 0; k < pixels; ++k) {
        float v = weights(k, j);
        if (onoff)
            v -= weights(k + pixels, j);
        out[static_cast<std::size_t>(k)] = v;
    }
}

Eigen::MatrixXf pixelFilters(const WeightMatrix& weights, int patch_size, bool onoff) {
    const int units = static_cast<int>(weights.cols());
    Eigen::MatrixXf out(patch_size * patch_size, units);
    std::vector<float> v;
    for (int j = 0; j < units; ++j) {
        fieldValues(weights, j, patch_size, onoff, v);
        out.col(j) = Eigen::Map<const Eigen::VectorXf>(v.data(), out.rows());
    }
    return out;
}

GreyRange valueRange(std::span<const float> values, bool symmetric) {
    if (values.empty())
        return {};
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    if (symmetric) {
        const float m = std::max(std::abs(*lo), std::abs(*hi));
        return {-m, m};
    }
    return {*lo, *hi};
}

int greyLevel(float v, GreyRange range) {
    const float span = range.hi - range.lo;
    if (!(span > 0.0f))
        return kMidGrey;
    const float t = std::clamp((v - range.lo) / span, 0.0f, 1.0f);
    return static_cast<int>(std::lround(t * kWhite));
}

}  // namespace stdp
