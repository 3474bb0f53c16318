// Presenting one image to a frozen network (the studio's Draw and present): the response, patch
// by patch, is what protocol A measures of that image with the same seed, and nothing learns.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "analysis/Evaluator.h"
#include "data/Dataset.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

using namespace stdp;

namespace {
struct Trained {
    Settings settings;
    std::unique_ptr<TrainingSession> session;
};

Trained trainedOnDigits(const std::string& preset = "paper-mnist") {
    Trained t;
    t.settings = presetSettings(preset);
    t.session = std::make_unique<TrainingSession>(
        t.settings, std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 0, 30)));
    t.session->trainImages(20);  // ten images left to train on
    return t;
}
}  // namespace

TEST(Present, ResponseIsProtocolAOfThatImage) {
    const Trained t = trainedOnDigits();
    const RepresentationLayer& layer = t.session->layer();
    const WeightMatrix before = layer.weights();
    ImageSet one = loadDataSpec("builtin:mnist", {}, 1500, 1);
    const std::uint64_t seed = 77;
    const ImageResponse r = respondToImage(layer, t.settings, one.images[0], seed);
    EvalOptions o;
    o.seed = seed;
    const ReconstructionMetrics m = evaluate(layer, t.settings, one, o);

    ASSERT_EQ(r.patches.size(), m.patches);
    const double neuron_steps =
        static_cast<double>(m.patches) * m.units * t.settings.dynamics.steps;
    EXPECT_NEAR(r.spikes, m.activity * neuron_steps, 1e-6);
    double total = 0.0;
    for (double c : r.counts)
        total += c;
    EXPECT_DOUBLE_EQ(total, r.spikes);
    double rmse = 0.0;
    for (const auto& patch : r.patches) {
        double se = 0.0;
        for (std::size_t i = 0; i < patch.pixels.size(); ++i)
            se += std::pow(patch.pixels[i] - patch.xhat[i], 2);
        rmse += std::sqrt(se / static_cast<double>(patch.pixels.size()));
    }
    EXPECT_NEAR(rmse / static_cast<double>(r.patches.size()), m.rmse, 1e-6);
    EXPECT_EQ(layer.weights(), before);  // frozen: presenting changes nothing

    // The whole-image reconstruction resembles the image more than a blank does.
    const Image& image = one.images[0];
    double err = 0.0, blank = 0.0;
    for (std::size_t k = 0; k < image.pixels.size(); ++k) {
        err += std::pow(image.pixels[k] - r.reconstruction.pixels[k], 2);
        blank += std::pow(image.pixels[k], 2);
    }
    EXPECT_LT(err, 0.5 * blank);

    // Same seed, same answer; another image, another answer.
    const ImageResponse again = respondToImage(layer, t.settings, one.images[0], seed);
    EXPECT_EQ(again.counts, r.counts);
    ImageSet other = loadDataSpec("builtin:mnist", {}, 1501, 1);
    EXPECT_NE(respondToImage(layer, t.settings, other.images[0], seed).counts, r.counts);
}

TEST(Present, ABlankImageHasNoPatches) {
    const Trained t = trainedOnDigits();
    Image blank;
    blank.rows = blank.cols = 28;
    blank.pixels.assign(28 * 28, 0.0f);
    const ImageResponse r = respondToImage(t.session->layer(), t.settings, blank, 1);
    EXPECT_TRUE(r.patches.empty());
    EXPECT_EQ(r.spikes, 0.0);
}

namespace {
// Counts each neuron's spikes over the steps it sees, and the steps.
class SpikeCounter : public StepObserver {
  public:
    explicit SpikeCounter(int units) : counts(static_cast<std::size_t>(units), 0.0) {}
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t>) override {
        for (std::int32_t j : layer.fired())
            counts[static_cast<std::size_t>(j)] += 1.0;
        ++steps;
    }
    std::vector<double> counts;
    std::uint64_t steps = 0;
};

