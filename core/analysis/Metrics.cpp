#include "analysis/Metrics.h"

#include <algorithm>
#include <cmath>

namespace stdp {

void ReconstructionAccumulator::add(const float* x, const float* xhat, int dim, const float* codes,
                                    int units) {
    if (unit_active_.size() < static_cast<std::size_t>(units))
        unit_active_.resize(units, 0);
    double err2 = 0.0;
    double x2 = 0.0;
    for (int i = 0; i < dim; ++i) {
        const double d = double(x[i]) - double(xhat[i]);
        err2 += d * d;
        x2 += double(x[i]) * double(x[i]);
    }
    sum_rmse_ += std::sqrt(err2 / dim);
    sum_err2_ += err2;
    sum_x2_ += x2;

    double s1 = 0.0;
    double s2 = 0.0;
    int active = 0;
    for (int j = 0; j < units; ++j) {
        const double c = std::abs(double(codes[j]));
        if (c > 0.0) {
            ++active;
            unit_active_[j] = 1;
        }
        s1 += c;
        s2 += c * c;
    }
    sum_active_ += active;
    if (active > 0) {
        // Treves-Rolls: (mean c)^2 / mean c^2 = (s1/K)^2 / (s2/K) = s1^2 / (K s2).
        sum_tr_ += (s1 * s1) / (units * s2);
        ++fired_patches_;
    }
    ++patches_;
}

void ReconstructionAccumulator::addSpikes(std::uint64_t spikes, std::uint64_t neuron_steps) {
    spikes_ += spikes;
    neuron_steps_ += neuron_steps;
}

void ReconstructionAccumulator::merge(const ReconstructionAccumulator& o) {
    sum_rmse_ += o.sum_rmse_;
    sum_err2_ += o.sum_err2_;
    sum_x2_ += o.sum_x2_;
    sum_tr_ += o.sum_tr_;
    fired_patches_ += o.fired_patches_;
    sum_active_ += o.sum_active_;
    patches_ += o.patches_;
    spikes_ += o.spikes_;
    neuron_steps_ += o.neuron_steps_;
    if (unit_active_.size() < o.unit_active_.size())
        unit_active_.resize(o.unit_active_.size(), 0);
    for (std::size_t j = 0; j < o.unit_active_.size(); ++j)
        unit_active_[j] |= o.unit_active_[j];
}

ReconstructionMetrics ReconstructionAccumulator::result() const {
    ReconstructionMetrics m;
    m.patches = patches_;
    m.units = static_cast<int>(unit_active_.size());
    if (patches_ > 0) {
        m.rmse = sum_rmse_ / double(patches_);
        m.nmse = sum_x2_ > 0.0 ? sum_err2_ / sum_x2_ : 0.0;
        m.active_per_patch = sum_active_ / double(patches_);
        m.silent_fraction = double(patches_ - fired_patches_) / double(patches_);
    }
    m.treves_rolls = fired_patches_ > 0 ? sum_tr_ / double(fired_patches_) : 0.0;
    if (!unit_active_.empty()) {
        const auto alive = std::count(unit_active_.begin(), unit_active_.end(), std::uint8_t{1});
        m.dead_fraction = 1.0 - double(alive) / double(unit_active_.size());
    }
    m.has_activity = neuron_steps_ > 0;
    m.activity = neuron_steps_ > 0 ? double(spikes_) / double(neuron_steps_) : 0.0;
    return m;
}

}  // namespace stdp
