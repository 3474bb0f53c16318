#include "model/RepresentationLayer.h"

#include "kernels/Simd.h"
#include "kernels/SpikeForms.h"
#include "kernels/StepDispatch.h"
#include "model/ModelSpecification.h"
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
using model::kNeverSpiked;
using model::kTraceCutoff;
constexpr std::uint64_t kWeightStream = 0;  // RNG stream of the initial weights
}  // namespace

namespace {
// A neuron's LTD scale is folded back into its stored weights below this, long before float
// precision matters (about every 18,000 spikes of a neuron at the authors' mu_d).
constexpr float kMinScale = 1e-3f;
// The widest range of U / tau_s over which the softmax is shifted by a constant (exp(-64)
// ~ 1.6e-28).
constexpr double kFixedShiftRange = 64.0;
// The incrementally kept sum of squares is recomputed exactly after this many updates.
constexpr std::uint32_t kNormRefresh = 4096;
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

RepresentationLayer::RepresentationLayer(const StructureSettings& structure,
                                         const DynamicsSettings& dynamics)
    : structure_(structure),
      dynamics_(dynamics),
      inputs_(structure.inputs()),
      units_(structure.units),
      cooperative_(structure.inputs(), structure.units) {
    Settings check;
    check.structure = structure;
    check.dynamics = dynamics;
    validate(check);
    stored_.assign(static_cast<std::size_t>(inputs_) * units_, 0.0f);
    scale_.assign(units_, 1.0f);
    exp_gain_.assign(units_, 0.0f);
    next_ltp_.assign(units_, NextLtp{});
    stored_norm2_.assign(units_, 0.0f);
    norm_age_.assign(units_, 0);
    drive_.assign(units_, 0.0f);
    causal_.reserve(inputs_);
    observed_.assign(inputs_, 0);
    causal_mask_.assign(inputs_, 0);
    residual_.assign(inputs_, 0.0f);
    potential_.assign(units_, 0.0f);
    exp_.assign(units_, 0.0f);
    trace_.assign(inputs_, 0.0f);
    trace_support_.reserve(inputs_);
    in_support_.assign(inputs_, 0);
    last_spike_.assign(inputs_, kNeverSpiked);
    refractory_left_.assign(units_, 0);
    fired_.assign(static_cast<std::size_t>(units_) + simd::kWidth, 0);  // + compaction slack
    fired_potential_.assign(static_cast<std::size_t>(units_), 0.0f);
    wins_.assign(units_, 0);
    deriveConstants();
    reset();
}

void RepresentationLayer::reset() {
    Rng rng(Rng::mix(structure_.seed, kWeightStream));
    // Row-major fill order (input-major) fixes the initial weights for a given seed.
    for (int i = 0; i < inputs_; ++i)
        for (int j = 0; j < units_; ++j)
            stored_[static_cast<std::size_t>(i) * units_ + j] =
                static_cast<float>(rng.uniform(structure_.init_low, structure_.init_high));
    std::fill(scale_.begin(), scale_.end(), 1.0f);
    prepareAllLtp();
    const std::size_t n = structure_.theta_mode == ThresholdMode::Global ? 1 : units_;
    theta_.assign(n, static_cast<float>(structure_.theta0));
    for (int j = 0; j < units_; ++j)
        updateNorm(j);
    cooperative_.invalidate();
    clearWinCounts();
    tick_ = 0;
    beginPatch();
}

void RepresentationLayer::setDynamics(const DynamicsSettings& dynamics) {
    // The step relies on validated values (e.g. no clipping needed above 1): refuse anything else.
    Settings check;
    check.structure = structure_;
    check.dynamics = dynamics;
    validate(check);
    dynamics_ = dynamics;
    deriveConstants();
}

void RepresentationLayer::setLearningRateScale(double scale) {
    rate_scale_ = scale;
    deriveConstants();
}

void RepresentationLayer::deriveConstants() {
    // The rules' constants are the specification's (ModelSpecification.h), so both round alike.
    rules_ = model::ruleConstants(dynamics_, rate_scale_);
    prepareAllLtp();  // the gains depend on mu, mu_d and lambda, the exp gains on tau_s
    // Bounds of U from those of its terms (weights in [0, 1], |w_j|^2 <= D, a trace sums
    // geometrically decaying spikes, so does a leaky membrane). When U / tau_s spans little
    // enough, shifting by its upper bound keeps every exp() between exp(-kFixedShiftRange) and 1,
    // far inside the normal floats, and the largest exp_j may then be below 1.
    const double memory = 1.0 / (1.0 - rules_.membrane_decay);
    const double input_max = 1.0 / (1.0 - rules_.trace_decay);
    const double u_max = inputs_ * input_max * memory;
    const double u_min = -static_cast<double>(rules_.bias_scale) * inputs_ * memory;
    fixed_shift_ = static_cast<float>(u_max * rules_.inv_temperature);
    exp_shift_ = fixed_shift_ * expconst::kStepsPerE;
    preconditions_ = checkPreconditions(u_max, u_min);
    if (rules_.trace_decay == 0.0f) {
        // Switching to raw spikes: forget any trace left from before.
        for (std::int32_t i : trace_support_) {
            trace_[i] = 0.0f;
            in_support_[i] = 0;
        }
        trace_support_.clear();
    }
}

RepresentationLayer::Preconditions RepresentationLayer::checkPreconditions(double u_max,
                                                                           double u_min) const {
    Preconditions p;
    // LTD multiplies every weight of a winner by the one factor ltd_gain (then LTP rewrites the
    // causal ones), so a per-neuron scale can carry it: true while no weight is clipped from
    // below. A positive w_clip_min can bind on any weight: then every weight is visited.
    p.ltd_is_one_factor = rules_.w_min == 0.0f;
    p.softmax_range_bounded = (u_max - u_min) * rules_.inv_temperature <= kFixedShiftRange;
    p.basic = !rules_.amplitude && rules_.trace_decay == 0.0f && rules_.membrane_decay == 0.0f &&
              rules_.bias_scale == 0.0f && rules_.epsilon == 0 && rules_.refractory == 0 &&
              p.ltd_is_one_factor && p.softmax_range_bounded &&
              structure_.theta_mode == ThresholdMode::Global;
    return p;
}

void RepresentationLayer::beginPatch() {
    std::fill(potential_.begin(), potential_.end(), 0.0f);
    for (std::int32_t i : trace_support_) {
        trace_[i] = 0.0f;
        in_support_[i] = 0;
    }
    trace_support_.clear();
    if (kPlainStep || trace_dense_) {
        std::fill(trace_.begin(), trace_.end(), 0.0f);  // the specification keeps no support list
        trace_dense_ = kPlainStep || rules_.amplitude;
    }
    if (rules_.amplitude) {
        model::LayerState state;
        state.units = units_;
        state.thresholds = theta_;
        state.potential = {potential_.data(), potential_.size()};
        model::startPotentials(state, rules_);  // U_j = -h theta_j
        std::fill(residual_.begin(), residual_.end(), 0.0f);
    }
    std::fill(last_spike_.begin(), last_spike_.end(), kNeverSpiked);
    std::fill(refractory_left_.begin(), refractory_left_.end(), 0);
    fired_count_ = 0;
    patch_step_ = 0;
}

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
    for (std::size_t k = 0; k < fired_count_; ++k) {
        const int j = fired_[k];
        fired_potential_[k] = potential_[j];
        if (dynamics_.reset)
            potential_[j] = 0.0f;
        if (!S.basic)
            refractory_left_[j] = dynamics_.refractory;
        ++wins_[j];
    }
}

