#pragma once
// Receptive fields and patches as QImages, with core's grey levels (FieldGrey.h): the views and
// the PNG exports show one value as the same grey.

#include <QImage>
#include <span>

#include "model/FieldGrey.h"

namespace stdp::gui {

// A rows x cols grayscale image of `values` (row-major), one pixel per value.
QImage greyImage(std::span<const float> values, int rows, int cols, GreyRange range);

}  // namespace stdp::gui
