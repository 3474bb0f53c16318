// The built-in photographs (builtin:natural, builtin:natural-eval): documented count and sizes, a
// fixed content, the same bits as a folder of the same PNG files, fields that become Gabor-like,
// and the preset <-> data pairing the studio uses.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <utility>
#include <vector>

#include "TestFiles.h"
#include "analysis/Evaluator.h"
#include "analysis/GaborFit.h"
#include "data/Dataset.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

using namespace stdp;
using stdp::testing::TempDir;

namespace {

const std::string kRepositoryFolder = std::string(STDP_SOURCE_DIR) + "/resources/data/natural";

DataSettings unwhitened() {
    DataSettings d;
    d.whiten = false;
    return d;
}

// The photographs as 8-bit grey values in [0, 1]: both spec parts, training first.
std::vector<Image> rawPhotographs() {
    std::vector<Image> all = loadDataSpec(kBuiltinNaturalSpec, unwhitened()).images;
    for (Image& image : loadDataSpec(kBuiltinNaturalEvalSpec, unwhitened()).images)
        all.push_back(std::move(image));
    return all;
}

// FNV-1a over the sizes and the 8-bit pixel values.
std::uint64_t checksum(const std::vector<Image>& images) {
    std::uint64_t h = 14695981039346656037ull;
    const auto mix = [&h](std::uint64_t byte) {
        h ^= byte;
        h *= 1099511628211ull;
    };
    for (const Image& image : images) {
        mix(static_cast<std::uint64_t>(image.rows));
        mix(static_cast<std::uint64_t>(image.cols));
        for (float v : image.pixels)
            mix(static_cast<std::uint64_t>(std::lround(v * 255.0f)));
    }
    return h;
}

void expectSameImages(const ImageSet& a, const ImageSet& b) {
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(a.signed_values, b.signed_values);
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a.images[i].rows, b.images[i].rows) << "image " << i;
        ASSERT_EQ(a.images[i].cols, b.images[i].cols) << "image " << i;
        // Bit for bit, not approximately: the same pipeline must give the same floats.
        EXPECT_TRUE(a.images[i].pixels == b.images[i].pixels) << "image " << i;
    }
}

WeightMatrix trainedWeights(const std::string& spec, std::size_t first, std::size_t count) {
    Settings s = presetSettings("paper-natural");
    applySetting(s, "units", "8");
    applySetting(s, "patches_per_image", "100");
    validate(s);
    auto data = std::make_shared<const ImageSet>(loadDataSpec(spec, s.data, first, count));
    TrainingSession session(s, data);
    session.trainImages(data->size());
    return session.layer().weights();
}

// docs/model.md §5: the census of the fields (analysis/GaborFit.h).
FieldCensus census(const WeightMatrix& weights, int p) {
    FieldCensus c = fieldCensus(pixelFilters(weights, p, true), p, {}, 0);
    std::printf("census: %s\n", c.countsText().c_str());
    return c;
}

}  // namespace

TEST(BuiltinNatural, HasTheDocumentedPhotographs) {
    const ImageSet train = loadDataSpec(kBuiltinNaturalSpec, unwhitened());
    const ImageSet eval = loadDataSpec(kBuiltinNaturalEvalSpec, unwhitened());
    ASSERT_EQ(train.size(), kBuiltinNaturalTrainImages);
    ASSERT_EQ(eval.size(), kBuiltinNaturalEvalImages);
    EXPECT_EQ(train.size(), 6u);
    EXPECT_EQ(eval.size(), 2u);
    // rows x cols as listed in resources/data/NATURAL-IMAGES.md.
    const std::vector<std::pair<int, int>> sizes = {{512, 512}, {512, 512}, {400, 600}, {512, 512},
                                                    {512, 512}, {427, 640}, {512, 512}, {300, 451}};
    const std::vector<Image> all = rawPhotographs();
    ASSERT_EQ(all.size(), sizes.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].rows, sizes[i].first) << "photograph " << i + 1;
        EXPECT_EQ(all[i].cols, sizes[i].second) << "photograph " << i + 1;
    }
    EXPECT_FALSE(train.signed_values);
    EXPECT_TRUE(train.labels.empty());
    EXPECT_EQ(train.source, kBuiltinNaturalSpec);
}

TEST(BuiltinNatural, ContentIsFixed) {
    // Changes only when resources/data/natural/*.png are regenerated on purpose.
    EXPECT_EQ(checksum(rawPhotographs()), 16274652710786057341ull);
}

