#include "Baselines.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include "Parallel.h"
#include "Random.h"
#include "Settings.h"

namespace stdp {

namespace {

using Index = Eigen::Index;
using PatchBlock = Eigen::Ref<const PatchMatrix>;
// Column-major K x n scratch: column r holds one patch's correlations with every unit, so the
// per-patch scans below read contiguous memory.
using UnitByPatch = Eigen::MatrixXf;

// Fixed work unit: results depend on the chunking (summation order, GEMM blocking), so it must not
// depend on the number of workers. 1024 rows keep a chunk's K x n products in L2 for typical K.
constexpr std::size_t kChunkRows = 1024;
// Covariance columns per PCA task; the covariance is split by columns, not rows, so that each
// element is summed over the rows in one fixed order whatever the number of workers.
constexpr Index kCovarianceColumns = 64;
// OMP stops once the residual energy is below this fraction of the patch's energy. The
// correlations come from float products (~1e-7 relative error), so tighter values are noise.
constexpr double kOmpResidualTolerance = 1e-6;
// OMP skips an atom whose component orthogonal to the chosen atoms has less than this squared
// norm: it cannot reduce the residual and would make the Cholesky factor singular.
constexpr double kOmpDependentAtom = 1e-10;
// Dictionary learning stops when the total squared error changes by less than this fraction.
constexpr double kSparseRelativeChange = 1e-4;
// Ridge added to A A^T in the MOD update, relative to its mean diagonal, so rarely used atoms do
// not make the solve ill-conditioned.
constexpr double kModRidge = 1e-6;
// Absolute floor for the ridge and for "this atom has no length left".
constexpr double kTinyNorm = 1e-12;
// Atoms more alike than this (|cosine|) count as duplicates; the less used one is re-seeded.
// Low enough to break up the "two atoms share one true atom" minimum; on overcomplete natural
// patches it still slightly lowers the error.
constexpr float kDuplicateCoherence = 0.9f;

int resolveWorkers(int workers) {
    return workers > 0 ? workers : workerCount();
}

std::size_t rows(const PatchMatrix& m) {
    return static_cast<std::size_t>(m.rows());
}

std::size_t chunkCount(std::size_t n) {
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

PatchBlock rowBlock(const PatchMatrix& x, std::size_t begin, std::size_t end) {
    return x.middleRows(static_cast<Index>(begin), static_cast<Index>(end - begin));
}

void requireFinite(const PatchMatrix& x, const std::string& what) {
    if (x.allFinite())
        return;
    for (Index r = 0; r < x.rows(); ++r) {
        if (!x.row(r).allFinite()) {
            throw UserError(what + " contain NaN or infinite values (first at patch " +
                            std::to_string(r) + ")");
        }
    }
}

void reportProgress(const BaselineOptions& options, double fraction) {
    if (options.progress && !options.progress(fraction))
        throw UserError("cancelled");
}

std::vector<float> rowSquaredNorms(const PatchMatrix& x, int workers) {
    std::vector<float> norms(rows(x));
    forEachChunk(rows(x), workers, [&](int, std::size_t, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            norms[i] = x.row(static_cast<Index>(i)).squaredNorm();
    });
    return norms;
}

// k-means++ seeding: each new centre is a patch drawn with probability proportional to its squared
// distance to the nearest centre chosen so far. Returns row indices.
std::vector<Index> kmeansPlusPlus(const PatchMatrix& x, int k, Rng& rng, int workers,
                                  const BaselineOptions& options) {
    const std::size_t n = rows(x);
    std::vector<float> nearest(n, std::numeric_limits<float>::infinity());
    std::vector<Index> chosen;
    chosen.reserve(static_cast<std::size_t>(k));
    chosen.push_back(static_cast<Index>(rng.below(n)));
    Eigen::RowVectorXf centre;
    // Seeding can dominate a fit on large inputs; check for cancellation this often.
    constexpr int kCancelCheckEvery = 16;
    for (int c = 0;; ++c) {
        centre = x.row(chosen.back());
        forEachChunk(n, workers, [&](int, std::size_t, std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                const float d = (x.row(static_cast<Index>(i)) - centre).squaredNorm();
                nearest[i] = std::min(nearest[i], d);
            }
        });
        if (c + 1 == k)
            break;
        if ((c + 1) % kCancelCheckEvery == 0)
            reportProgress(options, 0.0);
        double total = 0.0;
        for (const float d : nearest)
            total += d;
        std::size_t pick = 0;
        if (total > 0.0) {
            const double target = rng.uniform() * total;
            double cumulative = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                if (nearest[i] <= 0.0f)
                    continue;
                pick = i;  // rounding may leave target unreached: keep the last eligible patch
                cumulative += nearest[i];
                if (cumulative > target)
                    break;
            }
        } else {
            pick = rng.below(n);  // every patch coincides with a centre
        }
        chosen.push_back(static_cast<Index>(pick));
    }
    return chosen;
}

// Nearest centroid of each patch in a block. scores (K x n) is scratch.
void nearestCentroids(const PatchBlock& block, const Eigen::MatrixXf& centroids,
                      const Eigen::VectorXf& centroid_norms, UnitByPatch& scores, int* best,
                      float* best_score) {
    scores.noalias() = centroids.transpose() * block.transpose();
    for (Index r = 0; r < block.rows(); ++r) {
        // |x - c|^2 - |x|^2 = |c|^2 - 2 x.c; the lowest index wins ties.
        Index arg = 0;
        float lowest = std::numeric_limits<float>::infinity();
        for (Index j = 0; j < scores.rows(); ++j) {
            const float s = centroid_norms[j] - 2.0f * scores(j, r);
            if (s < lowest) {
                lowest = s;
                arg = j;
            }
        }
        best[r] = static_cast<int>(arg);
        if (best_score != nullptr)
            best_score[r] = lowest;
    }
}

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

// Batch-OMP (Rubinstein, Zibulevsky & Elad 2008): greedy atom selection from the correlations
// D^T x, with the least-squares coefficients kept up to date by a Cholesky factor of the Gram
// matrix of the chosen atoms, so the patch itself is never touched. Writes up to `active` atom
// indices and coefficients, returns how many.
int ompEncode(const float* correlations, double x2, const Eigen::MatrixXd& gram, int active,
              OmpWorkspace& ws, int* index, float* value) {
    const int units = static_cast<int>(gram.rows());
    if (!(x2 > 0.0))
        return 0;
    for (int j = 0; j < units; ++j) {
        ws.alpha0[j] = correlations[j];
        ws.alpha[j] = correlations[j];
        ws.used[j] = 0;
    }
    double* const chol = ws.chol.data();  // lower triangular, row-major, stride `active`
    int n = 0;
    double residual2 = x2;
    while (n < active && residual2 > kOmpResidualTolerance * x2) {
        int pick = -1;
        double strongest = 0.0;
        for (int j = 0; j < units; ++j) {
            const double a = std::abs(ws.alpha[j]);
            if (!ws.used[j] && a > strongest) {
                strongest = a;
                pick = j;
            }
        }
        if (pick < 0)
            break;  // residual orthogonal to every remaining atom
        // Extend the Cholesky factor by the new atom's row: L w = G[selected, pick].
        double diag2 = gram(pick, pick);
        for (int m = 0; m < n; ++m) {
            double s = gram(ws.selected[m], pick);
            for (int q = 0; q < m; ++q)
                s -= chol[m * active + q] * ws.w[q];
            ws.w[m] = s / chol[m * active + m];
            diag2 -= ws.w[m] * ws.w[m];
        }
        if (diag2 <= kOmpDependentAtom) {
            ws.used[pick] = 1;  // in the span of the chosen atoms: try the next best
            continue;
        }
        for (int q = 0; q < n; ++q)
            chol[n * active + q] = ws.w[q];
        chol[n * active + n] = std::sqrt(diag2);
        ws.selected[n] = pick;
        ws.used[pick] = 1;
        ++n;
        // Solve L L^T gamma = alpha0[selected]; |residual|^2 = |x|^2 - |L^-1 alpha0[selected]|^2.
        double explained = 0.0;
        for (int m = 0; m < n; ++m) {
            double s = ws.alpha0[ws.selected[m]];
            for (int q = 0; q < m; ++q)
                s -= chol[m * active + q] * ws.y[q];
            ws.y[m] = s / chol[m * active + m];
            explained += ws.y[m] * ws.y[m];
        }
        for (int m = n - 1; m >= 0; --m) {
            double s = ws.y[m];
            for (int q = m + 1; q < n; ++q)
                s -= chol[q * active + m] * ws.gamma[q];
            ws.gamma[m] = s / chol[m * active + m];
        }
        residual2 = std::max(0.0, x2 - explained);
        if (n == active)
            break;
        // Correlations of the new residual: alpha = alpha0 - G[:, selected] gamma.
        for (int j = 0; j < units; ++j)
            ws.alpha[j] = ws.alpha0[j];
        for (int m = 0; m < n; ++m) {
            const double g = ws.gamma[m];
            const double* column = gram.col(ws.selected[m]).data();
            for (int j = 0; j < units; ++j)
                ws.alpha[j] -= g * column[j];
        }
    }
    for (int m = 0; m < n; ++m) {
        index[m] = ws.selected[m];
        value[m] = static_cast<float>(ws.gamma[m]);
    }
    return n;
}

Eigen::MatrixXd gramOf(const Eigen::MatrixXf& atoms) {
    const Eigen::MatrixXd d = atoms.cast<double>();
    return d.transpose() * d;
}

// Sparse codes of every training patch, `active` slots per patch.
struct SparseCodes {
    int active = 0;
    std::vector<int> index;
    std::vector<float> value;
    std::vector<int> count;
    std::vector<double> error2;  // squared reconstruction error per patch
};

void sparseEncodeAll(const PatchMatrix& x, const std::vector<float>& norms2,
                     const Eigen::MatrixXf& atoms, int workers, SparseCodes& codes) {
    const std::size_t n = rows(x);
    const int active = codes.active;
    const Eigen::MatrixXd gram = gramOf(atoms);
    const int units = static_cast<int>(atoms.cols());
    std::vector<UnitByPatch> scores(workers);
    std::vector<OmpWorkspace> ws(workers);
    std::vector<Eigen::VectorXf> residual(workers, Eigen::VectorXf(x.cols()));
    for (auto& w : ws)
        w.resize(units, active);
    forEachChunk(n, workers, [&](int worker, std::size_t, std::size_t begin, std::size_t end) {
        const PatchBlock block = rowBlock(x, begin, end);
        UnitByPatch& corr = scores[worker];
        corr.noalias() = atoms.transpose() * block.transpose();
        Eigen::VectorXf& r = residual[worker];
        for (std::size_t i = begin; i < end; ++i) {
            const Index local = static_cast<Index>(i - begin);
            int* idx = &codes.index[i * active];
            float* val = &codes.value[i * active];
            const int used =
                ompEncode(corr.col(local).data(), norms2[i], gram, active, ws[worker], idx, val);
            codes.count[i] = used;
            // Exact error rather than OMP's |x|^2 - explained, which cancels badly near zero.
            r = block.row(local).transpose();
            for (int m = 0; m < used; ++m)
                r -= val[m] * atoms.col(idx[m]);
            codes.error2[i] = r.cast<double>().squaredNorm();
        }
    });
}

// Indices of the `count` largest values (ties: lowest index), each used once.
std::vector<std::size_t> largest(std::vector<double> values, std::size_t count) {
    std::vector<std::size_t> picks;
    for (std::size_t k = 0; k < count && k < values.size(); ++k) {
        const auto it = std::max_element(values.begin(), values.end());
        picks.push_back(static_cast<std::size_t>(it - values.begin()));
        *it = -std::numeric_limits<double>::infinity();
    }
    return picks;
}

void setUnitColumn(Eigen::MatrixXf& atoms, Index j, const Eigen::VectorXf& v, Rng& rng) {
    const float norm = v.norm();
    if (norm > kTinyNorm) {
        atoms.col(j) = v / norm;
        return;
    }
    // A zero patch gives no direction; any unit vector will do, the next round will move it.
    Eigen::VectorXf random(v.size());
    for (Index i = 0; i < random.size(); ++i)
        random[i] = static_cast<float>(rng.uniform(-1, 1));
    atoms.col(j) = random / random.norm();
}

// Replaces atoms that are dead (unused, or degenerate after the update) or near-duplicates of a
// more used atom: a duplicate wastes a unit that could represent what the dictionary misses, the
// typical local minimum of dictionary learning. Each replacement is the residual direction of the
// next worst-reconstructed patch (under the dictionary that produced `codes`), i.e. exactly what
// the current atoms fail to explain.
void reseedAtoms(const PatchMatrix& x, const SparseCodes& codes, const Eigen::MatrixXf& coded_with,
                 const std::vector<std::size_t>& uses, std::vector<std::uint8_t>& dead,
                 Eigen::MatrixXf& atoms, Rng& rng) {
    const Index units = atoms.cols();
    const Eigen::MatrixXf coherence = atoms.transpose() * atoms;
    for (Index i = 0; i < units; ++i) {
        for (Index j = i + 1; j < units; ++j) {
            if (dead[i] || dead[j] || std::abs(coherence(i, j)) <= kDuplicateCoherence)
                continue;
            dead[uses[j] > uses[i] ? i : j] = 1;
        }
    }
    const auto count = static_cast<std::size_t>(std::count(dead.begin(), dead.end(), 1));
    const auto worst = largest(codes.error2, count);
    Eigen::VectorXf residual(x.cols());
    std::size_t next = 0;
    for (Index j = 0; j < units; ++j) {
        if (!dead[j])
            continue;
        const std::size_t i = worst[next++];
        residual = x.row(static_cast<Index>(i)).transpose();
        for (int m = 0; m < codes.count[i]; ++m) {
            const std::size_t slot = i * codes.active + m;
            residual -= codes.value[slot] * coded_with.col(codes.index[slot]);
        }
        setUnitColumn(atoms, j, residual, rng);
    }
}

// Method of optimal directions (Engan et al. 1999): the least-squares dictionary for fixed codes,
// D = X A^T (A A^T + eps I)^-1, then columns renormalised. Atoms no patch used are re-seeded with
// the worst-reconstructed patches.
void modUpdate(const PatchMatrix& x, const SparseCodes& codes, Eigen::MatrixXf& atoms, Rng& rng) {
    const Index dim = x.cols();
    const Index units = atoms.cols();
    Eigen::MatrixXd xat = Eigen::MatrixXd::Zero(dim, units);
    Eigen::MatrixXd aat = Eigen::MatrixXd::Zero(units, units);
    std::vector<std::size_t> uses(static_cast<std::size_t>(units), 0);
    Eigen::VectorXd patch(dim);
    // Sequential: the codes are sparse, so this is cheap next to the encoding, and summing in
    // patch order keeps it independent of the worker count.
    for (std::size_t i = 0; i < rows(x); ++i) {
        const int used = codes.count[i];
        if (used == 0)
            continue;
        const int* idx = &codes.index[i * codes.active];
        const float* val = &codes.value[i * codes.active];
        patch = x.row(static_cast<Index>(i)).transpose().cast<double>();
        for (int m = 0; m < used; ++m) {
            ++uses[idx[m]];
            xat.col(idx[m]) += double(val[m]) * patch;
            for (int q = 0; q < used; ++q)
                aat(idx[m], idx[q]) += double(val[m]) * val[q];
        }
    }
    const double ridge = std::max(kTinyNorm, kModRidge * aat.trace() / double(units));
    aat.diagonal().array() += ridge;
    const Eigen::MatrixXd updated = aat.ldlt().solve(xat.transpose()).transpose();

    const Eigen::MatrixXf previous = atoms;
    std::vector<std::uint8_t> dead(static_cast<std::size_t>(units), 0);
    for (Index j = 0; j < units; ++j) {
        const double norm = updated.col(j).norm();
        if (uses[j] == 0 || !(norm > kTinyNorm)) {
            dead[j] = 1;
        } else {
            atoms.col(j) = (updated.col(j) / norm).cast<float>();
        }
    }
    reseedAtoms(x, codes, previous, uses, dead, atoms, rng);
}

BaselineModel fitKMeans(const PatchMatrix& x, const BaselineOptions& options, int workers) {
    const std::size_t n = rows(x);
    const int k = options.units;
    Rng rng(options.seed);
    const auto seeds = kmeansPlusPlus(x, k, rng, workers, options);
    Eigen::MatrixXf centroids(x.cols(), k);
    for (int j = 0; j < k; ++j)
        centroids.col(j) = x.row(seeds[j]).transpose();

    const std::vector<float> norms2 = rowSquaredNorms(x, workers);
    std::vector<int> assignment(n, -1);
    std::vector<float> distance2(n, 0.0f);
    std::vector<std::size_t> changes(chunkCount(n), 0);
    std::vector<UnitByPatch> scores(workers);
    std::vector<int> best(kChunkRows * workers);
    std::vector<float> best_score(kChunkRows * workers);
    Eigen::MatrixXd sums(x.cols(), k);
    std::vector<std::size_t> members(k);
    Eigen::VectorXd patch(x.cols());

    BaselineModel model;
    model.method = BaselineMethod::KMeans;
    for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
        const Eigen::VectorXf centroid_norms = centroids.colwise().squaredNorm().transpose();
        forEachChunk(n, workers,
                     [&](int worker, std::size_t c, std::size_t begin, std::size_t end) {
                         int* b = &best[kChunkRows * worker];
                         float* s = &best_score[kChunkRows * worker];
                         nearestCentroids(rowBlock(x, begin, end), centroids, centroid_norms,
                                          scores[worker], b, s);
                         std::size_t changed = 0;
                         for (std::size_t i = begin; i < end; ++i) {
                             changed += assignment[i] != b[i - begin];
                             assignment[i] = b[i - begin];
                             distance2[i] = std::max(0.0f, norms2[i] + s[i - begin]);
                         }
                         changes[c] = changed;
                     });
        std::size_t changed = 0;
        for (const std::size_t c : changes)
            changed += c;
        if (changed == 0)
            break;  // centroids already are the means of these assignments

        sums.setZero();
        std::fill(members.begin(), members.end(), 0);
        for (std::size_t i = 0; i < n; ++i) {
            patch = x.row(static_cast<Index>(i)).transpose().cast<double>();
            sums.col(assignment[i]) += patch;
            ++members[assignment[i]];
        }
        std::vector<double> far(distance2.begin(), distance2.end());
        std::size_t empty = 0;
        for (int j = 0; j < k; ++j)
            empty += members[j] == 0;
        const auto farthest = largest(std::move(far), empty);
        std::size_t next_far = 0;
        for (int j = 0; j < k; ++j) {
            if (members[j] > 0) {
                centroids.col(j) = (sums.col(j) / double(members[j])).cast<float>();
            } else {
                // The patch worst served by its centroid is the most useful place for a new one.
                centroids.col(j) = x.row(static_cast<Index>(farthest[next_far++])).transpose();
            }
        }
        model.iterations = iteration + 1;
        reportProgress(options, double(iteration + 1) / options.max_iterations);
    }
    model.dictionary = std::move(centroids);
    return model;
}

