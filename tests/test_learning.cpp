// Whole-run checks: determinism, the seeded golden run, the threshold rule over a run, and
// end-to-end learning on real digits.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "analysis/Baselines.h"
#include "analysis/Evaluator.h"
#include "data/Dataset.h"
#include "kernels/Dispatch.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

using namespace stdp;

namespace {

std::shared_ptr<const ImageSet> digits(std::size_t first, std::size_t count) {
    return std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, first, count));
}

// FNV-1a over the bytes of the weights and thresholds: any change of any bit changes it.
std::uint64_t fingerprint(const RepresentationLayer& layer) {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&](const void* data, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i)
            h = (h ^ b[i]) * 1099511628211ULL;
    };
    mix(layer.weights().data(), sizeof(float) * layer.weights().size());
    mix(layer.thresholds().data(), sizeof(float) * layer.thresholds().size());
    return h;
}

}  // namespace

TEST(Determinism, SameSeedSameBits) {
    const auto data = digits(0, 5);
    const Settings s = presetSettings("paper-mnist");
    TrainingSession a(s, data), b(s, data);
    a.trainImages(5);
    b.trainImages(5);
    EXPECT_EQ(fingerprint(a.layer()), fingerprint(b.layer()));
    EXPECT_EQ(a.counters().spikes, b.counters().spikes);

    Settings other = s;
    other.structure.seed = 2;
    TrainingSession c(other, data);
    c.trainImages(5);
    EXPECT_NE(fingerprint(a.layer()), fingerprint(c.layer()));
}

TEST(Determinism, ResetRestoresTheSeededStart) {
    const auto data = digits(0, 2);
    TrainingSession s(presetSettings("paper-mnist"), data);
    const std::uint64_t initial = fingerprint(s.layer());
    s.trainImages(2);
    EXPECT_NE(fingerprint(s.layer()), initial);
    s.reset();
    EXPECT_EQ(fingerprint(s.layer()), initial);
    s.trainImages(2);
    TrainingSession fresh(presetSettings("paper-mnist"), data);
    fresh.trainImages(2);
    EXPECT_EQ(fingerprint(s.layer()), fingerprint(fresh.layer()));
}

TEST(Determinism, SteppingEqualsRunning) {
    // The studio single-steps; the CLI runs images: both must produce the same network.
    const auto data = digits(0, 2);
    const Settings s = presetSettings("paper-mnist");
    TrainingSession stepped(s, data), chunked(s, data), run(s, data);
    while (stepped.advance(StepUnit::Step, 1)) {
    }
    // Runs of 97 steps cross patch boundaries at every offset, as the studio's slices do.
    while (chunked.advance(StepUnit::Step, 97)) {
    }
    run.trainImages(2);
    EXPECT_EQ(stepped.counters().images, 2u);
    EXPECT_EQ(stepped.counters().steps, run.counters().steps);
    EXPECT_EQ(chunked.counters().steps, run.counters().steps);
    EXPECT_EQ(chunked.counters().spikes, run.counters().spikes);
    EXPECT_EQ(fingerprint(stepped.layer()), fingerprint(run.layer()));
    EXPECT_EQ(fingerprint(chunked.layer()), fingerprint(run.layer()));
}

// Evaluation splits the images over threads. Both read-outs are checked (the spike-weighted mean
// and the additive one with the hurdle added back): the CI's ThreadSanitizer stage relies on this
// test for the evaluation's threads, since it skips the long single-threaded science margins.
TEST(Determinism, EvaluationDoesNotDependOnThreads) {
    const auto data = digits(100, 20);
    for (const char* preset : {"paper-mnist", "coop-mnist-sparse"}) {
        TrainingSession s(presetSettings(preset), digits(0, 3));
        s.trainImages(3);
        EvalOptions one, two;
        one.workers = 1;
        two.workers = 2;
        const auto m1 = evaluate(s.layer(), s.settings(), *data, one);
        const auto m2 = evaluate(s.layer(), s.settings(), *data, two);
        EXPECT_EQ(m1.rmse, m2.rmse) << preset;
        EXPECT_EQ(m1.patches, m2.patches) << preset;
        EXPECT_EQ(m1.activity, m2.activity) << preset;
        EXPECT_EQ(m1.decoder, m2.decoder) << preset;
    }
}

// The golden run: paper-mnist, seed 1, the first 3 built-in digits, default (portable) build.
// If an optimisation changes these numbers it altered the arithmetic: update them only in a
// commit that says why. Passes unchanged on the x86-64-v4 and v3 clones, the portable build
// (-DSTDP_NO_DISPATCH) and -DSTDP_NATIVE=ON: the build fuses no
// multiply-add unless the code asks for it (std::fma).
constexpr std::uint64_t kGoldenPatches = 1033;
constexpr std::uint64_t kGoldenSpikes = 39897;
constexpr std::uint64_t kGoldenFingerprint = 0xfe26cfc511ee4fbfULL;

