#pragma once
// A receptive field as the user sees it: in signed pixel space (w, or w_on - w_off with ON/OFF
// inputs) and as grey levels. The PNG exports, the evaluator and every view of the studio use
// these, so that one value always looks the same everywhere.

#include <span>
#include <vector>

#include <Eigen/Core>

#include "model/RepresentationLayer.h"

namespace stdp {

// Field j as p x p values in signed pixel space (row-major).
void fieldValues(const WeightMatrix& weights, int j, int patch_size, bool onoff,
                 std::vector<float>& out);
// Every field the same way, as the columns of a p^2 x K matrix.
Eigen::MatrixXf pixelFilters(const WeightMatrix& weights, int patch_size, bool onoff);

struct GreyRange {
    float lo = 0.0f;
    float hi = 1.0f;
};

// The grey of a value at the middle of its range, and of any value when the range is flat. It is
// 128, not 127.5 or 127: the middle maps to t = 0.5, 0.5 * 255 = 127.5 rounds to 128, and a flat
// field must look exactly like a signed field's zero.
inline constexpr int kMidGrey = 128;

// The range of `values`; symmetric around 0 for signed data so that 0 is mid-grey.
GreyRange valueRange(std::span<const float> values, bool symmetric);
// 0..255 for v in range (clamped); a flat range maps to kMidGrey.
int greyLevel(float v, GreyRange range);

}  // namespace stdp
