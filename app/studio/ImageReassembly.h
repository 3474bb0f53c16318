#pragma once
// How the reconstruction view rebuilds the current image (core's reconstructImage). Every
// overlapping patch of a 512x512 photograph is 260,000 patches, minutes on the analysis thread; a
// large image is rebuilt from the patches at every stride-th position in each direction instead.
// The stride bounds the work of one reassembly: positions x inputs x neurons x steps at most
// kReassemblyWork (about half a CPU-second on the machine it was measured on), and at least as many
// positions as a 128x128 image has. It never exceeds the patch size, so every pixel is covered.

#include <cstdint>

#include "foundation/Settings.h"

namespace stdp::studio {

// Images up to this side are rebuilt from every patch (when their network is small enough).
inline constexpr int kMaxReassembledSide = 128;
// Synaptic operations of one reassembly (patch positions x D x K x T). coop-natural's untrained
// layer on a 504x504 built-in photograph: 2.13 CPU-s at stride 4 (2.1e10 operations), 0.56 at
// stride 8 (5.2e9), 0.16 at stride 16 (1.3e9); paper-natural 0.72 and 0.25 at strides 4 and 8
// (AMD EPYC, thread CPU time of core's reconstructImage).
inline constexpr double kReassemblyWork = 6e9;

// The smallest stride from ⌈side / kMaxReassembledSide⌉ (the longer side) up whose work fits
// kReassemblyWork, but not beyond the patch size; at least 1.
int reassemblyStride(int rows, int cols, const Settings& settings);

}  // namespace stdp::studio
