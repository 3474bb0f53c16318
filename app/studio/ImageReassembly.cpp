#include "ImageReassembly.h"

#include <algorithm>

namespace stdp::studio {

int reassemblyStride(int rows, int cols) {
    const int side = std::max({rows, cols, 1});
    return (side + kMaxReassembledSide - 1) / kMaxReassembledSide;
}

}  // namespace stdp::studio
