// Every fast path answers to the specification: the optimised layer and the plain model
// (ModelSpecification.h) run side by side, step by step, over random input, for every mechanism
// and useful combinations x widths K x spike forms (index lists, bit masks where D <= 64) x
// instruction sets (the x86-64-v4 and v3 clones and the portable one). Where the code promises the
// same bits the test asks for them; elsewhere for a stated tolerance, its reason beside it.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "foundation/Random.h"
#include "foundation/Settings.h"
#include "kernels/Dispatch.h"
#include "model/ModelSpecification.h"
#include "model/RepresentationLayer.h"
#include "model/SpikeEncoder.h"

using namespace stdp;

namespace {

// --- Tolerances, each with its reason ---

// Firing: the fast step compares exp_j >= theta_j * sum_k exp_k in float, with a polynomial exp
// (relative error < 2e-7) and a fixed or maximum shift; the specification compares
// P_j = exp(U_j - max U) / sum (in double) with theta_j. On top, their potentials differ by up to
// kPotentialTolerance (below), which moves P_j by about |dU| / tau_s relative. So the two may
// decide differently only for a neuron whose P_j lies that close to theta_j: a disagreement is
// accepted when every neuron involved is within kTieBand (relative) of its threshold, and the
// specification then takes the fast step's decision (the rest of the step must still agree).
constexpr double kTieBand = 1e-4;
// Potentials: the fast step holds W_ij = scale_j * stored_ij (the per-neuron LTD scale), sums
// stored weights and multiplies by scale_j once, sums a trace in the order its support list
// keeps, and follows |w_j|^2 of the distance bias by increments; the specification sums W
// itself in input order and recomputes |w_j|^2. Each is a float rounding of the same sum of at
// most D terms (D <= 81 here), a few ulps apart per term: measured at most 1.1e-6 relative over
// this table. Asked: within 5e-6 relative to max(1, |U_j|, a bound of the sum of its terms).
constexpr double kPotentialTolerance = 5e-6;
// Weights: with the per-neuron LTD scale, W is the product of two rounded floats and each update
// rewrites stored_ij under a new scale (three roundings instead of two): a few ulps of drift per
// update of a weight in [0, 1]: measured at most 1.5e-6 over this table. Asked: 5e-6 absolute.
// Where every weight is updated directly (w_clip_min > 0, the eager path) or nothing learns, the
// fast step applies the specification's own update expression: the same bits.
constexpr float kWeightTolerance = 5e-6f;
// Amplitude coding (model::CooperativeStep) sums every input, norm and overlap in the
// specification's order with its expressions, and updates every weight by them: potentials and
// weights are the same bits.
// The softmax values themselves (read by observers): P within kTieBand relative, as above, plus
// 1e-7 absolute where P underflows on one side only (the fast exp clamps its argument at -87).
constexpr double kSoftmaxAbsolute = 1e-7;

constexpr int kStepsPerPatch = 20;
constexpr int kPatches = 15;  // 300 steps per case
constexpr double kSpikeProbability = 0.3;

enum class Form { Lists, Masks };

// A mechanism or combination: its patch (D = p^2, twice with ON/OFF) and its settings as
// `--set` takes them, on top of brisk rates (mu = 0.01, rho = 1e-3), so that a few hundred steps
// move weights and thresholds visibly.
struct Mechanism {
    const char* name;
    int patch_size;
    bool onoff;
    std::vector<std::string> settings;
    double floor_of_theta0 = 0.0;  // theta_floor as a fraction of theta0 (which depends on K)
};

const std::vector<Mechanism>& mechanisms() {
    static const std::vector<Mechanism> table = {
        {"Basic", 5, false, {}},
        {"Inference", 5, false, {"learn=false", "theta_adapt=false"}},
        {"Epsilon", 5, false, {"epsilon=2"}},
        {"Trace", 5, false, {"trace_tau=2.5"}},
        {"MembraneReset", 5, false, {"tau_m=4"}},
        {"MembraneLeaky", 5, false, {"tau_m=4", "reset=false"}},
        {"Refractory", 5, false, {"refractory=2"}},
        {"ClipMin", 5, false, {"w_clip_min=0.05", "lambda=0.01"}},
        {"PerNeuronTheta", 5, false, {"theta_mode=per_neuron"}},
        {"DistanceBias", 5, false, {"distance_bias=1", "mu_d_ratio=1"}},
        // The schedule's factor is set per patch (see the test).
        {"MuDecay", 5, false, {"mu_decay=2"}},
        // Thresholds fall fast onto the floor.
        {"ThetaFloor", 5, false, {"rho=5e-3"}, 0.7},
        // U / tau_s spans more than 64: the softmax shifts by the largest potential.
        {"HardCompetition", 5, false, {"temperature=0.2"}},
        {"ImprovedMnist",
         5,
         false,
         {"tau_m=4", "reset=false", "distance_bias=1", "mu_d_ratio=1", "mu_decay=2"}},
        {"NgcLike",
         4,
         true,
         {"theta_mode=per_neuron", "w_clip_min=0.01", "lambda=0.01", "mu_d_ratio=1",
          "theta_floor=0.025"}},
        {"Everything",
         4,
         true,
         {"theta_mode=per_neuron", "epsilon=1", "trace_tau=2", "tau_m=3", "refractory=1",
          "w_clip_min=0.02", "distance_bias=0.5", "theta_floor=0.01", "mu_decay=1"}},
        // D = 81: index lists only.
        {"WideInput", 9, false, {"trace_tau=1.5", "tau_m=2"}},
        // Amplitude coding: integrate-and-fire, reset by subtraction, inhibition by overlap.
        {"Amplitude", 5, false, {"spike_quantum=2", "hurdle=5", "target_rate=0.02"}},
        {"AmplitudePerNeuron",
         4,
         true,
         {"spike_quantum=1", "hurdle=2", "target_rate=0.05", "theta_mode=per_neuron",
          "trace_tau=1.5", "refractory=1", "mu_d_ratio=1"}},
        // The residual rule: a spike of k adds (mu / T) (r_i - beta W_ik) to W_ik.
        {"AmplitudeResidual",
         5,
         false,
         {"spike_quantum=2", "hurdle=5", "target_rate=0.02", "learning_rule=residual",
          "residual_decay=1"}},
        {"AmplitudeResidualTrace",
         4,
         true,
         {"spike_quantum=1", "hurdle=2", "target_rate=0.05", "theta_mode=per_neuron",
          "trace_tau=1.5", "refractory=1", "learning_rule=residual", "w_clip_min=0.02"}},
        // The recruitment hurdle: a neuron's first spike lowers every silent U_j by h2 theta_j.
        {"AmplitudeRecruit",
         5,
         false,
         {"spike_quantum=2", "hurdle=5", "target_rate=0.02", "recruit_hurdle=3",
          "learning_rule=residual", "residual_decay=1"}},
        {"AmplitudeRecruitPerNeuron",
         4,
         true,
         {"spike_quantum=1", "hurdle=2", "target_rate=0.05", "theta_mode=per_neuron",
          "recruit_hurdle=1.5", "trace_tau=1.5", "refractory=1", "mu_d_ratio=1"}},
        // Inhibition by the hurdle: a neuron's first spike inhibits by its hurdle as well, with
        // and without the recruitment hurdle, after the residual rule and after STDP.
        {"AmplitudeHurdleInhibition",
         5,
         false,
         {"spike_quantum=2", "hurdle=5", "target_rate=0.02", "recruit_hurdle=3",
          "hurdle_inhibition=0.5", "learning_rule=residual", "residual_decay=1"}},
        {"AmplitudeHurdleInhibitionPerNeuron",
         4,
         true,
         {"spike_quantum=1", "hurdle=2", "target_rate=0.05", "theta_mode=per_neuron",
          "hurdle_inhibition=1", "trace_tau=1.5", "refractory=1", "mu_d_ratio=1"}},
        // The opponency of a pixel's ON and OFF synapses, after the residual rule and after STDP.
        {"AmplitudeOpponency",
         4,
         true,
         {"spike_quantum=1", "hurdle=2", "target_rate=0.05", "theta_mode=per_neuron",
          "learning_rule=residual", "residual_decay=1", "onoff_opponency=1"}},
        {"AmplitudeOpponencyStdp",
         4,
         true,
         {"spike_quantum=1", "hurdle=2", "target_rate=0.05", "theta_mode=per_neuron",
          "mu_d_ratio=1", "w_clip_min=0.02", "onoff_opponency=0.5"}},
        // D = 128: the Gram matrix of fields wider than a mask, a trace's support.
        {"AmplitudeWide",
         8,
         true,
         {"spike_quantum=2", "hurdle=3", "target_rate=0.02", "theta_mode=per_neuron", "trace_tau=2",
          "mu_d_ratio=1"}},
    };
    return table;
}

const int kWidths[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 67, 256};

struct Case {
    const Mechanism* mechanism;
    int units;
    Form form;
    InstructionSet isa;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.mechanism->name << " K=" << c.units;
}

std::vector<Case> allCases() {
    std::vector<Case> cases;
    for (const Mechanism& m : mechanisms())
        for (int k : kWidths)
            for (Form f : {Form::Lists, Form::Masks})
                for (InstructionSet isa : {InstructionSet::Portable, InstructionSet::X86_64_V3,
                                           InstructionSet::X86_64_V4}) {
                    const int inputs = m.patch_size * m.patch_size * (m.onoff ? 2 : 1);
                    if (f == Form::Masks && inputs > kMaxMaskInputs)
                        continue;  // no mask form beyond 64 inputs
                    cases.push_back({&m, k, f, isa});
                }
    return cases;
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
    const Case& c = info.param;
    return std::string(c.mechanism->name) + "_K" + std::to_string(c.units) +
           (c.form == Form::Lists ? "_Lists" : "_Masks") +
           (c.isa == InstructionSet::Portable    ? "_Portable"
            : c.isa == InstructionSet::X86_64_V3 ? "_X86v3"
                                                 : "_X86v4");
}

Settings caseSettings(const Case& c) {
    Settings s;
    s.structure.patch_size = c.mechanism->patch_size;
    s.structure.onoff = c.mechanism->onoff;
    s.structure.units = c.units;
    s.structure.seed = 100 + static_cast<std::uint64_t>(c.units);
    // About two winners per step at the start whatever K (one neuron always fires).
    s.structure.theta0 = std::min(0.3, 2.0 / c.units);
    s.dynamics.mu = 0.01;
    s.dynamics.rho = 1e-3;
    for (const std::string& assignment : c.mechanism->settings)
        applyAssignment(s, assignment);
    s.dynamics.theta_floor += c.mechanism->floor_of_theta0 * s.structure.theta0;
    validate(s);
    return s;
}

// One patch of random input: CSR lists and the same spikes as masks.
struct PatchInput {
    std::vector<std::int32_t> indices;
    std::vector<std::int32_t> offsets{0};
    std::vector<std::uint64_t> masks;