TEST(BuiltinNatural, WhitenedByDefaultAsNaturalPresetsNeed) {
    const Settings s = presetSettings("paper-natural");
    const ImageSet set = loadDataSpec(kBuiltinNaturalSpec, s.data);
    EXPECT_TRUE(set.signed_values);
    for (const Image& image : set.images) {
        float lo = 0.0f;
        float hi = 0.0f;
        double sum = 0.0;
        for (float v : image.pixels) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            sum += v;
        }
        EXPECT_GE(lo, -1.0f);
        EXPECT_LE(hi, 1.0f);
        EXPECT_LT(lo, -0.5f);  // really signed, not intensities
        EXPECT_NEAR(sum / double(image.pixels.size()), 0.0, 0.01);
    }
}

TEST(BuiltinNatural, SameBitsAsAFolderOfTheSamePngs) {
    TempDir dir;
    const std::vector<Image> raw = rawPhotographs();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        cv::Mat m(raw[i].rows, raw[i].cols, CV_8UC1);
        for (int r = 0; r < m.rows; ++r)
            for (int c = 0; c < m.cols; ++c)
                m.at<std::uint8_t>(r, c) =
                    static_cast<std::uint8_t>(std::lround(raw[i].at(r, c) * 255.0f));
        // Level 0: fast to write, and the compression level changes no pixel.
        ASSERT_TRUE(cv::imwrite(dir.file("photo-" + std::to_string(i) + ".png"), m,
                                {cv::IMWRITE_PNG_COMPRESSION, 0}));
    }
    const std::string folder = "images:" + dir.file("");
    const DataSettings whitened = presetSettings("paper-natural").data;
    expectSameImages(loadDataSpec(kBuiltinNaturalSpec, whitened),
                     loadDataSpec(folder, whitened, 0, kBuiltinNaturalTrainImages));
    expectSameImages(loadDataSpec(kBuiltinNaturalEvalSpec, whitened),
                     loadDataSpec(folder, whitened, kBuiltinNaturalTrainImages));
    // --offset / --images select within builtin:natural as within a folder.
    expectSameImages(loadDataSpec(kBuiltinNaturalSpec, whitened, 2, 3),
                     loadDataSpec(folder, whitened, 2, 3));
}

TEST(BuiltinNatural, EmbeddedFromTheRepositoryFiles) {
    const std::string folder = "images:" + kRepositoryFolder;
    expectSameImages(loadDataSpec(kBuiltinNaturalSpec, unwhitened()),
                     loadDataSpec(folder, unwhitened(), 0, kBuiltinNaturalTrainImages));
    expectSameImages(loadDataSpec(kBuiltinNaturalEvalSpec, unwhitened()),
                     loadDataSpec(folder, unwhitened(), kBuiltinNaturalTrainImages));
}

TEST(BuiltinNatural, TrainsAsTheFolderDoes) {
    const WeightMatrix builtin = trainedWeights(kBuiltinNaturalSpec, 0, 2);
    const WeightMatrix folder = trainedWeights("images:" + kRepositoryFolder, 0, 2);
    ASSERT_EQ(builtin.rows(), folder.rows());
    ASSERT_EQ(builtin.cols(), folder.cols());
    EXPECT_TRUE(builtin == folder);
}

TEST(BuiltinNatural, PaperNaturalLearnsGaborLikeFields) {
    // The preset on the built-in training photographs, K = 32, 1,500 patches per photograph,
    // interleaved. Measured: 9 of 32 fields are localised oriented Gabors by docs/model.md §5
    // (7 and 9 with seeds 2 and 3; 11, 9, 11 before the census asked for a lobe of the opposite
    // sign across the bars; 15 when the photographs came one after the other and the fields
    // followed the last one), 72 % fit a Gabor with R² >= 0.7; the untrained fields
    // (W0 ~ U[0, 1)) pass neither. Criterion (can fail): at least 6 localised Gabors (a quarter
    // before the census asked for the lobe) and 60 % good fits after training, none before.
    Settings s = presetSettings("paper-natural");
    applySetting(s, "units", "32");
    applySetting(s, "patches_per_image", "1500");
    validate(s);
    auto data = std::make_shared<const ImageSet>(loadDataSpec(kBuiltinNaturalSpec, s.data));
    TrainingSession session(s, data);
    const int p = s.structure.patch_size;
    const FieldCensus before = census(session.layer().weights(), p);
    session.trainImages(data->size());
    const FieldCensus after = census(session.layer().weights(), p);
    EXPECT_EQ(before.count(FieldShape::Gabor), 0);
    EXPECT_LT(before.goodFitShare(), 0.05);
    EXPECT_GE(after.count(FieldShape::Gabor), 6) << after.countsText();
    EXPECT_GE(after.goodFitShare(), 0.6) << after.countsText();
}

