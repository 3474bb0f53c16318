// Bundles: round trip, atomic replacement, and refusal of bad folders without losing anything.

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "analysis/Evaluator.h"
#include "data/Dataset.h"
#include "io/Bundle.h"
#include "io/FilterMosaic.h"
#include "io/NpyIO.h"
#include "model/FieldGrey.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

using namespace stdp;
namespace fs = std::filesystem;

namespace {

class BundleTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("stdp-bundle-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        fs::create_directories(root_);
    }
    void TearDown() override { fs::remove_all(root_); }

    ModelBundle sample(std::uint64_t seed) const {
        Settings s = presetSettings("ngc-mnist");
        s.structure.seed = seed;
        s.structure.units = 6;
        RepresentationLayer layer(s.structure, s.dynamics);
        ModelBundle b = bundleFromLayer(layer, s);
        b.images_seen = 42;
        b.data_source = "builtin:mnist";
        b.preset = "ngc-mnist";
        ReconstructionMetrics m;
        m.rmse = 0.25;
        m.patches = 10;
        m.units = 6;
        m.has_activity = true;
        b.metrics = m;
        return b;
    }

    fs::path root_;
};

void writeFile(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

TEST_F(BundleTest, RoundTripKeepsEverything) {
    const ModelBundle b = sample(7);
    const fs::path dir = root_ / "model";
    saveBundle(dir.string(), b);
    for (const char* f : {"model.json", "weights.npy", "thresholds.npy", "filters.png"})
        EXPECT_TRUE(fs::exists(dir / f)) << f;
    const ModelBundle r = loadBundle(dir.string());
    EXPECT_TRUE(r.weights.isApprox(b.weights, 0.0f));
    EXPECT_EQ(r.thresholds, b.thresholds);
    EXPECT_EQ(r.images_seen, 42u);
    EXPECT_EQ(r.preset, "ngc-mnist");
    ASSERT_TRUE(r.metrics.has_value());
    EXPECT_DOUBLE_EQ(r.metrics->rmse, 0.25);
    for (const SettingInfo& info : settingInfos())
        EXPECT_EQ(settingValue(r.settings, info.name), settingValue(b.settings, info.name))
            << info.name;
    // NumPy layout: (D, K) float32.
    const NpyArray w = readNpy((dir / "weights.npy").string());
    ASSERT_EQ(w.shape.size(), 2u);
    EXPECT_EQ(w.shape[0], 25u);
    EXPECT_EQ(w.shape[1], 6u);
}

TEST_F(BundleTest, SavingOverABundleReplacesItWhole) {
    const fs::path dir = root_ / "model";
    saveBundle(dir.string(), sample(1));
    const ModelBundle second = sample(2);
    saveBundle(dir.string(), second);
    EXPECT_TRUE(loadBundle(dir.string()).weights.isApprox(second.weights, 0.0f));
    // No temporary folder is left behind.
    int entries = 0;
    for (const auto& e : fs::directory_iterator(root_)) {
        (void)e;
        ++entries;
    }
    EXPECT_EQ(entries, 1);
}

TEST_F(BundleTest, RefusesToOverwriteAFolderThatIsNotABundle) {
    const fs::path dir = root_ / "precious";
    fs::create_directories(dir);
    writeFile(dir / "thesis.tex", "do not lose me");
    EXPECT_THROW(saveBundle(dir.string(), sample(1)), UserError);
    EXPECT_TRUE(fs::exists(dir / "thesis.tex"));
}

TEST_F(BundleTest, FailedSaveLeavesTheOldBundle) {
    const fs::path dir = root_ / "model";
    const ModelBundle first = sample(1);
    saveBundle(dir.string(), first);
    ModelBundle bad = sample(2);
    bad.weights.resize(3, 3);  // wrong shape for the settings
    EXPECT_THROW(saveBundle(dir.string(), bad), UserError);
    EXPECT_TRUE(loadBundle(dir.string()).weights.isApprox(first.weights, 0.0f));
}

TEST_F(BundleTest, MissingParentIsAClearError) {
    try {
        saveBundle((root_ / "no" / "such" / "model").string(), sample(1));
        FAIL();
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos);
    }
}

