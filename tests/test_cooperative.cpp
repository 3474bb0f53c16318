// Amplitude coding (docs/cooperative.md): integrate-and-fire neurons with reset by subtraction,
// inhibition by the overlap of fields, homeostatic thresholds and the additive read-out, checked
// against closed forms on hand-made layers, in the specification and in the layer alike.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <vector>

#include "analysis/Evaluator.h"
#include "analysis/GaborFit.h"
#include "data/Dataset.h"
#include "model/ModelSpecification.h"
#include "model/Presets.h"
#include "model/RepresentationLayer.h"
#include "model/TrainingSession.h"

using namespace stdp;

namespace {

constexpr int kInputs = 25;  // a 5x5 patch

Settings amplitudeSettings(int units, double quantum, double hurdle = 0.0) {
    Settings s;
    s.structure.units = units;
    s.structure.theta_mode = ThresholdMode::PerNeuron;
    s.structure.theta0 = 0.5;
    s.dynamics.spike_quantum = quantum;
    s.dynamics.hurdle = hurdle;
    s.dynamics.learn = false;
    s.dynamics.theta_adapt = false;
    validate(s);
    return s;
}

// Every input field-weight `w` for each neuron, as D x K row-major.
std::vector<float> uniformFields(int units, float w) {
    return std::vector<float>(static_cast<std::size_t>(kInputs) * units, w);
}

// The first `active` inputs spike at every step.
std::vector<std::int32_t> firstInputs(int active) {
    std::vector<std::int32_t> v(static_cast<std::size_t>(active));
    std::iota(v.begin(), v.end(), 0);
    return v;
}

// Spike counts per neuron of the layer under constant input over `steps` steps, by the fast
// layer and by the specification; both must agree.
std::vector<int> countSpikes(const Settings& s, const std::vector<float>& weights,
                             const std::vector<std::int32_t>& spikes, int steps) {
    const int k = s.structure.units;
    RepresentationLayer layer(s.structure, s.dynamics);
    WeightMatrix w(kInputs, k);
    std::copy(weights.begin(), weights.end(), w.data());
    layer.setWeights(w);
    const std::vector<float> theta(static_cast<std::size_t>(k), 0.5f);
    layer.setThresholds(theta);
    model::ReferenceLayer reference(s.dynamics, kInputs, k, weights, theta);
    layer.beginPatch();
    reference.beginPatch();
    std::vector<int> counts(static_cast<std::size_t>(k), 0);
    std::vector<int> reference_counts(counts);
    for (int t = 0; t < steps; ++t) {
        layer.step(spikes);
        for (std::int32_t j : layer.fired())
            ++counts[static_cast<std::size_t>(j)];
        for (std::int32_t j : reference.step(spikes))
            ++reference_counts[static_cast<std::size_t>(j)];
    }
    EXPECT_EQ(counts, reference_counts);
    return counts;
}

}  // namespace

// One neuron, field w on every input, m inputs spiking at every step: U grows by m w per step
// and loses q |w|^2 = q D w^2 per spike, so over T steps it fires floor((T m w - h theta) /
// (q D w^2)) times: proportional to the input's amplitude m.
TEST(AmplitudeCoding, SpikeCountIsProportionalToAmplitude) {
    const float w = 0.5f;
    const double q = 1.0;  // threshold q D w^2 = 6.25
    const int steps = 100;
    const Settings s = amplitudeSettings(1, q);
    for (int m : {2, 5, 10, 12}) {  // at most one spike per step: m w < q D w^2
        const auto counts = countSpikes(s, uniformFields(1, w), firstInputs(m), steps);
        const int expected = static_cast<int>(std::floor(steps * m * 0.5 / (q * kInputs * 0.25)));
        EXPECT_EQ(counts[0], expected) << m << " inputs";
    }
}

// The hurdle delays the first spike by h theta of evidence: h theta / (q |w|^2) fewer spikes.
TEST(AmplitudeCoding, HurdleCostsItsWorthOfEvidence) {
    const float w = 0.5f;
    const Settings s = amplitudeSettings(1, 1.0, 25.0);  // h theta = 12.5 = two thresholds
    const auto counts = countSpikes(s, uniformFields(1, w), firstInputs(10), 100);
    EXPECT_EQ(counts[0], 80 - 2);
}

