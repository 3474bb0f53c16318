// The science tools: the Gabor fit recovers known fields and rejects noise; the report
// runs end to end; the authors' filters import and evaluate (when the shared data are present).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>

#include "analysis/Evaluator.h"
#include "analysis/GaborFit.h"
#include "data/Dataset.h"
#include "foundation/Random.h"
#include "io/NpyIO.h"
#include "model/Presets.h"
#include "report/Report.h"

namespace fs = std::filesystem;
using namespace stdp;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kField = 16;
constexpr double kMaxThetaErrorDeg = 3.0;
constexpr double kMaxFrequencyError = 0.05;  // relative
constexpr double kGoodR2 = 0.99;
constexpr double kNoiseMaxR2 = 0.3;

// Smallest angle between two orientations (period pi), in degrees.
double orientationError(double a, double b) {
    double d = std::fmod(std::abs(a - b), kPi);
    return std::min(d, kPi - d) * 180.0 / kPi;
}

struct GaborCase {
    double theta, frequency, phase, sigma_x, sigma_y, x0, y0;
};

class GaborRecovery : public ::testing::TestWithParam<GaborCase> {};

TEST_P(GaborRecovery, RecoversOrientationAndFrequency) {
    const GaborCase c = GetParam();
    GaborParams g;
    g.amplitude = 0.8;
    g.x0 = c.x0;
    g.y0 = c.y0;
    g.sigma_x = c.sigma_x;
    g.sigma_y = c.sigma_y;
    g.theta = c.theta;
    g.frequency = c.frequency;
    g.phase = c.phase;
    g.offset = 0.05;
    const Eigen::VectorXd field = renderGabor(g, kField);
    const GaborFit fit = fitGabor(field, kField);
    EXPECT_GT(fit.r2, kGoodR2);
    EXPECT_LT(orientationError(fit.params.theta, c.theta), kMaxThetaErrorDeg);
    EXPECT_NEAR(fit.params.frequency, c.frequency, kMaxFrequencyError * c.frequency);
    EXPECT_GE(fit.params.theta, 0.0);
    EXPECT_LT(fit.params.theta, kPi);
}

INSTANTIATE_TEST_SUITE_P(Synthetic, GaborRecovery,
                         ::testing::Values(GaborCase{0.0, 0.15, 0.0, 2.5, 3.0, 7.5, 7.5},
                                           GaborCase{kPi / 4, 0.20, kPi / 2, 2.0, 3.5, 6.0, 9.0},
                                           GaborCase{2.0, 0.12, -1.0, 3.0, 2.5, 8.0, 7.0},
                                           GaborCase{2.8, 0.25, 2.5, 1.8, 2.8, 9.5, 6.5},
                                           GaborCase{1.2, 0.30, 0.3, 1.5, 3.0, 7.0, 8.0}));

TEST(GaborFit, NoiseGivesLowR2) {
    Rng rng(42);
    for (int trial = 0; trial < 5; ++trial) {
        Eigen::VectorXd field(kField * kField);
        for (Eigen::Index i = 0; i < field.size(); ++i)
            field[i] = rng.uniform(-1.0, 1.0);
        EXPECT_LT(fitGabor(field, kField).r2, kNoiseMaxR2) << "trial " << trial;
    }
}

TEST(GaborFit, ToleratesNoiseOnAGabor) {
    GaborParams g;
    g.x0 = 8.0;
    g.y0 = 7.0;
    g.sigma_x = 2.5;
    g.sigma_y = 3.0;
    g.theta = 1.0;
    g.frequency = 0.18;
    Eigen::VectorXd field = renderGabor(g, kField);
    Rng rng(3);
    for (Eigen::Index i = 0; i < field.size(); ++i)
        field[i] += 0.05 * rng.uniform(-1.0, 1.0);
    const GaborFit fit = fitGabor(field, kField);
    EXPECT_GT(fit.r2, 0.9);
    EXPECT_LT(orientationError(fit.params.theta, g.theta), kMaxThetaErrorDeg);
}

TEST(GaborFit, ConstantFieldAndBadInput) {
    const Eigen::VectorXd flat = Eigen::VectorXd::Constant(kField * kField, 0.3);
    EXPECT_EQ(fitGabor(flat, kField).r2, 0.0);
    EXPECT_THROW(fitGabor(Eigen::VectorXd::Zero(10), kField), std::invalid_argument);
    EXPECT_THROW(fitGabor(Eigen::VectorXd::Zero(4), 2), std::invalid_argument);
}