BaselineModel fitSparseCoding(const PatchMatrix& x, const BaselineOptions& options, int workers) {
    const std::size_t n = rows(x);
    const int k = options.units;
    Rng rng(options.seed);
    const auto seeds = kmeansPlusPlus(x, k, rng, workers, options);
    Eigen::MatrixXf atoms(x.cols(), k);
    for (int j = 0; j < k; ++j)
        setUnitColumn(atoms, j, x.row(seeds[j]).transpose(), rng);

    const std::vector<float> norms2 = rowSquaredNorms(x, workers);
    SparseCodes codes;
    codes.active = options.active;
    codes.index.assign(n * options.active, 0);
    codes.value.assign(n * options.active, 0.0f);
    codes.count.assign(n, 0);
    codes.error2.assign(n, 0.0);

    BaselineModel model;
    model.method = BaselineMethod::SparseCoding;
    model.active = options.active;
    // Each round is an encoding plus an update, about twice the work of a Lloyd iteration.
    const int rounds = std::max(1, options.max_iterations / 2);
    double previous = 0.0;
    for (int round = 0; round < rounds; ++round) {
        sparseEncodeAll(x, norms2, atoms, workers, codes);
        double error = 0.0;
        for (const double e : codes.error2)
            error += e;
        if (!(error > 0.0))
            break;
        if (round > 0 && std::abs(previous - error) <= kSparseRelativeChange * previous)
            break;
        previous = error;
        modUpdate(x, codes, atoms, rng);
        model.iterations = round + 1;
        reportProgress(options, double(round + 1) / rounds);
    }
    model.dictionary = std::move(atoms);
    return model;
}

