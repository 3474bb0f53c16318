#pragma once
// Classical baselines for protocol A (docs/model.md §4): k-means (hard vector quantisation), sparse
// coding (learned dictionary + OMP) and PCA, fitted and evaluated on the same patches and with the
// same number of units K as the spiking network, so their metrics are directly comparable.
//
// Every result is bit-for-bit independent of the number of worker threads: work is split into
// fixed-size chunks and all reductions run in chunk order.

#include <cstdint>
#include <functional>
#include <string>

#include <Eigen/Core>

#include "analysis/Metrics.h"

namespace stdp {

struct ImageSet;
struct PatchSet;
struct Settings;

// Patches as rows: N x D, pixel space (signed data already signed).
using PatchMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// protocolPatches' rows as a matrix.
PatchMatrix toMatrix(const PatchSet& set);

// The random stream (Rng::mix(seed, stream)) of the patches a baseline is fitted on. The
// evaluation patches are drawn with the seed itself: a baseline fitted on the images it is
// evaluated on still sees other random patches (random sampling) than it is scored on.
inline constexpr std::uint64_t kBaselineFitStream = 7;
// The fewest patches a baseline is fitted on when they are drawn at random (photographs): with
// 4,000 16x16 patches k-means and sparse coding look worse than they are (NMSE 0.93 / 0.84 where
// 40,000 give 0.89 / 0.82).
inline constexpr std::size_t kMinBaselineFitPatches = 40000;
// The protocol-A patches of `data` on that stream, as a matrix: what `stdp-cli baseline`, the
// Python module and the report fit the baselines on. Random sampling draws
// max(eval_patches_per_image, ceil(kMinBaselineFitPatches / images)) patches per image.
PatchMatrix baselineFitPatches(const Settings& settings, const ImageSet& data, std::uint64_t seed);
// Throws UserError when the settings' patches do not suit the data: whitened photographs (signed
// values) need ON/OFF settings, such as a natural-image preset's 16x16 ON/OFF patches.
void checkBaselineGeometry(const Settings& settings, const ImageSet& data);

enum class BaselineMethod { KMeans, SparseCoding, Pca };

// "kmeans" | "sparse-coding" | "pca"; throws UserError otherwise.
BaselineMethod parseBaselineMethod(const std::string& name);
std::string baselineMethodName(BaselineMethod method);

struct BaselineOptions {
    BaselineMethod method = BaselineMethod::KMeans;
    int units = 32;  // K: centroids, atoms or principal axes (PCA uses min(K, D))
    int active = 2;  // OMP nonzeros per patch (sparse coding only); 1 <= active <= min(D, K)
    std::uint64_t seed = 1;
    // k-means: Lloyd iterations; sparse coding: max(1, max_iterations / 2) learning rounds.
    int max_iterations = 50;
    int workers = 0;  // <= 0: all cores
    // Called with the fraction done after each iteration; return false to cancel, which makes
    // fitBaseline throw UserError("cancelled").
    std::function<bool(double fraction)> progress;
};

struct BaselineModel {
    BaselineMethod method = BaselineMethod::KMeans;
    // D x K: k-means centroids, unit-norm sparse-coding atoms, or D x min(K, D) principal axes
    // (orthonormal, by decreasing variance).
    Eigen::MatrixXf dictionary;
    Eigen::VectorXf mean;  // PCA only (size D); empty otherwise
    int active = 0;        // OMP nonzeros (sparse coding only)
    int iterations = 0;    // Lloyd iterations / learning rounds actually run (0 for PCA)

    int dim() const { return static_cast<int>(dictionary.rows()); }
    int units() const { return static_cast<int>(dictionary.cols()); }
};

// Throws UserError on bad options or data (K < 1, active out of range, empty or non-finite data,
// fewer training patches than units for k-means / sparse coding) and on cancellation.
BaselineModel fitBaseline(const PatchMatrix& train, const BaselineOptions& options);

// Encodes one patch. x: dim() values; xhat: dim() values; codes: units() values (one-hot for
// k-means, |coefficients| for sparse coding and PCA). Allocates; for bulk work use
// evaluateBaseline.
void encodeBaselinePatch(const BaselineModel& model, const float* x, float* xhat, float* codes);

// Encodes and reconstructs every test patch and accumulates the protocol-A metrics
// (codes = |coefficients|, one-hot for k-means). workers <= 0: all cores.
ReconstructionMetrics evaluateBaseline(const BaselineModel& model, const PatchMatrix& test,
                                       int workers = 0);

}  // namespace stdp