    std::span<const std::int32_t> at(int t) const {
        return {indices.data() + offsets[t], static_cast<std::size_t>(offsets[t + 1] - offsets[t])};
    }
};

PatchInput randomPatch(int inputs, Rng& rng) {
    PatchInput p;
    for (int t = 0; t < kStepsPerPatch; ++t) {
        std::uint64_t mask = 0;
        const bool silent = rng.uniform() < 0.1;  // some steps without any input spike
        for (int i = 0; i < inputs && !silent; ++i)
            if (rng.uniform() < kSpikeProbability) {
                p.indices.push_back(i);
                if (i < 64)
                    mask |= std::uint64_t{1} << i;
            }
        p.offsets.push_back(static_cast<std::int32_t>(p.indices.size()));
        p.masks.push_back(mask);
    }
    return p;
}

// What one step of a fast layer left, to compare two fast layers bit for bit.
struct StepRecord {
    std::vector<std::int32_t> fired;
    std::vector<float> potentials;
    std::vector<float> softmax;
    std::vector<float> thresholds;
};

struct Recorder : StepObserver {
    std::vector<StepRecord> steps;
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t>) override {
        steps.push_back({{layer.fired().begin(), layer.fired().end()},
                         {layer.potentials().begin(), layer.potentials().end()},
                         layer.softmax(),
                         layer.thresholds()});
    }
};