BaselineModel fitPca(const PatchMatrix& x, const BaselineOptions& options, int workers) {
    const std::size_t n = rows(x);
    const Index dim = x.cols();
    // Mean: per-chunk partial sums, added in chunk order.
    std::vector<Eigen::VectorXd> partial(chunkCount(n), Eigen::VectorXd::Zero(dim));
    forEachChunk(n, workers, [&](int, std::size_t c, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            partial[c] += x.row(static_cast<Index>(i)).transpose().cast<double>();
        }
    });
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(dim);
    for (const auto& p : partial)
        mean += p;
    mean /= double(n);
    const Eigen::RowVectorXf mean_row = mean.transpose().cast<float>();
    reportProgress(options, 0.0);

    Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(dim, dim);
    const Index blocks = (dim + kCovarianceColumns - 1) / kCovarianceColumns;
    std::vector<PatchMatrix> centred(workers);
    std::vector<Eigen::MatrixXf> product(workers);
    parallelFor(static_cast<std::size_t>(blocks), workers,
                [&](int worker, std::size_t first, std::size_t last) {
                    for (std::size_t b = first; b < last; ++b) {
                        const Index c0 = static_cast<Index>(b) * kCovarianceColumns;
                        const Index width = std::min(kCovarianceColumns, dim - c0);
                        for (std::size_t begin = 0; begin < n; begin += kChunkRows) {
                            const std::size_t end = std::min(n, begin + kChunkRows);
                            centred[worker] = rowBlock(x, begin, end).rowwise() - mean_row;
                            product[worker].noalias() =
                                centred[worker].transpose() * centred[worker].middleCols(c0, width);
                            covariance.middleCols(c0, width) += product[worker].cast<double>();
                        }
                    }
                });
    covariance /= double(n);
    reportProgress(options, 0.5);

    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    if (solver.info() != Eigen::Success)
        throw UserError("PCA: eigen-decomposition failed");
    const Index axes = std::min<Index>(options.units, dim);
    BaselineModel model;
    model.method = BaselineMethod::Pca;
    model.dictionary.resize(dim, axes);
    for (Index a = 0; a < axes; ++a) {
        // Eigenvalues come in ascending order; an axis's sign is arbitrary, so fix it (largest
        // component positive) to make the model reproducible across Eigen versions.
        Eigen::VectorXd axis = solver.eigenvectors().col(dim - 1 - a);
        Index peak = 0;
        axis.cwiseAbs().maxCoeff(&peak);
        if (axis[peak] < 0)
            axis = -axis;
        model.dictionary.col(a) = axis.cast<float>();
    }
    model.mean = mean.cast<float>();
    reportProgress(options, 1.0);
    return model;
}

