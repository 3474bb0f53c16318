// Bundles: round trip, atomic replacement, and refusal of bad folders without losing anything.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "Bundle.h"
#include "NpyIO.h"
#include "Presets.h"

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
