// The honest Gabor measure (docs/model.md §5): localised oriented Gabors are accepted; Gaussian
// blobs, lines along the border, global gratings, uniform fields and near-copies are rejected and
// classified as such, although most of them fit a Gabor with R^2 >= 0.7 (what the old, R^2-only
// share counted); PCA components of natural patches score low.

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "analysis/Baselines.h"
#include "analysis/GaborFit.h"
#include "data/Dataset.h"
#include "foundation/Random.h"
#include "model/Presets.h"
#include "model/ProtocolPatches.h"

using namespace stdp;

namespace {

constexpr int kP = 16;
constexpr double kPi = std::numbers::pi;

Eigen::VectorXd gabor(double theta, double f, double phase, double sx, double sy, double x0,
                      double y0) {
    GaborParams g;
    g.theta = theta;
    g.frequency = f;
    g.phase = phase;
    g.sigma_x = sx;
    g.sigma_y = sy;
    g.x0 = x0;
    g.y0 = y0;
    return renderGabor(g, kP);
}

Eigen::VectorXd blob(double x0, double y0, double sx, double sy) {
    return gabor(0.3, 0.0, 0.0, sx, sy, x0, y0);
}

// A thin bright line along column `col` (or row), slightly blurred.
Eigen::VectorXd borderLine(bool column, int at) {
    Eigen::VectorXd v(kP * kP);
    for (int row = 0; row < kP; ++row)
        for (int col = 0; col < kP; ++col) {
            const int d = std::abs((column ? col : row) - at);
            v[row * kP + col] = d == 0 ? 1.0 : (d == 1 ? 0.2 : 0.0);
        }
    return v;
}

// A sinusoidal grating over the whole patch: no envelope at all.
Eigen::VectorXd grating(double theta, double f, double phase) {
    Eigen::VectorXd v(kP * kP);
    for (int row = 0; row < kP; ++row)
        for (int col = 0; col < kP; ++col)
            v[row * kP + col] =
                std::cos(2 * kPi * f * (col * std::cos(theta) + row * std::sin(theta)) + phase);
    return v;
}

Eigen::MatrixXf columns(const std::vector<Eigen::VectorXd>& fields) {
    Eigen::MatrixXf m(kP * kP, static_cast<Eigen::Index>(fields.size()));
    for (std::size_t j = 0; j < fields.size(); ++j)
        m.col(static_cast<Eigen::Index>(j)) = fields[j].cast<float>();
    return m;
}

std::vector<Eigen::VectorXd> localisedGabors() {
    return {gabor(0.0, 0.15, 0.0, 2.5, 3.0, 7.5, 7.5),
            gabor(kPi / 4, 0.20, kPi / 2, 2.0, 3.5, 6.0, 9.0),
            gabor(2.0, 0.12, -1.0, 3.0, 2.5, 8.0, 7.0),
            gabor(2.8, 0.25, 2.5, 1.8, 2.8, 9.5, 6.5),
            gabor(1.2, 0.30, 0.3, 1.5, 3.0, 7.0, 8.0),
            gabor(0.6, 0.10, 1.0, 2.0, 5.0, 4.0, 11.0)};
}

}  // namespace

TEST(GaborCensus, AcceptsLocalisedGabors) {
    const FieldCensus c = fieldCensus(columns(localisedGabors()), kP);
    for (int j = 0; j < c.fields(); ++j)
        EXPECT_EQ(c.shapes[j], FieldShape::Gabor)
            << "field " << j << " is a " << fieldShapeName(c.shapes[j]) << ", R² " << c.fits[j].r2;
    EXPECT_DOUBLE_EQ(c.gaborShare(), 1.0);
}