// Random sampling interleaves the photographs: each round takes one patch from every photograph
// in a seeded order, so each has patches_per_image patches per epoch, no photograph's patches
// come as one block, and an "image" is patches_per_image patches of the mixture.
TEST(NaturalProtocol, PatchesInterleaveAcrossPhotographs) {
    Settings s = presetSettings("paper-natural");
    applySetting(s, "units", "8");
    applySetting(s, "patches_per_image", "30");
    validate(s);
    auto data = std::make_shared<const ImageSet>(loadDataSpec(kBuiltinNaturalSpec, s.data));
    const std::size_t n = data->size();
    const auto order = [&](std::uint64_t seed) {
        Settings t = s;
        t.structure.seed = seed;
        TrainingSession session(t, data);
        std::vector<PatchOrigin> seen;
        for (std::size_t k = 0; k < n * 30; ++k) {
            session.advance(StepUnit::Patch, 1);
            seen.push_back(session.currentOrigin());
        }
        EXPECT_EQ(session.counters().images, n);
        EXPECT_TRUE(session.finished());
        return seen;
    };
    const std::vector<PatchOrigin> a = order(1);
    ASSERT_EQ(a.size(), n * 30);
    std::vector<int> per_image(n, 0);
    for (std::size_t k = 0; k < a.size(); ++k) {
        ++per_image[a[k].image];
        EXPECT_EQ(a[k].unit, k / 30) << "patch " << k;
        if (k % n == n - 1) {  // after every round, each photograph has given as many patches
            for (std::size_t i = 0; i < n; ++i)
                EXPECT_EQ(per_image[i], static_cast<int>(k / n + 1)) << "round " << k / n;
        }
    }
    // The first n patches come from n different photographs, in an order that is not file order
    // for every round, and the same seed gives the same order.
    bool file_order_everywhere = true;
    for (std::size_t k = 0; k < a.size(); ++k)
        file_order_everywhere = file_order_everywhere && a[k].image == k % n;
    EXPECT_FALSE(file_order_everywhere);
    const std::vector<PatchOrigin> again = order(1);
    const std::vector<PatchOrigin> other = order(2);
    bool same = true, differs = false;
    for (std::size_t k = 0; k < a.size(); ++k) {
        same = same && again[k].image == a[k].image && again[k].position.row == a[k].position.row &&
               again[k].position.col == a[k].position.col;
        differs = differs || other[k].image != a[k].image;
    }
    EXPECT_TRUE(same);
    EXPECT_TRUE(differs);
}

// mu_decay counts patches: after N patches the learning rate is mu / (1 + mu_decay N / 1e5),
// whatever the number of photographs.
TEST(NaturalProtocol, ScheduleCountsPatches) {
    Settings s = presetSettings("improved-natural");
    applySetting(s, "units", "8");
    applySetting(s, "patches_per_image", "50");
    applySetting(s, "mu_decay", "1000");
    validate(s);
    auto data = std::make_shared<const ImageSet>(loadDataSpec(kBuiltinNaturalSpec, s.data, 0, 2));
    TrainingSession session(s, data);
    session.advance(StepUnit::Patch, 40);
    EXPECT_EQ(session.counters().patches, 40u);
    EXPECT_EQ(session.counters().images, 0u);  // 40 of the 50 patches of an image's worth
    EXPECT_NEAR(session.layer().learningRateScale(), 1.0 / (1.0 + 1000.0 * 40.0 / 100000.0), 1e-12);
    session.setPatchesOffset(100000);
    EXPECT_NEAR(session.layer().learningRateScale(), 1.0 / (1.0 + 1000.0 * 100040.0 / 100000.0),
                1e-12);
}

