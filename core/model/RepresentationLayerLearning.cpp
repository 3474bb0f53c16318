#include "model/RepresentationLayerLearning.h"

#include <Eigen/Core>

namespace stdp {

void RepresentationLayer::prepareAllLtp() {
    for (int j = 0; j < units_; ++j) {
        exp_gain_[j] = expGain(scale_[j]);
        prepareLtp(j);
    }
}

void RepresentationLayer::foldScale(int j) {
    const float s = scale_[j];
    if (s == 1.0f)
        return;
    const std::ptrdiff_t stride = units_;
    float* col = stored_.data() + j;
    for (int i = 0; i < inputs_; ++i)
        col[i * stride] *= s;
    scale_[j] = 1.0f;
    exp_gain_[j] = expGain(1.0f);
    updateNorm(j);
    prepareLtp(j);
}

void RepresentationLayer::updateNorm(int j) {
    const Eigen::Map<const WeightMatrix> stored(stored_.data(), inputs_, units_);
    stored_norm2_[j] = stored.col(j).squaredNorm();
    norm_age_[j] = 0;
}

}  // namespace stdp