// Encodes blocks of patches for one model; one Workspace per worker.
class BlockEncoder {
  public:
    struct Workspace {
        UnitByPatch scores;
        PatchMatrix centred;
        PatchMatrix projection;
        std::vector<int> best;
        std::vector<int> index;
        std::vector<float> value;
        OmpWorkspace omp;
    };

    explicit BlockEncoder(const BaselineModel& model) : model_(model) {
        if (model.method == BaselineMethod::KMeans) {
            centroid_norms_ = model.dictionary.colwise().squaredNorm().transpose();
        } else if (model.method == BaselineMethod::SparseCoding) {
            gram_ = gramOf(model.dictionary);
        }
    }

    Workspace workspace() const {
        Workspace ws;
        ws.best.resize(kChunkRows);
        ws.index.resize(model_.active);
        ws.value.resize(model_.active);
        if (model_.method == BaselineMethod::SparseCoding)
            ws.omp.resize(model_.units(), model_.active);
        return ws;
    }

    // xhat: rows x D, codes: rows x K, both sized by the caller; block.rows() <= kChunkRows.
    void encode(const PatchBlock& block, Eigen::Ref<PatchMatrix> xhat,
                Eigen::Ref<PatchMatrix> codes, Workspace& ws) const {
        const Eigen::MatrixXf& dict = model_.dictionary;
        switch (model_.method) {
            case BaselineMethod::KMeans:
                nearestCentroids(block, dict, centroid_norms_, ws.scores, ws.best.data(), nullptr);
                codes.setZero();
                for (Index r = 0; r < block.rows(); ++r) {
                    xhat.row(r) = dict.col(ws.best[r]).transpose();
                    codes(r, ws.best[r]) = 1.0f;
                }
                break;
            case BaselineMethod::SparseCoding:
                ws.scores.noalias() = dict.transpose() * block.transpose();
                codes.setZero();
                for (Index r = 0; r < block.rows(); ++r) {
                    const double x2 = block.row(r).cast<double>().squaredNorm();
                    const int used = ompEncode(ws.scores.col(r).data(), x2, gram_, model_.active,
                                               ws.omp, ws.index.data(), ws.value.data());
                    xhat.row(r).setZero();
                    for (int m = 0; m < used; ++m) {
                        xhat.row(r) += ws.value[m] * dict.col(ws.index[m]).transpose();
                        codes(r, ws.index[m]) = std::abs(ws.value[m]);
                    }
                }
                break;
            case BaselineMethod::Pca: {
                const auto mean = model_.mean.transpose();
                ws.centred = block.rowwise() - mean;
                ws.projection.noalias() = ws.centred * dict;
                xhat.noalias() = ws.projection * dict.transpose();
                xhat.rowwise() += mean;
                codes = ws.projection.cwiseAbs();
                break;
            }
        }
    }

