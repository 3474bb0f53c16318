// Measurements behind docs/cooperative.md, "Is 70 % Gabor reachable": how the census of
// docs/model.md §5 (analysis/GaborFit.h) treats known Gabors, and what the classical dictionaries
// of protocol A look like under it.
//
//   gabor_probe recall [N] [SEED]
//       N synthetic 16x16 Gabors (random orientation, phase, envelope, frequency in the range of
//       learned fields; noise at the level of learned fields' fits), censused; prints the recall
//       on the fields the criterion calls Gabors by their true parameters, and how often the
//       fit ends in a worse optimum than the truth.
//   gabor_probe baseline TRAIN_SPEC EVAL_SPEC K ACTIVE [SEED] [PNG|-] [ITERATIONS] [NPY]
//       Sparse coding (OMP, ACTIVE atoms; ACTIVE 0: k-means, -1: PCA) fitted as `stdp-cli baseline
//       --preset paper-natural` fits it (ITERATIONS 50: 25 learning rounds); prints NMSE and the
//       census, optionally the mosaic and the dictionary (p^2 x K, float32 .npy).
//   gabor_probe npy FILE [PNG]
//       The census of a p^2 x K .npy of fields (a dictionary written by `baseline`).
//   gabor_probe model BUNDLE [PNG]
//       The census of a bundle's fields (as `stdp-cli fields`), optionally the mosaic.
//
// The mosaic shows each field at its own contrast with a frame of its class: green Gabor, red
// blob, blue border line, yellow global grating, grey poor fit / flat, magenta duplicate.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <numbers>
#include <random>
#include <string>

#include <opencv2/core.hpp>

#include "analysis/Baselines.h"
#include "analysis/Evaluator.h"
#include "analysis/GaborFit.h"
#include "data/Dataset.h"
#include "io/Bundle.h"
#include "io/FilterMosaic.h"
#include "io/NpyIO.h"
#include "model/FieldGrey.h"
#include "model/Presets.h"

using namespace stdp;