// Two neurons with the same field: each spike of one subtracts q <w, w> from both, so together
// they fire as often as one alone (they share the amplitude instead of both reporting it).
TEST(AmplitudeCoding, OverlappingFieldsInhibitEachOther) {
    const Settings one = amplitudeSettings(1, 1.0);
    const Settings two = amplitudeSettings(2, 1.0);
    const auto alone = countSpikes(one, uniformFields(1, 0.5f), firstInputs(10), 100);
    const auto pair = countSpikes(two, uniformFields(2, 0.5f), firstInputs(10), 100);
    EXPECT_EQ(pair[0] + pair[1], alone[0]);
    EXPECT_GT(alone[0], 0);
}

// Two neurons with disjoint fields (no overlap) do not inhibit each other: each fires as it would
// alone, one spike per step at most (the larger excess first).
TEST(AmplitudeCoding, DisjointFieldsFireIndependently) {
    const Settings s = amplitudeSettings(2, 1.0);
    std::vector<float> w(static_cast<std::size_t>(kInputs) * 2, 0.0f);
    for (int i = 0; i < kInputs; ++i)
        w[static_cast<std::size_t>(i) * 2 + (i < 12 ? 0 : 1)] = 1.0f;  // inputs 0-11 | 12-24
    // Inputs 0-5 and 12-14 spike: drives 6 and 3 per step, thresholds 12 and 13.
    const std::vector<std::int32_t> spikes = {0, 1, 2, 3, 4, 5, 12, 13, 14};
    const auto counts = countSpikes(s, w, spikes, 120);
    EXPECT_EQ(counts[0], 120 * 6 / 12);
    EXPECT_EQ(counts[1], 120 * 3 / 13);
}

// The recruitment hurdle, on the disjoint fields above: neuron 0 fires first (step 2); its first
// spike takes h2 theta = h2 / 2 from the potential of neuron 1, still silent, which then fires
// floor((120 * 3 - h2 / 2) / 13) times. Neuron 1's own first spike costs neuron 0 nothing (it is
// already active). With h2 / 2 above neuron 1's whole evidence, 360, the strong neuron keeps the
// patch alone.
TEST(AmplitudeCoding, RecruitmentHurdleChargesOnlyTheNeuronsStillSilent) {
    std::vector<float> w(static_cast<std::size_t>(kInputs) * 2, 0.0f);
    for (int i = 0; i < kInputs; ++i)
        w[static_cast<std::size_t>(i) * 2 + (i < 12 ? 0 : 1)] = 1.0f;
    const std::vector<std::int32_t> spikes = {0, 1, 2, 3, 4, 5, 12, 13, 14};
    for (double h2 : {0.0, 26.0, 100.0, 800.0}) {
        Settings s = amplitudeSettings(2, 1.0);
        s.dynamics.recruit_hurdle = h2;
        validate(s);
        const auto counts = countSpikes(s, w, spikes, 120);
        EXPECT_EQ(counts[0], 60) << "h2 " << h2;
        EXPECT_EQ(counts[1], std::max(0, static_cast<int>(std::floor((360 - h2 / 2) / 13))))
            << "h2 " << h2;
    }
}

// The recruitment hurdle lowers potentials that start below zero: it needs amplitude coding.
TEST(AmplitudeCoding, RecruitmentHurdleNeedsAmplitudeCoding) {
    Settings s;
    s.dynamics.recruit_hurdle = 10.0;
    EXPECT_THROW(validate(s), UserError);
    s.dynamics.spike_quantum = 1.0;
    EXPECT_NO_THROW(validate(s));
    EXPECT_THROW(applySetting(s, "recruit_hurdle", "-1"), UserError);
}

