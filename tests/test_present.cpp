// Presenting one image to a frozen network (the studio's Draw and present): the response, patch
// by patch, is what protocol A measures of that image with the same seed, and nothing learns.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "TestFiles.h"
#include "analysis/Evaluator.h"
#include "data/Dataset.h"
#include "io/FilterMosaic.h"
#include "model/Presets.h"
#include "model/ProtocolPatches.h"
#include "model/SpikeEncoder.h"
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
                         ::testing::Values("paper-mnist", "improved-mnist"), [](const auto& param) {
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

// A photograph preset presents a crop of a photograph: prepared (whitened) as its training images
// are, the answer is protocol A of that crop saved as a one-image folder, with the same seed.
TEST(Present, APhotographCropIsProtocolAOfThatCropAsAnImageFolder) {
    Settings s = presetSettings("paper-natural");
    s.data.patches_per_image = 200;  // a short training, enough to have fields that differ
    s.data.eval_patches_per_image = 60;
    TrainingSession session(
        s, std::make_shared<const ImageSet>(loadDataSpec("builtin:natural", s.data, 0, 1)));
    session.trainImages(1);
    const RepresentationLayer& layer = session.layer();
    const WeightMatrix before = layer.weights();

    DataSettings raw = s.data;
    raw.whiten = false;
    const Image photo = loadDataSpec("builtin:natural-eval", raw, 0, 1).images[0];
    const Image crop = cropImage(photo, 200, 150, 64);
    ASSERT_EQ(crop.rows, 64);
    EXPECT_EQ(crop.at(3, 5), photo.at(203, 155));

    // The crop as a file in a folder, 8 bits as the photograph itself.
    stdp::testing::TempDir dir;
    cv::Mat png(crop.rows, crop.cols, CV_8UC1);
    for (int r = 0; r < crop.rows; ++r)
        for (int c = 0; c < crop.cols; ++c)
            png.at<std::uint8_t>(r, c) =
                static_cast<std::uint8_t>(std::lround(crop.at(r, c) * 255.0f));
    writePngAtomic(dir.file("crop.png"), png);
    EXPECT_EQ(readPhotograph(dir.file("crop.png")).pixels, crop.pixels);
    const ImageSet one = loadDataSpec("images:" + dir.path().string(), s.data);
    const Image prepared = preparePhotograph(crop, s.data);
    ASSERT_EQ(one.images[0].pixels, prepared.pixels);

    const std::uint64_t seed = 1234;
    const ImageResponse r = respondToImage(layer, s, prepared, seed);
    EvalOptions o;
    o.seed = seed;
    const ReconstructionMetrics m = evaluate(layer, s, one, o);
    ASSERT_GT(m.patches, 0u);
    ASSERT_EQ(r.patches.size(), m.patches);
    const double neuron_steps = static_cast<double>(m.patches) * m.units * s.dynamics.steps;
    EXPECT_NEAR(r.spikes, m.activity * neuron_steps, 1e-6);
    EXPECT_GT(r.spikes, 0.0);
    double rmse = 0.0;
    for (const auto& patch : r.patches) {
        double se = 0.0;
        for (std::size_t i = 0; i < patch.pixels.size(); ++i)
            se += std::pow(patch.pixels[i] - patch.xhat[i], 2);
        rmse += std::sqrt(se / static_cast<double>(patch.pixels.size()));
    }
    EXPECT_NEAR(rmse / static_cast<double>(r.patches.size()), m.rmse, 1e-6);
    EXPECT_EQ(layer.weights(), before);

    // Unprepared intensities are another input: the preparation is what makes it the same.
    EXPECT_NE(respondToImage(layer, s, crop, seed).counts, r.counts);
}

TEST(Present, ACropOutsideThePhotographIsRefused) {
    Image photo;
    photo.rows = 40;
    photo.cols = 30;
    photo.pixels.assign(40 * 30, 0.5f);
    EXPECT_NO_THROW(cropImage(photo, 10, 0, 30));
    EXPECT_THROW(cropImage(photo, 11, 0, 30), UserError);
    EXPECT_THROW(cropImage(photo, 0, -1, 16), UserError);
    EXPECT_THROW(cropImage(photo, 0, 0, 0), UserError);
    EXPECT_THROW(readPhotograph("/nonexistent/photo.png"), UserError);
}

// The reconstruction view's large photographs: the positions every n-th and the last.
TEST(ReassembledImage, StridedPositionsEndOnTheFarBorder) {
    const auto visited = [](int count, int stride) {
        std::vector<int> at;
        for (int k = 0; k < count; k = nextStridedPosition(k, count, stride))
            at.push_back(k);
        return at;
    };
    EXPECT_EQ(visited(5, 1), (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_EQ(visited(10, 3), (std::vector<int>{0, 3, 6, 9}));
    EXPECT_EQ(visited(11, 3), (std::vector<int>{0, 3, 6, 9, 10}));
    EXPECT_EQ(visited(3, 8), (std::vector<int>{0, 2}));
    EXPECT_EQ(visited(1, 4), (std::vector<int>{0}));
    EXPECT_TRUE(visited(0, 2).empty());
}

// A strided reassembly is, pixel by pixel, the mean of the reconstructions of the patches at the
// strided positions, with the spikes those patches have in the full one; stride 1 is the full one.
TEST(ReassembledImage, AStrideKeepsEachPixelTheMeanOfItsPatches) {
    const Trained t = trainedOnDigits();
    const RepresentationLayer& layer = t.session->layer();
    const Settings& s = t.settings;
    const Image image = loadDataSpec("builtin:mnist", {}, 1500, 1).images[0];
    const std::uint64_t seed = 5;
    EXPECT_EQ(reconstructImage(layer, s, image, seed, 1).pixels,
              reconstructImage(layer, s, image, seed).pixels);

    const int p = s.structure.patch_size;
    const int pad = p / 2;
    ASSERT_EQ(patchPositions(image.rows, p, pad), 28);
    const std::vector<int> positions = {0, 4, 8, 12, 16, 20, 24, 27};  // stride 4, and the last
    std::vector<float> sum(image.pixels.size(), 0.0f), covered(image.pixels.size(), 0.0f);
    SpikeImage spike_image;
    PatchSpikes spikes;
    std::vector<float> pixels, counts, xhat;
    Rng rng(seed);
    spike_image.encode(image, s.structure.onoff, s.dynamics.steps, pad, rng);
    PatchReconstructor reconstructor(layer, s);
    for (int r : positions) {
        for (int c : positions) {
            patchPixels(image, {r, c}, p, pad, pixels);
            if (!hasPixels(pixels))
                continue;
            spike_image.cutPatch({r, c}, p, spikes);
            reconstructor.run(spikes, counts, xhat);
            for (int a = 0; a < p; ++a)
                for (int b = 0; b < p; ++b) {
                    const int ir = r + a - pad, ic = c + b - pad;
                    if (ir < 0 || ir >= image.rows || ic < 0 || ic >= image.cols)
                        continue;
                    const auto k = static_cast<std::size_t>(ir * image.cols + ic);
                    sum[k] += xhat[static_cast<std::size_t>(a * p + b)];
                    covered[k] += 1.0f;
                }
        }
    }
    const Image strided = reconstructImage(layer, s, image, seed, 4);
    ASSERT_EQ(strided.pixels.size(), image.pixels.size());
    int pixels_covered = 0;
    for (std::size_t k = 0; k < sum.size(); ++k) {
        EXPECT_EQ(strided.pixels[k], covered[k] > 0.0f ? sum[k] / covered[k] : 0.0f) << k;
        pixels_covered += covered[k] > 0.0f;
    }
    EXPECT_GT(pixels_covered, 100);  // the digit's strokes and their surround
    EXPECT_NE(strided.pixels, reconstructImage(layer, s, image, seed).pixels);
    EXPECT_THROW(reconstructImage(layer, s, image, seed, 0), UserError);
}