TEST(GaborCensus, RejectsBlobsBorderLinesGlobalGratingsAndFlatFields) {
    struct Case {
        Eigen::VectorXd field;
        FieldShape expected;
        const char* what;
    };
    const std::vector<Case> cases = {
        {blob(7.5, 7.5, 2.5, 2.5), FieldShape::Blob, "round Gaussian blob"},
        {blob(6.0, 9.0, 1.5, 4.0), FieldShape::Blob, "elongated blob"},
        {borderLine(true, 0), FieldShape::BorderLine, "line along the left column"},
        {borderLine(false, kP - 1), FieldShape::BorderLine, "line along the bottom row"},
        {gabor(0.0, 0.2, 0.0, 1.5, 4.0, -2.0, 7.5), FieldShape::BorderLine,
         "Gabor centred outside the patch"},
        {grating(0.4, 0.15, 0.3), FieldShape::GlobalGrating, "grating over the whole patch"},
        {grating(2.0, 0.25, 1.0), FieldShape::GlobalGrating, "another grating"},
        {Eigen::VectorXd::Constant(kP * kP, 0.4), FieldShape::Flat, "uniform field"},
        {Eigen::VectorXd::Zero(kP * kP), FieldShape::Flat, "empty field"},
    };
    std::vector<Eigen::VectorXd> fields;
    for (const Case& c : cases)
        fields.push_back(c.field);
    const FieldCensus census = fieldCensus(columns(fields), kP);
    int fitted_well = 0;
    for (std::size_t j = 0; j < cases.size(); ++j) {
        EXPECT_EQ(census.shapes[j], cases[j].expected)
            << cases[j].what << " was classified " << fieldShapeName(census.shapes[j]) << " (R² "
            << census.fits[j].r2 << ", f " << census.fits[j].params.frequency << ", centre "
            << census.fits[j].params.x0 << ", " << census.fits[j].params.y0 << ", σ "
            << census.fits[j].params.sigma_x << ", " << census.fits[j].params.sigma_y << ")";
        fitted_well += census.fits[j].r2 >= 0.7 ? 1 : 0;
    }
    EXPECT_EQ(census.count(FieldShape::Gabor), 0);
    EXPECT_EQ(census.count(FieldShape::Blob), 2);
    EXPECT_EQ(census.count(FieldShape::BorderLine), 3);
    EXPECT_EQ(census.count(FieldShape::GlobalGrating), 2);
    EXPECT_EQ(census.count(FieldShape::Flat), 2);
    // Every non-flat reject fits a Gabor well: the R^2-only share would have counted them.
    EXPECT_EQ(fitted_well, 7);
    EXPECT_GE(census.goodFitShare(), 7.0 / 9.0 - 1e-12);
}

// A carrier whose period is long beside the envelope shows no flank inside it: the fit is good,
// the frequency above the minimum, but the field is a single-signed spot. The profiles across
// the bars have opposite lobes of 6 %, 6 % and 19 % of the peak (f sigma 0.16, 0.16, 0.175).
TEST(GaborCensus, RejectsSpotsWithoutVisibleFlanks) {
    struct Case {
        Eigen::VectorXd field;
        const char* what;
    };
    const std::vector<Case> cases = {
        {gabor(0.4, 0.0, 0.0, 1.6, 1.6, 4.5, 5.0), "small Gaussian spot"},
        {gabor(1.0, 0.08, 0.0, 2.0, 2.0, 10.5, 10.0), "spot with a weak long-period carrier"},
        {gabor(2.2, 0.08, 0.0, 2.0, 3.5, 8.0, 6.5), "elongated spot, weak long-period carrier"},
        {gabor(0.5, 0.07, 0.5, 2.5, 2.5, 5.0, 10.0), "lopsided spot, long-period carrier"},
    };
    std::vector<Eigen::VectorXd> fields;
    for (const Case& c : cases)
        fields.push_back(c.field);
    const FieldCensus census = fieldCensus(columns(fields), kP);
    for (std::size_t j = 0; j < cases.size(); ++j) {
        const GaborParams& g = census.fits[j].params;
        EXPECT_EQ(census.shapes[j], FieldShape::Blob)
            << cases[j].what << " was classified " << fieldShapeName(census.shapes[j]) << " (R² "
            << census.fits[j].r2 << ", f " << g.frequency << ", σ across " << g.sigma_x
            << ", opposite lobe " << gaborOppositeLobe(g) << ")";
        EXPECT_GE(census.fits[j].r2, 0.7) << cases[j].what;
    }
    EXPECT_EQ(census.count(FieldShape::Gabor), 0);
}