std::shared_ptr<const Image> digit(std::size_t index) {
    return std::make_shared<const Image>(loadDataSpec("builtin:mnist", {}, index, 1).images[0]);
}
}  // namespace

// The studio runs a presented image through the live network step by step, so that every view
// shows it: frozen, it is exactly Draw and present's answer, and training goes on as if it never
// happened, from the middle of the patch it interrupted.
class PresentEveryMembrane : public ::testing::TestWithParam<std::string> {};

TEST_P(PresentEveryMembrane, AFrozenPresentationIsTheAnswerAndLeavesTrainingUntouched) {
    Trained a = trainedOnDigits(GetParam());
    Trained b = trainedOnDigits(GetParam());
    a.session->advance(StepUnit::Step, 7);  // in the middle of a patch
    b.session->advance(StepUnit::Step, 7);
    const TrainingCounters counters = a.session->counters();
    const WeightMatrix weights = a.session->layer().weights();

    const auto image = digit(1500);
    const std::uint64_t seed = 77;
    Presentation p;
    p.image = image;
    p.seed = seed;
    a.session->present(p);
    ASSERT_TRUE(a.session->presentationProgress().active);
    SpikeCounter counter(a.session->layer().units());
    // Whole patches, then single steps: the presentation is the same however it is stepped.
    a.session->advance(StepUnit::Patch, 3, &counter);
    EXPECT_TRUE(a.session->showsPresentation());
    EXPECT_TRUE(a.session->currentOrigin().presented);
    while (a.session->presentationProgress().active)
        a.session->advance(StepUnit::Step, 1, &counter);

    const ImageResponse answer = respondToImage(b.session->layer(), b.settings, *image, seed);
    EXPECT_EQ(counter.counts, answer.counts);
    EXPECT_EQ(counter.steps,
              answer.patches.size() * static_cast<std::size_t>(a.settings.dynamics.steps));
    EXPECT_GT(answer.spikes, 0.0);
    EXPECT_EQ(a.session->counters().steps, counters.steps);  // not training steps
    EXPECT_EQ(a.session->counters().images, counters.images);
    EXPECT_EQ(a.session->layer().weights(), weights);

    // Training resumes mid-patch, bit for bit as the session that never presented.
    ASSERT_EQ(a.session->trainImages(3), 3u);
    ASSERT_EQ(b.session->trainImages(3), 3u);
    EXPECT_EQ(a.session->counters().steps, b.session->counters().steps);
    EXPECT_EQ(a.session->layer().weights(), b.session->layer().weights());
    EXPECT_EQ(a.session->layer().thresholds(), b.session->layer().thresholds());
    EXPECT_FALSE(a.session->showsPresentation());
}