// integrate(), inhibit() and fire() of a basic layer of a width known at compile time, for a
// step with input spikes, in one pass whose values stay in registers (simd::decideBasicFixed).
template <StepShape S, class Spikes>
STDP_PHASE void RepresentationLayer::decideBasic(const Spikes& spikes) {
    if constexpr (kFusedDecision<S>) {
        const std::uint64_t hits =
            simd::decideBasicFixed<S.units, S.isa == InstructionSet::X86_64_V4>(
                stored_.data(), spikes, scale_.data(), exp_gain_.data(), exp_shift_, theta_[0],
                potential_.data(), exp_.data(), exp_sum_);
        fired_count_ = simd::setBitIndices(hits, fired_.data());
        settleWinners<S>();
    }
}

template <StepShape S, class Spikes>
STDP_PHASE void RepresentationLayer::learn(const Spikes& spikes) {
    if (fired_count_ == 0)
        return;
    // Inputs that spiked in [t - eps, t] are causal (LTP); all others are depressed (LTD).
    if (!S.basic && dynamics_.epsilon > 0) {
        const std::int32_t window_start = patch_step_ - dynamics_.epsilon;
        causal_.clear();
        for (int i = 0; i < inputs_; ++i)
            if (last_spike_[i] >= window_start)
                causal_.push_back(i);
        learnEach<S>(SpikeList{causal_});
    } else {
        learnEach<S>(spikes);
    }
}

template <StepShape S, class Causal>
STDP_PHASE void RepresentationLayer::learnEach(const Causal& causal) {
    for (std::size_t k = 0; k < fired_count_; ++k) {
        // The per-neuron LTD scale only where its precondition holds (checkPreconditions).
        if (!S.basic && !preconditions_.ltd_is_one_factor)
            learnEager(fired_[k], causal);
        else
            learnLazy<S>(fired_[k], causal);
    }
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
        if (next.scale < kMinScale) {  // LTD (almost) erases the weights: no scale can carry it
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
        if (norm_age_[j] >= kNormRefresh)
            updateNorm(j);
        else
            stored_norm2_[j] += norm_delta;
    }
    scale_[j] = next.scale;
    exp_gain_[j] = next.exp_gain;
    prepareLtp(j);
}