// An edge is an odd Gabor: whatever f sigma, its two lobes are equal, so its carrier is visible
// (f sigma 0.15 and 0.16 here; the same envelopes with an even carrier are RejectsSpots' spots).
TEST(GaborCensus, AcceptsEdgesWithFewCycles) {
    const std::vector<Eigen::VectorXd> edges = {gabor(0.3, 0.06, kPi / 2, 2.5, 4.0, 7.5, 7.0),
                                                gabor(2.0, 0.08, -kPi / 2, 2.0, 3.0, 8.0, 8.5)};
    const FieldCensus c = fieldCensus(columns(edges), kP);
    for (int j = 0; j < c.fields(); ++j)
        EXPECT_EQ(c.shapes[j], FieldShape::Gabor)
            << "edge " << j << " is a " << fieldShapeName(c.shapes[j]) << ", opposite lobe "
            << gaborOppositeLobe(c.fits[j].params);
}

// An odd Gabor with less than a cycle under its envelope is a derivative of a Gaussian across the
// bars, exp(-x^2 / (2 s^2)) sin(2 pi f x) ~ 2 pi f x exp(-x^2 / (2 s^2)): the fit may trade f
// for the amplitude and end at any f near 0 with the same residual. Judged by the parameter f
// (as before), such an edge (its two lobes equal) was a blob whenever the fit drifted below
// 0.05 cycles/px: synthetic edges of f 0.07-0.14 with noise at the level of learned fields fitted
// f 0.010-0.043 (bench/gabor_probe recall). The census judges the carrier by the frequency
// where the profile's spectrum peaks, the same for every (f, amplitude) that gives the field.
TEST(GaborCensus, AcceptsEdgesWhoseFitTradesTheCarrierForAmplitude) {
    // Rendered with f = 0.004: a Gaussian derivative, whose spectrum peaks at 1 / (2 pi s).
    GaborParams edge;
    edge.theta = 0.7;
    edge.frequency = 0.004;
    edge.phase = kPi / 2;
    edge.sigma_x = 2.2;
    edge.sigma_y = 3.5;
    edge.x0 = 7.0;
    edge.y0 = 8.0;
    edge.amplitude = 1.0 / (2 * kPi * edge.frequency * edge.sigma_x);  // a peak of about 0.6
    // And an edge whose f the fit can find: its carrier is that f.
    const std::vector<Eigen::VectorXd> fields = {renderGabor(edge, kP),
                                                 gabor(2.1, 0.09, kPi / 2, 2.6, 4.0, 8.0, 7.5)};
    const FieldCensus c = fieldCensus(columns(fields), kP);
    for (int j = 0; j < c.fields(); ++j) {
        const GaborParams& g = c.fits[j].params;
        EXPECT_EQ(c.shapes[j], FieldShape::Gabor)
            << "edge " << j << " is a " << fieldShapeName(c.shapes[j]) << " (fitted f "
            << g.frequency << ", carrier " << gaborCarrierFrequency(g) << ", opposite lobe "
            << gaborOppositeLobe(g) << ")";
    }
    // The carrier of a Gaussian derivative, of a Gabor with many cycles, and of a spot.
    EXPECT_NEAR(gaborCarrierFrequency(edge), 1.0 / (2 * kPi * edge.sigma_x), 1e-3);
    GaborParams many;
    many.sigma_x = 3.0;
    many.frequency = 0.25;
    EXPECT_NEAR(gaborCarrierFrequency(many), 0.25, 1e-3);
    many.phase = 1.0;
    EXPECT_NEAR(gaborCarrierFrequency(many), 0.25, 1e-3);
    GaborParams spot;
    spot.sigma_x = 2.0;
    spot.frequency = 0.03;
    EXPECT_EQ(gaborCarrierFrequency(spot), 0.0);
}

