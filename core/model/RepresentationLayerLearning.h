#pragma once
// The representation layer's learning bookkeeping, inlined into each clone of the step: STDP on
// the winners by a per-neuron LTD scale (learnLazy) or weight by weight (learnEager), the
// threshold's adaptation, and the precomputed gains of each neuron's next win. Included by the
// files of RepresentationLayer only.

#include "kernels/Dispatch.h"
#include "kernels/FastMath.h"
#include "model/RepresentationLayer.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace stdp::layer_learning {
// A neuron's LTD scale is folded back into its stored weights below this, long before float
// precision matters (about every 18,000 spikes of a neuron at the authors' mu_d).
inline constexpr float kMinScale = 1e-3f;
// The incrementally kept sum of squares is recomputed exactly after this many updates.
inline constexpr std::uint32_t kNormRefresh = 4096;
}  // namespace stdp::layer_learning

namespace stdp {

// The winners as SpikeBits (a mask in a register) or a SpikeList (fired_), both in ascending
// order.
template <StepShape S, class Spikes, class Winners>
STDP_PHASE void RepresentationLayer::learn(const Spikes& spikes, const Winners& winners) {
    if (!winners.any())
        return;
    // Inputs that spiked in [t - eps, t] are causal (LTP); all others are depressed (LTD).
    if (!S.basic && dynamics_.epsilon > 0) {
        const std::int32_t window_start = patch_step_ - dynamics_.epsilon;
        causal_.clear();
        for (int i = 0; i < inputs_; ++i)
            if (last_spike_[i] >= window_start)
                causal_.push_back(i);
        learnEach<S>(winners, SpikeList{causal_});
    } else {
        learnEach<S>(winners, spikes);
    }
}

template <StepShape S, class Winners, class Causal>
STDP_PHASE void RepresentationLayer::learnEach(const Winners& winners, const Causal& causal) {
    // Two winners (a third of a paper-mnist run's steps) share one walk of the causal inputs.
    if constexpr (S.basic && std::is_same_v<Winners, SpikeBits>)
        if (std::popcount(winners.bits) == 2 && learnPairLazy<S>(winners.bits, causal))
            return;
    winners.forEach([&](std::int32_t j) {
        // The per-neuron LTD scale only where its precondition holds (checkPreconditions).
        if (!S.basic && !preconditions_.ltd_is_one_factor)
            learnEager(j, causal);
        else
            learnLazy<S>(j, causal);
    });
}

template <StepShape S, class Causal>
STDP_PHASE void RepresentationLayer::learnLazy(int j, const Causal& causal) {
    // LTD of all inputs:  w <- ltd_gain w            == scale_j <- ltd_gain scale_j;
    // LTP of the causal:  w <- ltp_gain w + mu       on the weight before LTD, stored anew under
    // the new scale. Validation keeps both maps inside [0, 1], so nothing needs clipping.
    NextLtp next = next_ltp_[j];
    if (next.scale == 0.0f) {
        // The scale would fall below kMinScale: fold it into the weights first.
        foldScale(j);
        const float old_scale = 1.0f;
        next.scale = rules_.ltd_gain;
        if (next.scale <
            layer_learning::kMinScale) {  // LTD (almost) erases the weights: no scale can carry it
            learnEager(j, causal);
            return;
        }
        next.gain = old_scale * rules_.ltp_gain / next.scale;
        next.bias = rules_.ltp_bias / next.scale;
        next.exp_gain = expGain(next.scale);
    }
    // Locals: stores through `col` could otherwise alias the members and force reloads.
    const float gain = next.gain;
    const float bias = next.bias;
    const std::ptrdiff_t stride = width<S>();
    float* col = stored_.data() + j;
    if (S.basic || rules_.bias_scale == 0.0f) {
#if defined(__GNUC__)
        // An opaque column pointer: GCC otherwise splits the address into base + j * 4 and adds
        // both to every row offset (two more instructions per update).
        asm("" : "+r"(col));
#endif
        causal.forEach([&](std::int32_t i) {
            float* w = col + static_cast<std::ptrdiff_t>(i) * stride;
            *w = *w * gain + bias;
        });
    } else {
        // The norm follows by increments; rounding is reset by an exact sum now and then.
        float norm_delta = 0.0f;
        std::uint32_t updates = 0;
        causal.forEach([&](std::int32_t i) {
            const float v = col[i * stride];
            const float updated = v * gain + bias;
            norm_delta += updated * updated - v * v;
            col[i * stride] = updated;
            ++updates;
        });
        norm_age_[j] += updates;
        if (norm_age_[j] >= layer_learning::kNormRefresh)
            updateNorm(j);
        else
            stored_norm2_[j] += norm_delta;
    }
    scale_[j] = next.scale;
    exp_gain_[j] = next.exp_gain;
    prepareLtp(j);
}

// learnLazy of the two winners in `winners`, in one walk of the causal inputs: each input's row
// holds both weights, so the walk (bit scan, row address, loop) is paid once for two updates.
// Every weight is updated once by the same expression, so the bits are learnLazy's. Returns false
// where a winner's scale must be folded first (learnLazy's rare path): nothing is changed then.
template <StepShape S, class Causal>
STDP_PHASE bool RepresentationLayer::learnPairLazy(std::uint64_t winners, const Causal& causal) {
    const int j0 = std::countr_zero(winners);
    const int j1 = std::countr_zero(winners & (winners - 1));
    const NextLtp next0 = next_ltp_[j0];
    const NextLtp next1 = next_ltp_[j1];
    if (next0.scale == 0.0f || next1.scale == 0.0f)
        return false;
    const float gain0 = next0.gain;
    const float bias0 = next0.bias;
    const float gain1 = next1.gain;
    const float bias1 = next1.bias;
    const std::ptrdiff_t stride = width<S>();
    float* rows = stored_.data();
    std::ptrdiff_t col0 = j0;
    std::ptrdiff_t col1 = j1;
#if defined(__GNUC__)
    asm("" : "+r"(rows), "+r"(col0), "+r"(col1));  // as in learnLazy: no split addresses
#endif
    causal.forEach([&](std::int32_t i) {
        float* row = rows + static_cast<std::ptrdiff_t>(i) * stride;
        row[col0] = row[col0] * gain0 + bias0;
        row[col1] = row[col1] * gain1 + bias1;
    });
    scale_[j0] = next0.scale;
    exp_gain_[j0] = next0.exp_gain;
    prepareLtp(j0);
    scale_[j1] = next1.scale;
    exp_gain_[j1] = next1.exp_gain;
    prepareLtp(j1);
    return true;
}

// Inlined into each clone of the step: called once per win, where a call into the portable code
// cost about 35 instructions (the call, a vzeroupper, the members reloaded) for a dozen of work.
STDP_PHASE void RepresentationLayer::prepareLtp(int j) {
    // The same expressions as before the win itself: the same bits as computing them then.
    const float old_scale = scale_[j];
    const float new_scale = old_scale * rules_.ltd_gain;
    next_ltp_[j] = new_scale < layer_learning::kMinScale
                       ? NextLtp{}
                       : NextLtp{new_scale, old_scale * rules_.ltp_gain / new_scale,
                                 rules_.ltp_bias / new_scale, expGain(new_scale)};
}

STDP_PHASE float RepresentationLayer::expGain(float scale) const {
    return scale * (rules_.inv_temperature * expconst::kStepsPerE);
}

template <class Causal>
void RepresentationLayer::learnEager(int j, const Causal& causal) {
    foldScale(j);
    causal.forEach([&](std::int32_t i) { causal_mask_[i] = 1; });
    const float lo = rules_.w_min;
    const std::ptrdiff_t stride = units_;
    float* col = stored_.data() + j;
    for (int i = 0; i < inputs_; ++i) {
        // The specification's update of one weight; validation keeps it at most 1.
        float& w = col[i * stride];
        const float updated =
            causal_mask_[i] ? model::potentiate(w, rules_) : model::depress(w, rules_);
        w = updated < lo ? lo : updated;
    }
    causal.forEach([&](std::int32_t i) { causal_mask_[i] = 0; });
    if (rules_.bias_scale != 0.0f)
        updateNorm(j);
}

template <StepShape S>
STDP_PHASE void RepresentationLayer::adaptThreshold() {
    const float rho = rules_.rho;
    const float floor = rules_.theta_floor;
    const float n = static_cast<float>(fired_count_);
    if (S.basic || theta_.size() == 1) {
        theta_[0] = std::clamp(theta_[0] + rho * (n - 1.0f), floor, 1.0f);
        return;
    }
    // Per neuron: theta_j += rho (K z_j - 1); the mean threshold follows the global rule while
    // each neuron is pushed toward firing on 1/K of the steps.
    const float k = static_cast<float>(width<S>());
    for (float& t : theta_)
        t = std::clamp(t - rho, floor, 1.0f);
    for (std::size_t f = 0; f < fired_count_; ++f) {
        float& t = theta_[fired_[f]];
        t = std::clamp(t + rho * k, floor, 1.0f);
    }
}

}  // namespace stdp
