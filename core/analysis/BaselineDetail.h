#pragma once
// Internals shared by the baseline methods (Baselines.cpp and one file per method); private to
// stdp_core, not installed with Baselines.h.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "analysis/Baselines.h"
#include "foundation/Parallel.h"
#include "foundation/Random.h"
#include "foundation/Settings.h"

namespace stdp::detail {

using Index = Eigen::Index;
using PatchBlock = Eigen::Ref<const PatchMatrix>;
// Column-major K x n scratch: column r holds one patch's correlations with every unit, so the
// per-patch scans read contiguous memory.
using UnitByPatch = Eigen::MatrixXf;

// Fixed work unit: results depend on the chunking (summation order, GEMM blocking), so it must not
// depend on the number of workers. 1024 rows keep a chunk's K x n products in L2 for typical K.
inline constexpr std::size_t kChunkRows = 1024;

inline std::size_t rows(const PatchMatrix& m) {
    return static_cast<std::size_t>(m.rows());
}

inline std::size_t chunkCount(std::size_t n) {
    return (n + kChunkRows - 1) / kChunkRows;
}

// body(worker, chunk, begin, end) for every fixed-size chunk of [0, n).
template <class Body>
void forEachChunk(std::size_t n, int workers, const Body& body) {
    parallelFor(chunkCount(n), workers, [&](int worker, std::size_t first, std::size_t last) {
        for (std::size_t c = first; c < last; ++c) {
            const std::size_t begin = c * kChunkRows;
            body(worker, c, begin, std::min(n, begin + kChunkRows));
        }
    });
}

inline PatchBlock rowBlock(const PatchMatrix& x, std::size_t begin, std::size_t end) {
    return x.middleRows(static_cast<Index>(begin), static_cast<Index>(end - begin));
}

inline void reportProgress(const BaselineOptions& options, double fraction) {
    if (options.progress && !options.progress(fraction))
        throw UserError("cancelled");
}

// Defined in Baselines.cpp: used by more than one method.
std::vector<float> rowSquaredNorms(const PatchMatrix& x, int workers);
// Indices of the `count` largest values (ties: lowest index), each used once.
std::vector<std::size_t> largest(std::vector<double> values, std::size_t count);

// ---- k-means (BaselineKMeans.cpp); the seeding also starts the sparse-coding dictionary.

// k-means++ seeding: each new centre is a patch drawn with probability proportional to its squared
// distance to the nearest centre chosen so far. Returns row indices.
std::vector<Index> kmeansPlusPlus(const PatchMatrix& x, int k, Rng& rng, int workers,
                                  const BaselineOptions& options);

// Nearest centroid of each patch in a block. scores (K x n) is scratch.
void nearestCentroids(const PatchBlock& block, const Eigen::MatrixXf& centroids,
                      const Eigen::VectorXf& centroid_norms, UnitByPatch& scores, int* best,
                      float* best_score);

BaselineModel fitKMeans(const PatchMatrix& x, const BaselineOptions& options, int workers);

// ---- sparse coding (BaselineSparseCoding.cpp)

// Per-worker scratch of orthogonal matching pursuit; sized once, reused for every patch.
struct OmpWorkspace {
    std::vector<double> alpha0, alpha, chol, y, gamma, w;
    std::vector<int> selected;
    std::vector<std::uint8_t> used;

    void resize(int units, int active) {
        alpha0.resize(units);
        alpha.resize(units);
        used.assign(units, 0);
        chol.resize(static_cast<std::size_t>(active) * active);
        y.resize(active);
        gamma.resize(active);
        w.resize(active);
        selected.resize(active);
    }
};

// Batch-OMP of one patch from its correlations D^T x and squared norm x2. Writes up to `active`
// atom indices and coefficients, returns how many.
int ompEncode(const float* correlations, double x2, const Eigen::MatrixXd& gram, int active,
              OmpWorkspace& ws, int* index, float* value);

Eigen::MatrixXd gramOf(const Eigen::MatrixXf& atoms);

BaselineModel fitSparseCoding(const PatchMatrix& x, const BaselineOptions& options, int workers);

// ---- PCA (BaselinePca.cpp)

BaselineModel fitPca(const PatchMatrix& x, const BaselineOptions& options, int workers);

}  // namespace stdp::detail