TEST_F(BundleTest, LoadNamesWhatIsWrong) {
    const fs::path dir = root_ / "model";
    saveBundle(dir.string(), sample(1));
    auto expectError = [&](const std::string& fragment) {
        try {
            loadBundle(dir.string());
            FAIL() << "no error, expected: " << fragment;
        } catch (const UserError& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        }
    };
    std::string json;
    {
        std::ifstream in(dir / "model.json");
        json.assign(std::istreambuf_iterator<char>(in), {});
    }
    writeFile(dir / "model.json", json.substr(0, json.size() / 2));
    expectError("not valid JSON");
    std::string bad_mu = json;
    bad_mu.replace(bad_mu.find("\"mu\":"), 5, "\"mu\": -1, \"y\":");
    writeFile(dir / "model.json", bad_mu);
    expectError("setting 'mu'");
    std::string unknown = json;
    unknown.replace(unknown.find("\"mu\":"), 5, "\"x_mu\": 1, \"mu\":");
    writeFile(dir / "model.json", unknown);
    expectError("unknown setting 'x_mu'");
    writeFile(dir / "model.json", json);
    std::vector<double> wrong(5 * 7, 0.5);
    writeNpy((dir / "weights.npy").string(), {5, 7}, wrong.data(), NpyDtype::Float64);
    expectError("weights.npy");
    fs::remove(dir / "weights.npy");
    expectError("weights.npy");
    EXPECT_THROW(loadBundle((root_ / "nothing").string()), UserError);
}

// Whatever arithmetic path the step takes (lazy LTD scale, eager clip, ON/OFF, per-neuron
// thresholds), a network every preset trains for a long run saves a bundle that loads again:
// its weights never leave [0, 1]. Natural presets learn from synthetic signed images whose
// strong, repeated structure drives many weights to saturation at 1.
TEST_F(BundleTest, EveryPresetTrainsLongAndLoadsAgain) {
    for (const Preset& preset : presets()) {
        Settings s = presetSettings(preset.name);
        s.data.epochs = 40;
        s.data.patches_per_image = 100;
        s.dynamics.tau_m = 0.0;
        s.dynamics.mu_decay = 0.0;
        auto data = std::make_shared<ImageSet>();
        data->signed_values = s.structure.onoff;
        std::mt19937 rng(3);
        std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
        for (int n = 0; n < 4; ++n) {
            Image image;
            image.rows = image.cols = 3 * s.structure.patch_size;
            image.pixels.resize(static_cast<std::size_t>(image.rows) * image.cols);
            for (int r = 0; r < image.rows; ++r)
                for (int c = 0; c < image.cols; ++c) {
                    // Bright stripes (saturated: every step a spike) and noise between them.
                    const bool stripe = (c + n) % 4 == 0;
                    const float v = stripe ? 1.0f : 0.3f * noise(rng);
                    image.pixels[static_cast<std::size_t>(r) * image.cols + c] =
                        s.structure.onoff ? v : std::abs(v);
                }
            data->images.push_back(std::move(image));
        }
        TrainingSession session(s, data);
        session.trainImages(data->size() * static_cast<std::uint64_t>(s.data.epochs));
        const WeightMatrix w = session.layer().weights();
        EXPECT_LE(w.maxCoeff(), 1.0f) << preset.name;
        EXPECT_GE(w.minCoeff(), 0.0f) << preset.name;
        // LTP's fixed point is 1 / (1 + lambda).
        EXPECT_GT(w.maxCoeff(), 0.999f / (1.0f + static_cast<float>(s.dynamics.lambda)))
            << preset.name << ": the run should saturate some weights";
        ModelBundle b = bundleFromLayer(session.layer(), s);
        b.preset = preset.name;
        const fs::path dir = root_ / preset.name;
        saveBundle(dir.string(), b);
        const ModelBundle back = loadBundle(dir.string());
        EXPECT_EQ(back.weights, b.weights) << preset.name;
    }
}

// Temporary folders of saves that died with their process are removed by the next save of the
// same bundle; the temporary folder of a process still alive is left alone.
TEST_F(BundleTest, NextSaveRemovesAbandonedTemporaries) {
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    ASSERT_GT(child, 0);
    ::waitpid(child, nullptr, 0);
    const fs::path dead = root_ / (".tmp-model-" + std::to_string(child));
    const fs::path alive = root_ / (".tmp-model-" + std::to_string(::getppid()));
    const fs::path other = root_ / (".tmp-other-" + std::to_string(child));
    for (const fs::path& p : {dead, alive, other})
        fs::create_directories(p / "inner");
    saveBundle((root_ / "model").string(), sample(1));
    EXPECT_FALSE(fs::exists(dead));
    EXPECT_TRUE(fs::exists(alive));
    EXPECT_TRUE(fs::exists(other));  // another bundle's: its own next save cleans it
}

