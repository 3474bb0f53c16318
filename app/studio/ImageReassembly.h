#pragma once
// How the reconstruction view rebuilds the current image (core's reconstructImage). Every
// overlapping patch of a 512x512 photograph is 260,000 patches, minutes on the analysis thread; a
// large image is rebuilt from the patches at every stride-th position in each direction instead,
// as many patches as a 128x128 image has. With a stride no larger than the patch every pixel is
// still covered.

namespace stdp::studio {

// Images up to this side are rebuilt from every patch.
inline constexpr int kMaxReassembledSide = 128;

// ⌈side / kMaxReassembledSide⌉ for the longer side, at least 1.
int reassemblyStride(int rows, int cols);

}  // namespace stdp::studio