  private:
    const BaselineModel& model_;
    Eigen::VectorXf centroid_norms_;
    Eigen::MatrixXd gram_;
};

void validateModel(const BaselineModel& model) {
    if (model.dictionary.size() == 0)
        throw UserError("baseline model is empty (not fitted)");
    if (model.method == BaselineMethod::Pca && model.mean.size() != model.dim()) {
        throw UserError("PCA model mean has " + std::to_string(model.mean.size()) +
                        " values, expected " + std::to_string(model.dim()));
    }
    if (model.method == BaselineMethod::SparseCoding &&
        (model.active < 1 || model.active > std::min(model.dim(), model.units()))) {
        throw UserError("sparse-coding model has active=" + std::to_string(model.active) +
                        ", must be in [1, " + std::to_string(std::min(model.dim(), model.units())) +
                        "]");
    }
    if (!model.dictionary.allFinite() || !model.mean.allFinite()) {
        throw UserError("baseline model contains NaN or infinite values");
    }
}

}  // namespace

BaselineMethod parseBaselineMethod(const std::string& name) {
    if (name == "kmeans")
        return BaselineMethod::KMeans;
    if (name == "sparse-coding")
        return BaselineMethod::SparseCoding;
    if (name == "pca")
        return BaselineMethod::Pca;
    throw UserError("unknown baseline '" + name + "' (expected kmeans, sparse-coding or pca)");
}