// Inhibition by the hurdle: field 0 is ones on inputs 0-11 (|w_0|^2 = 12), field 1 ones on inputs
// 0-23 (|w_1|^2 = 24, <w_0, w_1> = 12); inputs 0-11 spike at every step (drive 12 to both),
// q = 1, theta = 1/2, h = 20 (both start at -10). Neuron 0 fires from step 2 on, once a step;
// each spike takes 12 from U_1, which stays at 2, below its threshold 24. With lambda_i the first
// spike of neuron 0 also takes lambda_i h theta_0 <w_0, w_1> / |w_0|^2 = 10 lambda_i from U_1,
// once: U_1 ends at 2 - 10 lambda_i. In the layer's step and in the specification alike.
TEST(AmplitudeCoding, FirstSpikeInhibitsByItsHurdleOnce) {
    std::vector<float> w(static_cast<std::size_t>(kInputs) * 2, 0.0f);
    for (int i = 0; i < 24; ++i) {
        w[static_cast<std::size_t>(i) * 2 + 1] = 1.0f;
        if (i < 12)
            w[static_cast<std::size_t>(i) * 2] = 1.0f;
    }
    for (double lambda : {0.0, 0.5, 1.0}) {
        Settings s = amplitudeSettings(2, 1.0, 20.0);
        s.dynamics.hurdle_inhibition = lambda;
        validate(s);
        RepresentationLayer layer(s.structure, s.dynamics);
        WeightMatrix wm(kInputs, 2);
        std::copy(w.begin(), w.end(), wm.data());
        layer.setWeights(wm);
        layer.setThresholds({0.5f, 0.5f});
        const std::vector<float> theta{0.5f, 0.5f};
        model::ReferenceLayer reference(s.dynamics, kInputs, 2, w, theta);
        layer.beginPatch();
        reference.beginPatch();
        int fired0 = 0;
        for (int t = 0; t < 10; ++t) {
            layer.step(firstInputs(12));
            reference.step(firstInputs(12));
            for (std::int32_t j : layer.fired()) {
                EXPECT_EQ(j, 0) << "lambda " << lambda;
                ++fired0;
            }
        }
        EXPECT_EQ(fired0, 9) << "lambda " << lambda;
        EXPECT_FLOAT_EQ(layer.potentials()[1], static_cast<float>(2.0 - 10.0 * lambda)) << lambda;
        EXPECT_FLOAT_EQ(reference.potentials()[1], static_cast<float>(2.0 - 10.0 * lambda))
            << lambda;
        EXPECT_FLOAT_EQ(layer.potentials()[0], 2.0f) << lambda;
    }
}

// Inhibition by the hurdle starts from potentials below zero: it needs amplitude coding.
TEST(AmplitudeCoding, HurdleInhibitionNeedsAmplitudeCoding) {
    Settings s;
    s.dynamics.hurdle_inhibition = 1.0;
    EXPECT_THROW(validate(s), UserError);
    s.dynamics.spike_quantum = 1.0;
    EXPECT_NO_THROW(validate(s));
    EXPECT_THROW(applySetting(s, "hurdle_inhibition", "-1"), UserError);
}

// Homeostasis theta_j += rho (z_j - p): under a constant drive the hurdle -h theta_j settles where
// the neuron fires on a fraction p of the steps.
TEST(AmplitudeCoding, ThresholdConvergesToTheTargetRate) {
    Settings s = amplitudeSettings(1, 1.0, 800.0);
    s.dynamics.theta_adapt = true;
    s.dynamics.rho = 2e-3;
    s.dynamics.target_rate = 0.05;
    validate(s);
    const int steps = 100;
    const std::vector<float> weights = uniformFields(1, 0.5f);
    const std::vector<float> theta0 = {0.5f};
    model::ReferenceLayer reference(s.dynamics, kInputs, 1, weights, theta0);
    const auto spikes = firstInputs(10);  // 80 spikes per patch without a hurdle
    double late_rate = 0.0;
    for (int patch = 0; patch < 400; ++patch) {
        reference.beginPatch();
        int fired = 0;
        for (int t = 0; t < steps; ++t)
            fired += static_cast<int>(reference.step(spikes).size());
        if (patch >= 300)
            late_rate += static_cast<double>(fired) / steps / 100.0;
    }
    EXPECT_NEAR(late_rate, 0.05, 0.01);
    // theta = (T m w - p T q |w|^2) / h  =  (500 - 31.25) / 800
    EXPECT_NEAR(reference.thresholds()[0], (500.0 - 0.05 * steps * 6.25) / 800.0, 0.02);
}

