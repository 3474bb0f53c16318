#include "model/CooperativeStep.h"

#include <algorithm>

namespace stdp::model {

CooperativeStep::CooperativeStep(int inputs, int units)
    : inputs_(inputs),
      units_(units),
      gram_(static_cast<std::size_t>(units) * units, 0.0f),
      drive_(units, 0.0f),
      dots_(units, 0.0f) {}

std::size_t CooperativeStep::decide(LayerState& s, const RuleConstants& c,
                                    std::span<const std::int32_t> spikes, int step,
                                    std::span<std::int32_t> winners) {
    if (!gram_valid_)
        computeGram(s);
    presynapticTrace(s, c, spikes, step);  // y(t) from the input spikes x(t), O(D)
    integrate(s, c, spikes);               // U_j(t) = U_j(t-1) + sum_i W_ij y_i(t)
    if (c.residual)
        accumulate(s, c, spikes);  // r += y(t), over the inputs that carry a spike or a trace
    // Firing as fireByAmplitude, with |w_j|^2 = G_jj.
    int best = -1;
    float best_excess = 0.0f;
    for (int j = 0; j < units_; ++j) {
        s.softmax[j] = 0.0f;
        if (s.refractory_left[j] > 0) {
            --s.refractory_left[j];
            continue;
        }
        const float excess = s.potential[j] - c.quantum * gram(j, j);
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

void CooperativeStep::integrate(LayerState& s, const RuleConstants& c,
                                std::span<const std::int32_t> spikes) {
    // Input by input, each adding its K contiguous weights: every drive_j sums its terms in input
    // order like the specification's loop, whose zero terms change nothing.
    const auto add = [&](int i) {
        const float y = s.trace[i];
        const float* row = s.weights.data() + static_cast<std::size_t>(i) * units_;
        for (int j = 0; j < units_; ++j)
            drive_[j] += row[j] * y;
    };
    std::ranges::fill(drive_, 0.0f);
    bool any = false;
    if (c.trace_decay == 0.0f) {
        for (std::int32_t i : spikes)  // y = x: the inputs that spiked
            add(i);
        any = !spikes.empty();
    } else {
        for (int i = 0; i < inputs_; ++i)  // the trace's support
            if (s.trace[i] != 0.0f) {
                add(i);
                any = true;
            }
    }
    if (any)
        for (int j = 0; j < units_; ++j)
            s.potential[j] += drive_[j];
}

void CooperativeStep::accumulate(LayerState& s, const RuleConstants& c,
                                 std::span<const std::int32_t> spikes) {
    // Adding y_i = 0 changes nothing: the specification's dense loop, on the support only.
    if (c.trace_decay == 0.0f) {
        for (std::int32_t i : spikes)
            s.residual[i] += s.trace[i];
        return;
    }
    for (int i = 0; i < inputs_; ++i)
        if (s.trace[i] != 0.0f)
            s.residual[i] += s.trace[i];
}

void CooperativeStep::conclude(LayerState& s, const RuleConstants& c,
                               std::span<const std::int32_t> winners, int step) {
    for (std::int32_t k : winners) {
        // inhibitByOverlap with <w_j, w_k> = G_jk = G_kj, before STDP moves w_k.
        const float* overlap = gram_.data() + static_cast<std::size_t>(k) * units_;
        for (int j = 0; j < units_; ++j)
            s.potential[j] -= (j == k ? c.quantum : c.overlap * c.quantum) * overlap[j];
        s.refractory_left[k] = c.refractory;
        if (c.residual)
            feedBack(s, c, k);  // r -= q w_k, O(D)
        if (c.hurdle_inhibition > 0.0f && !s.active[k])
            inhibitByHurdle(s, c, k);  // O(K + D), at k's first spike in the patch
        if (tracksActive(c))
            recruit(s, c, k);  // O(K), at k's first spike in the patch
    }
    if (c.learn && c.residual) {
        for (std::int32_t k : winners) {
            residualLearning(s, c, k);  // O(D)
            if (c.onoff_opponency > 0.0f)
                opposeOnOff(s, c, k);
            updateGram(s, k);
        }
    } else if (c.learn && !winners.empty()) {
        causalInputs(s, c, step);
        for (std::int32_t k : winners) {
            stdp(s, c, k);  // O(D)
            if (c.onoff_opponency > 0.0f)
                opposeOnOff(s, c, k);
            updateGram(s, k);
        }
    }
    if (c.theta_adapt)
        adaptThreshold(s, c, winners);
}

void CooperativeStep::inhibitByHurdle(LayerState& s, const RuleConstants& c, int k) {
    // The specification's inhibitByHurdle with |w_k|^2 = G_kk and <w_j, w_k> = G_jk.
    int joined = 0;
    for (int j = 0; j < units_; ++j)
        joined += s.active[j];
    const float* overlap = gram_.data() + static_cast<std::size_t>(k) * units_;
    if (overlap[k] <= 0.0f)
        return;
    const float theta = s.thresholds.size() == 1 ? s.thresholds[0] : s.thresholds[k];
    const float b = hurdleAmplitude(c, joined, theta, overlap[k]);
    for (int j = 0; j < units_; ++j)
        if (j != k)
            s.potential[j] -= c.overlap * b * overlap[j];
    if (c.residual)
        for (int i = 0; i < inputs_; ++i)
            s.residual[i] -= b * s.w(i, k);
}

void CooperativeStep::updateGram(const LayerState& s, int k) {
    // <w_j, w_k> for every j at once, summed over i in the specification's order.
    std::ranges::fill(dots_, 0.0f);
    for (int i = 0; i < inputs_; ++i) {
        const float* row = s.weights.data() + static_cast<std::size_t>(i) * units_;
        const float wk = row[k];
        for (int j = 0; j < units_; ++j)
            dots_[j] += row[j] * wk;
    }
    for (int j = 0; j < units_; ++j) {
        gram_[static_cast<std::size_t>(k) * units_ + j] = dots_[j];
        gram_[static_cast<std::size_t>(j) * units_ + k] = dots_[j];
    }
}

void CooperativeStep::computeGram(const LayerState& s) {
    for (int k = 0; k < units_; ++k)
        updateGram(s, k);
    gram_valid_ = true;
}

}  // namespace stdp::model