std::string readAll(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

TEST(Report, QuickRunWritesMarkdownAndFigures) {
    // One folder per process: two builds testing at once must not share it.
    const fs::path dir =
        fs::temp_directory_path() / ("stdp-test-science-report-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    ReportOptions o;
    o.out_dir = dir.string();
    o.quick = true;
    o.mnist_presets = {"paper-mnist"};
    o.command = "stdp-cli report --quick";
    o.workers = 2;
    const ReportResult r = writeReport(o);
    ASSERT_TRUE(fs::exists(dir / "README.md"));
    EXPECT_TRUE(fs::exists(dir / "mnist-paper-mnist-k32.png"));
    const std::string md = readAll(dir / "README.md");
    EXPECT_NE(md.find("| data | method | K | RMSE |"), std::string::npos);
    EXPECT_NE(md.find("stdp-cli report --quick"), std::string::npos);
    EXPECT_NE(md.find("| k-means | 32 |"), std::string::npos);
    EXPECT_NE(md.find("Not run: no --natural folder given"), std::string::npos);
    // paper-mnist + k-means + 4 sparse codings + PCA at K = 32, no authors' filters given.
    EXPECT_EQ(r.rows.size(), 7u);
    for (const ReportRow& row : r.rows) {
        EXPECT_TRUE(std::isfinite(row.metrics.rmse)) << row.method;
        EXPECT_GT(row.metrics.patches, 0u) << row.method;
    }
    // Independent runs go to parallel threads: one thread must give the same numbers.
    o.workers = 1;
    const ReportResult serial = writeReport(o);
    ASSERT_EQ(serial.rows.size(), r.rows.size());
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        EXPECT_EQ(serial.rows[i].method, r.rows[i].method);
        EXPECT_EQ(serial.rows[i].metrics.rmse, r.rows[i].metrics.rmse) << r.rows[i].method;
    }
    fs::remove_all(dir);
}

TEST(Report, UnknownPresetIsAUserError) {
    ReportOptions o;
    o.out_dir = (fs::temp_directory_path() / "stdp-test-science-bad").string();
    o.mnist_presets = {"no-such-preset"};
    EXPECT_THROW(writeReport(o), UserError);
}

TEST(Report, DefaultPresetsComeFromThePresetTable) {
    const auto mnist = defaultReportPresets("mnist");
    ASSERT_FALSE(mnist.empty());
    EXPECT_EQ(mnist.front(), "paper-mnist");
    for (const auto& name : mnist)
        EXPECT_NO_THROW(findPreset(name));
    const std::vector<std::string> natural = defaultReportPresets("natural");
    EXPECT_EQ(natural,
              (std::vector<std::string>{"paper-natural", "improved-natural", "coop-natural"}));
}

// The authors' K = 32 filters, imported into paper-mnist settings, evaluate to a finite
// protocol-A error on held-out built-in digits, with most neurons alive.
TEST(AuthorsFilters, ImportAndEvaluate) {
    const fs::path file = fs::path(STDP_SHARED_DIR) / "data" / "authors-filters" / "u32.npy";
    if (!fs::exists(file))
        GTEST_SKIP() << file << " not present";
    const NpyArray a = readNpy(file.string());
    ASSERT_EQ(a.shape.size(), 2u);
    ASSERT_EQ(a.shape[0], 25u);
    ASSERT_EQ(a.shape[1], 32u);
    Settings s = presetSettings("paper-mnist");
    s.structure.units = 32;
    WeightMatrix w(25, 32);
    for (std::size_t i = 0; i < a.data.size(); ++i) {
        ASSERT_GE(a.data[i], 0.0);
        ASSERT_LE(a.data[i], 1.0);
        w.data()[i] = static_cast<float>(a.data[i]);
    }
    RepresentationLayer layer(s.structure, s.dynamics);
    layer.setWeights(w);
    const ImageSet eval = loadDataSpec("builtin:mnist", s.data, 1800, 50);
    const ReconstructionMetrics m = evaluate(layer, s, eval);
    EXPECT_GT(m.patches, 0u);
    EXPECT_TRUE(std::isfinite(m.rmse));
    EXPECT_GT(m.rmse, 0.0);
    EXPECT_LT(m.rmse, 0.5);  // pixel values are in [0, 1]: far below is a real reconstruction
    EXPECT_LT(m.dead_fraction, 1.0);
}

}  // namespace