// The residual rule, one spike: a neuron with field w on all D inputs, m inputs spiking, fires at
// the first step (m w >= q D w^2); its spike feeds q w back to every input, so r_i = 1 - q w on
// the inputs that spiked and -q w on the others, and W_i += (mu / T) (r_i - beta W_i).
TEST(ResidualRule, OneSpikeMovesTheFieldByTheResidual) {
    for (double beta : {0.0, 1.0}) {
        Settings s = amplitudeSettings(1, 1.0);
        s.dynamics.learn = true;
        s.dynamics.learning_rule = LearningRule::Residual;
        s.dynamics.residual_decay = beta;
        s.dynamics.mu = 0.05;
        validate(s);
        const float w = 0.3f;  // drive 10 w = 3 >= threshold q D w^2 = 2.25
        model::ReferenceLayer reference(s.dynamics, kInputs, 1, uniformFields(1, w),
                                        std::vector<float>{0.5f});
        reference.beginPatch();
        ASSERT_EQ(reference.step(firstInputs(10)).size(), 1u);
        const double rate = 0.05 / s.dynamics.steps;
        for (int i = 0; i < kInputs; ++i) {
            const double r = (i < 10 ? 1.0 : 0.0) - 1.0 * w;
            EXPECT_NEAR(reference.residual()[i], r, 1e-6) << i;
            EXPECT_NEAR(reference.weight(i, 0), w + rate * (r - beta * w), 1e-7)
                << i << ", beta " << beta;
        }
    }
}

// The opponency of ON and OFF, one spike: pixel i's ON input is i and its OFF input i + P. After
// the residual rule, each pixel's two weights of the winner both give up opponency x the smaller,
// clipped at w_min; the field w_on - w_off the read-out uses is unchanged (unless clipped).
TEST(OnOffOpponency, OneSpikeTakesTheCommonPartOfEachPixel) {
    constexpr int kPixels = 4;
    const std::vector<float> on = {0.3f, 0.1f, 0.0f, 0.25f};
    const std::vector<float> off = {0.1f, 0.3f, 0.2f, 0.25f};
    for (double share : {0.0, 0.5, 1.0}) {
        Settings s = amplitudeSettings(1, 1.0);
        s.structure.onoff = true;
        s.dynamics.learn = true;
        s.dynamics.learning_rule = LearningRule::Residual;
        s.dynamics.mu = 1e-9;  // the residual rule itself moves nothing measurable
        s.dynamics.onoff_opponency = share;
        validate(s);
        std::vector<float> w(on);
        w.insert(w.end(), off.begin(), off.end());
        model::ReferenceLayer reference(s.dynamics, 2 * kPixels, 1, w, std::vector<float>{0.0f});
        reference.beginPatch();
        // ON inputs 0 and 3 and OFF input 6: drive 0.3 + 0.25 + 0.2 >= q |w|^2 = 0.365
        ASSERT_EQ(reference.step(std::vector<std::int32_t>{0, 3, 6}).size(), 1u);
        for (int i = 0; i < kPixels; ++i) {
            const double m = share * std::min(on[i], off[i]);
            EXPECT_NEAR(reference.weight(i, 0), on[i] - m, 1e-6) << i << ", share " << share;
            EXPECT_NEAR(reference.weight(i + kPixels, 0), off[i] - m, 1e-6)
                << i << ", share " << share;
        }
    }
}

// The opponency pairs ON and OFF inputs of amplitude coding: refused without either.
TEST(OnOffOpponency, NeedsAmplitudeCodingAndOnOffInputs) {
    Settings s;
    s.dynamics.onoff_opponency = 1.0;
    s.structure.onoff = true;
    EXPECT_THROW(validate(s), UserError);
    s.dynamics.spike_quantum = 1.0;
    EXPECT_NO_THROW(validate(s));
    s.structure.onoff = false;
    EXPECT_THROW(validate(s), UserError);
    EXPECT_THROW(applySetting(s, "onoff_opponency", "1.5"), UserError);
    EXPECT_THROW(applySetting(s, "onoff_opponency", "-0.1"), UserError);
}