// Steps the specification beside the fast layer, inside the fast layer's own run of steps, and
// compares after every step.
struct SpecificationChecker : StepObserver {
    model::ReferenceLayer* spec = nullptr;
    bool weights_exact = false;
    bool potentials_exact = false;
    std::string where;
    int step = 0;
    int disagreements = 0;  // firing decisions resolved as ties
    std::uint64_t winners = 0;
    double worst_potential = 0.0;
    double worst_weight = 0.0;

    void onStep(const RepresentationLayer& fast, std::span<const std::int32_t> spikes) override {
        const auto decided = spec->decide(spikes);
        const auto fired = fast.fired();
        const auto theta = spec->thresholds();
        const auto p = spec->softmax();
        const auto theta_of = [&](int j) { return theta.size() == 1 ? theta[0] : theta[j]; };
        const std::string at = where + " step " + std::to_string(step);
        // Potentials as decided (before a reset), compared as the tolerance says.
        const auto u_fast = fast.potentials();
        const auto u_spec = spec->potentials();
        std::vector<float> u_fast_before(u_fast.begin(), u_fast.end());
        for (std::size_t k = 0; k < fired.size(); ++k)
            u_fast_before[fired[k]] = fast.firedPotentials()[k];
        const double term_scale = termScale();
        // Amplitude coding's spike changes every U_j (inhibition by overlap): compared after it.
        const bool amplitude = spec->constants().amplitude;
        const auto comparePotentials = [&](std::span<const float> u_fast_now) {
            for (int j = 0; j < spec->units(); ++j) {
                const double scale = std::max({1.0, std::abs(double(u_spec[j])), term_scale});
                const double err = std::abs(double(u_fast_now[j]) - u_spec[j]) / scale;
                worst_potential = std::max(worst_potential, err);
                if (potentials_exact) {
                    ASSERT_EQ(u_fast_now[j], u_spec[j]) << at << " U_" << j;
                }
                ASSERT_LE(err, kPotentialTolerance) << at << " U_" << j << " fast " << u_fast_now[j]
                                                    << " specification " << u_spec[j];
            }
        };
        if (!amplitude)
            comparePotentials(u_fast_before);
        bool tied = false;
        if (!std::ranges::equal(decided, fired)) {
            // Only neurons at a tie with their threshold may differ.
            std::vector<std::int32_t> differ;
            std::ranges::set_symmetric_difference(decided, fired, std::back_inserter(differ));
            for (std::int32_t j : differ)
                ASSERT_LE(std::abs(p[j] - theta_of(j)), kTieBand * theta_of(j))
                    << at << ": neuron " << j << " fired in one only, P " << p[j] << " theta "
                    << theta_of(j);
            ++disagreements;
            tied = true;
        }
        const auto fast_p = fast.softmax();
        for (int j = 0; j < spec->units(); ++j)
            ASSERT_LE(std::abs(fast_p[j] - p[j]), kTieBand * p[j] + kSoftmaxAbsolute)
                << at << " P_" << j;
        // The rest of the step from the fast step's decision.
        std::vector<std::int32_t> winners_now(fired.begin(), fired.end());
        spec->conclude(winners_now);
        winners += winners_now.size();
        if (amplitude)
            comparePotentials(u_fast);
        // Thresholds: the same float expressions on the same decisions: the same bits.
        ASSERT_TRUE(std::ranges::equal(fast.thresholds(), spec->thresholds())) << at;
        // Weights.
        const WeightMatrix w = fast.weights();
        for (int i = 0; i < spec->inputs(); ++i)
            for (int j = 0; j < spec->units(); ++j) {
                const float a = w(i, j), b = spec->weight(i, j);
                if (weights_exact) {
                    ASSERT_EQ(a, b) << at << " W(" << i << ", " << j << ")";
                }
                const double err = std::abs(double(a) - b);
                worst_weight = std::max(worst_weight, err);
                ASSERT_LE(err, kWeightTolerance) << at << " W(" << i << ", " << j << ")";
            }
        // After a tie the potentials go on from the fast step's (a winner on one side only was
        // reset on that side only).
        if (tied)
            std::ranges::copy(fast.potentials(), spec->potentials().begin());
        ++step;
    }

