#pragma once
// Turning receptive fields into grey levels, shared by the mosaic, the inspector and the
// reconstruction view so that one value always looks the same everywhere.

#include <QImage>
#include <span>
#include <vector>

#include "model/RepresentationLayer.h"

namespace stdp::gui {

struct GreyRange {
    float lo = 0.0f;
    float hi = 1.0f;
};

// Field j in signed pixel space (w, or w_on - w_off with ON/OFF inputs), p x p values.
void fieldValues(const WeightMatrix& weights, int j, int patch_size, bool onoff,
                 std::vector<float>& out);
// The range of `values`; symmetric around 0 for signed data so that 0 is mid-grey.
GreyRange valueRange(std::span<const float> values, bool symmetric);
// 0..255 for v in range (clamped); a flat range maps to mid-grey.
int greyLevel(float v, GreyRange range);
// A rows x cols grayscale image of `values` (row-major), one pixel per value.
QImage greyImage(std::span<const float> values, int rows, int cols, GreyRange range);

}  // namespace stdp::gui