// The residual is the read-out's: without amplitude coding the rule is refused, as is a
// negative decay.
TEST(ResidualRule, NeedsAmplitudeCoding) {
    Settings s;
    s.dynamics.learning_rule = LearningRule::Residual;
    EXPECT_THROW(validate(s), UserError);
    s.dynamics.spike_quantum = 1.0;
    EXPECT_NO_THROW(validate(s));
    EXPECT_THROW(applySetting(s, "residual_decay", "-1"), UserError);
    EXPECT_THROW(applySetting(s, "learning_rule", "oja"), UserError);
    applySetting(s, "learning_rule", "stdp");
    EXPECT_FALSE(s.dynamics.residualLearning());
}

// The residual rule's drift, over many patches: inputs 0-9 spike at every step, inputs 10-19 at
// every other step, inputs 20-24 never. After each spike the residual of the full-rate inputs is
// within one step's input of 0, so an input at rate a with w_i = b w_full has r_i(t) = a t -
// b (t - r_full) ~ (a - b) t: w_i grows while b < a and shrinks while b > a. The fixed point is
// the field whose additive read-out reproduces the input amplitudes, b = a: 1/2 for the
// half-rate inputs, 0 for the silent ones, up to O(1/T): right after a spike the residual of the
// full-rate inputs lies between 0 and one step's input rather than at 0, and the half-rate
// inputs spike at step 0 (measured: 0.531 with T = 40). (The
// paper's STDP would drive each weight to the rate of its input among the neuron's own spike
// steps instead, which for a rate-1/2 input depends on when the neuron fires.) The layer and the
// specification learn the same field.
TEST(ResidualRule, FieldDriftsToReproduceTheInputAmplitudes) {
    Settings s = amplitudeSettings(1, 1.0);
    s.dynamics.learn = true;
    s.dynamics.learning_rule = LearningRule::Residual;
    s.dynamics.mu = 0.05;
    validate(s);
    const std::vector<float> start = uniformFields(1, 0.3f);
    model::ReferenceLayer reference(s.dynamics, kInputs, 1, start, std::vector<float>{0.5f});
    RepresentationLayer layer(s.structure, s.dynamics);
    WeightMatrix w0(kInputs, 1);
    std::copy(start.begin(), start.end(), w0.data());
    layer.setWeights(w0);
    layer.setThresholds({0.5f});
    std::vector<std::int32_t> even = firstInputs(20), odd = firstInputs(10);
    for (int patch = 0; patch < 300; ++patch) {
        reference.beginPatch();
        layer.beginPatch();
        for (int t = 0; t < s.dynamics.steps; ++t) {
            reference.step(t % 2 == 0 ? even : odd);
            layer.step(t % 2 == 0 ? even : odd);
        }
    }
    const WeightMatrix learnt = layer.weights();
    double full = 0.0, half = 0.0, silent = 0.0;
    for (int i = 0; i < kInputs; ++i) {
        EXPECT_EQ(learnt(i, 0), reference.weight(i, 0)) << i;
        (i < 10 ? full : i < 20 ? half : silent) += reference.weight(i, 0) / (i < 20 ? 10.0 : 5.0);
    }
    std::printf("full-rate weight %.4f, half-rate %.4f, silent %.4f\n", full, half, silent);
    EXPECT_NEAR(half / full, 0.5, 0.04);
    EXPECT_LT(silent, 0.01);
    EXPECT_GT(full, 0.3);  // the field grew where the read-out fell short
}

