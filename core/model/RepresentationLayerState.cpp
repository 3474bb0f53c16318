#include "model/RepresentationLayer.h"

#include "kernels/FastMath.h"
#include "kernels/Simd.h"
#include "model/SpikeEncoder.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stdp {

namespace {
using model::kNeverSpiked;
constexpr std::uint64_t kWeightStream = 0;  // RNG stream of the initial weights
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
    active_.assign(units_, 0);
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
        std::fill(active_.begin(), active_.end(), std::uint8_t{0});
    }
    std::fill(last_spike_.begin(), last_spike_.end(), kNeverSpiked);
    std::fill(refractory_left_.begin(), refractory_left_.end(), 0);
    fired_count_ = 0;
    patch_step_ = 0;
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