TEST_F(BundleTest, StrictModelJson) {
    const fs::path dir = root_ / "model";
    saveBundle(dir.string(), sample(1));
    std::string json;
    {
        std::ifstream in(dir / "model.json");
        json.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto expectError = [&](const std::string& text, const std::string& fragment) {
        writeFile(dir / "model.json", text);
        try {
            loadBundle(dir.string());
            ADD_FAILURE() << "no error, expected: " << fragment;
        } catch (const UserError& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        }
    };
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string t = json;
        const auto at = t.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return at == std::string::npos ? t : t.replace(at, from.size(), to);
    };
    expectError(replaced("\"version\": 1", "\"version\": 1e300"), "'version'");
    expectError(replaced("\"version\": 1", "\"version\": \"1\""), "'version'");
    expectError(replaced("\"images_seen\": 42", "\"images_seen\": 1e300"), "'images_seen'");
    expectError(replaced("\"images_seen\": 42", "\"images_seen\": -1"), "'images_seen'");
    expectError(replaced("\"patches\": 10", "\"patches\": 1e300"), "'patches'");
    expectError(replaced("\"units\": 6\n  }", "\"units\": 1e300\n  }"), "'units'");
    expectError(replaced("\"mu\": 0.0055", "\"mu\": \"0.0055\""), "settings.mu");
    expectError(replaced("\"mu\": 0.0055,", ""), "setting 'mu' is missing");
    expectError(replaced("\"learn\": true", "\"learn\": 1"), "settings.learn");
    expectError(replaced("\"steps\": 40", "\"steps\": 40.5"), "settings.steps");
    writeFile(dir / "model.json", json);
    EXPECT_NO_THROW(loadBundle(dir.string()));
}

// Bundles written when mu_decay counted images (no "patches_seen") load with the schedule they
// trained with, counted in patches: 1 image = patches_per_image patches with random sampling,
// 343.356 (the built-in digits' mean) with every overlapping patch.
TEST_F(BundleTest, ImageClockBundlesKeepTheirSchedule) {
    const auto legacy = [&](const std::string& preset, const std::string& name) {
        Settings s = presetSettings(preset);
        s.dynamics.mu_decay = 2.0;  // per 1,000 images, as it was written
        RepresentationLayer layer(s.structure, s.dynamics);
        ModelBundle b = bundleFromLayer(layer, s);
        b.images_seen = 500;
        b.data_source = "builtin:mnist";
        b.preset = preset;
        const fs::path dir = root_ / name;
        saveBundle(dir.string(), b);
        std::ifstream in(dir / "model.json");
        std::string json((std::istreambuf_iterator<char>(in)), {});
        const std::string key = "\"patches_seen\": 0,";
        const auto at = json.find(key);
        EXPECT_NE(at, std::string::npos);
        if (at != std::string::npos)
            json.erase(at, key.size());
        writeFile(dir / "model.json", json);
        return loadBundle(dir.string());
    };
    const ModelBundle digits = legacy("improved-mnist", "digits");
    EXPECT_NEAR(digits.settings.dynamics.mu_decay, 2.0 * 100000.0 / 343356.0, 1e-9);
    EXPECT_EQ(digits.patches_seen, 171678u);  // 500 x 343.356
    const ModelBundle photos = legacy("improved-natural", "photos");
    EXPECT_NEAR(photos.settings.dynamics.mu_decay, 2.0 * 100000.0 / (1000.0 * 5000.0), 1e-12);
    EXPECT_EQ(photos.patches_seen, 2500000u);
    // The same schedule: mu_eff after 500 images then equals the old 1 / (1 + 2 * 500 / 1000).
    EXPECT_NEAR(1.0 / (1.0 + photos.settings.dynamics.mu_decay *
                                 static_cast<double>(photos.patches_seen) / 1e5),
                0.5, 1e-12);

    // A bundle written now keeps its values as they are.
    ModelBundle now = sample(3);
    now.settings.dynamics.mu_decay = 0.58;
    now.patches_seen = 1234;
    saveBundle((root_ / "now").string(), now);
    const ModelBundle again = loadBundle((root_ / "now").string());
    EXPECT_EQ(again.settings.dynamics.mu_decay, 0.58);
    EXPECT_EQ(again.patches_seen, 1234u);
}