TEST(Golden, SeededRunIsBitForBit) {
    if (kPlainStep)
        GTEST_SKIP() << "these bits are the optimised step's; the plain step (STDP_PLAIN_STEP) "
                        "computes the softmax in double with std::exp and sums W unscaled";
    TrainingSession s(presetSettings("paper-mnist"), digits(0, 3));
    s.trainImages(3);
    EXPECT_EQ(s.counters().images, 3u);
    EXPECT_EQ(s.counters().patches, kGoldenPatches);
    EXPECT_EQ(s.counters().spikes, kGoldenSpikes);
    EXPECT_EQ(fingerprint(s.layer()), kGoldenFingerprint)
        << std::hex << "fingerprint is 0x" << fingerprint(s.layer());
}

// Every clone of the step over a long run: the golden run's 3 digits leave most of a run's
// decisions unvisited (ties of the softmax with theta, winners near a threshold after thousands of
// updates), so a clone whose arithmetic differed in one rare case would pass it and still end on
// other weights. The portable clone is the reference; weights and thresholds must match its bits.
constexpr std::size_t kLongRunDigits = 300;

TEST(Golden, EveryCloneEqualsThePortableStepOverALongRun) {
    const auto data = digits(0, kLongRunDigits);
    const Settings s = presetSettings("paper-mnist");
    const InstructionSet before = stepInstructionSet();
    struct Run {
        InstructionSet set;
        std::vector<float> weights, thresholds;
        std::uint64_t spikes = 0;
    };
    std::vector<Run> runs;
    for (InstructionSet set :
         {InstructionSet::Portable, InstructionSet::X86_64_V3, InstructionSet::X86_64_V4}) {
        if (!forceStepInstructionSet(set))
            continue;  // not in this build or not on this CPU
        TrainingSession session(s, data);
        session.trainImages(kLongRunDigits);
        const auto w = session.layer().weights();
        const auto theta = session.layer().thresholds();
        runs.push_back({set,
                        {w.data(), w.data() + w.size()},
                        {theta.begin(), theta.end()},
                        session.counters().spikes});
    }
    forceStepInstructionSet(before);
    ASSERT_FALSE(runs.empty());
    const Run& portable = runs.front();
    ASSERT_EQ(portable.set, InstructionSet::Portable);
    for (const Run& run : runs) {
        const char* name = instructionSetName(run.set);
        EXPECT_EQ(run.spikes, portable.spikes) << name;
        EXPECT_EQ(run.thresholds, portable.thresholds) << name;
        ASSERT_EQ(run.weights.size(), portable.weights.size());
        std::size_t differ = 0, first = run.weights.size();
        for (std::size_t i = 0; i < run.weights.size(); ++i)
            if (std::memcmp(&run.weights[i], &portable.weights[i], sizeof(float)) != 0) {
                first = std::min(first, i);
                ++differ;
            }
        EXPECT_EQ(differ, 0u) << name << ": " << differ << " weights differ from the portable "
                              << "clone's, the first at index " << first;
    }
    RecordProperty("clones", std::to_string(runs.size()));
}

TEST(Golden, StdpIsaNamesTheCloneOrSaysWhyNot) {
    const InstructionSet best = bestInstructionSet();
    std::FILE* err = std::tmpfile();
    ASSERT_NE(err, nullptr);
    EXPECT_EQ(initialStepInstructionSet(nullptr, err), best);
    EXPECT_EQ(initialStepInstructionSet("", err), best);
    EXPECT_EQ(initialStepInstructionSet("portable", err), InstructionSet::Portable);
    EXPECT_EQ(std::ftell(err), 0L) << "no message for a name that is honoured";
    EXPECT_EQ(initialStepInstructionSet("avx9", err), best);
    EXPECT_GT(std::ftell(err), 0L) << "an unknown name is reported";
    for (const char* name : {"v3", "v4"}) {
        const long before = std::ftell(err);
        const InstructionSet set = *instructionSetNamed(name);
        const InstructionSet got = initialStepInstructionSet(name, err);
        EXPECT_EQ(got, instructionSetAvailable(set) ? set : best) << name;
        EXPECT_EQ(std::ftell(err) > before, !instructionSetAvailable(set)) << name;
    }
    std::fclose(err);
}

