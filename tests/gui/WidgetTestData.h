#pragma once
// Known snapshots and pixel reads shared by the tests of the field views.

#include <QImage>
#include <memory>

#include "ViewData.h"

namespace stdp::widget_test {

inline constexpr int kGreyTolerance = 2;

// p = 2, K = 4: neuron 0 all 0, neuron 1 all 1, neuron 2 all 0.5, neuron 3 a ramp 0.2..0.8.
inline std::shared_ptr<gui::FieldsSnapshot> knownFields() {
    auto s = std::make_shared<gui::FieldsSnapshot>();
    s->patch_size = 2;
    s->weights = WeightMatrix::Zero(4, 4);
    s->weights.col(1).setConstant(1.0f);
    s->weights.col(2).setConstant(0.5f);
    s->weights.col(3) << 0.2f, 0.4f, 0.6f, 0.8f;
    s->thresholds = {0.15f};
    s->wins = {0, 10, 10, 10};
    s->recent_wins = {0, 10, 10, 10};
    s->recent_steps = 5000;
    s->raster_spikes = {0, 1, 2, 3};
    return s;
}

inline int greyAt(const QImage& img, QPoint p) {
    return qGray(img.pixel(p));
}

}  // namespace stdp::widget_test