// A memoryless membrane (paper-mnist), and a leaky one that keeps potentials through the patch
// (improved-mnist): there, losing the interrupted patch's state would show.
INSTANTIATE_TEST_SUITE_P(Presets, PresentEveryMembrane,
                         ::testing::Values("paper-mnist", "improved-mnist"),
                         [](const auto& param) {
                             std::string name = param.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(Present, ALearningPresentationKeepsWhatItLearnt) {
    Trained a = trainedOnDigits();
    const WeightMatrix before = a.session->layer().weights();
    const TrainingCounters counters = a.session->counters();
    Presentation p;
    p.image = digit(1500);
    p.learn = true;
    a.session->present(p);
    EXPECT_TRUE(a.session->presentationProgress().learn);
    a.session->advance(StepUnit::Image, 1);
    EXPECT_FALSE(a.session->presentationProgress().active);
    EXPECT_NE(a.session->layer().weights(), before);
    EXPECT_EQ(a.session->counters().images, counters.images);
    EXPECT_EQ(a.session->counters().steps, counters.steps);
}

TEST(Present, OnePatchIsTheWholeImagesPatchThere) {
    Trained a = trainedOnDigits();
    const auto image = digit(1500);
    const std::vector<ProtocolPatch> all = protocolPatchesOf(a.settings, *image, 5);
    ASSERT_GT(all.size(), 10u);
    const ProtocolPatch& chosen = all[all.size() / 2];
    const ProtocolPatch one = protocolPatchAt(a.settings, *image, chosen.at, 5);
    EXPECT_EQ(one.pixels, chosen.pixels);
    auto spikeList = [](const PatchSpikes& s) {  // without the spare capacity
        return std::vector<std::int32_t>(s.indices.begin(), s.indices.begin() + s.offsets.back());
    };
    EXPECT_EQ(spikeList(one.spikes), spikeList(chosen.spikes));
    EXPECT_EQ(one.spikes.offsets, chosen.spikes.offsets);

    Presentation p;
    p.image = image;
    p.patch = chosen.at;
    p.seed = 5;
    p.data_index = 1500;
    a.session->present(p);
    EXPECT_EQ(a.session->presentationProgress().patches, 1u);
    a.session->advance(StepUnit::Patch, 1);
    EXPECT_FALSE(a.session->presentationProgress().active);
    EXPECT_TRUE(a.session->showsPresentation());  // shown until training steps again
    EXPECT_EQ(a.session->currentOrigin().position.row, chosen.at.row);
    EXPECT_EQ(a.session->currentOrigin().position.col, chosen.at.col);
    EXPECT_EQ(a.session->currentOrigin().image, 1500u);
    EXPECT_EQ(a.session->currentImage().get(), image.get());

    // Far outside the image is clamped onto it, not refused.
    const ProtocolPatch corner = protocolPatchAt(a.settings, *image, {500, -500}, 5);
    EXPECT_EQ(corner.at.row,
              image->rows - a.settings.structure.patch_size + a.settings.structure.patch_size / 2);
    EXPECT_EQ(corner.at.col, -(a.settings.structure.patch_size / 2));
}

TEST(Present, WhatCannotBePresentedIsRefusedAndChangesNothing) {
    Trained a = trainedOnDigits();
    const TrainingCounters counters = a.session->counters();
    auto image = [](int rows, int cols, float value) {
        Image im;
        im.rows = rows;
        im.cols = cols;
        im.pixels.assign(static_cast<std::size_t>(rows * cols), value);
        return std::make_shared<const Image>(im);
    };
    Presentation p;
    p.image = image(3, 3, 0.5f);
    EXPECT_THROW(a.session->present(p), UserError);  // smaller than a patch
    p.image = image(28, 28, -0.5f);
    EXPECT_THROW(a.session->present(p), UserError);  // whitened values, no ON/OFF inputs
    p.image = image(28, 28, 0.0f);
    EXPECT_THROW(a.session->present(p), UserError);  // blank
    p.image = nullptr;
    EXPECT_THROW(a.session->present(p), UserError);
    EXPECT_FALSE(a.session->presentationProgress().active);
    a.session->advance(StepUnit::Patch, 1);
    EXPECT_EQ(a.session->counters().patches, counters.patches + 1);
}

TEST(Present, AbandonedOrResetPresentationsLeaveNoTrace) {
    Trained a = trainedOnDigits();
    Trained b = trainedOnDigits();
    Presentation p;
    p.image = digit(1500);
    a.session->present(p);
    a.session->advance(StepUnit::Step, 30);
    a.session->endPresentation();
    EXPECT_FALSE(a.session->presentationProgress().active);
    a.session->trainImages(2);
    b.session->trainImages(2);
    EXPECT_EQ(a.session->layer().weights(), b.session->layer().weights());

    // A reset in the middle of a presentation starts from the dynamics as set (learning on).
    a.session->present(p);
    a.session->advance(StepUnit::Step, 3);
    a.session->reset();
    b.session->reset();
    EXPECT_TRUE(a.session->layer().dynamics().learn);
    a.session->trainImages(2);
    b.session->trainImages(2);
    EXPECT_EQ(a.session->layer().weights(), b.session->layer().weights());
}
