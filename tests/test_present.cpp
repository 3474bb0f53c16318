// Presenting one image to a frozen network (the studio's Draw and present): the response, patch
// by patch, is what protocol A measures of that image with the same seed, and nothing learns.

#include <gtest/gtest.h>

#include <cmath>

#include "Dataset.h"
#include "Evaluator.h"
#include "FilterMosaic.h"
#include "Presets.h"
#include "TestFiles.h"
#include "TrainingSession.h"

using namespace stdp;

namespace {
struct Trained {
    Settings settings;
    std::unique_ptr<TrainingSession> session;
};

Trained trainedOnDigits() {
    Trained t;
    t.settings = presetSettings("paper-mnist");
    t.session = std::make_unique<TrainingSession>(
        t.settings, std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 0, 20)));
    t.session->trainImages(20);
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