    // A bound of the terms of U_j's sums: sum_i y_i (weights at most 1) plus beta/2 D (the bias),
    // accumulated by the membrane over 1 / (1 - decay) steps.
    double termScale() const {
        const model::RuleConstants& c = spec->constants();
        double input = 0.0;
        for (float y : spec->trace())
            input += y;
        return (input + double(c.bias_scale) * spec->inputs()) / (1.0 - c.membrane_decay);
    }
};

class Specification : public ::testing::TestWithParam<Case> {
  protected:
    void TearDown() override { forceStepInstructionSet(best_); }
    InstructionSet best_ = stepInstructionSet();
};

TEST_P(Specification, FastStepAnswersToIt) {
    const Case c = GetParam();
    if (!instructionSetAvailable(c.isa))
        GTEST_SKIP() << instructionSetName(c.isa) << " is not available in this build or CPU";
    const Settings s = caseSettings(c);
    RepresentationLayer fast(s.structure, s.dynamics);
    // The anchor of the bit-for-bit comparison: index lists on the portable clone (for that case
    // itself, the other clone where there is one).
    const bool is_anchor = c.form == Form::Lists && c.isa == InstructionSet::Portable;
    const InstructionSet anchor_isa =
        is_anchor && instructionSetAvailable(InstructionSet::X86_64_V3) ? InstructionSet::X86_64_V3
                                                                        : InstructionSet::Portable;
    RepresentationLayer anchor(s.structure, s.dynamics);
    const WeightMatrix w0 = fast.weights();
    model::ReferenceLayer spec(s.dynamics, fast.inputs(), fast.units(),
                               {w0.data(), std::size_t(w0.size())}, fast.thresholds());
    SpecificationChecker checker;
    checker.spec = &spec;
    // Every weight updated by the specification's expression (eager path), or none updated.
    checker.weights_exact =
        s.dynamics.w_clip_min > 0.0 || !s.dynamics.learn || s.dynamics.amplitudeCoding();
    checker.potentials_exact = s.dynamics.amplitudeCoding();
    checker.where = caseName({c, 0});
    Rng rng(7 + static_cast<std::uint64_t>(c.units));
    for (int patch = 0; patch < kPatches; ++patch) {
        const PatchInput in = randomPatch(fast.inputs(), rng);
        if (s.dynamics.mu_decay > 0.0) {
            // The schedule of TrainingSession, a patch standing for an image.
            const double scale = 1.0 / (1.0 + s.dynamics.mu_decay * patch / 10.0);
            fast.setLearningRateScale(scale);
            anchor.setLearningRateScale(scale);
            spec.setLearningRateScale(scale);
        }
        Recorder anchor_steps;
        ASSERT_TRUE(forceStepInstructionSet(anchor_isa));
        anchor.beginPatch();
        anchor.steps(in.indices, in.offsets, 0, kStepsPerPatch, &anchor_steps);

        Recorder fast_steps;
        struct Both : StepObserver {
            StepObserver* a;
            StepObserver* b;
            void onStep(const RepresentationLayer& l, std::span<const std::int32_t> x) override {
                a->onStep(l, x);
                b->onStep(l, x);
            }
        } both;
        both.a = &fast_steps;
        both.b = &checker;
        ASSERT_TRUE(forceStepInstructionSet(c.isa));
        fast.beginPatch();
        spec.beginPatch();
        // In two runs, as a session paused mid-patch makes them.
        const int split = kStepsPerPatch / 3;
        if (c.form == Form::Lists) {
            fast.steps(in.indices, in.offsets, 0, split, &both);
            fast.steps(in.indices, in.offsets, split, kStepsPerPatch, &both);
        } else {
            fast.stepsMasked(in.masks, 0, split, &both);
            fast.stepsMasked(in.masks, split, kStepsPerPatch, &both);
        }
        if (HasFatalFailure())
            return;
        // Another spike form or instruction set: the same bits, step by step.
        ASSERT_EQ(fast_steps.steps.size(), anchor_steps.steps.size());
        for (std::size_t t = 0; t < fast_steps.steps.size(); ++t) {
            const StepRecord& a = anchor_steps.steps[t];
            const StepRecord& b = fast_steps.steps[t];
            const std::string at = checker.where + " patch " + std::to_string(patch) + " step " +
                                   std::to_string(t) + " against " +
                                   instructionSetName(anchor_isa) + " lists";
            ASSERT_EQ(a.fired, b.fired) << at;
            ASSERT_EQ(a.potentials, b.potentials) << at;
            ASSERT_EQ(a.softmax, b.softmax) << at;
            ASSERT_EQ(a.thresholds, b.thresholds) << at;
        }
        ASSERT_EQ(fast.weights(), anchor.weights()) << checker.where << " patch " << patch;
    }
    // The case exercised the rules: neurons fired, and ties stayed rare.
    EXPECT_GT(checker.winners, 0u);
    EXPECT_LE(checker.disagreements, 3) << checker.where;
    RecordProperty("worst_potential", std::to_string(checker.worst_potential));
    RecordProperty("worst_weight", std::to_string(checker.worst_weight));
    if (std::getenv("STDP_SPEC_VERBOSE"))
        std::printf("%s: winners %llu ties %d worst |dU| %.3g worst |dW| %.3g\n",
                    checker.where.c_str(), static_cast<unsigned long long>(checker.winners),
                    checker.disagreements, checker.worst_potential, checker.worst_weight);
}

