// Analytic checks of the model: trace and membrane decay against their closed forms, softmax
// invariants, the WTA bound, the STDP update and its fixed point, the threshold rule; fields in
// pixel space and as grey levels; the frozen layer of evaluation. (Settings and presets:
// test_settings_presets.cpp; the optimised step against the plain model: test_optimised_step.cpp.)

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "analysis/Evaluator.h"
#include "foundation/Random.h"
#include "foundation/Settings.h"
#include "model/FieldGrey.h"
#include "model/ModelSpecification.h"
#include "model/Presets.h"
#include "model/RepresentationLayer.h"

using namespace stdp;

namespace {

// A layer whose neurons never fire (two identical neurons: P = 0.5 < theta0 = 0.9), so the
// membrane can be watched without resets.
RepresentationLayer silentPair(double tau_m, double trace_tau) {
    StructureSettings st;
    st.patch_size = 2;
    st.units = 2;
    st.theta0 = 0.9;
    DynamicsSettings d;
    d.tau_m = tau_m;
    d.trace_tau = trace_tau;
    d.learn = false;
    d.theta_adapt = false;
    RepresentationLayer layer(st, d);
    WeightMatrix w = WeightMatrix::Zero(4, 2);
    w(0, 0) = w(0, 1) = 1.0f;
    layer.setWeights(w);
    return layer;
}

std::vector<double> potentialAfterOneSpike(RepresentationLayer& layer, int steps) {
    const std::int32_t input0[] = {0};
    std::vector<double> u;
    layer.beginPatch();
    for (int t = 0; t < steps; ++t) {
        if (t == 0)
            layer.step(input0);
        else
            layer.step({});
        EXPECT_EQ(layer.fired().size(), 0u);
        u.push_back(layer.potentials()[0]);
    }
    return u;
}

constexpr double kDecayTolerance = 1e-5;  // float state, relative to a unit spike

}  // namespace

TEST(TraceDecay, MatchesExponential) {
    const double tau = 3.5;
    RepresentationLayer layer = silentPair(0.0, tau);
    const auto u = potentialAfterOneSpike(layer, 30);
    // Memoryless membrane: U(t) = y(t) = exp(-t / tau) after a spike at t = 0.
    for (int t = 0; t < 30; ++t) {
        const double expected = std::exp(-t / tau);
        if (expected < 1e-6)
            break;  // below the trace cut-off the trace is dropped
        EXPECT_NEAR(u[t], expected, kDecayTolerance) << "t=" << t;
    }
}

TEST(TraceDecay, RawSpikesWhenTauIsZero) {
    RepresentationLayer layer = silentPair(0.0, 0.0);
    const auto u = potentialAfterOneSpike(layer, 5);
    EXPECT_DOUBLE_EQ(u[0], 1.0);
    for (int t = 1; t < 5; ++t)
        EXPECT_DOUBLE_EQ(u[t], 0.0);
}

TEST(MembraneDecay, MatchesExponential) {
    const double tau_m = 7.0;
    RepresentationLayer layer = silentPair(tau_m, 0.0);
    const auto u = potentialAfterOneSpike(layer, 40);
    for (int t = 0; t < 40; ++t)
        EXPECT_NEAR(u[t], std::exp(-t / tau_m), kDecayTolerance);
}

TEST(MembraneDecay, TraceAndMembraneConvolve) {
    // U(t) = sum_{s<=t} a^(t-s) b^s = (a^(t+1) - b^(t+1)) / (a - b)
    const double tau_m = 6.0, tau = 2.0;
    const double a = std::exp(-1.0 / tau_m), b = std::exp(-1.0 / tau);
    RepresentationLayer layer = silentPair(tau_m, tau);
    const auto u = potentialAfterOneSpike(layer, 25);
    for (int t = 0; t < 25; ++t)
        EXPECT_NEAR(u[t], (std::pow(a, t + 1) - std::pow(b, t + 1)) / (a - b), 1e-4) << t;
}

TEST(MembraneDecay, ResetAfterSpike) {
    StructureSettings st;
    st.patch_size = 1;
    st.units = 1;  // a single neuron always has P = 1 and fires
    DynamicsSettings d;
    d.tau_m = 100.0;
    d.learn = false;
    d.theta_adapt = false;
    RepresentationLayer layer(st, d);
    layer.setWeights(WeightMatrix::Constant(1, 1, 0.5f));
    const std::int32_t in[] = {0};
    layer.beginPatch();
    layer.step(in);
    EXPECT_EQ(layer.fired().size(), 1u);
    EXPECT_EQ(layer.potentials()[0], 0.0f);
}