TEST(ThresholdRule, HoldsAboutOneSpikePerStep) {
    // paper-mnist: theta0 = 0.15, rho = 5e-5. After a transient the rule keeps the layer at about
    // one spike per step: measured 0.95-1.05 on digits 20-59 (the rule's fixed point is exactly
    // one; steps on empty inputs and ties make it fluctuate). Tolerance: +-15%.
    const Settings s = presetSettings("paper-mnist");
    TrainingSession session(s, digits(0, 60));
    session.trainImages(20);
    const auto before = session.counters();
    session.trainImages(40);
    const auto after = session.counters();
    const double per_step =
        double(after.spikes - before.spikes) / double(after.steps - before.steps);
    EXPECT_NEAR(per_step, 1.0, 0.15);
    RecordProperty("spikes_per_step", std::to_string(per_step));
}

TEST(ThresholdRule, PerNeuronModeHoldsToo) {
    Settings s = presetSettings("paper-mnist");
    s.structure.theta_mode = ThresholdMode::PerNeuron;
    s.dynamics.rho = 1e-3;
    TrainingSession session(s, digits(0, 40));
    session.trainImages(10);
    const auto before = session.counters();
    session.trainImages(30);
    const auto after = session.counters();
    const double per_step =
        double(after.spikes - before.spikes) / double(after.steps - before.steps);
    EXPECT_NEAR(per_step, 1.0, 0.15);
}

// Measured: untrained 0.348, trained 0.260 (ratio 0.75); the test asks for a ratio below 0.85.
constexpr double kTrainedRmseFactor = 0.85;

// End to end: paper-mnist on 1,000 built-in digits, evaluated on 200 other digits.
TEST(EndToEnd, TrainingLowersReconstructionError) {
    const Settings s = presetSettings("paper-mnist");
    const auto train = digits(0, 1000);
    const auto held_out = digits(1000, 200);
    TrainingSession session(s, train);
    const auto untrained = evaluate(session.layer(), s, *held_out);
    session.trainImages(1000);
    const auto trained = evaluate(session.layer(), s, *held_out);
    RecordProperty("rmse_untrained", std::to_string(untrained.rmse));
    RecordProperty("rmse_trained", std::to_string(trained.rmse));
    std::printf("rmse untrained %.4f trained %.4f, active/patch %.3f, dead %.3f\n", untrained.rmse,
                trained.rmse, trained.active_per_patch, trained.dead_fraction);
    EXPECT_LT(trained.rmse, kTrainedRmseFactor * untrained.rmse);
    EXPECT_GT(trained.patches, 50000u);
}

// Beyond the paper: improved-mnist on the same 1,000 / 200 digits. Measured (K = 32): RMSE 0.174
// against paper-mnist 0.261 and k-means 0.185 (same patches, same K); 1.48 active neurons per
// patch; no dead neuron. The test asks for: no dead neuron, at most 2 active per patch, RMSE at
// most k-means' and at most 0.8 x paper-mnist's.
TEST(Improved, BeatsThePaperAndKMeansWithoutDeadNeurons) {
    const auto train = digits(0, 1000);
    const auto held_out = digits(1000, 200);
    const Settings improved = presetSettings("improved-mnist");
    TrainingSession a(improved, train);
    a.trainImages(1000);
    const auto mi = evaluate(a.layer(), improved, *held_out);

    const Settings paper = presetSettings("paper-mnist");
    TrainingSession b(paper, train);
    b.trainImages(1000);
    const auto mp = evaluate(b.layer(), paper, *held_out);

    BaselineOptions o;
    o.method = BaselineMethod::KMeans;
    o.units = 32;
    // As `stdp-cli baseline` (MNIST patches are chosen on pixels: the seed changes no patch).
    const std::uint64_t seed = paper.structure.seed;
    const auto km = evaluateBaseline(fitBaseline(baselineFitPatches(paper, *train, seed), o),
                                     toMatrix(protocolPatches(paper, *held_out, seed)));
    std::printf("improved %.4f (active %.3f, dead %.3f), paper %.4f, k-means %.4f\n", mi.rmse,
                mi.active_per_patch, mi.dead_fraction, mp.rmse, km.rmse);
    EXPECT_EQ(mi.dead_fraction, 0.0);
    EXPECT_LE(mi.active_per_patch, 2.0);
    EXPECT_LE(mi.rmse, km.rmse);
    EXPECT_LT(mi.rmse, 0.8 * mp.rmse);
}

TEST(LiveChange, RefusedDynamicsChangeNothing) {
    TrainingSession s(presetSettings("paper-mnist"), digits(0, 1));
    DynamicsSettings bad = s.settings().dynamics;
    bad.mu = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(s.setDynamics(bad), UserError);
    EXPECT_DOUBLE_EQ(s.settings().dynamics.mu, 5e-4);
    EXPECT_DOUBLE_EQ(s.layer().dynamics().mu, 5e-4);
    DynamicsSettings good = s.settings().dynamics;
    good.mu = 1e-3;
    s.setDynamics(good);
    EXPECT_DOUBLE_EQ(s.layer().dynamics().mu, 1e-3);
}