INSTANTIATE_TEST_SUITE_P(Table, Specification, ::testing::ValuesIn(allCases()), caseName);

// The table's check must be able to fail: a specification that differs from the fast step in
// one rule (a deliberately wrong LTD rate) is caught.
TEST(SpecificationCheck, CatchesADifferentRule) {
    Case c{&mechanisms()[0], 16, Form::Lists, InstructionSet::Portable};
    const Settings s = caseSettings(c);
    RepresentationLayer fast(s.structure, s.dynamics);
    DynamicsSettings wrong = s.dynamics;
    wrong.mu_d_ratio *= 1.01;
    const WeightMatrix w0 = fast.weights();
    model::ReferenceLayer spec(wrong, fast.inputs(), fast.units(),
                               {w0.data(), std::size_t(w0.size())}, fast.thresholds());
    Rng rng(1);
    float worst = 0.0f;
    for (int patch = 0; patch < kPatches; ++patch) {
        const PatchInput in = randomPatch(fast.inputs(), rng);
        fast.beginPatch();
        spec.beginPatch();
        for (int t = 0; t < kStepsPerPatch; ++t) {
            fast.steps(in.indices, in.offsets, t, t + 1);
            spec.decide(in.at(t));
            spec.conclude({fast.fired().begin(), fast.fired().end()});
            std::ranges::copy(fast.potentials(), spec.potentials().begin());
        }
        const WeightMatrix w = fast.weights();
        for (int i = 0; i < fast.inputs(); ++i)
            for (int j = 0; j < fast.units(); ++j)
                worst = std::max(worst, std::abs(w(i, j) - spec.weight(i, j)));
    }
    EXPECT_GT(worst, kWeightTolerance);
}

}  // namespace