// The read-out of amplitude coding is x^ = g sum_j c_j w_j, with g = q / T unless set.
TEST(AmplitudeCoding, AdditiveDecoderAndItsName) {
    Settings s = amplitudeSettings(1, 1.0);
    s.dynamics.steps = 100;
    EXPECT_DOUBLE_EQ(s.dynamics.decoderGain(), 0.01);
    EXPECT_EQ(decoderName(s.dynamics), "additive, g = 0.01");
    s.dynamics.decoder_gain = 0.02;
    EXPECT_DOUBLE_EQ(s.dynamics.decoderGain(), 0.02);
    EXPECT_EQ(decoderName(Settings{}.dynamics), "mean of winners");

    s.dynamics.decoder_gain = 0.0;
    RepresentationLayer layer(s.structure, s.dynamics);
    WeightMatrix w = WeightMatrix::Constant(kInputs, 1, 0.5f);
    layer.setWeights(w);
    layer.setThresholds({0.5f});
    PatchReconstructor reconstructor(layer, s);
    PatchSpikes spikes;
    spikes.steps = 100;
    spikes.inputs = kInputs;
    spikes.offsets.push_back(0);
    for (int t = 0; t < spikes.steps; ++t) {
        for (int i = 0; i < 10; ++i)
            spikes.indices.push_back(i);
        spikes.offsets.push_back(static_cast<std::int32_t>(spikes.indices.size()));
    }
    std::vector<float> counts, xhat;
    const int total = reconstructor.run(spikes, counts, xhat);
    ASSERT_EQ(total, 80);
    for (float v : xhat)
        EXPECT_FLOAT_EQ(v, 0.01f * 80 * 0.5f);
}

// decoder_hurdle: the read-out adds to each active neuron's count the hurdle it paid before its
// first spike, in spikes of its quantum. Two disjoint fields of ones (inputs 0-11 | 12-24),
// q = 1, theta = 1/2, h = 20, h2 = 26, inputs 0-5 and 12-14 spiking for 120 steps: neuron 0
// starts at -10, joins first (step 4) and fires floor((720 - 10) / 12) = 59 times; its first
// spike charges neuron 1 h2 theta = 13, which fires floor((360 - 10 - 13) / 13) = 25 times. The
// read-out weighs field 0 with g (59 + lambda 10 / 12) and field 1 with g (25 + lambda 23 / 13):
// neuron 1 paid h theta and one recruitment charge, neuron 0 only h theta.
TEST(AmplitudeCoding, DecoderAddsBackTheHurdleEachActiveNeuronPaid) {
    WeightMatrix w = WeightMatrix::Zero(kInputs, 2);
    for (int i = 0; i < kInputs; ++i)
        w(i, i < 12 ? 0 : 1) = 1.0f;
    PatchSpikes spikes;
    spikes.steps = 120;
    spikes.inputs = kInputs;
    spikes.offsets.push_back(0);
    for (int t = 0; t < spikes.steps; ++t) {
        for (std::int32_t i : {0, 1, 2, 3, 4, 5, 12, 13, 14})
            spikes.indices.push_back(i);
        spikes.offsets.push_back(static_cast<std::int32_t>(spikes.indices.size()));
    }
    for (double lambda : {0.0, 0.5, 1.0}) {
        Settings s = amplitudeSettings(2, 1.0, 20.0);
        s.dynamics.steps = 120;
        s.dynamics.recruit_hurdle = 26.0;
        s.dynamics.decoder_hurdle = lambda;
        validate(s);
        RepresentationLayer layer(s.structure, s.dynamics);
        layer.setWeights(w);
        layer.setThresholds({0.5f, 0.5f});
        PatchReconstructor reconstructor(layer, s);
        std::vector<float> counts, xhat;
        ASSERT_EQ(reconstructor.run(spikes, counts, xhat), 59 + 25) << lambda;
        EXPECT_EQ(counts[0], 59.0f);
        EXPECT_EQ(counts[1], 25.0f);
        const double g = 1.0 / 120.0;
        for (int i = 0; i < kInputs; ++i)
            EXPECT_NEAR(xhat[i],
                        i < 12 ? g * (59 + lambda * 10.0 / 12.0) : g * (25 + lambda * 23.0 / 13.0),
                        1e-6)
                << "lambda " << lambda << ", pixel " << i;
    }
    // A neuron that stays silent gets nothing added: an empty patch reconstructs as 0.
    Settings s = amplitudeSettings(2, 1.0, 20.0);
    s.dynamics.decoder_hurdle = 1.0;
    RepresentationLayer layer(s.structure, s.dynamics);
    layer.setWeights(w);
    layer.setThresholds({0.5f, 0.5f});
    PatchReconstructor reconstructor(layer, s);
    PatchSpikes silent;
    silent.steps = s.dynamics.steps;
    silent.inputs = kInputs;
    silent.offsets.assign(static_cast<std::size_t>(silent.steps) + 1, 0);
    std::vector<float> counts, xhat;
    EXPECT_EQ(reconstructor.run(silent, counts, xhat), 0);
    for (float v : xhat)
        EXPECT_EQ(v, 0.0f);
    EXPECT_EQ(decoderName(s.dynamics), "additive, g = 0.025, hurdle added back (lambda_h = 1)");
}