std::string baselineMethodName(BaselineMethod method) {
    switch (method) {
        case BaselineMethod::KMeans:
            return "kmeans";
        case BaselineMethod::SparseCoding:
            return "sparse-coding";
        case BaselineMethod::Pca:
            return "pca";
    }
    return "unknown";
}

BaselineModel fitBaseline(const PatchMatrix& train, const BaselineOptions& options) {
    const std::string name = baselineMethodName(options.method);
    if (options.units < 1) {
        throw UserError(name + ": units must be >= 1, got " + std::to_string(options.units));
    }
    if (options.max_iterations < 1) {
        throw UserError(name + ": max_iterations must be >= 1, got " +
                        std::to_string(options.max_iterations));
    }
    if (train.rows() == 0 || train.cols() == 0) {
        throw UserError(name + ": no training patches");
    }
    const Index dim = train.cols();
    if (options.method == BaselineMethod::SparseCoding) {
        const Index limit = std::min<Index>(dim, options.units);
        if (options.active < 1 || options.active > limit) {
            throw UserError(name + ": active must be in [1, " + std::to_string(limit) +
                            "] (patch size and units), got " + std::to_string(options.active));
        }
    }
    if (options.method != BaselineMethod::Pca && train.rows() < options.units) {
        throw UserError(name + ": needs at least as many training patches as units (" +
                        std::to_string(train.rows()) + " < " + std::to_string(options.units) + ")");
    }
    requireFinite(train, "training patches");
    const int workers = resolveWorkers(options.workers);
    switch (options.method) {
        case BaselineMethod::KMeans:
            return fitKMeans(train, options, workers);
        case BaselineMethod::SparseCoding:
            return fitSparseCoding(train, options, workers);
        case BaselineMethod::Pca:
            return fitPca(train, options, workers);
    }
    throw UserError("unknown baseline method");
}