namespace {

constexpr int kP = 16;

// OpenCV's channel order, blue first: the PNG writer turns it into RGB.
cv::Vec3b classColour(FieldShape s) {
    switch (s) {
        case FieldShape::Gabor:
            return {40, 200, 40};
        case FieldShape::Blob:
            return {40, 40, 220};
        case FieldShape::BorderLine:
            return {230, 80, 40};
        case FieldShape::GlobalGrating:
            return {30, 210, 230};
        case FieldShape::Duplicate:
            return {210, 40, 210};
        default:
            return {120, 120, 120};
    }
}

void writeMosaic(const std::string& path, const Eigen::MatrixXf& fields, const FieldCensus& c) {
    constexpr int kScale = 6;
    constexpr int kFrame = 3;
    const int k = static_cast<int>(fields.cols());
    const int cols = static_cast<int>(std::ceil(std::sqrt(double(k))));
    const int rows = (k + cols - 1) / cols;
    const int tile = kP * kScale + 2 * kFrame;
    cv::Mat img(rows * (tile + 2), cols * (tile + 2), CV_8UC3, cv::Scalar(255, 255, 255));
    for (int j = 0; j < k; ++j) {
        const int oy = (j / cols) * (tile + 2);
        const int ox = (j % cols) * (tile + 2);
        const float m = fields.col(j).cwiseAbs().maxCoeff();
        const cv::Vec3b frame = classColour(c.shapes[static_cast<std::size_t>(j)]);
        for (int y = 0; y < tile; ++y)
            for (int x = 0; x < tile; ++x) {
                const int py = (y - kFrame) / kScale;
                const int px = (x - kFrame) / kScale;
                const bool inside = y >= kFrame && x >= kFrame && py < kP && px < kP;
                if (!inside) {
                    img.at<cv::Vec3b>(oy + y, ox + x) = frame;
                    continue;
                }
                const float v = m > 0 ? fields(py * kP + px, j) / m : 0.0f;
                const auto g = static_cast<unsigned char>(std::lround(127.5 + 127.5 * v));
                img.at<cv::Vec3b>(oy + y, ox + x) = {g, g, g};
            }
    }
    writePngAtomic(path, img);
}

// With GABOR_PROBE_LIST set in the environment, one line per field that is no Gabor.
void printCensus(const FieldCensus& c) {
    std::printf("gabor %d of %d (%.0f %%); %s\n", c.count(FieldShape::Gabor), c.fields(),
                100.0 * c.gaborShare(), c.countsText().c_str());
    if (!std::getenv("GABOR_PROBE_LIST"))
        return;
    for (int j = 0; j < c.fields(); ++j) {
        const GaborParams& g = c.fits[std::size_t(j)].params;
        if (c.shapes[std::size_t(j)] != FieldShape::Gabor)
            std::printf(
                "  %3d %-14s R² %.3f f %.3f carrier %.3f phase %.2f sigma %.1f x %.1f "
                "centre (%.1f, %.1f) flank %.0f %%\n",
                j, fieldShapeName(c.shapes[std::size_t(j)]), c.fits[std::size_t(j)].r2, g.frequency,
                gaborCarrierFrequency(g), g.phase, g.sigma_x, g.sigma_y, g.x0, g.y0,
                100.0 * gaborOppositeLobe(g));
    }
}

// Is the field a Gabor by the criterion, judged on its true parameters (no fit)?
bool trulyGabor(const GaborParams& g, const GaborCriterion& cr) {
    return gaborCarrierFrequency(g) >= cr.min_frequency &&
           gaborOppositeLobe(g) >= cr.min_opposite_lobe && g.sigma_x <= cr.max_sigma_across * kP &&
           g.sigma_y <= cr.max_sigma_along * kP;
}

int censusRecall(int n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const GaborCriterion cr;
    const double noises[] = {0.0, 0.2, 0.35, 0.5, 0.65};  // noise RMS / clean field RMS
    for (const double noise : noises) {
        int truly = 0, accepted = 0, false_accept = 0, worse_optimum = 0, others = 0;
        std::array<int, kFieldShapes> missed{};
        for (int i = 0; i < n; ++i) {
            GaborParams g;
            g.theta = std::numbers::pi * u(rng);
            g.phase = std::numbers::pi * (2.0 * u(rng) - 1.0);
            g.sigma_x = 1.2 + 2.8 * u(rng);                // 1.2 .. 4 px across
            g.sigma_y = g.sigma_x * (1.0 + 1.5 * u(rng));  // 1 .. 2.5 times along
            g.frequency = 0.06 + 0.24 * u(rng);            // 0.06 .. 0.3 cycles/px
            g.x0 = 4.0 + 7.0 * u(rng);
            g.y0 = 4.0 + 7.0 * u(rng);
            Eigen::VectorXd clean = renderGabor(g, kP);
            const double rms = std::sqrt((clean.array() - clean.mean()).square().mean());
            std::normal_distribution<double> z(0.0, noise * rms);
            Eigen::VectorXd field = clean;
            for (Eigen::Index p = 0; p < field.size(); ++p)
                field[p] += z(rng);
            const GaborFit fit = fitGabor(field, kP);
            const FieldShape s = classifyField(field, fit, kP, rms, cr);
            const double true_sse = (clean - field).squaredNorm();
            if (fit.sse > 1.02 * true_sse + 1e-9)
                ++worse_optimum;
            if (trulyGabor(g, cr)) {
                ++truly;
                if (s == FieldShape::Gabor)
                    ++accepted;
                else
                    ++missed[static_cast<std::size_t>(s)];
            } else {
                ++others;
                false_accept += s == FieldShape::Gabor ? 1 : 0;
            }
        }
        std::printf("noise %.2f: %d true Gabors, %d accepted (recall %.1f %%); missed as:", noise,
                    truly, accepted, 100.0 * accepted / std::max(1, truly));
        for (std::size_t k = 0; k < kFieldShapes; ++k)
            if (missed[k])
                std::printf(" %s %d", fieldShapeName(static_cast<FieldShape>(k)), missed[k]);
        std::printf(
            "; %d flankless (true blobs), %d of them accepted; fit worse than truth "
            "(SSE > 1.02x) in %d of %d\n",
            others, false_accept, worse_optimum, n);
    }
    return 0;
}

int baselineCensus(const std::string& train_spec, const std::string& eval_spec, int k, int active,
                   std::uint64_t seed, const std::string& png, int iterations,
                   const std::string& npy) {
    Settings s = presetSettings("paper-natural");
    s.structure.seed = seed;
    const ImageSet train_data = loadDataSpec(train_spec, s.data);
    const ImageSet eval_data = loadDataSpec(eval_spec, s.data);
    const PatchMatrix train = baselineFitPatches(s, train_data, seed);
    const PatchMatrix test = toMatrix(protocolPatches(s, eval_data, seed));
    BaselineOptions o;
    o.method = active > 0    ? BaselineMethod::SparseCoding
               : active == 0 ? BaselineMethod::KMeans
                             : BaselineMethod::Pca;
    o.units = k;
    o.active = std::max(1, active);
    o.seed = seed;
    o.max_iterations = iterations;
    const BaselineModel model = fitBaseline(train, o);
    const ReconstructionMetrics m = evaluateBaseline(model, test);
    const FieldCensus c = fieldCensus(model.dictionary, kP, {}, 0);
    std::printf("%s K %d active %d seed %llu: fit patches %lld, rounds %d, nmse %.4f; ",
                baselineMethodName(o.method).c_str(), k, active, (unsigned long long)seed,
                (long long)train.rows(), model.iterations, m.nmse);
    printCensus(c);
    if (!png.empty() && png != "-")
        writeMosaic(png, model.dictionary, c);
    if (!npy.empty()) {
        const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows =
            model.dictionary;
        writeNpy(npy, {std::size_t(rows.rows()), std::size_t(rows.cols())}, rows.data(),
                 NpyDtype::Float32);
    }
    return 0;
}

int bundleCensus(const std::string& dir, const std::string& png) {
    const ModelBundle b = loadBundle(dir);
    const Eigen::MatrixXf f = pixelFilters(b.weights, kP, b.settings.structure.onoff);
    const FieldCensus c = fieldCensus(f, kP, {}, 0);
    printCensus(c);
    if (!png.empty())
        writeMosaic(png, f, c);
    return 0;
}

int npyCensus(const std::string& path, const std::string& png) {
    const NpyArray a = readNpy(path);
    if (a.shape.size() != 2 || a.shape[0] != std::size_t(kP * kP))
        throw std::invalid_argument(path + ": expected a 256 x K array");
    Eigen::MatrixXf f(kP * kP, Eigen::Index(a.shape[1]));
    for (Eigen::Index r = 0; r < f.rows(); ++r)
        for (Eigen::Index c = 0; c < f.cols(); ++c)
            f(r, c) = float(a.data[std::size_t(r * f.cols() + c)]);
    const FieldCensus c = fieldCensus(f, kP, {}, 0);
    printCensus(c);
    if (!png.empty())
        writeMosaic(png, f, c);
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "recall")
        return censusRecall(argc > 2 ? std::atoi(argv[2]) : 1000,
                            argc > 3 ? unsigned(std::atoi(argv[3])) : 1u);
    if (cmd == "baseline" && argc >= 6)
        return baselineCensus(argv[2], argv[3], std::atoi(argv[4]), std::atoi(argv[5]),
                              argc > 6 ? std::strtoull(argv[6], nullptr, 10) : 1,
                              argc > 7 ? argv[7] : "", argc > 8 ? std::atoi(argv[8]) : 50,
                              argc > 9 ? argv[9] : "");
    if (cmd == "npy" && argc >= 3)
        return npyCensus(argv[2], argc > 3 ? argv[3] : "");
    if (cmd == "model" && argc >= 3)
        return bundleCensus(argv[2], argc > 3 ? argv[3] : "");
    std::fprintf(stderr, "usage: see the comment at the top of bench/gabor_probe.cpp\n");
    return 2;
} catch (const std::exception& e) {
    std::fprintf(stderr, "gabor_probe: %s\n", e.what());
    return 1;
}