TEST(Softmax, SumsToOneAndFollowsTemperature) {
    StructureSettings st;
    st.patch_size = 3;
    st.units = 16;
    st.theta0 = 0.99;
    st.seed = 5;
    for (double temperature : {0.25, 1.0, 4.0}) {
        DynamicsSettings d;
        d.temperature = temperature;
        d.learn = false;
        d.theta_adapt = false;
        RepresentationLayer layer(st, d);
        const std::int32_t in[] = {0, 2, 4, 7};
        layer.beginPatch();
        layer.step(in);
        const auto p = layer.softmax();
        const auto u = layer.potentials();
        double sum = 0.0;
        for (float v : p)
            sum += v;
        EXPECT_NEAR(sum, 1.0, 1e-5);
        // P_i / P_j = exp((U_i - U_j) / tau_s)
        for (int j = 1; j < 16; ++j)
            EXPECT_NEAR(std::log(double(p[0]) / p[j]), (u[0] - u[j]) / temperature, 1e-4);
    }
}

TEST(Softmax, ThetaAtLeastHalfAllowsOneSpikePerStep) {
    StructureSettings st;
    st.patch_size = 4;
    st.units = 8;
    st.theta0 = 0.5;
    DynamicsSettings d;
    d.theta_adapt = false;
    d.temperature = 0.05;  // hard competition: the winner often passes 0.5
    RepresentationLayer layer(st, d);
    Rng rng(3);
    std::vector<std::int32_t> in;
    int steps_with_spike = 0;
    for (int t = 0; t < 20000; ++t) {
        in.clear();
        for (int i = 0; i < 16; ++i)
            if (rng.uniform() < 0.3)
                in.push_back(i);
        const int n = layer.step(in);
        ASSERT_LE(n, 1) << "step " << t;
        steps_with_spike += n;
    }
    EXPECT_GT(steps_with_spike, 1000);  // the bound is not met by never firing
}

TEST(Stdp, SingleUpdateIsTheRule) {
    StructureSettings st;
    st.patch_size = 1;
    st.units = 1;
    st.onoff = true;  // two inputs: one spikes (LTP), one does not (LTD)
    DynamicsSettings d;
    d.mu = 0.1;
    d.mu_d_ratio = 0.5;
    d.lambda = 0.2;
    d.theta_adapt = false;
    RepresentationLayer layer(st, d);
    WeightMatrix w(2, 1);
    w << 0.4f, 0.6f;
    layer.setWeights(w);
    const std::int32_t in[] = {0};
    layer.beginPatch();
    layer.step(in);
    // LTP: w += mu (1 - w (1 + lambda));  LTD: w -= mu_d w (1 + lambda)
    EXPECT_NEAR(layer.weights()(0, 0), 0.4 + 0.1 * (1 - 0.4 * 1.2), 1e-7);
    EXPECT_NEAR(layer.weights()(1, 0), 0.6 - 0.05 * 0.6 * 1.2, 1e-7);
}

TEST(Stdp, WindowEpsilonCountsRecentSpikes) {
    StructureSettings st;
    st.patch_size = 1;
    st.units = 1;
    st.onoff = true;
    DynamicsSettings d;
    d.mu = 0.1;
    d.epsilon = 2;
    d.theta_adapt = false;
    RepresentationLayer layer(st, d);
    WeightMatrix w(2, 1);
    w << 0.5f, 0.5f;
    layer.setWeights(w);
    const std::int32_t in[] = {0};
    layer.beginPatch();
    layer.step(in);  // t = 0: input 0 spikes
    layer.step({});  // t = 1, 2: input 0 still within the window -> LTP
    layer.step({});
    const float before = layer.weights()(0, 0);
    layer.step({});  // t = 3: outside [t - 2, t] -> LTD
    EXPECT_LT(layer.weights()(0, 0), before);
    EXPECT_GT(before, 0.5f);
}

struct FixedPointCase {
    double p;
    double ratio;
};

class StdpFixedPoint : public ::testing::TestWithParam<FixedPointCase> {};

// A neuron that wins every step on an input spiking with probability p converges (in mean) to
// w* = p / (p + (mu_d/mu)(1 - p)), the zero of the expected drift p mu (1-w) - (1-p) mu_d w.
TEST_P(StdpFixedPoint, ConvergesToPredictedWeight) {
    const auto [p, ratio] = GetParam();
    StructureSettings st;
    st.patch_size = 1;
    st.units = 1;
    DynamicsSettings d;
    d.mu = 0.002;
    d.mu_d_ratio = ratio;
    d.theta_adapt = false;
    RepresentationLayer layer(st, d);
    Rng rng(11);
    const std::int32_t spike[] = {0};
    const int burn_in = 20000, measure = 200000;
    double sum = 0.0;
    for (int t = 0; t < burn_in + measure; ++t) {
        if (rng.uniform() < p)
            layer.step(spike);
        else
            layer.step({});
        if (t >= burn_in)
            sum += layer.weights()(0, 0);
    }
    const double expected = p / (p + ratio * (1.0 - p));
    // Time average over 2e5 steps: std of w is ~sqrt(mu/2) ~ 0.03, correlation time ~1/mu
    // steps, so the mean is known to ~0.03/sqrt(200) ~ 0.002; 0.01 leaves a wide margin.
    EXPECT_NEAR(sum / measure, expected, 0.01) << "p=" << p << " ratio=" << ratio;
}

