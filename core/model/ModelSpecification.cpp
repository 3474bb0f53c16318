#include "model/ModelSpecification.h"

#include <algorithm>
#include <cmath>

namespace stdp::model {

namespace {
// exp(-1 / tau) per step, 0 for tau = 0 (no memory).
float decayPerStep(double tau) {
    return tau > 0.0 ? static_cast<float>(std::exp(-1.0 / tau)) : 0.0f;
}
}  // namespace

RuleConstants ruleConstants(const DynamicsSettings& d, double rate_scale) {
    RuleConstants c;
    c.trace_decay = decayPerStep(d.trace_tau);
    c.membrane_decay = decayPerStep(d.tau_m);
    c.temperature = d.temperature;
    c.inv_temperature = static_cast<float>(1.0 / d.temperature);
    const double mu = d.mu * rate_scale;
    const double mu_d = d.muD() * rate_scale;
    c.ltp_gain = static_cast<float>(1.0 - mu * (1.0 + d.lambda));
    c.ltp_bias = static_cast<float>(mu);
    c.ltd_gain = static_cast<float>(1.0 - mu_d * (1.0 + d.lambda));
    c.w_min = static_cast<float>(d.w_clip_min);
    c.bias_scale = static_cast<float>(0.5 * d.distance_bias);
    c.rho = static_cast<float>(d.rho);
    c.theta_floor = static_cast<float>(d.theta_floor);
    c.epsilon = d.epsilon;
    c.refractory = d.refractory;
    c.reset = d.reset;
    c.learn = d.learn;
    c.theta_adapt = d.theta_adapt;
    c.amplitude = d.amplitudeCoding();
    c.quantum = static_cast<float>(d.spike_quantum);
    c.overlap = static_cast<float>(d.overlap_inhibition);
    c.hurdle = static_cast<float>(d.hurdle);
    c.recruit_hurdle = static_cast<float>(d.recruit_hurdle);
    c.hurdle_inhibition = static_cast<float>(d.hurdle_inhibition);
    c.target_rate = static_cast<float>(d.target_rate);
    c.residual = d.residualLearning();
    c.residual_rate = static_cast<float>(mu / d.steps);
    c.residual_decay = static_cast<float>(d.residual_decay);
    c.onoff_opponency = static_cast<float>(d.onoff_opponency);
    return c;
}

void beginPatch(LayerState& s) {
    std::ranges::fill(s.potential, 0.0f);
    std::ranges::fill(s.trace, 0.0f);
    std::ranges::fill(s.last_spike, kNeverSpiked);
    std::ranges::fill(s.refractory_left, 0);
    std::ranges::fill(s.residual, 0.0f);
    std::ranges::fill(s.active, std::uint8_t{0});
}

void startPotentials(LayerState& s, const RuleConstants& c) {
    for (int j = 0; j < s.units; ++j) {
        const float theta = s.thresholds.size() == 1 ? s.thresholds[0] : s.thresholds[j];
        s.potential[j] = -c.hurdle * theta;
    }
}

void presynapticTrace(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> spikes,
                      int step) {
    for (float& y : s.trace) {
        y *= c.trace_decay;  // 0 without a trace: y = x
        if (y < kTraceCutoff)
            y = 0.0f;
    }
    for (std::int32_t i : spikes) {
        s.trace[i] += 1.0f;
        s.last_spike[i] = step;
    }
}

void membranePotential(LayerState& s, const RuleConstants& c) {
    for (int j = 0; j < s.units; ++j) {
        float input = 0.0f;
        double norm2 = 0.0;
        for (int i = 0; i < s.inputs; ++i) {
            input += s.w(i, j) * s.trace[i];
            norm2 += static_cast<double>(s.w(i, j)) * s.w(i, j);
        }
        float& u = s.potential[j];
        if (c.amplitude) {
            u += input;
            continue;
        }
        u = c.membrane_decay * u + input;
        if (c.bias_scale != 0.0f)
            u -= c.bias_scale * static_cast<float>(norm2);
    }
}

void feedBack(LayerState& s, const RuleConstants& c, int k) {
    for (std::size_t i = 0; i < s.residual.size(); ++i)
        s.residual[i] -= c.quantum * s.w(static_cast<int>(i), k);
}

void accumulateResidual(LayerState& s) {
    for (std::size_t i = 0; i < s.residual.size(); ++i)
        s.residual[i] += s.trace[i];
}

void lateralInhibition(LayerState& s, const RuleConstants& c) {
    // Shifted by the largest U_j, which leaves the softmax unchanged and keeps exp() in range.
    const double max_u = *std::ranges::max_element(s.potential);
    double sum = 0.0;
    for (float u : s.potential)
        sum += std::exp((u - max_u) / c.temperature);
    for (int j = 0; j < s.units; ++j)
        s.softmax[j] = static_cast<float>(std::exp((s.potential[j] - max_u) / c.temperature) / sum);
}

std::size_t fire(LayerState& s, std::span<std::int32_t> winners) {
    std::size_t n = 0;
    for (int j = 0; j < s.units; ++j) {
        if (s.refractory_left[j] > 0) {
            --s.refractory_left[j];
            continue;
        }
        const float theta = s.thresholds.size() == 1 ? s.thresholds[0] : s.thresholds[j];
        if (s.softmax[j] >= theta)
            winners[n++] = j;
    }
    return n;
}

void afterSpike(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> winners) {
    for (std::int32_t j : winners) {
        if (c.reset)
            s.potential[j] = 0.0f;
        s.refractory_left[j] = c.refractory;
    }
}

std::size_t fireByAmplitude(LayerState& s, const RuleConstants& c,
                            std::span<std::int32_t> winners) {
    int best = -1;
    float best_excess = 0.0f;
    for (int j = 0; j < s.units; ++j) {
        s.softmax[j] = 0.0f;
        if (s.refractory_left[j] > 0) {
            --s.refractory_left[j];
            continue;
        }
        float norm2 = 0.0f;
        for (int i = 0; i < s.inputs; ++i)
            norm2 += s.w(i, j) * s.w(i, j);
        const float excess = s.potential[j] - c.quantum * norm2;
        if (excess >= 0.0f && (best < 0 || excess > best_excess)) {
            best = j;
            best_excess = excess;
        }
    }
    if (best < 0)
        return 0;
    s.softmax[best] = 1.0f;
    winners[0] = best;
    return 1;
}

void inhibitByOverlap(LayerState& s, const RuleConstants& c,
                      std::span<const std::int32_t> winners) {
    for (std::int32_t k : winners) {
        for (int j = 0; j < s.units; ++j) {
            float overlap = 0.0f;
            for (int i = 0; i < s.inputs; ++i)
                overlap += s.w(i, j) * s.w(i, k);
            s.potential[j] -= (j == k ? c.quantum : c.overlap * c.quantum) * overlap;
        }
        if (c.residual)
            feedBack(s, c, k);
        if (c.hurdle_inhibition > 0.0f && !s.active[k])
            inhibitByHurdle(s, c, k);
        if (tracksActive(c))
            recruit(s, c, k);
        s.refractory_left[k] = c.refractory;
    }
}

void recruit(LayerState& s, const RuleConstants& c, int k) {
    if (s.active[k])
        return;
    s.active[k] = 1;
    for (int j = 0; j < s.units; ++j) {
        if (s.active[j])
            continue;
        const float theta = s.thresholds.size() == 1 ? s.thresholds[0] : s.thresholds[j];
        s.potential[j] -= c.recruit_hurdle * theta;
    }
}

void inhibitByHurdle(LayerState& s, const RuleConstants& c, int k) {
    int joined = 0;
    for (int j = 0; j < s.units; ++j)
        joined += s.active[j];
    float norm2 = 0.0f;
    for (int i = 0; i < s.inputs; ++i)
        norm2 += s.w(i, k) * s.w(i, k);
    if (norm2 <= 0.0f)
        return;  // a field of zeros explains nothing
    const float theta = s.thresholds.size() == 1 ? s.thresholds[0] : s.thresholds[k];
    const float b = hurdleAmplitude(c, joined, theta, norm2);
    for (int j = 0; j < s.units; ++j) {
        if (j == k)
            continue;  // k paid its own hurdle before its first spike
        float overlap = 0.0f;
        for (int i = 0; i < s.inputs; ++i)
            overlap += s.w(i, j) * s.w(i, k);
        s.potential[j] -= c.overlap * b * overlap;
    }
    if (c.residual)
        for (std::size_t i = 0; i < s.residual.size(); ++i)
            s.residual[i] -= b * s.w(static_cast<int>(i), k);
}

void causalInputs(LayerState& s, const RuleConstants& c, int step) {
    for (int i = 0; i < s.inputs; ++i)
        s.causal[i] = s.last_spike[i] >= step - c.epsilon ? 1 : 0;
}

void stdp(LayerState& s, const RuleConstants& c, int j) {
    for (int i = 0; i < s.inputs; ++i) {
        float& w = s.w(i, j);
        w = std::clamp(s.causal[i] ? potentiate(w, c) : depress(w, c), c.w_min, 1.0f);
    }
}

void residualLearning(LayerState& s, const RuleConstants& c, int k) {
    for (int i = 0; i < s.inputs; ++i) {
        float& w = s.w(i, k);
        w = std::clamp(w + c.residual_rate * (s.residual[i] - c.residual_decay * w), c.w_min, 1.0f);
    }
}

void opposeOnOff(LayerState& s, const RuleConstants& c, int k) {
    const int pixels = s.inputs / 2;
    for (int i = 0; i < pixels; ++i) {
        float& on = s.w(i, k);
        float& off = s.w(i + pixels, k);
        const float m = c.onoff_opponency * std::min(on, off);
        on = std::max(on - m, c.w_min);
        off = std::max(off - m, c.w_min);
    }
}

void adaptThreshold(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> winners) {
    const auto clip = [&](float theta) { return std::clamp(theta, c.theta_floor, 1.0f); };
    if (c.amplitude) {
        // Homeostasis toward the rate p (Zylberberg, Murphy & DeWeese 2011).
        if (s.thresholds.size() == 1) {
            const float n = static_cast<float>(winners.size());
            const float rate = static_cast<float>(s.units) * c.target_rate;
            s.thresholds[0] = clip(s.thresholds[0] + c.rho * (n - rate));
            return;
        }
        for (float& theta : s.thresholds)
            theta = clip(theta - c.rho * c.target_rate);
        for (std::int32_t j : winners)
            s.thresholds[j] = clip(s.thresholds[j] + c.rho);
        return;
    }
    if (s.thresholds.size() == 1) {
        const float n = static_cast<float>(winners.size());
        s.thresholds[0] = clip(s.thresholds[0] + c.rho * (n - 1.0f));
        return;
    }
    // Each neuron is pushed toward firing on 1/K of the steps; the mean follows the global rule.
    for (float& theta : s.thresholds)
        theta = clip(theta - c.rho);
    const float k = static_cast<float>(s.units);
    for (std::int32_t j : winners)
        s.thresholds[j] = clip(s.thresholds[j] + c.rho * k);
}

std::size_t decide(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> spikes,
                   int step, std::span<std::int32_t> winners) {
    presynapticTrace(s, c, spikes, step);  // y(t) from the input spikes x(t)
    membranePotential(s, c);               // U(t)
    if (c.amplitude) {
        if (c.residual)
            accumulateResidual(s);              // r += y(t)
        return fireByAmplitude(s, c, winners);  // the largest excess over q |w_j|^2
    }
    lateralInhibition(s, c);  // P = softmax(U / tau_s)
    return fire(s, winners);  // z_j = [P_j >= theta_j]
}

void conclude(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> winners,
              int step) {
    if (c.amplitude)
        inhibitByOverlap(s, c, winners);  // U_j -= q <w_j, w_k>, r -= q w_k, before w_k moves
    else
        afterSpike(s, c, winners);  // reset, refractoriness
    if (c.learn && c.residual) {
        for (std::int32_t k : winners)
            residualLearning(s, c, k);  // w_k += (mu / T) r
    } else if (c.learn && !winners.empty()) {
        causalInputs(s, c, step);
        for (std::int32_t j : winners)
            stdp(s, c, j);  // event-based STDP of each winner
    }
    if (c.learn && c.onoff_opponency > 0.0f)
        for (std::int32_t k : winners)
            opposeOnOff(s, c, k);
    if (c.theta_adapt)
        adaptThreshold(s, c, winners);
}

ReferenceLayer::ReferenceLayer(const DynamicsSettings& d, int inputs, int units,
                               std::span<const float> weights, std::span<const float> thresholds)
    : dynamics_(d),
      constants_(ruleConstants(d)),
      weights_(weights.begin(), weights.end()),
      thresholds_(thresholds.begin(), thresholds.end()),
      trace_(inputs, 0.0f),
      potential_(units, 0.0f),
      softmax_(units, 0.0f),
      last_spike_(inputs, kNeverSpiked),
      refractory_left_(units, 0),
      winners_(units, 0),
      causal_(inputs, 0),
      residual_(inputs, 0.0f),
      active_(units, 0) {
    state_.inputs = inputs;
    state_.units = units;
    state_.weights = weights_;
    state_.thresholds = thresholds_;
    state_.trace = trace_;
    state_.last_spike = last_spike_;
    state_.potential = potential_;
    state_.softmax = softmax_;
    state_.refractory_left = refractory_left_;
    state_.causal = causal_;
    state_.residual = residual_;
    state_.active = active_;
}

void ReferenceLayer::setDynamics(const DynamicsSettings& d) {
    dynamics_ = d;
    constants_ = ruleConstants(dynamics_, rate_scale_);
}

void ReferenceLayer::setLearningRateScale(double scale) {
    rate_scale_ = scale;
    constants_ = ruleConstants(dynamics_, rate_scale_);
}

void ReferenceLayer::beginPatch() {
    model::beginPatch(state_);
    if (constants_.amplitude)
        startPotentials(state_, constants_);
    step_ = 0;
}

std::span<const std::int32_t> ReferenceLayer::step(std::span<const std::int32_t> spikes) {
    const auto winners = decide(spikes);
    conclude(winners);
    return winners;
}

std::span<const std::int32_t> ReferenceLayer::decide(std::span<const std::int32_t> spikes) {
    fired_ = model::decide(state_, constants_, spikes, step_, winners_);
    return {winners_.data(), fired_};
}

void ReferenceLayer::conclude(std::span<const std::int32_t> winners) {
    model::conclude(state_, constants_, winners, step_);
    ++step_;
}

}  // namespace stdp::model