// Adding the hurdle back corrects the additive read-out: it needs amplitude coding.
TEST(AmplitudeCoding, DecoderHurdleNeedsAmplitudeCoding) {
    Settings s;
    s.dynamics.decoder_hurdle = 1.0;
    EXPECT_THROW(validate(s), UserError);
    s.dynamics.spike_quantum = 1.0;
    EXPECT_NO_THROW(validate(s));
    EXPECT_THROW(applySetting(s, "decoder_hurdle", "-1"), UserError);
}

// coop-mnist against improved-mnist, each trained on the same 600 digits and evaluated on 200
// held-out digits (1000-1199, never trained on). Measured (K = 32): coop-mnist RMSE 0.149
// (2.39 active per patch, no dead neuron, 16 % of patches silent), improved-mnist 0.178. 600
// digits, not 300: coop-mnist's homeostasis (rho p per step) takes about 300 digits to bring the
// hurdles down, and after 300 one neuron of 32 has not fired yet. The test asks for no dead
// neuron, the additive read-out, and an RMSE at most 0.90 x improved-mnist's (measured: 0.84).
TEST(CoopMnist, ReconstructsBetterThanImprovedMnistWithoutDeadNeurons) {
    const auto train = std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 0, 600));
    const auto held_out =
        std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 1000, 200));
    const Settings coop = presetSettings("coop-mnist");
    TrainingSession a(coop, train);
    a.trainImages(600);
    const auto mc = evaluate(a.layer(), coop, *held_out);
    const Settings improved = presetSettings("improved-mnist");
    TrainingSession b(improved, train);
    b.trainImages(600);
    const auto mi = evaluate(b.layer(), improved, *held_out);
    std::printf("coop-mnist %.4f (active %.3f, dead %.3f, silent %.3f), improved-mnist %.4f\n",
                mc.rmse, mc.active_per_patch, mc.dead_fraction, mc.silent_fraction, mi.rmse);
    EXPECT_EQ(mc.decoder, "additive, g = 0.2");
    EXPECT_EQ(mc.dead_fraction, 0.0);
    EXPECT_LE(mc.rmse, 0.90 * mi.rmse);
}