// Whitening treats the photograph as periodic: the rows and columns next to the border carry the
// jump between opposite edges. They are cut (kWhitenBorder from each side) before any patch.
TEST(NaturalProtocol, WhiteningBorderIsCut) {
    const Settings s = presetSettings("paper-natural");
    const ImageSet raw = loadDataSpec(kBuiltinNaturalSpec, unwhitened());
    const ImageSet white = loadDataSpec(kBuiltinNaturalSpec, s.data);
    ASSERT_EQ(raw.size(), white.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        EXPECT_EQ(white.images[i].rows, raw.images[i].rows - 2 * kWhitenBorder);
        EXPECT_EQ(white.images[i].cols, raw.images[i].cols - 2 * kWhitenBorder);
        // The outermost rows left are no louder than the interior (they were 2-3x before).
        const Image& w = white.images[i];
        double edge = 0.0, inner = 0.0;
        int edges = 0, inners = 0;
        for (int r = 0; r < w.rows; ++r)
            for (int c = 0; c < w.cols; ++c) {
                const double v = double(w.at(r, c)) * w.at(r, c);
                const int d = std::min(std::min(r, c), std::min(w.rows - 1 - r, w.cols - 1 - c));
                if (d == 0) {
                    edge += v;
                    ++edges;
                } else if (d >= 16) {
                    inner += v;
                    ++inners;
                }
            }
        EXPECT_LT(std::sqrt(edge / edges), 1.5 * std::sqrt(inner / inners)) << "photograph " << i;
    }
    Image tiny;
    tiny.rows = tiny.cols = 2 * kWhitenBorder;
    tiny.pixels.assign(static_cast<std::size_t>(tiny.rows * tiny.cols), 0.5f);
    EXPECT_THROW(preparePhotograph(tiny, s.data), UserError);
}

TEST(BuiltinNatural, SpecErrorsNameTheKnownSets) {
    try {
        loadDataSpec("builtin:naturals", {});
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("builtin:natural-eval"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(loadDataSpec(kBuiltinNaturalEvalSpec, {}, 2), UserError);
    DataSettings bad;
    bad.onoff_scale = 0.0;
    EXPECT_THROW(loadDataSpec(kBuiltinNaturalSpec, bad), UserError);
}

TEST(BuiltinNatural, HeldOutSpec) {
    EXPECT_EQ(heldOutSpec(kBuiltinNaturalSpec),
              std::optional<std::string>(kBuiltinNaturalEvalSpec));
    EXPECT_EQ(heldOutSpec("builtin:mnist"), std::nullopt);
    EXPECT_EQ(heldOutSpec("images:/photos"), std::nullopt);
}

TEST(PresetData, NaturalPresetsRunOnTheBuiltinPhotographs) {
    for (const char* name : {"paper-natural", "improved-natural", "coop-natural"}) {
        const Preset& p = findPreset(name);
        EXPECT_EQ(p.default_data, kBuiltinNaturalSpec);
        EXPECT_EQ(dataForPreset(p, "builtin:mnist"), kBuiltinNaturalSpec);
        EXPECT_EQ(dataForPreset(p, "idx:/data/train-images-idx3-ubyte.gz"), kBuiltinNaturalSpec);
        // A user's own photographs are kept.
        EXPECT_EQ(dataForPreset(p, "images:/photos"), "images:/photos");
        EXPECT_EQ(dataForPreset(p, kBuiltinNaturalSpec), kBuiltinNaturalSpec);
    }
    for (const char* name : {"paper-mnist", "ngc-mnist", "improved-mnist"}) {
        const Preset& p = findPreset(name);
        EXPECT_EQ(dataForPreset(p, kBuiltinNaturalSpec), "builtin:mnist");
        EXPECT_EQ(dataForPreset(p, kBuiltinNaturalEvalSpec), "builtin:mnist");
        EXPECT_EQ(dataForPreset(p, "idx:/fashion.idx"), "idx:/fashion.idx");
        EXPECT_EQ(dataForPreset(p, "images:/photos"), "images:/photos");
    }
}

TEST(PresetData, PhotographsUnderADigitPresetBringItsNaturalCounterpart) {
    EXPECT_EQ(presetForData("paper-mnist", kBuiltinNaturalSpec), "paper-natural");
    EXPECT_EQ(presetForData("ngc-mnist", kBuiltinNaturalSpec), "paper-natural");
    EXPECT_EQ(presetForData("improved-mnist", kBuiltinNaturalSpec), "improved-natural");
    EXPECT_EQ(presetForData("improved-mnist", kBuiltinNaturalEvalSpec), "improved-natural");
    EXPECT_EQ(presetForData("coop-mnist", kBuiltinNaturalSpec), "coop-natural");
    EXPECT_EQ(presetForData("paper-natural", kBuiltinNaturalSpec), std::nullopt);
    EXPECT_EQ(presetForData("paper-mnist", "builtin:mnist"), std::nullopt);
    EXPECT_EQ(presetForData("paper-mnist", "images:/photos"), std::nullopt);
    EXPECT_EQ(presetForData("no-such-preset", kBuiltinNaturalSpec), std::nullopt);
    for (const Preset& p : presets()) {
        if (const auto natural = presetForData(p.name, kBuiltinNaturalSpec)) {
            EXPECT_EQ(findPreset(*natural).default_data, kBuiltinNaturalSpec) << p.name;
        }
    }
}