INSTANTIATE_TEST_SUITE_P(Table, StdpFixedPoint,
                         ::testing::Values(FixedPointCase{0.1, 0.75}, FixedPointCase{0.3, 0.75},
                                           FixedPointCase{0.5, 0.75}, FixedPointCase{0.8, 0.75},
                                           FixedPointCase{0.5, 1.0}, FixedPointCase{0.2, 2.0}));

TEST(Threshold, GlobalRuleMovesByRhoTimesExcess) {
    StructureSettings st;
    st.patch_size = 1;
    st.units = 1;
    st.theta0 = 0.5;
    DynamicsSettings d;
    d.rho = 0.01;
    d.learn = false;
    RepresentationLayer layer(st, d);
    const std::int32_t in[] = {0};
    layer.step(in);  // one neuron fires: theta += rho (1 - 1) = 0
    EXPECT_FLOAT_EQ(layer.thresholds()[0], 0.5f);
    layer.setThresholds({1.0f});  // P = 1 >= 1 still fires; check the no-spike branch instead
    StructureSettings st2 = st;
    st2.units = 4;
    st2.theta0 = 0.9;  // 4 equal neurons: P = 0.25 < 0.9, nothing fires
    RepresentationLayer quiet(st2, d);
    quiet.setWeights(WeightMatrix::Constant(1, 4, 0.5f));
    quiet.step(in);
    EXPECT_NEAR(quiet.thresholds()[0], 0.9 - 0.01, 1e-7);
}

TEST(Threshold, PerNeuronMeanFollowsGlobalRule) {
    StructureSettings st;
    st.patch_size = 3;
    st.units = 8;
    st.theta0 = 0.2;
    st.theta_mode = ThresholdMode::PerNeuron;
    DynamicsSettings d;
    d.rho = 1e-3;
    d.learn = false;
    RepresentationLayer layer(st, d);
    Rng rng(2);
    std::vector<std::int32_t> in;
    for (int t = 0; t < 500; ++t) {
        in.clear();
        for (int i = 0; i < 9; ++i)
            if (rng.uniform() < 0.4)
                in.push_back(i);
        const double before = layer.meanThreshold();
        const int n = layer.step(in);
        EXPECT_NEAR(layer.meanThreshold() - before, 1e-3 * (n - 1), 1e-5) << t;
    }
}

// w_on - w_off, one field or all at once, and the grey levels every view and export uses.
TEST(FieldGrey, SignedFieldsAndTheirGreys) {
    constexpr int p = 2;
    WeightMatrix w(2 * p * p, 3);
    for (Eigen::Index i = 0; i < w.rows(); ++i)
        for (Eigen::Index j = 0; j < w.cols(); ++j)
            w(i, j) = static_cast<float>(i + 1) * 0.05f + static_cast<float>(j) * 0.1f;
    const Eigen::MatrixXf all = pixelFilters(w, p, true);
    std::vector<float> one;
    for (int j = 0; j < 3; ++j) {
        fieldValues(w, j, p, true, one);
        ASSERT_EQ(one.size(), std::size_t{p * p});
        for (int k = 0; k < p * p; ++k) {
            EXPECT_EQ(one[static_cast<std::size_t>(k)], w(k, j) - w(k + p * p, j));
            EXPECT_EQ(all(k, j), one[static_cast<std::size_t>(k)]);
        }
    }
    // A signed field's zero and a flat field are the same grey.
    EXPECT_EQ(greyLevel(0.0f, valueRange(std::vector<float>{-0.4f, 0.1f}, true)), kMidGrey);
    EXPECT_EQ(greyLevel(0.3f, GreyRange{0.3f, 0.3f}), kMidGrey);
    EXPECT_EQ(greyLevel(-1.0f, GreyRange{-0.5f, 0.5f}), 0);
    EXPECT_EQ(greyLevel(0.5f, GreyRange{-0.5f, 0.5f}), 255);
}

// Evaluation's layer: the trained weights and thresholds, STDP and threshold adaptation off.
TEST(FrozenLayer, KeepsWeightsAndThresholdsAndLearnsNothing) {
    const Settings s = presetSettings("ngc-mnist");
    RepresentationLayer trained(s.structure, s.dynamics);
    std::vector<float> theta = trained.thresholds();
    theta.front() = 0.3f;
    const RepresentationLayer frozen = frozenLayer(s, trained.weights(), theta);
    EXPECT_FALSE(frozen.dynamics().learn);
    EXPECT_FALSE(frozen.dynamics().theta_adapt);
    EXPECT_EQ(frozen.weights(), trained.weights());
    EXPECT_EQ(frozen.thresholds(), theta);
    EXPECT_THROW(frozenLayer(s, trained.weights(), {0.1f, 0.2f}), UserError);
}