void encodeBaselinePatch(const BaselineModel& model, const float* x, float* xhat, float* codes) {
    validateModel(model);
    const BlockEncoder encoder(model);
    auto ws = encoder.workspace();
    const Eigen::Map<const PatchMatrix> in(x, 1, model.dim());
    Eigen::Map<PatchMatrix> out(xhat, 1, model.dim());
    Eigen::Map<PatchMatrix> code(codes, 1, model.units());
    encoder.encode(in, out, code, ws);
}

ReconstructionMetrics evaluateBaseline(const BaselineModel& model, const PatchMatrix& test,
                                       int workers) {
    validateModel(model);
    if (test.rows() == 0)
        throw UserError("baseline evaluation: no test patches");
    if (test.cols() != model.dim()) {
        throw UserError("baseline evaluation: model expects " + std::to_string(model.dim()) +
                        "-value patches, test patches have " + std::to_string(test.cols()));
    }
    requireFinite(test, "test patches");
    workers = resolveWorkers(workers);
    const std::size_t n = rows(test);
    const int dim = model.dim();
    const int units = model.units();
    const BlockEncoder encoder(model);
    std::vector<BlockEncoder::Workspace> ws;
    for (int w = 0; w < workers; ++w)
        ws.push_back(encoder.workspace());
    std::vector<PatchMatrix> xhat(workers, PatchMatrix(kChunkRows, dim));
    std::vector<PatchMatrix> codes(workers, PatchMatrix(kChunkRows, units));
    // One accumulator per fixed chunk, merged in chunk order: identical for any worker count.
    std::vector<ReconstructionAccumulator> partial(chunkCount(n), ReconstructionAccumulator(units));
    forEachChunk(n, workers, [&](int worker, std::size_t c, std::size_t begin, std::size_t end) {
        const Index count = static_cast<Index>(end - begin);
        auto out = xhat[worker].topRows(count);
        auto code = codes[worker].topRows(count);
        const PatchBlock block = rowBlock(test, begin, end);
        encoder.encode(block, out, code, ws[worker]);
        for (Index r = 0; r < count; ++r) {
            partial[c].add(block.row(r).data(), out.row(r).data(), dim, code.row(r).data(), units);
        }
    });
    ReconstructionAccumulator total(units);
    for (const auto& p : partial)
        total.merge(p);
    return total.result();
}

}  // namespace stdp