// A bundle as stdp-cli wrote it before amplitude coding, the residual rule and the ON/OFF
// opponency existed (tests/data/bundle-before-amplitude-coding: `stdp-cli train --preset
// improved-mnist --data builtin:mnist --images 30 --set units=8 --seed 7` at 1d3815c). Its
// model.json has none of their settings; it must load with them off and evaluate as it did there.
TEST_F(BundleTest, BundleFromBeforeLaterMechanismsLoadsWithThemOff) {
    const fs::path dir = fs::path(STDP_SOURCE_DIR) / "tests/data/bundle-before-amplitude-coding";
    const ModelBundle b = loadBundle(dir.string());
    EXPECT_EQ(b.preset, "improved-mnist");
    EXPECT_EQ(b.images_seen, 30u);
    EXPECT_EQ(b.settings.structure.units, 8);
    EXPECT_EQ(b.settings.dynamics.spike_quantum, 0.0);
    EXPECT_FALSE(b.settings.dynamics.amplitudeCoding());
    EXPECT_EQ(b.settings.dynamics.learning_rule, LearningRule::Stdp);
    EXPECT_EQ(b.settings.dynamics.onoff_opponency, 0.0);
    EXPECT_EQ(b.settings.dynamics.recruit_hurdle, 0.0);
    EXPECT_EQ(b.settings.dynamics.decoder_hurdle, 0.0);
    EXPECT_EQ(b.settings.dynamics.mu, 0.002);

    // `stdp-cli eval --model DIR --data builtin:mnist --offset 1800 --images 5 --threads 1` at
    // 1d3815c. The step's exponential changed since in its last bits, so to 1e-4, not bit for bit.
    const ImageSet digits = loadDataSpec("builtin:mnist", b.settings.data, 1800, 5);
    EvalOptions eo;
    eo.seed = b.settings.structure.seed;
    eo.workers = 1;
    const ReconstructionMetrics m = evaluate(layerFromBundle(b), b.settings, digits, eo);
    EXPECT_EQ(m.patches, 1634u);
    EXPECT_NEAR(m.rmse, 0.2700841187487058, 1e-4);
    EXPECT_NEAR(m.active_per_patch, 1.2962056303549572, 1e-3);

    // A setting the first bundles already had is still required.
    const fs::path copy = root_ / "old";
    fs::copy(dir, copy);
    std::string json;
    {
        std::ifstream in(copy / "model.json");
        json.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto at = json.find("\"tau_m\": 5.0,");
    ASSERT_NE(at, std::string::npos);
    writeFile(copy / "model.json", json.erase(at, std::string("\"tau_m\": 5.0,").size()));
    try {
        loadBundle(copy.string());
        ADD_FAILURE() << "a bundle without tau_m loaded";
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("setting 'tau_m' is missing"), std::string::npos)
            << e.what();
    }
}

// One PNG per neuron, named so that a listing is in neuron order (the CLI and the studio alike).
TEST_F(BundleTest, NeuronPngsOneANeuronInOrder) {
    EXPECT_EQ(neuronPngName(31), "neuron-0031.png");
    EXPECT_EQ(neuronPngName(4095), "neuron-4095.png");
    const ModelBundle b = sample(3);
    const int p = b.settings.structure.patch_size;
    writeNeuronPngs((root_ / "n").string(), b.weights, p, false, 2);
    for (int j = 0; j < b.settings.structure.units; ++j)
        EXPECT_TRUE(fs::is_regular_file(root_ / "n" / neuronPngName(j))) << j;
    EXPECT_FALSE(fs::exists(root_ / "n" / neuronPngName(b.settings.structure.units)));
    // A file where the folder should be is named in the error.
    std::ofstream(root_ / "file") << "x";
    try {
        writeNeuronPngs((root_ / "file").string(), b.weights, p, false, 2);
        FAIL() << "expected UserError";
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("file"), std::string::npos);
    }
}

// An ON/OFF field with w_on = w_off is zero everywhere: mid-grey, as in the studio's views.
TEST_F(BundleTest, ZeroFieldIsMidGreyInTheExport) {
    constexpr int p = 3;
    const WeightMatrix w = WeightMatrix::Constant(2 * p * p, 2, 0.4f);
    for (const auto contrast : {MosaicContrast::Shared, MosaicContrast::PerNeuron}) {
        const cv::Mat field = renderField(w, 1, p, true, 2, contrast);
        double lo = 0.0, hi = 0.0;
        cv::minMaxLoc(field, &lo, &hi);
        EXPECT_EQ(lo, kMidGrey);
        EXPECT_EQ(hi, kMidGrey);
    }
}
