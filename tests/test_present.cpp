// Presenting one image to a frozen network (the studio's Draw and present): the response, patch
// by patch, is what protocol A measures of that image with the same seed, and nothing learns.

#include <gtest/gtest.h>

#include <cmath>

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
