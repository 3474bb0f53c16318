#include "model/StepTrace.h"

#include <algorithm>
#include <cmath>

namespace stdp {

void StepTracer::prime(const RepresentationLayer& layer) {
    weights_ = layer.weights();
    theta_ = layer.thresholds();
    next_tick_ = layer.tick();
    primed_ = true;
}

bool StepTracer::primedFor(const RepresentationLayer& layer) const {
    return primed_ && next_tick_ == layer.tick() && weights_.rows() == layer.inputs() &&
           weights_.cols() == layer.units();
}

void StepTracer::setPatchGeometry(int patch_size, bool onoff) {
    patch_size_ = patch_size;
    onoff_ = onoff;
}

void StepTracer::clear() {
    pending_.clear();
    primed_ = false;
}

std::vector<StepTracePtr> StepTracer::take() {
    std::vector<StepTracePtr> out;
    out.swap(pending_);
    return out;
}

void StepTracer::recordAmplitudeLevels(const WeightMatrix& w, StepTrace& t) {
    // The level each neuron had to reach, and its potential as the decision saw it: the spike of
    // k has since taken overlap q <w_j, w_k> from every other U_j (the fields before the step).
    const int k = t.units;
    t.fire_level.assign(static_cast<std::size_t>(k), 0.0f);
    for (int j = 0; j < k; ++j)
        t.fire_level[static_cast<std::size_t>(j)] =
            static_cast<float>(t.quantum * w.col(j).squaredNorm());
    for (const std::int32_t winner : t.fired)
        for (int j = 0; j < k; ++j)
            if (j != winner)
                t.potential[static_cast<std::size_t>(j)] +=
                    static_cast<float>(t.overlap * t.quantum * w.col(j).dot(w.col(winner)));
}

void StepTracer::onStep(const RepresentationLayer& layer, std::span<const std::int32_t> spikes) {
    // The observer runs after the step's last phase and before the layer counts the step.
    const bool known_before = primedFor(layer);
    const DynamicsSettings& d = layer.dynamics();
    const int k = layer.units();
    const int inputs = layer.inputs();

    auto trace = std::make_shared<StepTrace>();
    StepTrace& t = *trace;
    t.tick = layer.tick();
    t.step_in_patch = layer.stepInPatch();
    t.patch_steps = d.steps;
    t.inputs = inputs;
    t.units = k;
    t.patch_size = patch_size_;
    t.onoff = onoff_;
    t.membrane_decay = d.tau_m > 0.0 ? std::exp(-1.0 / d.tau_m) : 0.0;
    t.trace_tau = d.trace_tau;
    t.temperature = d.temperature;
    t.mu = d.mu * layer.learningRateScale();
    t.mu_d = d.muD() * layer.learningRateScale();
    t.lambda = d.lambda;
    t.epsilon = d.epsilon;
    t.rho = d.rho;
    t.theta_floor = d.theta_floor;
    t.distance_bias = d.distance_bias;
    t.reset = d.reset;
    t.learn = d.learn;
    t.theta_adapt = d.theta_adapt;
    t.amplitude = d.amplitudeCoding();
    t.quantum = d.spike_quantum;
    t.overlap = d.overlap_inhibition;
    t.hurdle = d.hurdle;
    t.target_rate = d.target_rate;
    t.decoder_gain = t.amplitude ? d.decoderGain() : 0.0;

    t.input_spikes.assign(spikes.begin(), spikes.end());
    const auto u = layer.potentials();
    t.potential.assign(u.begin(), u.end());
    const auto fired = layer.fired();
    const auto fired_u = layer.firedPotentials();
    t.fired.assign(fired.begin(), fired.end());
    // A reset has cleared the winners' potentials: put back the value they fired with.
    for (std::size_t n = 0; n < fired.size(); ++n)
        t.potential[static_cast<std::size_t>(fired[n])] = fired_u[n];
    t.softmax = layer.softmax();
    if (t.amplitude)
        recordAmplitudeLevels(known_before ? weights_ : layer.weights(), t);
    t.theta_after = layer.thresholds();
    t.theta_before = known_before ? theta_ : t.theta_after;

    if (d.learn && !fired.empty()) {
        if (d.epsilon > 0) {
            const auto causal = layer.windowCausal();
            t.causal.assign(causal.begin(), causal.end());
        } else {
            t.causal = t.input_spikes;
        }
    }
    const std::size_t shown = std::min(fired.size(), StepTrace::kMaxWinners);
    t.winners.resize(shown);
    for (std::size_t n = 0; n < shown; ++n) {
        StepTrace::Winner& w = t.winners[n];
        w.neuron = fired[n];
        w.after.resize(static_cast<std::size_t>(inputs));
        layer.field(w.neuron, w.after);
        if (known_before) {
            w.before.resize(static_cast<std::size_t>(inputs));
            for (int i = 0; i < inputs; ++i)
                w.before[static_cast<std::size_t>(i)] = weights_(i, w.neuron);
        }
    }

    // Follow the layer: only the winners' fields and theta changed in this step.
    if (known_before) {
        std::vector<float> column(static_cast<std::size_t>(inputs));
        for (const std::int32_t j : fired) {
            layer.field(j, column);
            for (int i = 0; i < inputs; ++i)
                weights_(i, j) = column[static_cast<std::size_t>(i)];
        }
        theta_ = t.theta_after;
        next_tick_ = layer.tick() + 1;
    } else {
        weights_ = layer.weights();
        theta_ = t.theta_after;
        next_tick_ = layer.tick() + 1;
        primed_ = true;
    }

    pending_.push_back(std::move(trace));
    if (pending_.size() > keep_)
        pending_.erase(pending_.begin(), pending_.end() - static_cast<std::ptrdiff_t>(keep_));
}

}  // namespace stdp
