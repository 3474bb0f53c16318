#include "RasterRecorder.h"

#include <algorithm>

namespace stdp::studio {

void RasterRecorder::resize(int window, int units) {
    window_ = window;
    units_ = units;
    fired_.assign(static_cast<std::size_t>(window) * static_cast<std::size_t>(units), 0);
    fired_count_.assign(static_cast<std::size_t>(window), 0);
    patch_start_.assign(static_cast<std::size_t>(window), 0);
    clear();
}

void RasterRecorder::clear() {
    head_ = 0;
    count_ = 0;
}

void RasterRecorder::onStep(const RepresentationLayer& layer, std::span<const std::int32_t>) {
    if (window_ == 0)
        return;
    const auto slot = static_cast<std::size_t>(head_);
    const auto fired = layer.fired();
    const std::size_t n = std::min(fired.size(), static_cast<std::size_t>(units_));
    std::copy_n(fired.begin(), n, fired_.begin() + static_cast<std::ptrdiff_t>(slot * units_));
    fired_count_[slot] = static_cast<std::int32_t>(n);
    patch_start_[slot] = layer.stepInPatch() == 1 ? 1 : 0;
    head_ = (head_ + 1) % window_;
    count_ = std::min(count_ + 1, window_);
}

void RasterRecorder::fill(gui::RasterSnapshot& out) const {
    out.window = window_;
    out.out_offsets.assign(1, 0);
    out.out_offsets.reserve(static_cast<std::size_t>(count_) + 1);
    out.out_indices.clear();
    out.patch_start.clear();
    out.patch_start.reserve(static_cast<std::size_t>(count_));
    const int first = (head_ - count_ + window_) % std::max(1, window_);
    for (int k = 0; k < count_; ++k) {
        const auto slot = static_cast<std::size_t>((first + k) % window_);
        const auto begin = fired_.begin() + static_cast<std::ptrdiff_t>(slot * units_);
        out.out_indices.insert(out.out_indices.end(), begin, begin + fired_count_[slot]);
        out.out_offsets.push_back(static_cast<std::int32_t>(out.out_indices.size()));
        out.patch_start.push_back(patch_start_[slot]);
    }
}

}  // namespace stdp::studio
