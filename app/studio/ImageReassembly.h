#pragma once
// The current image rebuilt from the reconstructions of its patches, for the reconstruction
// view. Every overlapping patch of a 512x512 photograph is 260,000 patches, minutes on the
// analysis thread; a large image is rebuilt from the patches at every stride-th position in
// each direction instead, as many patches as a 128x128 image has. With a stride no larger than
// the patch every pixel is still covered.

#include <cstdint>

#include "data/Dataset.h"
#include "foundation/Settings.h"
#include "model/RepresentationLayer.h"

namespace stdp::studio {

// Images up to this side are rebuilt from every patch.
inline constexpr int kMaxReassembledSide = 128;

// ⌈side / kMaxReassembledSide⌉ for the longer side, at least 1.
int reassemblyStride(int rows, int cols);

// Protocol A's reconstruction of every overlapping patch (stride 1: core's reconstructImage) or
// of every stride-th, each pixel the mean of the reconstructions that cover it.
Image reassembleImage(const RepresentationLayer& layer, const Settings& settings,
                      const Image& image, int stride, std::uint64_t seed);

}  // namespace stdp::studio