// The lobe that sets the limit, against a brute-force scan of the even Gabor's profile; the
// opposite lobe of any phase agrees with it for an even carrier and is 1 for an odd one.
TEST(GaborCensus, SideLobeOfTheVisibilityLimit) {
    for (const double n : {0.15, 0.2, 0.25, 0.3, 0.4, 0.6}) {
        const double sigma = 1.0;
        const double f = n / sigma;
        double lowest = 0.0;
        for (int i = 0; i <= 200000; ++i) {
            const double x = 4.0 * sigma * i / 200000.0;
            lowest = std::min(lowest,
                              std::exp(-x * x / (2 * sigma * sigma)) * std::cos(2 * kPi * f * x));
        }
        EXPECT_NEAR(gaborSideLobe(n), -lowest, 1e-6) << "f σ = " << n;
        GaborParams g;
        g.sigma_x = 2.0;
        g.frequency = n / g.sigma_x;
        EXPECT_NEAR(gaborOppositeLobe(g), gaborSideLobe(n), 1e-5) << "f σ = " << n;
        g.phase = kPi / 2;
        EXPECT_NEAR(gaborOppositeLobe(g), 1.0, 1e-9) << "f σ = " << n;
        EXPECT_NEAR(gaborCyclesPerSigmaFor(gaborSideLobe(n)), n, 1e-9);
    }
    EXPECT_NEAR(gaborCyclesPerSigmaFor(GaborCriterion{}.min_opposite_lobe), 0.30, 0.005);
    EXPECT_EQ(gaborSideLobe(0.0), 0.0);
    EXPECT_EQ(gaborOppositeLobe(GaborParams{}), 0.0);  // f = 0: a single-signed spot
}

TEST(GaborCensus, CountsNearCopiesOnce) {
    std::vector<Eigen::VectorXd> fields = localisedGabors();
    Rng rng(3);
    Eigen::VectorXd copy = -0.8 * fields[1];  // a sign-flipped, scaled copy is still a copy
    for (Eigen::Index i = 0; i < copy.size(); ++i)
        copy[i] += 0.02 * rng.uniform(-1.0, 1.0);
    fields.push_back(copy);
    fields.push_back(fields[3]);
    const FieldCensus c = fieldCensus(columns(fields), kP);
    EXPECT_EQ(c.count(FieldShape::Duplicate), 2);
    EXPECT_EQ(c.count(FieldShape::Gabor), 6);
    EXPECT_EQ(c.duplicate_of[6], 1);
    EXPECT_EQ(c.duplicate_of[7], 3);
    EXPECT_EQ(c.duplicate_of[0], -1);
}

TEST(GaborCensus, ThreadsDoNotChangeTheResult) {
    std::vector<Eigen::VectorXd> fields = localisedGabors();
    fields.push_back(blob(5.0, 5.0, 2.0, 2.0));
    const FieldCensus one = fieldCensus(columns(fields), kP, {}, 1);
    const FieldCensus two = fieldCensus(columns(fields), kP, {}, 2);
    EXPECT_EQ(one.shapes, two.shapes);
    for (std::size_t j = 0; j < fields.size(); ++j)
        EXPECT_EQ(one.fits[j].r2, two.fits[j].r2);
}

TEST(GaborCensus, CriterionTextNamesEveryLimit) {
    const std::string text = gaborCriterionText();
    for (const char* part : {"R² ≥ 0.7", "0.05 cycles/pixel", "opposite sign reaching 33 %",
                             "σ across the bars ≥ 0.3", "centre inside the patch",
                             "across the bars of at most 0.33 p", "may span the patch", "0.9"})
        EXPECT_NE(text.find(part), std::string::npos) << part << " missing from: " << text;
}

// PCA components of whitened natural patches are global, low-frequency or poorly fitted: few are
// localised Gabors. Measured on the built-in photographs (K = 64 of 256 components, 40,002
// patches): one of 64 (R² ≥ 0.7 alone: 28 %); the test asks for at most 15 %.
TEST(GaborCensus, PcaComponentsOfNaturalPatchesScoreLow) {
    const Settings s = presetSettings("paper-natural");
    const ImageSet photographs = loadDataSpec(kBuiltinNaturalSpec, s.data);
    const PatchMatrix train = baselineFitPatches(s, photographs, s.structure.seed);
    BaselineOptions o;
    o.method = BaselineMethod::Pca;
    o.units = 64;
    const BaselineModel pca = fitBaseline(train, o);
    const FieldCensus c = fieldCensus(pca.dictionary, kP, {}, 0);
    std::printf("PCA K = 64 on %td patches: Gabor %.3f (R² >= 0.7 alone: %.3f); %s\n",
                static_cast<std::ptrdiff_t>(train.rows()), c.gaborShare(), c.goodFitShare(),
                c.countsText().c_str());
    EXPECT_LE(c.gaborShare(), 0.15);
}