// Inlined into each clone of the step: called once per win, where a call into the portable code
// cost about 35 instructions (the call, a vzeroupper, the members reloaded) for a dozen of work.
STDP_PHASE void RepresentationLayer::prepareLtp(int j) {
    // The same expressions as before the win itself: the same bits as computing them then.
    const float old_scale = scale_[j];
    const float new_scale = old_scale * rules_.ltd_gain;
    next_ltp_[j] = new_scale < kMinScale
                       ? NextLtp{}
                       : NextLtp{new_scale, old_scale * rules_.ltp_gain / new_scale,
                                 rules_.ltp_bias / new_scale, expGain(new_scale)};
}

void RepresentationLayer::prepareAllLtp() {
    for (int j = 0; j < units_; ++j) {
        exp_gain_[j] = expGain(scale_[j]);
        prepareLtp(j);
    }
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

WeightMatrix RepresentationLayer::weights() const {
    // The stored form's rounding can put a weight at 1 a few ulps above it (W = scale * stored,
    // each rounded): clipping here keeps W in the rule's [0, 1] on every arithmetic path.
    WeightMatrix w(inputs_, units_);
    for (int i = 0; i < inputs_; ++i)
        for (int j = 0; j < units_; ++j)
            w(i, j) = std::clamp(stored_[static_cast<std::size_t>(i) * units_ + j] * scale_[j],
                                 0.0f, 1.0f);
    return w;
}

void RepresentationLayer::field(int j, std::span<float> out) const {
    const float s = scale_[static_cast<std::size_t>(j)];
    for (int i = 0; i < inputs_; ++i)
        out[static_cast<std::size_t>(i)] =
            std::clamp(stored_[static_cast<std::size_t>(i) * units_ + j] * s, 0.0f, 1.0f);
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

// The simulation step of the paper, one phase per line.
template <StepShape S, class Spikes>
STDP_PHASE int RepresentationLayer::stepWith(const Spikes& spikes, StepObserver* observer) {
    updateTrace<S>(spikes);  // presynaptic trace y(t) from the input spikes x(t)
    if (kFusedDecision<S> && spiked_now_) {
        decideBasic<S>(spikes);  // the next three in one pass
    } else {
        integrate<S>(spikes);  // membrane U_j(t) = decay U_j(t-1) + sum_i W_ij y_i(t) (- bias)
        inhibit<S>();          // lateral inhibition: P = softmax(U / tau_s)
        fire<S>();             // WTA threshold: z_j = [P_j >= theta_j], reset, refractoriness
    }
    if (dynamics_.learn)
        learn<S>(spikes);  // event-based STDP for each neuron that fired
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
    for (int t = first; t < last; ++t)
        fired += static_cast<std::uint64_t>(stepWith<S>(steps.at(t), observer));
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

void RepresentationLayer::updateNorm(int j) {
    const Eigen::Map<const WeightMatrix> stored(stored_.data(), inputs_, units_);
    stored_norm2_[j] = stored.col(j).squaredNorm();
    norm_age_[j] = 0;
}

void RepresentationLayer::setWeights(const WeightMatrix& w) {
    if (w.rows() != inputs_ || w.cols() != units_)
        throw UserError("weights have shape (" + std::to_string(w.rows()) + ", " +
                        std::to_string(w.cols()) + "), the layer needs (" +
                        std::to_string(inputs_) + ", " + std::to_string(units_) + ")");
    if (!w.allFinite() || w.minCoeff() < 0.0f || w.maxCoeff() > 1.0f)
        throw UserError("weights must be finite and in [0, 1]");
    std::copy(w.data(), w.data() + w.size(), stored_.begin());
    std::fill(scale_.begin(), scale_.end(), 1.0f);
    cooperative_.invalidate();
    prepareAllLtp();
    for (int j = 0; j < units_; ++j)
        updateNorm(j);
}

void RepresentationLayer::setThresholds(const std::vector<float>& theta) {
    const std::size_t n = structure_.theta_mode == ThresholdMode::Global ? 1 : units_;
    if (theta.size() != n)
        throw UserError("thresholds: expected " + std::to_string(n) + " value(s), got " +
                        std::to_string(theta.size()));
    for (float t : theta)
        if (!std::isfinite(t) || t < 0.0f || t > 1.0f)
            throw UserError("thresholds must be finite and in [0, 1]");
    theta_ = theta;
}

float RepresentationLayer::meanThreshold() const {
    return std::accumulate(theta_.begin(), theta_.end(), 0.0f) / static_cast<float>(theta_.size());
}

void RepresentationLayer::clearWinCounts() {
    std::fill(wins_.begin(), wins_.end(), 0);
}

}  // namespace stdp
