#include "model/RepresentationLayer.h"

#include "kernels/Simd.h"
#include "kernels/SpikeForms.h"
#include "kernels/StepDispatch.h"
#include "model/ModelSpecification.h"
#include "model/RepresentationLayerLearning.h"
#include "model/SpikeEncoder.h"

#include <Eigen/Core>
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace stdp {

namespace {
// A trace below the cutoff is dropped from the support list: exp decay never reaches 0 exactly
// and would otherwise make integration dense (D x K per step) instead of event-driven.
using model::kTraceCutoff;
// Whether a step of shape S decides in one pass (decideBasic).
template <StepShape S>
constexpr bool kFusedDecision = S.basic&& S.units != 0 && S.units <= simd::kRowSumWidth;
#if STDP_PLAIN_STEP
// The specification's rules in the shape of model::CooperativeStep, for stepsByRules().
struct SpecificationRules {
    std::size_t decide(model::LayerState& s, const model::RuleConstants& c,
                       std::span<const std::int32_t> spikes, int step,
                       std::span<std::int32_t> winners) {
        return model::decide(s, c, spikes, step, winners);
    }
    void conclude(model::LayerState& s, const model::RuleConstants& c,
                  std::span<const std::int32_t> winners, int step) {
        model::conclude(s, c, winners, step);
    }
};
#endif
}  // namespace

template <StepShape S, class Spikes>
STDP_PHASE void RepresentationLayer::updateTrace(const Spikes& spikes) {
    spiked_now_ = spikes.any();
    if constexpr (S.basic)
        return;
    // Spike history is only read by a windowed STDP (eps > 0); a live switch to eps > 0 thus
    // sees the spikes from that step on (the current patch's earlier ones count as old).
    if (dynamics_.epsilon > 0)
        spikes.forEach([&](std::int32_t i) { last_spike_[i] = patch_step_; });
    if (rules_.trace_decay == 0.0f)
        return;  // y = x: integrate() reads the spikes directly
    std::size_t kept = 0;
    for (std::int32_t i : trace_support_) {
        trace_[i] *= rules_.trace_decay;
        if (trace_[i] < kTraceCutoff) {
            trace_[i] = 0.0f;
            in_support_[i] = 0;
        } else {
            trace_support_[kept++] = i;
        }
    }
    trace_support_.resize(kept);
    spikes.forEach([&](std::int32_t i) {
        trace_[i] += 1.0f;
        if (!in_support_[i]) {
            in_support_[i] = 1;
            trace_support_.push_back(i);
        }
    });
}

template <StepShape S, class Spikes>
STDP_PHASE void RepresentationLayer::integrate(const Spikes& spikes) {
    // Event-driven: only inputs that carry a spike (or a trace) cost anything; the K weights of
    // one input are contiguous, so each costs one vector add over K.
    const float* w = stored_.data();
    const int k = width<S>();
    float* drive = drive_.data();
    if constexpr (S.basic && S.units != 0 && S.units <= simd::kRowSumWidth) {
        // Memoryless, no bias: U_j = scale_j drive_j straight from the registers of the sum.
        simd::sumRowsFixed<S.units>(potential_.data(), w, spikes, scale_.data());
        return;
    }
    if (S.basic || rules_.trace_decay == 0.0f) {
        if constexpr (S.units != 0 && S.units <= simd::kRowSumWidth)
            simd::sumRowsFixed<S.units>(drive, w, spikes);
        else
            simd::sumRows(drive, w, k, spikes, k);
    } else {
        std::fill(drive, drive + k, 0.0f);
        for (std::int32_t i : trace_support_)
            simd::addScaled(drive, trace_[i], w + static_cast<std::ptrdiff_t>(i) * k, k);
    }
    // U_j = decay U_j + scale_j drive_j - beta/2 |w_j|^2, with |w_j|^2 = scale_j^2 |stored_j|^2
    float* u = potential_.data();
    const float* sc = scale_.data();
    simd::leakyProduct(u, S.basic ? 0.0f : rules_.membrane_decay, sc, drive, k);
    if (!S.basic && rules_.bias_scale != 0.0f) {
        const float* n2 = stored_norm2_.data();
        const float b = rules_.bias_scale;
        for (int j = 0; j < k; ++j)
            u[j] -= b * (sc[j] * sc[j]) * n2[j];
    }
}

template <StepShape S>
STDP_PHASE void RepresentationLayer::inhibit() {
    // With no input, no memory and no bias every potential is 0: the softmax is uniform.
    if (!spiked_now_ && (S.basic || (rules_.membrane_decay == 0.0f && trace_support_.empty() &&
                                     rules_.bias_scale == 0.0f))) {
        std::fill(exp_.begin(), exp_.end(), 1.0f);
        exp_sum_ = static_cast<float>(width<S>());
        return;
    }
    // The shift keeps exp() in range and leaves the softmax unchanged. A fixed one (see
    // deriveConstants) spares the step the wait for the maximum of the potentials.
    const int k = width<S>();
    const float shift = S.basic || preconditions_.softmax_range_bounded
                            ? fixed_shift_
                            : simd::max(potential_.data(), k) * rules_.inv_temperature;
    // A plain layer's shift keeps every argument above -kFixedShiftRange: no clamp needed.
    exp_sum_ = simd::expShiftedSum<!S.basic>(potential_.data(), exp_.data(), k,
                                             rules_.inv_temperature, shift);
}

std::vector<float> RepresentationLayer::softmax() const {
    const float inv = 1.0f / exp_sum_;
    std::vector<float> p(static_cast<std::size_t>(units_));
    for (int j = 0; j < units_; ++j)
        p[static_cast<std::size_t>(j)] = exp_[j] * inv;
    return p;
}

template <StepShape S>
STDP_PHASE void RepresentationLayer::fire() {
    // P_j >= theta_j  <=>  exp_j >= theta_j * sum: no division per neuron.
    fired_count_ = 0;
    const float* e = exp_.data();
    std::int32_t* out = fired_.data();
    std::size_t n = 0;
    if (S.basic || (theta_.size() == 1 && dynamics_.refractory == 0)) {
        const float bar = theta_[0] * exp_sum_;
        // No exp_j exceeds 1 (the shift is at least the largest U_j / tau_s): above, none fires.
        if (bar <= 1.0f) {
            if constexpr (S.units != 0)
                n = simd::indicesAtLeastFixed<S.units>(e, bar, out);
            else
                n = simd::indicesAtLeast(e, width<S>(), bar, out);
        }
    } else {
        const bool global = theta_.size() == 1;
        for (int j = 0; j < units_; ++j) {
            if (refractory_left_[j] > 0) {
                --refractory_left_[j];
                continue;
            }
            if (e[j] >= (global ? theta_[0] : theta_[j]) * exp_sum_)
                out[n++] = j;
        }
    }
    fired_count_ = n;
    settleWinners<S>();
}

// The winners' potentials as they fired, their reset, refractoriness and win counts.
template <StepShape S>
STDP_PHASE void RepresentationLayer::settleWinners() {
    for (std::size_t k = 0; k < fired_count_; ++k)
        settleWinner<S>(k, fired_[k]);
}

// Winner j, the k-th of the step.
template <StepShape S>
STDP_PHASE void RepresentationLayer::settleWinner(std::size_t k, int j) {
    fired_potential_[k] = potential_[j];
    if (dynamics_.reset)
        potential_[j] = 0.0f;
    if (!S.basic)
        refractory_left_[j] = dynamics_.refractory;
    ++wins_[j];
}

// integrate(), inhibit() and fire() of a basic layer of a width known at compile time, for a
// step with input spikes, in one pass whose values stay in registers (simd::decideBasicFixed).
// Returns the winners as a bit mask, which settleBasic and learning read from the register
// instead of waiting for the list of indices to be written and read back.
template <StepShape S, class Spikes>
STDP_PHASE std::uint64_t RepresentationLayer::decideBasic(const Spikes& spikes,
                                                          const simd::ExpVectors& exp_vectors,
                                                          bool record) {
    std::uint64_t hits = 0;
    if constexpr (kFusedDecision<S>)
        hits = simd::decideBasicFixed<S.units, S.isa>(
            stored_.data(), spikes, scale_.data(), exp_gain_.data(), exp_vectors, theta_[0],
            potential_.data(), exp_.data(), exp_sum_, record);
    return hits;
}

// The winners of decideBasic, listed in fired_ and settled in one pass over their mask, where
// listing and settling each walked them (two loops whose exits the number of winners decides).
// Unrecorded (see stepWith), only what later steps read: the win counts and their number.
template <StepShape S>
STDP_PHASE void RepresentationLayer::settleBasic(std::uint64_t winners, bool record) {
    if (!record) {
        for (std::uint64_t m = winners; m != 0; m &= m - 1)
            ++wins_[static_cast<std::size_t>(std::countr_zero(m))];
        fired_count_ = static_cast<std::size_t>(std::popcount(winners));
        return;
    }
    std::size_t k = 0;
    for (std::uint64_t m = winners; m != 0; m &= m - 1, ++k) {
        const int j = std::countr_zero(m);
        fired_[k] = j;
        settleWinner<S>(k, j);
    }
    fired_count_ = k;
}

// The simulation step of the paper, one phase per line.
// exp_vectors: the exponential's constants and the fixed shift (decideBasic), made once per run.
// record: keep what only an observer or the layer's state after the run shows (potentials,
// softmax, the winners' list and potentials, the reset); the fused step skips it otherwise.
template <StepShape S, class Spikes>
STDP_PHASE int RepresentationLayer::stepWith(const Spikes& spikes, StepObserver* observer,
                                             const simd::ExpVectors& exp_vectors, bool record) {
    updateTrace<S>(spikes);  // presynaptic trace y(t) from the input spikes x(t)
    if (kFusedDecision<S> && spiked_now_) {
        // The next three in one pass.
        const SpikeBits winners{decideBasic<S>(spikes, exp_vectors, record)};
        settleBasic<S>(winners.bits, record);
        if (dynamics_.learn)
            learn<S>(spikes, winners);
    } else {
        integrate<S>(spikes);  // membrane U_j(t) = decay U_j(t-1) + sum_i W_ij y_i(t) (- bias)
        inhibit<S>();          // lateral inhibition: P = softmax(U / tau_s)
        fire<S>();             // WTA threshold: z_j = [P_j >= theta_j], reset, refractoriness
        if (dynamics_.learn)   // event-based STDP for each neuron that fired
            learn<S>(spikes, SpikeList{{fired_.data(), fired_count_}});
    }
    if (dynamics_.theta_adapt)
        adaptThreshold<S>();  // theta += rho (n_fired - 1)
    if (observer)
        observer->onStep(*this, spikes.indices(observed_));  // record
    ++tick_;
    ++patch_step_;
    return static_cast<int>(fired_count_);
}

template <StepShape S, class Steps>
STDP_PHASE std::uint64_t RepresentationLayer::stepsWith(const Steps& steps, int first, int last,
                                                        StepObserver* observer) {
    std::uint64_t fired = 0;
    // Made here, before the loop, so that the step reads them instead of building them anew.
    const simd::ExpVectors exp_vectors = simd::expVectors<S.isa>(exp_shift_);
    // Every step an observer sees is recorded, and the last, whose state the layer then shows.
    for (int t = first; t < last; ++t)
        fired += static_cast<std::uint64_t>(
            stepWith<S>(steps.at(t), observer, exp_vectors, observer != nullptr || t + 1 == last));
    return fired;
}

template <class Steps>
std::uint64_t RepresentationLayer::run(const Steps& steps, int first, int last,
                                       StepObserver* observer) {
#if STDP_PLAIN_STEP
    SpecificationRules specification;
    return stepsByRules(specification, steps, first, last, observer);
#else
    if (rules_.amplitude)
        return stepsByRules(cooperative_, steps, first, last, observer);
    cooperative_.invalidate();  // this step learns W its own way
    return onStepInstructionSet([&]<InstructionSet Isa>() STDP_PHASE_LAMBDA {
        return withStepShape<Isa>(units_, preconditions_.basic,
                                  [&]<StepShape S>() STDP_PHASE_LAMBDA {
                                      return stepsWith<S>(steps, first, last, observer);
                                  });
    });
#endif
}

std::uint64_t RepresentationLayer::steps(std::span<const std::int32_t> indices,
                                         std::span<const std::int32_t> offsets, int first, int last,
                                         StepObserver* observer) {
    return run(ListSteps{indices.data(), offsets.data()}, first, last, observer);
}

std::uint64_t RepresentationLayer::stepsMasked(std::span<const std::uint64_t> masks, int first,
                                               int last, StepObserver* observer) {
    if (inputs_ > kMaxMaskInputs)
        throw std::logic_error("stepsMasked: the layer has more than 64 inputs");
    return run(MaskSteps{masks.data()}, first, last, observer);
}

// The specification's state as the step: W is held unscaled (scale_ 1) and the rules run on it,
// as ModelSpecification.cpp writes them (with STDP_PLAIN_STEP, for debugging and profiling
// against the optimised step) or as model::CooperativeStep keeps them (amplitude coding).
template <class Rules, class Steps>
std::uint64_t RepresentationLayer::stepsByRules(Rules& rules, const Steps& steps, int first,
                                                int last, StepObserver* observer) {
    for (int j = 0; j < units_; ++j)
        foldScale(j);  // a no-op once every scale is 1
    trace_dense_ = true;
    model::LayerState state;
    state.inputs = inputs_;
    state.units = units_;
    state.weights = {stored_.data(), stored_.size()};
    state.thresholds = theta_;
    state.trace = trace_;
    state.last_spike = last_spike_;
    state.potential = {potential_.data(), potential_.size()};
    state.softmax = {exp_.data(), exp_.size()};
    state.refractory_left = refractory_left_;
    state.causal = causal_mask_;
    state.residual = residual_;
    state.active = active_;
    std::uint64_t fired = 0;
    for (int t = first; t < last; ++t) {
        const auto spikes = steps.at(t).indices(observed_);
        fired_count_ = rules.decide(state, rules_, spikes, patch_step_, fired_);
        exp_sum_ = 1.0f;  // exp_ holds P itself
        const std::span<const std::int32_t> winners{fired_.data(), fired_count_};
        for (std::size_t k = 0; k < fired_count_; ++k) {
            fired_potential_[k] = potential_[fired_[k]];
            ++wins_[fired_[k]];
        }
        rules.conclude(state, rules_, winners, patch_step_);
        if (rules_.learn && rules_.epsilon > 0 && fired_count_ > 0) {
            causal_.clear();
            for (int i = 0; i < inputs_; ++i)
                if (causal_mask_[i])
                    causal_.push_back(i);
        }
        if (observer)
            observer->onStep(*this, spikes);
        ++tick_;
        ++patch_step_;
        fired += fired_count_;
    }
    if (rules_.learn && rules_.bias_scale != 0.0f)
        for (int j = 0; j < units_; ++j)
            updateNorm(j);  // the specification's STDP does not follow the norms
    return fired;
}

int RepresentationLayer::step(std::span<const std::int32_t> spikes, StepObserver* observer) {
    const std::int32_t offsets[] = {0, static_cast<std::int32_t>(spikes.size())};
    return static_cast<int>(steps(spikes, offsets, 0, 1, observer));
}

}  // namespace stdp