// coop-natural against paper-natural, each trained as its preset says on the built-in training
// photographs (5,000 patches per photograph, interleaved) and evaluated on the two held-out
// photographs (builtin:natural-eval, 1,000 patches). Measured (K = 64): coop-natural
// NMSE 0.716 (4.5 active per patch, no dead neuron, 4 % of patches silent; 0.785 with the read-out
// g = q / T = 0.05 and no hurdle added back, before the read-out chosen on validation),
// paper-natural 0.886
// (with 2,000 patches per photograph one neuron of coop-natural stayed dead); by the census
// (docs/model.md §5) 45 of coop-natural's 64 fields are localised oriented Gabors (seeds 2 and 3:
// 48, 44; 32, 31, 35 while the census judged the carrier by the fit's f, which made few-cycle
// edges blobs, and 38, 37, 43 before it asked for a lobe of the opposite sign across the bars).
// The test asks for no dead neuron, the additive read-out with the hurdle added back, NMSE at
// most 0.76 (one-atom sparse coding reaches 0.760-0.767 on the report's held-out photographs) and
// at most 0.85 x paper-natural's (measured 0.81), and at least 38 Gabors, 6 below
// the worst of the three seeds (on the validation split of docs/cooperative.md the seeds spread
// wider, 41 to 49).
TEST(CoopNatural, ReconstructsHeldOutPhotographsBetterThanPaperNatural) {
    const auto run = [](const char* preset, Eigen::MatrixXf* fields) {
        const Settings s = presetSettings(preset);
        const auto train =
            std::make_shared<const ImageSet>(loadDataSpec(kBuiltinNaturalSpec, s.data));
        const auto held_out =
            std::make_shared<const ImageSet>(loadDataSpec(kBuiltinNaturalEvalSpec, s.data));
        TrainingSession session(s, train);
        session.trainImages(train->size());
        if (fields)
            *fields =
                pixelFilters(session.layer().weights(), s.structure.patch_size, s.structure.onoff);
        return evaluate(session.layer(), s, *held_out);
    };
    Eigen::MatrixXf fields;
    const auto coop = run("coop-natural", &fields);
    const auto paper = run("paper-natural", nullptr);
    const FieldCensus census = fieldCensus(fields, 16);
    std::printf(
        "coop-natural NMSE %.4f (active %.3f, dead %.3f, silent %.3f), paper-natural %.4f; "
        "census: %s\n",
        coop.nmse, coop.active_per_patch, coop.dead_fraction, coop.silent_fraction, paper.nmse,
        census.countsText().c_str());
    EXPECT_EQ(coop.decoder, "additive, g = 0.085, hurdle added back (lambda_h = 1)");
    EXPECT_EQ(coop.dead_fraction, 0.0);
    EXPECT_LE(coop.nmse, 0.76);
    EXPECT_LE(coop.nmse, 0.85 * paper.nmse);
    EXPECT_GE(census.count(FieldShape::Gabor), 38);
}

// coop-mnist-sparse against coop-mnist, each trained on the same 600 digits and evaluated on 200
// held-out digits (1000-1199). Measured (K = 32): coop-mnist-sparse RMSE 0.1243 at 2.05 active
// per patch (no dead neuron, 7.0 % of patches silent), coop-mnist 0.149 at 2.39 (a ratio of
// 0.834; with λ_i = 0.75 0.1259 at 2.02 and 0.845; with q = 5, h = 40, λ_i = 0.5 0.1315 and
// 0.88, before inhibition by the hurdle 0.138
// and 0.93, before the hurdle read-out 0.144 and 0.97). The recruitment hurdle lets the finer
// quantum and higher rate reconstruct better while fewer neurons join each patch, the read-out
// adds back the hurdle each active neuron paid, and 0.73 of it inhibits the others at the
// first spike; the test asks for no dead neuron, the additive read-out with g = q / T and
// the hurdle added back, at most 2.1 active neurons per patch, fewer than coop-mnist's, and an
// RMSE at most 0.87 x coop-mnist's.
TEST(CoopMnistSparse, ReconstructsBetterThanCoopMnistWithFewerActiveNeurons) {
    const auto train = std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 0, 600));
    const auto held_out =
        std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 1000, 200));
    const auto run = [&](const char* preset) {
        const Settings s = presetSettings(preset);
        TrainingSession session(s, train);
        session.trainImages(600);
        return evaluate(session.layer(), s, *held_out);
    };
    const auto sparse = run("coop-mnist-sparse");
    const auto coop = run("coop-mnist");
    std::printf(
        "coop-mnist-sparse %.4f (active %.3f, dead %.3f, silent %.3f), coop-mnist %.4f "
        "(active %.3f)\n",
        sparse.rmse, sparse.active_per_patch, sparse.dead_fraction, sparse.silent_fraction,
        coop.rmse, coop.active_per_patch);
    EXPECT_EQ(sparse.decoder, "additive, g = 0.075, hurdle added back (lambda_h = 1)");
    EXPECT_EQ(sparse.dead_fraction, 0.0);
    EXPECT_LE(sparse.active_per_patch, 2.1);
    EXPECT_LT(sparse.active_per_patch, coop.active_per_patch);
    EXPECT_LE(sparse.rmse, 0.87 * coop.rmse);
}