TEST(Loop, AnotherEpochEqualsTwoEpochsFromTheStart) {
    // The studio's Loop adds a pass when the data end (or just before): the network must be the
    // one a two-epoch run makes, bit for bit, whenever the pass is added.
    const auto data = digits(0, 2);
    Settings two = presetSettings("paper-mnist");
    two.data.epochs = 2;
    TrainingSession straight(two, data);
    while (straight.advance(StepUnit::Patch, 1)) {
    }
    ASSERT_TRUE(straight.finished());

    TrainingSession at_end(presetSettings("paper-mnist"), data);
    while (at_end.advance(StepUnit::Patch, 1)) {
    }
    ASSERT_TRUE(at_end.finished());
    const std::uint64_t images_once = at_end.counters().images;
    const std::uint64_t patches_once = at_end.counters().patches;
    at_end.addEpoch();
    EXPECT_FALSE(at_end.finished());
    while (at_end.advance(StepUnit::Patch, 1)) {
    }
    EXPECT_EQ(at_end.counters().images, 2 * images_once);
    EXPECT_EQ(at_end.counters().steps, straight.counters().steps);
    EXPECT_EQ(fingerprint(at_end.layer()), fingerprint(straight.layer()));

    // Added during the last patch, after the look-ahead met the end of the data. Both runs go
    // one step at a time: a patch split into runs of steps differs in the last bits of the
    // weights from one run of T steps (the layer picks its kernel per run).
    TrainingSession stepped(two, data);
    while (stepped.advance(StepUnit::Step, 1)) {
    }
    TrainingSession late(presetSettings("paper-mnist"), data);
    while (late.counters().patches < patches_once - 1)
        late.advance(StepUnit::Step, 1);
    late.advance(StepUnit::Step, 1);
    late.addEpoch();
    while (late.advance(StepUnit::Step, 1)) {
    }
    EXPECT_EQ(late.counters().images, stepped.counters().images);
    EXPECT_EQ(late.counters().spikes, stepped.counters().spikes);
    EXPECT_EQ(fingerprint(late.layer()), fingerprint(stepped.layer()));
}

TEST(EndOfData, ShowsTheLastPatchANeuronFiredOn) {
    // A bright image, then one whose only pixel is faint: its patches have input spikes, so
    // training presents them, but too few for any neuron to fire. At the end of the data the
    // studio must show the bright image's last patch, not a near-black one whose reconstruction
    // is black.
    constexpr int kSide = 8;
    auto data = std::make_shared<ImageSet>();
    data->source = "bright, then faint";
    data->images.resize(2);
    for (Image& im : data->images) {
        im.rows = im.cols = kSide;
        im.pixels.assign(kSide * kSide, 0.0f);
    }
    std::fill(data->images[0].pixels.begin(), data->images[0].pixels.end(), 1.0f);
    data->images[1].pixels.back() = 0.2f;  // ~8 spikes in T = 40 steps, one at a time
    const Settings s = presetSettings("paper-mnist");
    TrainingSession session(s, data);

    // Stepped one step at a time, the session shows the patch in progress (or just completed):
    // the faint image's patches do come last, and no neuron fires on them.
    std::size_t last_image = 0;
    std::size_t last_inputs = 0;
    std::uint64_t spikes_before_faint = 0;
    while (session.advance(StepUnit::Step, 1)) {
        if (session.currentOrigin().image == 1 && last_image == 0)
            spikes_before_faint = session.counters().spikes;
        last_image = session.currentOrigin().image;
        last_inputs = session.currentPatch().total();
    }
    ASSERT_EQ(last_image, 1u);
    ASSERT_GT(last_inputs, 0u);
    ASSERT_GT(spikes_before_faint, 0u);
    ASSERT_EQ(session.counters().spikes, spikes_before_faint);

    ASSERT_TRUE(session.finished());
    EXPECT_FALSE(session.hasPatch());
    EXPECT_TRUE(session.showsLastFiredOn());
    EXPECT_EQ(session.currentOrigin().image, 0u);
    EXPECT_EQ(session.currentImage().get(), &data->images[0]);
    PatchSpikes shown = session.currentPatch();
    EXPECT_GT(shown.total(), 0u);
    shown.toIndexLists();  // as the studio's reconstruction reads it
    PatchReconstructor reconstructor(session.layer(), s);
    std::vector<float> counts;
    std::vector<float> xhat;
    EXPECT_GT(reconstructor.run(shown, counts, xhat), 0);

    // Another pass goes on with the next patch, and shows it as it is presented.
    session.addEpoch();
    session.advance(StepUnit::Step, 1);
    EXPECT_FALSE(session.showsLastFiredOn());
    EXPECT_EQ(session.currentOrigin().image, 0u);
    EXPECT_EQ(session.currentOrigin().epoch, 1);
}
