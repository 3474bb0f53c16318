#include "ImageReassembly.h"

#include <algorithm>

namespace stdp::studio {

int reassemblyStride(int rows, int cols, const Settings& settings) {
    const int side = std::max({rows, cols, 1});
    const int p = std::max(1, settings.structure.patch_size);
    const double per_patch = static_cast<double>(settings.structure.inputs()) *
                             settings.structure.units * std::max(1, settings.dynamics.steps);
    int stride = (side + kMaxReassembledSide - 1) / kMaxReassembledSide;
    const auto positions = [&](int n) {
        return static_cast<double>((std::max(rows, 1) + n - 1) / n) *
               ((std::max(cols, 1) + n - 1) / n);
    };
    while (stride < p && positions(stride) * per_patch > kReassemblyWork)
        ++stride;
    return std::clamp(stride, 1, p);
}

}  // namespace stdp::studio
